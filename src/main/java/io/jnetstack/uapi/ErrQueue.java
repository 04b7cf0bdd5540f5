package io.jnetstack.uapi;

/**
 * The socket error queue's ABI: include/uapi/linux/errqueue.h (struct sock_extended_err's
 * origins and codes, SCM_TSTAMP_* types) and include/uapi/linux/net_tstamp.h (SOF_TIMESTAMPING_*
 * flags), with the SOL_SOCKET options and control messages that carry them.
 */
public final class ErrQueue {
    private ErrQueue() {}

    /** ee_origin. */
    public static final int SO_EE_ORIGIN_NONE = 0, SO_EE_ORIGIN_LOCAL = 1, SO_EE_ORIGIN_ICMP = 2,
            SO_EE_ORIGIN_ICMP6 = 3, SO_EE_ORIGIN_TIMESTAMPING = 4, SO_EE_ORIGIN_ZEROCOPY = 5;
    /** ee_code of a zerocopy completion: the kernel fell back to copying the data. */
    public static final int SO_EE_CODE_ZEROCOPY_COPIED = 1;
    /** ee_info of a timestamp notification: which point of the transmit path it was taken at. */
    public static final int SCM_TSTAMP_SND = 0, SCM_TSTAMP_SCHED = 1, SCM_TSTAMP_ACK = 2;

    /** SOL_SOCKET options and their control messages (asm-generic/socket.h). */
    public static final int SO_TIMESTAMPING_OLD = 37, SCM_TIMESTAMPING = 37, SCM_TIMESTAMPING_OPT_STATS = 54,
            SO_TIMESTAMPING_NEW = 65, SCM_TIMESTAMPING_NEW = 65;
    /** sendmsg flag: pin the pages and notify on the error queue when the kernel is done with them. */
    public static final int MSG_ZEROCOPY = 0x4000000;

    /** SOF_TIMESTAMPING_* (net_tstamp.h, Linux 6.18). */
    public static final int SOF_TIMESTAMPING_TX_HARDWARE = 1, SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1,
            SOF_TIMESTAMPING_RX_HARDWARE = 1 << 2, SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3,
            SOF_TIMESTAMPING_SOFTWARE = 1 << 4, SOF_TIMESTAMPING_SYS_HARDWARE = 1 << 5,
            SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6, SOF_TIMESTAMPING_OPT_ID = 1 << 7,
            SOF_TIMESTAMPING_TX_SCHED = 1 << 8, SOF_TIMESTAMPING_TX_ACK = 1 << 9,
            SOF_TIMESTAMPING_OPT_CMSG = 1 << 10, SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11,
            SOF_TIMESTAMPING_OPT_STATS = 1 << 12, SOF_TIMESTAMPING_OPT_PKTINFO = 1 << 13,
            SOF_TIMESTAMPING_OPT_TX_SWHW = 1 << 14, SOF_TIMESTAMPING_BIND_PHC = 1 << 15,
            SOF_TIMESTAMPING_OPT_ID_TCP = 1 << 16, SOF_TIMESTAMPING_OPT_RX_FILTER = 1 << 17,
            SOF_TIMESTAMPING_TX_COMPLETION = 1 << 18;
    public static final int SOF_TIMESTAMPING_LAST = SOF_TIMESTAMPING_TX_COMPLETION,
            SOF_TIMESTAMPING_MASK = (SOF_TIMESTAMPING_LAST - 1) | SOF_TIMESTAMPING_LAST;
    /** The flags that ask for a transmit timestamp to be recorded (SOF_TIMESTAMPING_TX_RECORD_MASK). */
    public static final int SOF_TIMESTAMPING_TX_RECORD_MASK = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE
            | SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_ACK | SOF_TIMESTAMPING_TX_COMPLETION;
}
