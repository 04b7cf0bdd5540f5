package io.jnetstack.socket;

import io.jnetstack.uapi.ErrQueue;
import io.jnetstack.uapi.Errno;

/**
 * One entry of sk_error_queue: what the kernel keeps in an error skb's control block (struct
 * sock_exterr_skb): the struct sock_extended_err reported to the reader, plus the context the
 * family's recv_error needs — the offender's address (the ICMP sender), the original
 * destination and port (msg_name), the bytes the error carries (the quoted datagram, or the
 * timestamped packet) and the skb's timestamp (realtime ns, 0 = none).
 *
 * <p>Entries are rare and opt-in (IP_RECVERR, SO_ZEROCOPY, SO_TIMESTAMPING), so these are
 * ordinary immutable objects; a zerocopy range that grows is replaced by {@link #extendData}.
 */
public record SockExtendedErr(int errno, int origin, int type, int code, int info, int data,
                              int offender, int addr, int port, byte[] payload, long tstampNs) {
    private static final byte[] NONE = new byte[0];

    /** An ICMP error (ip_icmp_error): the reporting router, the datagram's destination, its quoted payload. */
    public static SockExtendedErr icmp(int errno, int type, int code, int info, int offender, int addr, int port,
                                       byte[] payload) {
        return new SockExtendedErr(errno, ErrQueue.SO_EE_ORIGIN_ICMP, type, code, info, 0, offender, addr, port,
                payload, 0);
    }

    /** A locally detected error (ip_local_error), e.g. EMSGSIZE with the path MTU in ee_info. */
    public static SockExtendedErr local(int errno, int info, int addr, int port) {
        return new SockExtendedErr(errno, ErrQueue.SO_EE_ORIGIN_LOCAL, 0, 0, info, 0, 0, addr, port, NONE, 0);
    }

    /**
     * A MSG_ZEROCOPY completion (__msg_zerocopy_callback): the notification ids lo..hi in ee_info
     * and ee_data, and SO_EE_CODE_ZEROCOPY_COPIED when the kernel copied the data after all.
     */
    public static SockExtendedErr zerocopy(int lo, int hi, boolean copied) {
        return new SockExtendedErr(0, ErrQueue.SO_EE_ORIGIN_ZEROCOPY, 0, copied ? ErrQueue.SO_EE_CODE_ZEROCOPY_COPIED : 0,
                lo, hi, 0, 0, 0, NONE, 0);
    }

    /**
     * A transmit timestamp (__skb_complete_tx_timestamp): ENOMSG, the SCM_TSTAMP_* type in
     * ee_info, the key (SOF_TIMESTAMPING_OPT_ID) in ee_data, the time and, unless OPT_TSONLY,
     * the packet it stamps.
     */
    public static SockExtendedErr txTimestamp(int tstype, int key, long tstampNs, byte[] packet) {
        return new SockExtendedErr(Errno.ENOMSG, ErrQueue.SO_EE_ORIGIN_TIMESTAMPING, 0, 0, tstype, key, 0, 0, 0,
                packet == null ? NONE : packet, tstampNs);
    }

    /** skb_zerocopy_notify_extend: the same notification, its range now ending at {@code hi}. */
    public SockExtendedErr extendData(int hi) {
        return new SockExtendedErr(errno, origin, type, code, info, hi, offender, addr, port, payload, tstampNs);
    }

    /** is_icmp_err_skb: errors that also stand in sk_err while queued. */
    public boolean isIcmp() {
        return origin == ErrQueue.SO_EE_ORIGIN_ICMP || origin == ErrQueue.SO_EE_ORIGIN_ICMP6;
    }
}
