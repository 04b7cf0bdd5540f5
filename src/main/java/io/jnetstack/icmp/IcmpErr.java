package io.jnetstack.icmp;

import io.jnetstack.uapi.Errno;

/**
 * icmp_err_convert[]: what each Destination Unreachable code means to a socket (errno) and whether
 * it is "hard" (RFC 1122 §4.2.3.9: ports and protocols unreachable are definite; net and host
 * unreachable may be transient, reported only with IP_RECVERR or as soft errors). Transports'
 * error handlers (udp_err, ping_err, tcp_v4_err) use it.
 */
public final class IcmpErr {
    private IcmpErr() {}

    private static final int ENONET = 64;
    private static final int[] ERRNO = {
        Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENOPROTOOPT, Errno.ECONNREFUSED, Errno.EMSGSIZE,
        Errno.EOPNOTSUPP, Errno.ENETUNREACH, Errno.EHOSTDOWN, ENONET, Errno.ENETUNREACH, Errno.EHOSTUNREACH,
        Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH};
    private static final boolean[] FATAL = {
        false, false, true, true, false, false, true, true, true, true, true, false, false, true, true, true};

    /** errno for a Destination Unreachable code (EHOSTUNREACH beyond the table). */
    public static int errno(int code) { return code >= 0 && code < ERRNO.length ? ERRNO[code] : Errno.EHOSTUNREACH; }

    /** Whether that code is a hard error. */
    public static boolean fatal(int code) { return code >= 0 && code < FATAL.length && FATAL[code]; }
}
