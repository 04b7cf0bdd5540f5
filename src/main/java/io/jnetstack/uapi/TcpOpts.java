package io.jnetstack.uapi;

/** include/uapi/linux/tcp.h: IPPROTO_TCP socket options and TCP_INFO state values. */
public final class TcpOpts {
    private TcpOpts() {}

    public static final int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5,
            TCP_KEEPCNT = 6, TCP_SYNCNT = 7, TCP_LINGER2 = 8, TCP_DEFER_ACCEPT = 9, TCP_WINDOW_CLAMP = 10,
            TCP_INFO = 11, TCP_QUICKACK = 12, TCP_CONGESTION = 13, TCP_MD5SIG = 14, TCP_THIN_LINEAR_TIMEOUTS = 16,
            TCP_USER_TIMEOUT = 18, TCP_REPAIR = 19, TCP_FASTOPEN = 23, TCP_TIMESTAMP = 24,
            TCP_NOTSENT_LOWAT = 25, TCP_CC_INFO = 26, TCP_SAVE_SYN = 27, TCP_FASTOPEN_CONNECT = 30,
            TCP_ULP = 31, TCP_FASTOPEN_KEY = 33, TCP_FASTOPEN_NO_COOKIE = 34, TCP_INQ = 36, TCP_TX_DELAY = 37;
    /** The cmsg a recvmsg carries when TCP_INQ is on (level SOL_TCP): the bytes left to read. */
    public static final int TCP_CM_INQ = TCP_INQ;

    public static final int MAX_TCP_KEEPIDLE = 32767, MAX_TCP_KEEPINTVL = 32767, MAX_TCP_KEEPCNT = 127,
            MAX_TCP_SYNCNT = 127, TCP_MIN_MSS = 88, MAX_TCP_WINDOW = 32767;
}
