package io.jnetstack.tcp;

import io.jnetstack.time.Timer;

/**
 * struct tcp_request_sock: a connection in the SYN queue (TCP_NEW_SYN_RECV). Much smaller than a
 * full sock: the handshake's numbers and the options the SYN carried, until the final ACK makes
 * it a {@link TcpSock} in the accept queue.
 */
final class TcpRequestSock {
    final TcpSock listener;
    final int laddr, lport, raddr, rport;
    int iss, irs;
    /** What the SYN-ACK acknowledges: irs + 1, or past the SYN's data for a Fast Open child. */
    int rcvNxt;
    /** The shifts; 0 unless wscaleOk (a cookie ACK without timestamps brings none back). */
    int peerMss, sndWscale, rcvWscale;
    boolean sackOk, tsOk, wscaleOk;
    int tsRecent, tsOffset;
    int peerWindow;
    int rcvWnd;
    int tos, ttl;
    /** SYN-ACKs sent again (num_retrans) and timeouts seen (num_timeout). */
    int numRetrans, numTimeout;
    /** The final ACK came but the accept queue was full (abort_on_overflow = 0): wait for another. */
    boolean acked;
    /** Answered with a SYN cookie: never queued, its state travels in the ISN and TSval. */
    boolean cookie;
    /** The SYN asked for ECN and we agree (inet_rsk(req)->ecn_ok). */
    boolean ecnOk;
    /** snt_synack: when the SYN-ACK was last sent (the handshake RTT sample without timestamps). */
    long sntSynackNs = NOT_SENT;
    /** sntSynackNs before the first SYN-ACK (a Fast Open child exists before its SYN-ACK goes). */
    static final long NOT_SENT = Long.MIN_VALUE;
    final Timer timer;

    TcpRequestSock(TcpSock listener, int laddr, int lport, int raddr, int rport) {
        this.listener = listener;
        this.laddr = laddr;
        this.lport = lport;
        this.raddr = raddr;
        this.rport = rport;
        this.timer = new Timer("tcp-synack", () -> TcpTimers.synackTimer(this));
    }

    /** The SYN queue key of the peer (raddr, rport) under a given local address. */
    static long key(int raddr, int rport) { return (long) raddr << 16 | rport; }
}
