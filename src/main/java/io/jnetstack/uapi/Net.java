package io.jnetstack.uapi;

/**
 * Socket-level ABI constants: include/linux/socket.h, include/linux/net.h,
 * include/uapi/asm-generic/socket.h (x86-64 values).
 */
public final class Net {
    private Net() {}

    // Address families (include/linux/socket.h).
    public static final int AF_UNSPEC = 0, AF_UNIX = 1, AF_LOCAL = 1, AF_INET = 2, AF_AX25 = 3, AF_IPX = 4,
            AF_APPLETALK = 5, AF_INET6 = 10, AF_KEY = 15, AF_NETLINK = 16, AF_PACKET = 17, AF_VSOCK = 40,
            AF_XDP = 44, AF_MAX = 46;

    // Socket types (include/linux/net.h) and the flags that may be or-ed into type.
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_RDM = 4, SOCK_SEQPACKET = 5,
            SOCK_DCCP = 6, SOCK_PACKET = 10, SOCK_MAX = 11, SOCK_TYPE_MASK = 0xf;
    public static final int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;

    // socketcall(2) multiplexer numbers (include/uapi/linux/net.h).
    public static final int SYS_SOCKET = 1, SYS_BIND = 2, SYS_CONNECT = 3, SYS_LISTEN = 4, SYS_ACCEPT = 5,
            SYS_GETSOCKNAME = 6, SYS_GETPEERNAME = 7, SYS_SOCKETPAIR = 8, SYS_SEND = 9, SYS_RECV = 10,
            SYS_SENDTO = 11, SYS_RECVFROM = 12, SYS_SHUTDOWN = 13, SYS_SETSOCKOPT = 14, SYS_GETSOCKOPT = 15,
            SYS_SENDMSG = 16, SYS_RECVMSG = 17, SYS_ACCEPT4 = 18, SYS_RECVMMSG = 19, SYS_SENDMMSG = 20;

    // Message flags.
    public static final int MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_DONTROUTE = 0x4, MSG_CTRUNC = 0x8,
            MSG_PROXY = 0x10, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_EOR = 0x80, MSG_WAITALL = 0x100,
            MSG_FIN = 0x200, MSG_SYN = 0x400, MSG_CONFIRM = 0x800, MSG_RST = 0x1000, MSG_ERRQUEUE = 0x2000,
            MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000, MSG_WAITFORONE = 0x10000, MSG_FASTOPEN = 0x20000000,
            MSG_CMSG_CLOEXEC = 0x40000000;

    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;

    // Socket option levels.
    public static final int SOL_IP = 0, SOL_SOCKET = 1, SOL_TCP = 6, SOL_UDP = 17, SOL_IPV6 = 41, SOL_RAW = 255;

    // SOL_SOCKET options (asm-generic/socket.h).
    public static final int SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5,
            SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10,
            SO_NO_CHECK = 11, SO_PRIORITY = 12, SO_LINGER = 13, SO_BSDCOMPAT = 14, SO_REUSEPORT = 15,
            SO_PASSCRED = 16, SO_PEERCRED = 17, SO_RCVLOWAT = 18, SO_SNDLOWAT = 19, SO_RCVTIMEO_OLD = 20,
            SO_SNDTIMEO_OLD = 21, SO_BINDTODEVICE = 25, SO_TIMESTAMP_OLD = 29, SO_ACCEPTCONN = 30,
            SO_PEERSEC = 31, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33, SO_PASSSEC = 34, SO_MARK = 36,
            SO_PROTOCOL = 38, SO_DOMAIN = 39, SO_RXQ_OVFL = 40, SO_PEEK_OFF = 42, SO_BUSY_POLL = 46,
            SO_INCOMING_CPU = 49, SO_ZEROCOPY = 60, SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;
    public static final int SO_RCVTIMEO = SO_RCVTIMEO_OLD, SO_SNDTIMEO = SO_SNDTIMEO_OLD;

    /** SCM_* control message types at SOL_SOCKET. */
    public static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;

    /** Name of an address family for traces ("AF_INET"). */
    public static String afName(int af) {
        return switch (af) {
            case AF_UNSPEC -> "AF_UNSPEC";
            case AF_UNIX -> "AF_UNIX";
            case AF_INET -> "AF_INET";
            case AF_INET6 -> "AF_INET6";
            case AF_NETLINK -> "AF_NETLINK";
            case AF_PACKET -> "AF_PACKET";
            default -> Integer.toString(af);
        };
    }

    /** Name of a socket type with its flags, as strace prints it ("SOCK_STREAM|SOCK_NONBLOCK"). */
    public static String typeName(int type) {
        String base = switch (type & SOCK_TYPE_MASK) {
            case SOCK_STREAM -> "SOCK_STREAM";
            case SOCK_DGRAM -> "SOCK_DGRAM";
            case SOCK_RAW -> "SOCK_RAW";
            case SOCK_RDM -> "SOCK_RDM";
            case SOCK_SEQPACKET -> "SOCK_SEQPACKET";
            case SOCK_DCCP -> "SOCK_DCCP";
            case SOCK_PACKET -> "SOCK_PACKET";
            default -> Integer.toString(type & SOCK_TYPE_MASK);
        };
        StringBuilder sb = new StringBuilder(base);
        if ((type & SOCK_NONBLOCK) != 0) sb.append("|SOCK_NONBLOCK");
        if ((type & SOCK_CLOEXEC) != 0) sb.append("|SOCK_CLOEXEC");
        int rest = type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (rest != 0) sb.append("|0x").append(Integer.toHexString(rest));
        return sb.toString();
    }
}
