package io.jnetstack.neighbour;

import io.jnetstack.link.NetDevice;
import io.jnetstack.time.Timer;
import java.util.ArrayDeque;

/**
 * One neighbour entry (struct neighbour): an on-link IPv4 address on one device, its link-layer
 * address once known, its {@link Nud} state with the times that drive it, and the packets waiting
 * for resolution (arp_queue). Owned by the stack's event loop; plain fields.
 */
public final class Neigh {
    final NetDevice dev;
    final int ifindex;
    /** The IPv4 address (primary_key). */
    final int key;
    int state = Nud.NONE;
    /** The link-layer address (ha); meaningful in {@link Nud#VALID} states. */
    long lladdr;
    /** Last state or address change, last reachability confirmation, last use (jiffies in Linux). */
    long updated, confirmed, used;
    int probes;
    /** Source address of the latest queued packet: the sender IP of the next request (arp_announce 0). */
    int probeSaddr;
    final Timer timer;
    final ArrayDeque<NeighTable.Pending> queue = new ArrayDeque<>();
    int queueBytes;
    /** Hash chain. */
    Neigh next;

    Neigh(NetDevice dev, int ifindex, int key, Runnable onTimer) {
        this.dev = dev;
        this.ifindex = ifindex;
        this.key = key;
        this.timer = new Timer("neigh_timer", onTimer);
    }

    public NetDevice dev() { return dev; }

    public int address() { return key; }

    public int state() { return state; }

    public long lladdr() { return lladdr; }

    public int probes() { return probes; }

    public int queued() { return queue.size(); }

    @Override public String toString() {
        return io.jnetstack.wire.Ipv4Address.format(key) + " dev " + dev.name()
                + ((state & Nud.VALID) != 0 ? " lladdr " + io.jnetstack.wire.MacAddress.format(lladdr) : "")
                + " " + Nud.name(state);
    }
}
