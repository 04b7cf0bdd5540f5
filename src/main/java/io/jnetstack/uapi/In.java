package io.jnetstack.uapi;

/** include/uapi/linux/in.h and in6.h: protocol numbers and IPPROTO_IP / IPPROTO_IPV6 options. */
public final class In {
    private In() {}

    public static final int IPPROTO_IP = 0, IPPROTO_ICMP = 1, IPPROTO_IGMP = 2, IPPROTO_TCP = 6,
            IPPROTO_UDP = 17, IPPROTO_IPV6 = 41, IPPROTO_GRE = 47, IPPROTO_ICMPV6 = 58, IPPROTO_SCTP = 132,
            IPPROTO_UDPLITE = 136, IPPROTO_RAW = 255, IPPROTO_MPTCP = 262;

    public static final int IP_TOS = 1, IP_TTL = 2, IP_HDRINCL = 3, IP_OPTIONS = 4, IP_RECVOPTS = 6,
            IP_RETOPTS = 7, IP_PKTINFO = 8, IP_MTU_DISCOVER = 10, IP_RECVERR = 11, IP_RECVTTL = 12,
            IP_RECVTOS = 13, IP_MTU = 14, IP_FREEBIND = 15, IP_TRANSPARENT = 19, IP_BIND_ADDRESS_NO_PORT = 24,
            IP_MULTICAST_IF = 32, IP_MULTICAST_TTL = 33, IP_MULTICAST_LOOP = 34;
    public static final int IP_PMTUDISC_DONT = 0, IP_PMTUDISC_WANT = 1, IP_PMTUDISC_DO = 2, IP_PMTUDISC_PROBE = 3;

    public static final int IPV6_V6ONLY = 26, IPV6_UNICAST_HOPS = 16, IPV6_RECVERR = 25, IPV6_TCLASS = 67;

    public static final int INADDR_ANY = 0, INADDR_LOOPBACK = 0x7f000001, INADDR_BROADCAST = 0xffffffff;

    /** Sizes of the sockaddr structures (what addrlen is checked against). */
    public static final int SOCKADDR_IN_LEN = 16, SOCKADDR_IN6_LEN = 28, SOCKADDR_UN_LEN = 110,
            SOCKADDR_STORAGE_LEN = 128, SIN6_LEN_RFC2133 = 24;
}
