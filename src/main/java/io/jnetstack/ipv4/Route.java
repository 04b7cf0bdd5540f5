package io.jnetstack.ipv4;

import io.jnetstack.link.NetDevice;

/**
 * The result of a route lookup (struct rtable): where a packet to {@code dst} leaves, with which
 * preferred source address, via which gateway (0 = on-link), and the path MTU known for it.
 */
public final class Route {
    /** rt_type values as Linux names them. */
    public static final int RTN_UNICAST = 1, RTN_LOCAL = 2, RTN_BROADCAST = 3, RTN_MULTICAST = 5,
            RTN_UNREACHABLE = 7;

    public NetDevice dev;
    public int ifindex;
    public int dst;
    public int prefSrc;
    public int gateway;
    public int mtu;
    public int type = RTN_UNICAST;

    public int nextHop() { return gateway != 0 ? gateway : dst; }
}
