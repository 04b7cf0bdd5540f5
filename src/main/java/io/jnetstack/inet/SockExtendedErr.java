package io.jnetstack.inet;

/**
 * One entry of sk_error_queue (IP_RECVERR, ip(7)): struct sock_extended_err plus the offender's
 * address, the original destination and what the error quoted of the datagram's payload. Errors
 * are rare, so these are ordinary objects.
 */
public record SockExtendedErr(int errno, int origin, int type, int code, int info, int offender,
                              int addr, int port, byte[] payload) {
    /** ee_origin values (SO_EE_ORIGIN_*). */
    public static final int ORIGIN_NONE = 0, ORIGIN_LOCAL = 1, ORIGIN_ICMP = 2;
}
