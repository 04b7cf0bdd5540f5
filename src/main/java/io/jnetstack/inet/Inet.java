package io.jnetstack.inet;

import io.jnetstack.icmp.Icmp;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.raw.Raw;
import io.jnetstack.socket.Families;
import io.jnetstack.stack.Stack;
import io.jnetstack.udp.Udp;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;

/**
 * inet_init: installs the IPv4 family into a stack: the IPv4 layer, ICMP (and ping sockets), UDP,
 * UDP-Lite, raw sockets, and the AF_INET and AF_INET6 families with their inetsw entries,
 * registered in {@link Families}. TCP registers its own SOCK_STREAM entries afterwards:
 * {@code InetFamily.of(stack).register(new InetProtosw(SOCK_STREAM, IPPROTO_TCP, tcpProt, ops, false))}.
 * Devices are attached afterwards with {@link Ipv4#attach}.
 */
public final class Inet {
    private Inet() {}

    /** Installs everything once; returns the stack's IPv4 layer. Idempotent. */
    public static Ipv4 install(Stack stack) {
        Ipv4 ip = Ipv4.of(stack);
        if (stack.module(Inet.Installed.class) != null) return ip;
        stack.register(Inet.Installed.class, new Installed());
        Icmp icmp = Icmp.of(stack);
        Udp udp = Udp.of(stack), lite = Udp.lite(stack);
        Raw raw = Raw.of(stack);

        InetFamily inet = InetFamily.of(stack);
        InetDgramOps dgram = new InetDgramOps(Net.AF_INET);
        inet.register(new InetProtosw(Net.SOCK_DGRAM, In.IPPROTO_UDP, udp.prot(), dgram, false));
        inet.register(new InetProtosw(Net.SOCK_DGRAM, In.IPPROTO_ICMP, icmp.ping(), dgram, false));
        inet.register(new InetProtosw(Net.SOCK_DGRAM, In.IPPROTO_UDPLITE, lite.prot(), dgram, false));
        inet.register(new InetProtosw(Net.SOCK_RAW, In.IPPROTO_IP, raw, dgram, true));

        InetFamily inet6 = InetFamily.of6(stack);
        InetDgramOps dgram6 = new InetDgramOps(Net.AF_INET6);
        inet6.register(new InetProtosw(Net.SOCK_DGRAM, In.IPPROTO_UDP, udp.prot(), dgram6, false));
        inet6.register(new InetProtosw(Net.SOCK_DGRAM, In.IPPROTO_UDPLITE, lite.prot(), dgram6, false));
        inet6.register(new InetProtosw(Net.SOCK_DGRAM, In.IPPROTO_ICMPV6, icmp.ping(), dgram6, false));
        inet6.register(new InetProtosw(Net.SOCK_RAW, In.IPPROTO_IP, raw, dgram6, true));

        Families f = Families.of(stack);
        f.register(inet);
        f.register(inet6);
        return ip;
    }

    private static final class Installed {}
}
