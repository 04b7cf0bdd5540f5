package io.jnetstack.tcp;

import io.jnetstack.wire.TcpOptions;
import java.util.Arrays;

/**
 * struct tcp_fastopen_cookie: a Fast Open cookie (RFC 7413 §4.1.1) and how it travels. The length
 * says what the option is: -1 no option at all, 0 a cookie request (the empty option), 4..16
 * bytes a cookie. {@code exp}: in the experimental encoding (kind 254 with magic 0xF989, the
 * pre-RFC form) rather than kind 34. Mutable and reused; never allocated per segment.
 */
final class FastOpenCookie {
    final byte[] val = new byte[TcpOptions.FASTOPEN_COOKIE_MAX];
    int len = -1;
    boolean exp;

    /** No option. */
    FastOpenCookie none() {
        len = -1;
        exp = false;
        return this;
    }

    FastOpenCookie copyFrom(FastOpenCookie o) {
        System.arraycopy(o.val, 0, val, 0, Math.max(o.len, 0));
        len = o.len;
        exp = o.exp;
        return this;
    }

    /** The Fast Open option a segment carried (tcp_parse_fastopen_option), or none. */
    FastOpenCookie from(TcpOptions o) {
        if (o.fastOpenLen < 0) return none();
        System.arraycopy(o.fastOpenCookie, 0, val, 0, o.fastOpenLen);
        len = o.fastOpenLen;
        exp = o.fastOpenExp;
        return this;
    }

    /** Puts this cookie (or request) into options being built; nothing when {@code len < 0}. */
    void emitInto(TcpOptions o) {
        if (len >= 0) o.fastOpen(val, len, exp);
    }

    boolean sameValue(FastOpenCookie o) {
        return len == o.len && Arrays.equals(val, 0, Math.max(len, 0), o.val, 0, Math.max(len, 0));
    }

    @Override public String toString() {
        if (len < 0) return "none";
        return (exp ? "exp " : "") + (len == 0 ? "request" : io.jnetstack.wire.Hex.encode(Arrays.copyOf(val, len)));
    }
}
