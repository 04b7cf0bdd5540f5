package io.jnetstack.packetdrill;

import io.jnetstack.link.DeviceStats;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.PacketReceiver;
import io.jnetstack.time.Scheduler;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The runner's side of packetdrill's tun0: the link the stack under test shares with the script's
 * remote host. Bare IPv4 packets (ARPHRD_NONE, as a tun device carries with IFF_NO_PI), with TSO
 * offered as Linux's tun does when packetdrill opens it with offloads, so a large write may leave
 * as one segment bigger than the MTU.
 *
 * <p>Transmitted packets are copied (the stack keeps its buffer) into a queue with the virtual time
 * they left at; the runner sniffs them from there. Inbound packets are handed to the stack as
 * softirq work, the way a tun write reaches netif_rx.
 */
final class TunDevice implements NetDevice {
    /** One packet the stack sent, and when (scheduler nanoseconds). */
    record Sent(byte[] bytes, long timeNs) {}

    private final Scheduler sched;
    private final int mtu;
    private final DeviceStats stats = new DeviceStats();
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();
    private PacketReceiver rx;
    /**
     * The root qdisc's packet limit as {@code tc qdisc ... pfifo limit N} set it, or -1 for none.
     * Packets leave at once on the virtual clock, so no queue ever builds: only a limit of 0 is
     * observable, a qdisc that drops everything (NET_XMIT_DROP, "local congestion").
     */
    private int qdiscLimit = -1;

    TunDevice(Scheduler sched, int mtu) {
        this.sched = sched;
        this.mtu = mtu;
    }

    @Override public String name() { return "tun0"; }

    @Override public int mtu() { return mtu; }

    @Override public int type() { return ARPHRD_NONE; }

    @Override public int features() { return F_TSO; }

    @Override public void open(PacketReceiver rx) { this.rx = rx; }

    /** tc qdisc add/replace/change dev tun0 root pfifo limit {@code n}; -1: back to no limit. */
    void qdiscLimit(int n) { qdiscLimit = n; }

    @Override public int transmit(MemorySegment packet) {
        if (qdiscLimit == 0) {
            stats.txDropped++;
            return XMIT_DROP;
        }
        byte[] copy = packet.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        sent.add(new Sent(copy, sched.now()));
        stats.txPackets++;
        stats.txBytes += copy.length;
        return XMIT_SUCCESS;
    }

    @Override public DeviceStats stats() { return stats; }

    /** The oldest packet the stack sent and the runner has not sniffed yet, or null. */
    Sent poll() { return sent.poll(); }

    boolean hasSent() { return !sent.isEmpty(); }

    /** Injects a packet from the remote host; it is received in softirq context. */
    void inject(byte[] packet) {
        stats.rxPackets++;
        stats.rxBytes += packet.length;
        sched.post(() -> {
            if (rx != null) rx.receive(this, MemorySegment.ofArray(packet));
        });
    }
}
