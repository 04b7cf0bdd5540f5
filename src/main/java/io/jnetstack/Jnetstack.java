package io.jnetstack;

import io.jnetstack.inet.Inet;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.Loopback;
import io.jnetstack.link.NetDevice;
import io.jnetstack.stack.Stack;
import io.jnetstack.inet.InetStreamOps;
import io.jnetstack.time.Scheduler;
import io.jnetstack.unix.Unix;

/**
 * The library's front door: assembles a complete stack the way a booted kernel has one — the
 * loopback device with 127.0.0.1/8, IPv4 with ICMP, UDP, raw and ping sockets, TCP, and AF_UNIX —
 * on the scheduler you give it (virtual for simulations, real for TUN/TAP).
 */
public final class Jnetstack {
    private Jnetstack() {}

    /** A new stack with every protocol installed and loopback up. */
    public static Stack newStack(String name, Scheduler scheduler, long seed) {
        Stack stack = new Stack(name, scheduler, seed);
        Ipv4 ip = Inet.install(stack);
        InetStreamOps.install(stack); // TCP, and its entries in the inet families
        Unix.install(stack);
        ip.attach(new Loopback(scheduler)); // ifindex 1, with 127.0.0.1/8 as on every Linux host
        return stack;
    }

    /** Adds {@code dev} to {@code stack} with {@code addr/prefixLen} (ip link add + ip addr add). */
    public static void addInterface(Stack stack, NetDevice dev, int addr, int prefixLen) {
        Ipv4 ip = Ipv4.of(stack);
        ip.attach(dev);
        int r = ip.addAddress(dev, addr, prefixLen);
        if (r < 0) throw new IllegalArgumentException("cannot add " + io.jnetstack.socket.SockAddr.ipString(addr)
                + "/" + prefixLen + " to " + dev.name() + ": " + io.jnetstack.uapi.Errno.name(r));
    }
}
