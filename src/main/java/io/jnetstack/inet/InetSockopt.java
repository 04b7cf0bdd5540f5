package io.jnetstack.inet;

import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;

/**
 * do_ip_setsockopt / do_ip_getsockopt (IPPROTO_IP options) and the IPPROTO_IPV6 basics of
 * AF_INET6 sockets (do_ipv6_setsockopt / do_ipv6_getsockopt), as measured on Linux 6.x.
 *
 * <p>Value encoding, as Linux reads it: for the integer options, optlen ≥ 4 reads an int, optlen
 * 1..3 reads one unsigned byte (so {@code char ttl = 5} works), optlen 0 reads 0. Some options
 * then insist on optlen ≥ 1 (IP_TTL, IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_FREEBIND,
 * IP_TRANSPARENT). On get, a buffer shorter than an int receives one byte when the value fits in
 * 0..255; otherwise min(optlen, 4) bytes of the int.
 */
public final class InetSockopt {
    private InetSockopt() {}

    public static final int IP_ROUTER_ALERT = 5, IP_PMTUDISC_INTERFACE = 4, IP_PMTUDISC_OMIT = 5,
            IP_MULTICAST_ALL = 49, IP_RECVORIGDSTADDR = 20, IP_MINTTL = 21, IP_NODEFRAG = 22;
    /** ip_tos2prio[]: the sk_priority an IP_TOS value implies (rt_tos2priority). */
    private static final int[] TOS2PRIO = {0, 0, 0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 4, 4, 4, 4};

    /** setsockopt(fd, SOL_IP, optname, optval, optlen); returns 0 or -errno. */
    public static int setIp(InetSock sk, int optname, byte[] optval, int optlen) {
        if (optlen < 0) return -Errno.EINVAL;
        // An unknown option is ENOPROTOOPT before the value is even read (NULL optval included).
        if (!knownIp(optname)) return -Errno.ENOPROTOOPT;
        if (optlen > 0 && (optval == null || optval.length < Math.min(optlen, 4))) return -Errno.EFAULT;
        int val = optlen >= 4 ? readInt(optval) : optlen >= 1 ? optval[0] & 0xFF : 0;
        boolean on = val != 0;
        switch (optname) {
            case In.IP_OPTIONS -> {
                if (optlen > 40) return -Errno.EINVAL;
                if (optlen > 0 && optval.length < optlen) return -Errno.EFAULT;
                // Kept padded to 4 bytes with IPOPT_END, as ip_options_get stores them.
                byte[] o = new byte[(optlen + 3) & ~3];
                if (optlen > 0) System.arraycopy(optval, 0, o, 0, optlen);
                sk.ipOptions = o;
            }
            case In.IP_TTL -> {
                if (optlen < 1) return -Errno.EINVAL;
                if (val != -1 && (val < 1 || val > 255)) return -Errno.EINVAL;
                sk.ttl = val;
            }
            case In.IP_TOS -> {
                int tos = val & 0xFF;
                // TCP owns the ECN bits (RFC 3168): the user sets only DSCP.
                if (sk.type == Net.SOCK_STREAM) tos = (tos & ~3) | (sk.tos & 3);
                if (tos != sk.tos) {
                    sk.tos = tos;
                    sk.priority = TOS2PRIO[(tos & 0x1E) >> 1];
                }
            }
            case In.IP_HDRINCL -> {
                if (sk.type != Net.SOCK_RAW) return -Errno.ENOPROTOOPT;
                sk.hdrIncl = on;
            }
            case In.IP_MTU_DISCOVER -> {
                if (val < In.IP_PMTUDISC_DONT || val > IP_PMTUDISC_OMIT) return -Errno.EINVAL;
                sk.pmtudisc = val;
            }
            case In.IP_RECVERR -> {
                sk.recvErr = on;
                if (!on) sk.errQueue.purgeErrors();
            }
            case In.IP_PKTINFO -> sk.pktInfo = on;
            case In.IP_RECVTTL -> sk.recvTtl = on;
            case In.IP_RECVTOS -> sk.recvTos = on;
            case In.IP_RECVOPTS, In.IP_RETOPTS, IP_RECVORIGDSTADDR, IP_NODEFRAG, IP_MULTICAST_ALL, IP_MINTTL -> {
                if (optname == IP_MINTTL && (val < 0 || val > 255)) return -Errno.EINVAL;
                // Accepted; this stack delivers no IP options and no original-destination cmsg yet.
            }
            case In.IP_FREEBIND -> {
                if (optlen < 1) return -Errno.EINVAL;
                sk.freebind = on;
            }
            case In.IP_TRANSPARENT -> {
                // Only turning it on needs CAP_NET_RAW/CAP_NET_ADMIN; the length is checked after.
                Credentials c = sk.socket != null ? sk.socket.cred : Credentials.ROOT;
                if (on && (c == null || (!c.netRaw() && !c.netAdmin()))) return -Errno.EPERM;
                if (optlen < 1) return -Errno.EINVAL;
                sk.transparent = on;
            }
            case In.IP_BIND_ADDRESS_NO_PORT -> sk.bindAddressNoPort = on;
            case IP_ROUTER_ALERT -> {
                if (sk.type != Net.SOCK_RAW || sk.protocol == In.IPPROTO_RAW) return -Errno.EINVAL;
                sk.routerAlert = on;
            }
            case In.IP_MULTICAST_TTL -> {
                if (sk.type == Net.SOCK_STREAM) return -Errno.EINVAL;
                if (optlen < 1) return -Errno.EINVAL;
                if (val == -1) val = 1;
                if (val < 0 || val > 255) return -Errno.EINVAL;
                sk.mcTtl = val;
            }
            case In.IP_MULTICAST_LOOP -> {
                if (optlen < 1) return -Errno.EINVAL;
                sk.mcLoop = on;
            }
            default -> { return -Errno.ENOPROTOOPT; }
        }
        return 0;
    }

    /**
     * getsockopt(fd, SOL_IP, optname, optval, optlen): {@code optlen[0]} is value-result. Returns 0
     * or -errno.
     */
    public static int getIp(InetSock sk, int optname, byte[] optval, int[] optlen) {
        if (optlen == null || optlen.length < 1) return -Errno.EFAULT;
        int len = optlen[0];
        if (len < 0) return -Errno.EINVAL;
        int val;
        switch (optname) {
            case In.IP_OPTIONS -> {
                int n = Math.min(len, sk.ipOptions.length);
                optlen[0] = n;
                return SockOpts.copyToUser(sk.ipOptions, n, optval);
            }
            case In.IP_PKTINFO -> val = sk.pktInfo ? 1 : 0;
            case In.IP_RECVTTL -> val = sk.recvTtl ? 1 : 0;
            case In.IP_RECVTOS -> val = sk.recvTos ? 1 : 0;
            case In.IP_RECVOPTS, In.IP_RETOPTS, IP_RECVORIGDSTADDR, IP_NODEFRAG, IP_MINTTL, IP_ROUTER_ALERT -> val = 0;
            case IP_MULTICAST_ALL -> val = 1;
            case In.IP_TOS -> val = sk.tos;
            case In.IP_TTL -> val = sk.effectiveTtl();
            case In.IP_HDRINCL -> val = sk.hdrIncl ? 1 : 0;
            case In.IP_MTU_DISCOVER -> val = sk.pmtudisc;
            case In.IP_MTU -> {
                // The cached route's MTU: only a connected socket has one.
                val = 0;
                if (sk.state == InetStates.TCP_ESTABLISHED && sk.daddr != 0) {
                    int m = Ipv4.of(sk.stack).pathMtu(sk.daddr);
                    val = Math.min(m, 0xFFFF);
                }
                if (val == 0) return -Errno.ENOTCONN;
            }
            case In.IP_RECVERR -> val = sk.recvErr ? 1 : 0;
            case In.IP_FREEBIND -> val = sk.freebind ? 1 : 0;
            case In.IP_TRANSPARENT -> val = sk.transparent ? 1 : 0;
            case In.IP_BIND_ADDRESS_NO_PORT -> val = sk.bindAddressNoPort ? 1 : 0;
            case In.IP_MULTICAST_TTL -> val = sk.mcTtl;
            case In.IP_MULTICAST_LOOP -> val = sk.mcLoop ? 1 : 0;
            case In.IP_MULTICAST_IF -> val = 0;
            default -> { return -Errno.ENOPROTOOPT; }
        }
        return putIntOrByte(val, optval, optlen);
    }

    private static boolean knownIp(int o) {
        return switch (o) {
            case In.IP_OPTIONS, In.IP_TTL, In.IP_TOS, In.IP_HDRINCL, In.IP_MTU_DISCOVER, In.IP_RECVERR,
                 In.IP_PKTINFO, In.IP_RECVTTL, In.IP_RECVTOS, In.IP_RECVOPTS, In.IP_RETOPTS, IP_RECVORIGDSTADDR,
                 IP_NODEFRAG, IP_MULTICAST_ALL, IP_MINTTL, In.IP_FREEBIND, In.IP_TRANSPARENT,
                 In.IP_BIND_ADDRESS_NO_PORT, IP_ROUTER_ALERT, In.IP_MULTICAST_TTL, In.IP_MULTICAST_LOOP -> true;
            default -> false;
        };
    }

    /**
     * The common tail of do_ip_getsockopt: one byte for a short buffer when the value fits, else an
     * int. The length is written back first, then the value copied (partly, then EFAULT, into a
     * buffer shorter than the length claimed).
     */
    static int putIntOrByte(int val, byte[] optval, int[] optlen) {
        int len = optlen[0];
        if (len < 4 && len > 0 && val >= 0 && val <= 255) {
            optlen[0] = 1;
            return SockOpts.copyIntToUser(val, 1, optval);
        }
        int n = Math.min(4, len);
        optlen[0] = n;
        return SockOpts.copyIntToUser(val, n, optval);
    }

    /**
     * setsockopt(fd, SOL_IPV6, ...) on an AF_INET6 socket; returns 0 or -errno. As measured, the
     * int options read a NULL optval as 0 (do_ipv6_setsockopt only copies from a non-NULL pointer)
     * and refuse an optlen below sizeof(int) with EINVAL.
     *
     * <p>jnetstack carries AF_INET6 sockets' traffic as v4-mapped IPv4, and Linux applies neither
     * IPV6_UNICAST_HOPS nor IPV6_TCLASS to v4-mapped packets (measured: the IPv4 TTL and TOS stay
     * IP_TTL's and IP_TOS's), so both are stored and read back only.
     */
    public static int setIpv6(InetSock sk, int optname, byte[] optval, int optlen) {
        if (optlen < 0) return -Errno.EINVAL;
        int val = 0;
        if (optval != null && optlen >= 4) {
            if (optval.length < 4) return -Errno.EFAULT;
            val = readInt(optval);
        }
        if (!knownIpv6(optname)) return -Errno.ENOPROTOOPT;
        if (optlen < 4) return -Errno.EINVAL;
        switch (optname) {
            case In.IPV6_V6ONLY -> {
                // Fixed once the socket has a port: it decides which table the port lives in.
                if (sk.sport != 0) return -Errno.EINVAL;
                sk.v6Only = val != 0;
            }
            case In.IPV6_UNICAST_HOPS -> {
                if (val < -1 || val > 255) return -Errno.EINVAL;
                sk.hopLimit = val;
            }
            case In.IPV6_TCLASS -> {
                if (val < -1 || val > 0xFF) return -Errno.EINVAL;
                int tclass = val == -1 ? 0 : val;
                // TCP owns the ECN bits (RFC 3168), as with IP_TOS: the user sets only DSCP.
                if (sk.type == Net.SOCK_STREAM) tclass = (tclass & ~3) | (sk.tclass & 3);
                sk.tclass = tclass;
            }
            case In.IPV6_RECVERR -> {
                sk.v6RecvErr = val != 0;
                if (val == 0) sk.errQueue.purgeErrors();
            }
            default -> { return -Errno.ENOPROTOOPT; }
        }
        return 0;
    }

    private static boolean knownIpv6(int o) {
        return o == In.IPV6_V6ONLY || o == In.IPV6_UNICAST_HOPS || o == In.IPV6_TCLASS || o == In.IPV6_RECVERR;
    }

    /** getsockopt(fd, SOL_IPV6, ...) on an AF_INET6 socket. */
    public static int getIpv6(InetSock sk, int optname, byte[] optval, int[] optlen) {
        if (optlen == null || optlen.length < 1) return -Errno.EFAULT;
        int val = switch (optname) {
            case In.IPV6_V6ONLY -> sk.v6Only ? 1 : 0;
            case In.IPV6_UNICAST_HOPS -> sk.hopLimit >= 0 ? sk.hopLimit : sk.stack.sysctl().ipDefaultTtl.value();
            case In.IPV6_TCLASS -> sk.tclass;
            case In.IPV6_RECVERR -> sk.v6RecvErr ? 1 : 0;
            default -> Integer.MIN_VALUE;
        };
        if (val == Integer.MIN_VALUE) return -Errno.ENOPROTOOPT;
        // ipv6_getsockopt: min(len, sizeof(int)) compared unsigned, so a negative len copies a
        // whole int; the length is written back before the value.
        int n = (int) Math.min(4, Integer.toUnsignedLong(optlen[0]));
        optlen[0] = n;
        return SockOpts.copyIntToUser(val, n, optval);
    }

    /**
     * The level dispatch of inet_setsockopt for datagram/raw sockets: SOL_IP, SOL_IPV6 (AF_INET6
     * only; on AF_INET it is ENOPROTOOPT), anything else ENOPROTOOPT. The protocol's own level
     * (SOL_UDP) is its sock's business before it comes here.
     */
    public static int set(InetSock sk, int level, int optname, byte[] optval, int optlen) {
        if (level == Net.SOL_IP) return setIp(sk, optname, optval, optlen);
        if (level == Net.SOL_IPV6 && sk.v6) return setIpv6(sk, optname, optval, optlen);
        return -Errno.ENOPROTOOPT;
    }

    /**
     * getsockopt's level dispatch. A foreign level is EOPNOTSUPP on an AF_INET socket
     * (ip_getsockopt) but ENOPROTOOPT on an AF_INET6 one (ipv6_getsockopt), as measured; either
     * way before the length is read.
     */
    public static int get(InetSock sk, int level, int optname, byte[] optval, int[] optlen) {
        if (level == Net.SOL_IP) return getIp(sk, optname, optval, optlen);
        if (level == Net.SOL_IPV6 && sk.v6) return getIpv6(sk, optname, optval, optlen);
        return sk.v6 ? -Errno.ENOPROTOOPT : -Errno.EOPNOTSUPP;
    }

    static int readInt(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }
}
