package io.jnetstack.packetdrill;

import io.jnetstack.uapi.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * The symbolic constants scripts may name, with their Linux x86-64 values (from the uapi
 * headers: socket.h, in.h, tcp.h, fcntl.h, poll.h, eventpoll.h, errqueue.h, net_tstamp.h,
 * sockios.h). Errno names resolve through {@link Errno#byName}.
 */
final class Symbols {
    private static final Map<String, Long> VALUES = new HashMap<>();

    private static void def(long v, String... names) { for (String n : names) VALUES.put(n, v); }

    static {
        def(0, "NULL", "AF_UNSPEC", "PF_UNSPEC", "IPPROTO_IP", "SOL_IP", "SHUT_RD", "O_RDONLY", "F_DUPFD",
                "IP_PMTUDISC_DONT", "SO_EE_ORIGIN_NONE", "SCM_TSTAMP_SND");
        def(1, "AF_UNIX", "AF_LOCAL", "SOCK_STREAM", "SOL_SOCKET", "IPPROTO_ICMP", "SHUT_WR", "O_WRONLY",
                "F_GETFD", "FD_CLOEXEC", "IP_PMTUDISC_WANT", "SO_EE_ORIGIN_LOCAL", "SO_EE_CODE_ZEROCOPY_COPIED",
                "SCM_TSTAMP_SCHED", "EPOLL_CTL_ADD");
        def(2, "AF_INET", "PF_INET", "SOCK_DGRAM", "SHUT_RDWR", "O_RDWR", "F_SETFD", "IP_PMTUDISC_DO",
                "SO_EE_ORIGIN_ICMP", "SCM_TSTAMP_ACK", "EPOLL_CTL_DEL");
        def(3, "SOCK_RAW", "F_GETFL", "IP_PMTUDISC_PROBE", "SO_EE_ORIGIN_ICMP6", "EPOLL_CTL_MOD");
        def(4, "F_SETFL", "SO_EE_ORIGIN_TXSTATUS", "SO_EE_ORIGIN_TIMESTAMPING");
        def(5, "SOCK_SEQPACKET", "SO_EE_ORIGIN_ZEROCOPY");
        def(6, "IPPROTO_TCP", "SOL_TCP", "SO_EE_ORIGIN_TXTIME");
        def(10, "AF_INET6", "PF_INET6");
        def(17, "IPPROTO_UDP", "SOL_UDP");
        def(41, "IPPROTO_IPV6", "SOL_IPV6");
        def(58, "IPPROTO_ICMPV6");
        def(136, "IPPROTO_UDPLITE");
        def(255, "IPPROTO_RAW");
        def(04000, "SOCK_NONBLOCK", "O_NONBLOCK");
        def(02000000, "SOCK_CLOEXEC", "O_CLOEXEC");

        // SOL_SOCKET options (asm-generic/socket.h).
        String[] so = {null, "SO_DEBUG", "SO_REUSEADDR", "SO_TYPE", "SO_ERROR", "SO_DONTROUTE", "SO_BROADCAST",
                "SO_SNDBUF", "SO_RCVBUF", "SO_KEEPALIVE", "SO_OOBINLINE", "SO_NO_CHECK", "SO_PRIORITY", "SO_LINGER",
                "SO_BSDCOMPAT", "SO_REUSEPORT", "SO_PASSCRED", "SO_PEERCRED", "SO_RCVLOWAT", "SO_SNDLOWAT",
                "SO_RCVTIMEO", "SO_SNDTIMEO"};
        for (int i = 1; i < so.length; i++) def(i, so[i]);
        def(25, "SO_BINDTODEVICE");
        def(29, "SO_TIMESTAMP");
        def(30, "SO_ACCEPTCONN");
        def(32, "SO_SNDBUFFORCE");
        def(33, "SO_RCVBUFFORCE");
        def(36, "SO_MARK");
        def(37, "SO_TIMESTAMPING", "SCM_TIMESTAMPING");
        def(38, "SO_PROTOCOL");
        def(39, "SO_DOMAIN");
        def(46, "SO_BUSY_POLL");
        def(47, "SO_MAX_PACING_RATE");
        def(54, "SCM_TIMESTAMPING_OPT_STATS");
        def(55, "SO_MEMINFO");
        def(60, "SO_ZEROCOPY");
        def(61, "SO_TXTIME");

        // IPPROTO_TCP options (linux/tcp.h).
        String[] tcp = {null, "TCP_NODELAY", "TCP_MAXSEG", "TCP_CORK", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
                "TCP_KEEPCNT", "TCP_SYNCNT", "TCP_LINGER2", "TCP_DEFER_ACCEPT", "TCP_WINDOW_CLAMP", "TCP_INFO",
                "TCP_QUICKACK", "TCP_CONGESTION", "TCP_MD5SIG", null, "TCP_THIN_LINEAR_TIMEOUTS",
                "TCP_THIN_DUPACK", "TCP_USER_TIMEOUT", "TCP_REPAIR", "TCP_REPAIR_QUEUE", "TCP_QUEUE_SEQ",
                "TCP_REPAIR_OPTIONS", "TCP_FASTOPEN", "TCP_TIMESTAMP", "TCP_NOTSENT_LOWAT", "TCP_CC_INFO",
                "TCP_SAVE_SYN", "TCP_SAVED_SYN", "TCP_REPAIR_WINDOW", "TCP_FASTOPEN_CONNECT", "TCP_ULP",
                "TCP_MD5SIG_EXT", "TCP_FASTOPEN_KEY", "TCP_FASTOPEN_NO_COOKIE", "TCP_ZEROCOPY_RECEIVE",
                "TCP_INQ", "TCP_TX_DELAY"};
        for (int i = 1; i < tcp.length; i++) if (tcp[i] != null) def(i, tcp[i]);
        def(36, "TCP_CM_INQ");

        // IPPROTO_IP options (linux/in.h).
        String[] ip = {null, "IP_TOS", "IP_TTL", "IP_HDRINCL", "IP_OPTIONS", null, "IP_RECVOPTS", "IP_RETOPTS",
                "IP_PKTINFO", "IP_PKTOPTIONS", "IP_MTU_DISCOVER", "IP_RECVERR", "IP_RECVTTL", "IP_RECVTOS",
                "IP_MTU", "IP_FREEBIND"};
        for (int i = 1; i < ip.length; i++) if (ip[i] != null) def(i, ip[i]);
        def(25, "IPV6_RECVERR");
        def(23, "IPV6_MTU_DISCOVER");

        def(0x1, "MSG_OOB");
        def(0x2, "MSG_PEEK");
        def(0x4, "MSG_DONTROUTE");
        def(0x8, "MSG_CTRUNC");
        def(0x20, "MSG_TRUNC");
        def(0x40, "MSG_DONTWAIT");
        def(0x80, "MSG_EOR");
        def(0x100, "MSG_WAITALL");
        def(0x2000, "MSG_ERRQUEUE");
        def(0x4000, "MSG_NOSIGNAL");
        def(0x8000, "MSG_MORE");
        def(0x4000000, "MSG_ZEROCOPY");
        def(0x20000000, "MSG_FASTOPEN");
        def(0x40000000, "MSG_CMSG_CLOEXEC");

        def(0x001, "POLLIN", "EPOLLIN");
        def(0x002, "POLLPRI", "EPOLLPRI");
        def(0x004, "POLLOUT", "EPOLLOUT");
        def(0x008, "POLLERR", "EPOLLERR");
        def(0x010, "POLLHUP", "EPOLLHUP");
        def(0x020, "POLLNVAL", "EPOLLNVAL");
        def(0x040, "POLLRDNORM", "EPOLLRDNORM");
        def(0x080, "POLLRDBAND", "EPOLLRDBAND");
        def(0x100, "POLLWRNORM", "EPOLLWRNORM");
        def(0x200, "POLLWRBAND", "EPOLLWRBAND");
        def(0x400, "POLLMSG", "EPOLLMSG");
        def(0x2000, "POLLRDHUP", "EPOLLRDHUP");
        def(1L << 28, "EPOLLEXCLUSIVE");
        def(1L << 29, "EPOLLWAKEUP");
        def(1L << 30, "EPOLLONESHOT");
        def(1L << 31, "EPOLLET");

        def(0x541B, "FIONREAD", "SIOCINQ");
        def(0x5411, "SIOCOUTQ", "TIOCOUTQ");
        def(0x894B, "SIOCOUTQNSD");
        def(0x5421, "FIONBIO");

        String[] ts = {"SOF_TIMESTAMPING_TX_HARDWARE", "SOF_TIMESTAMPING_TX_SOFTWARE",
                "SOF_TIMESTAMPING_RX_HARDWARE", "SOF_TIMESTAMPING_RX_SOFTWARE", "SOF_TIMESTAMPING_SOFTWARE",
                "SOF_TIMESTAMPING_SYS_HARDWARE", "SOF_TIMESTAMPING_RAW_HARDWARE", "SOF_TIMESTAMPING_OPT_ID",
                "SOF_TIMESTAMPING_TX_SCHED", "SOF_TIMESTAMPING_TX_ACK", "SOF_TIMESTAMPING_OPT_CMSG",
                "SOF_TIMESTAMPING_OPT_TSONLY", "SOF_TIMESTAMPING_OPT_STATS", "SOF_TIMESTAMPING_OPT_PKTINFO",
                "SOF_TIMESTAMPING_OPT_TX_SWHW"};
        for (int i = 0; i < ts.length; i++) def(1L << i, ts[i]);
    }

    private Symbols() {}

    /** The value of a symbol, or null when it is unknown. */
    static Long value(String name) {
        Long v = VALUES.get(name);
        if (v != null) return v;
        if (name.startsWith("E")) {
            int e = Errno.byName(name);
            if (e > 0) return (long) e;
        }
        return null;
    }
}
