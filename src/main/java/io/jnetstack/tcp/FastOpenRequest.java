package io.jnetstack.tcp;

import io.jnetstack.syscall.MsgHdr;

/**
 * struct tcp_fastopen_request: an active Fast Open in progress, from the sendmsg (or deferred
 * connect) that starts it until its SYN is sent: the cookie option the SYN carries (a cookie, a
 * request, or none), the user's data the SYN may take ({@code msg}, {@code size} bytes), and how
 * much it took ({@code copied}). {@code mss}: the server's MSS the cookie cache remembered.
 */
final class FastOpenRequest {
    final FastOpenCookie cookie = new FastOpenCookie();
    /** The data still to send; null once the SYN took all of it (no writer waits for the connect). */
    MsgHdr msg;
    final int size;
    int copied;
    int mss;

    FastOpenRequest(MsgHdr msg, int size) {
        this.msg = msg;
        this.size = size;
        cookie.len = 0;                              // kzalloc'd: a cookie request unless told otherwise
    }
}
