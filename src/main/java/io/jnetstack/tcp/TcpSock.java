package io.jnetstack.tcp;

import io.jnetstack.inet.InetSock;
import io.jnetstack.ipv4.Route;
import io.jnetstack.stack.Stack;
import io.jnetstack.uapi.Net;
import io.jnetstack.time.Timer;
import io.jnetstack.wire.SeqNum;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;

/**
 * struct tcp_sock: one TCP connection (or listener), its TCB with RFC 9293's variable names.
 * Owned by the stack's scheduler thread: protocol code never locks it. The processing lives in
 * one class per concern, as in gVisor: {@link TcpInput} (segment arrival), {@link TcpOutput}
 * (segment building), {@link TcpTimers}, {@link TcpRecovery} (loss detection and recovery),
 * {@link TcpProt} (the system-call side: connect, sendmsg, recvmsg, close...).
 *
 * <p>Units: sequence numbers are ints compared through {@link SeqNum}; cwnd and ssthresh are in
 * packets (as Linux keeps them); times are stack-clock nanoseconds unless the name says Us/Ms.
 */
public class TcpSock extends InetSock {
    // Linux's timing constants (include/net/tcp.h).
    static final long MS = 1_000_000L;
    static final long RTO_MIN = 200 * MS, RTO_MAX = 120_000 * MS, TIMEOUT_INIT = 1000 * MS;
    static final long DELACK_MIN = 40 * MS, DELACK_MAX = 200 * MS, ATO_MIN = 40 * MS;
    static final long TIMEWAIT_LEN = 60_000 * MS, FIN_TIMEOUT_MAX = 120_000 * MS;
    static final int MAX_QUICKACKS = 16, INIT_CWND = 10, DEFAULT_MSS = 536, MAX_WSCALE = 14;
    /** TCP_MIN_MSS: the smallest MSS Linux accepts or guesses. */
    static final int MIN_MSS = 88;
    /** tp->nonagle bits. */
    static final int NAGLE_OFF = 1, NAGLE_CORK = 2, NAGLE_PUSH = 4;

    final Tcp tcp;
    TcpState st = TcpState.CLOSE;

    // --- Send sequence space (RFC 9293 §3.3.1).
    int iss, sndUna, sndNxt, sndWnd, sndWl1, sndWl2;
    /** The largest window the peer ever offered (tp->max_window), for RFC 5961's old-ACK test. */
    int maxWindow;
    /** Window scale shifts (RFC 7323): ours for what we advertise, the peer's for what it advertises. */
    int sndWscale, rcvWscale;
    boolean wscaleOk, sackOk, tsOk;

    // --- Receive sequence space.
    int irs, rcvWnd, rcvWup;
    /** rcv_ssthresh: how far the advertised window may currently grow (tcp_grow_window). */
    int rcvSsthresh;
    /** TCP_WINDOW_CLAMP (0 = none). */
    int userWindowClamp;
    /** A FIN arrived (SOCK_DONE); {@code oooFinSeq} holds an out-of-order FIN's sequence number. */
    boolean finReceived, oooFin;
    int oooFinSeq;

    // --- MSS (tcp_sync_mss): mssCache is what we send; advmss what we announce; rcvMss our guess of the peer's.
    int mssCache = DEFAULT_MSS, advmss, rcvMss = DEFAULT_MSS, userMss, peerMss;
    /** ecn_flags: TcpEcn.OK, QUEUE_CWR, DEMAND_CWR, SEEN. */
    int ecnFlags;

    // --- Urgent data (RFC 9293 §3.8.5 / RFC 6093, BSD's one out-of-band byte): see TcpUrgent.
    /** snd_up: the sequence just past our urgent byte; urgent mode while it is above snd_una. */
    int sndUp;
    /** urg_data: TcpUrgent.NOTYET / VALID | the byte / READ, or 0 when none is pending. */
    int urgData;
    /** urg_seq: the sequence of the peer's urgent byte. */
    int urgSeq;
    /** icsk_ack.last_seg_size: the last small segment's payload, for {@link #measureRcvMss}. */
    int lastSegSize;
    int pmtu;

    // --- Timestamps (RFC 7323).
    int tsOffset, tsRecent;
    long tsRecentStampNs;

    // --- Congestion control.
    int sndCwnd = INIT_CWND, sndSsthresh = Integer.MAX_VALUE, sndCwndCnt, sndCwndClamp = Integer.MAX_VALUE, priorCwnd,
            priorSsthresh;
    CongestionOps cc;
    int caState = CongestionOps.CA_OPEN;
    int reordering;
    /** Packets in flight when the last write stopped for cwnd (tcp_is_cwnd_limited's memory). */
    boolean cwndLimited;
    final TcpChrono chrono = new TcpChrono();
    /** max_packets_out / cwnd_usage_seq: the most packets out in the current flight, and its end. */
    int maxPacketsOut, cwndUsageSeq;

    // --- Loss recovery (RFC 6675 / RFC 6937).
    /** high_seq: snd_nxt when recovery began; recovery ends when it is acknowledged. */
    int highSeq;
    /** HighRxt: retransmission resumes from here. */
    int highRxt;
    /** Every un-SACKed byte before this is considered lost. */
    int lostBoundary;
    int dupAcks;
    final IntervalList sacked = new IntervalList();
    final IntervalList rexmit = new IntervalList();
    int prrDelivered, prrOut;
    /** The segments in flight with their send times (the rtx queue's skb_mstamp_ns). */
    final TcpSentLog sentLog = new TcpSentLog();
    /** RACK loss detection (RFC 8985), struct tcp_rack. */
    final TcpRack rack = new TcpRack();
    /**
     * undo_marker: snd_una when the current window reduction began (valid while {@code undoArmed});
     * the reduction can be taken back until the episode ends.
     */
    int undoMarker;
    boolean undoArmed;
    /**
     * undo_retrans: retransmissions of this episode not yet shown spurious by a D-SACK; -1 when none
     * was made, 0 when every one came back as a duplicate (so the reduction was unnecessary).
     */
    int undoRetrans;
    /** tp->frto: F-RTO (RFC 5682) runs on this RTO's recovery. */
    boolean frto;
    /** REXMIT_NEW: F-RTO step 2b, the next transmission sends new data instead of retransmitting. */
    boolean frtoSendNew;

    // --- RTT (RFC 6298, in Linux's fixed-point style: srtt<<3, mdev<<2, all µs).
    long srttUs, mdevUs, mdevMaxUs, rttvarUs, minRttUs = Long.MAX_VALUE;
    int rttSeq;
    long rtoNs = TIMEOUT_INIT;
    /** icsk_backoff, icsk_retransmits, icsk_probes_out; retrans_stamp (ns, 0 = none). */
    int backoff, retransmits, probesOut;
    long retransStampNs;
    /** icsk_probes_tstamp: when the current run of zero-window probes began (ns, 0 = none). */
    long probesStampNs;
    /** Which event the retransmit timer stands for (ICSK_TIME_RETRANS / ICSK_TIME_PROBE0). */
    int pendingTimer;
    static final int TIME_RETRANS = 1, TIME_PROBE0 = 3, TIME_LOSS_PROBE = 5, TIME_REO_TIMEOUT = 6;
    /** When the RTO is due (the head's send time + RTO), kept while a loss probe stands in for it. */
    long rtoDeadlineNs;
    /** tlp_high_seq: snd_nxt when the outstanding tail loss probe went out (0 with tlpActive false: none). */
    int tlpHighSeq;
    boolean tlpActive, tlpRetrans;
    /** Start of the last new-data segment sent: what a loss probe retransmits. */
    int lastSegSeq;

    // --- Nagle / cork.
    int nonagle;
    /** snd_sml: end of the last small segment sent (Minshall's Nagle variant). */
    int sndSml;
    /** pushed_seq: write_seq when a write last marked the queue for PUSH (tcp_mark_push). */
    int pushedSeq;

    // --- Queues.
    final TcpSendBuffer sendBuf = new TcpSendBuffer();
    /** MSG_ZEROCOPY sends awaiting their ACK, and SO_TIMESTAMPING marks: created on first use. */
    TcpZerocopy zc;
    TcpTxTimestamps txStamps;
    final TcpReceiveQueue rcvQueue = new TcpReceiveQueue();
    boolean finQueued;
    int finSeq;
    /** SOCK_QUEUE_SHRUNK: an ACK freed send-queue space; writers are considered once sending is done. */
    boolean queueShrunk;

    // --- ACK scheduling (icsk_ack).
    boolean ackPending;
    int quickAcks;
    boolean pingpong;
    /**
     * TCP_THIN_LINEAR_TIMEOUTS and TCP_REPAIR: validated and stored as Linux does; the behaviours
     * behind them (linear RTO for thin streams, repair mode) are not implemented, see {@link TcpSockopt}.
     */
    boolean thinLto, repair;
    long atoNs;
    long lastRcvNs;
    /** SACK blocks we report, most recent first (RFC 2018 §4), and a pending D-SACK (RFC 2883). */
    final int[] sackL = new int[4], sackR = new int[4];
    int sackN;
    boolean dsackPending;
    int dsackL, dsackR;
    long lastOowAckNs = Long.MIN_VALUE / 2;

    // --- Timers (struct timer_list each, allocated once).
    final Timer rtxTimer, delackTimer, keepaliveTimer, twTimer;

    // --- User-settable behaviour (0 = use the sysctl).
    int keepIdleS, keepIntvlS, keepCnt, synRetries, deferAcceptS;
    /** TCP_LINGER2 in ns: 0 = tcp_fin_timeout, -1 = none (FIN_WAIT2 orphans die at once). */
    long linger2Ns;
    int userTimeoutMs;
    int notsentLowat;
    /** TCP_INQ (tp->recvmsg_inq): every read reports what is left to read in a TCP_CM_INQ cmsg. */
    boolean recvmsgInq;
    /** recvmsg's cmsg scratch (TCP_CM_INQ): no allocation per read. */
    final byte[] cmsgScratch = new byte[4];
    String ccName;

    // --- TCP Fast Open (RFC 7413): the logic is in TcpFastOpen; these are tcp_sock's bits of it.
    /** TCP_FASTOPEN_CONNECT, TCP_FASTOPEN_NO_COOKIE. */
    boolean fastopenConnect, fastopenNoCookie;
    /** connect() returned at once with a cookie in hand: the first write sends the SYN (defer_connect). */
    boolean deferConnect;
    /**
     * The SYN carried a Fast Open option (syn_fastopen), in the experimental encoding
     * (syn_fastopen_exp), data (syn_data); the peer acknowledged that data, or a passive open
     * received data in its SYN (syn_data_acked: TCPI_OPT_SYN_DATA); we are the child of a Fast
     * Open SYN (syn_fastopen_child).
     */
    boolean synFastopen, synFastopenExp, synData, synDataAcked, synFastopenChild;
    /** tcpi_fastopen_client_fail: why the SYN's data did not get through (TcpFastOpen.FAIL_*). */
    int fastopenClientFail;
    /** The MSS the SYN-data was sized for, remembered if the SYN-ACK carries none (rx_opt.mss_clamp). */
    int synMssClamp;
    /** fastopen_req: an active Fast Open whose SYN is being sent. */
    FastOpenRequest fastopenReq;
    /** fastopen_rsk: a passive Fast Open child's request, until its handshake completes. */
    TcpRequestSock fastopenRsk;
    /** A listener's fastopen_queue (TCP_FASTOPEN's limit, TCP_FASTOPEN_KEY); null until either is set. */
    FastOpenQueue fastopenq;
    /** sk_write_pending: writers waiting for the handshake, whose data will carry the ACK. */
    int writePending;

    // --- Listening.
    int maxAckBacklog;
    /** A listener's last SYN-queue overflow (tcp_synq_overflow): cookie ACKs are taken for a while after. */
    long lastOverflowNs = Long.MIN_VALUE / 2;
    /** The "possible SYN flooding" warning was given (synflood_warned). */
    boolean synfloodWarned;
    ArrayDeque<TcpSock> acceptQueue;
    LinkedHashMap<Long, TcpRequestSock> synQueue;
    /** The listener an unaccepted child waits in. */
    TcpSock parent;

    // --- Plumbing.
    final Route route = new Route();
    boolean routeValid;
    /** The port is held in the bind table by us (autobind or bind through InetStreamOps). */
    boolean portHeld;
    /** Chain in the established hash. */
    TcpSock ehNext;
    boolean hashed;
    /** An RST or timeout ended the connection while attached (for recv ordering). */
    boolean orphan;

    // --- Statistics for TCP_INFO.
    long lastDataSentNs, lastDataRecvNs, lastAckRecvNs;
    int totalRetrans, segsOut, segsIn, dataSegsOut, dataSegsIn, delivered, rcvOooPack, dsackDups;
    long bytesAcked, bytesReceived, bytesSent, bytesRetrans;
    int rcvSpace;
    long rcvSpaceTimeNs;
    int rcvSpaceSeq;

    public TcpSock(Tcp tcp, Stack stack, int family, int type, int protocol) {
        super(stack, family, type, protocol);
        this.tcp = tcp;
        this.state = TcpState.CLOSE.linuxValue();
        // tcp_v4_init_sock / tcp_init_sock: buffers from tcp_rmem[1] / tcp_wmem[1].
        this.rcvBuf = stack.sysctl().tcpRmem.value(1);
        this.sndBuf = stack.sysctl().tcpWmem.value(1);
        this.reordering = stack.sysctl().tcpReordering.value();
        this.ccName = stack.sysctl().tcpCongestionControl;
        this.cc = CongestionOps.create(ccName);
        if (this.cc == null) { this.ccName = "cubic"; this.cc = new Cubic(); }
        this.rtxTimer = new Timer("tcp-rtx", () -> TcpTimers.writeTimer(this));
        this.delackTimer = new Timer("tcp-delack", () -> TcpTimers.delackTimer(this));
        this.keepaliveTimer = new Timer("tcp-keepalive", () -> TcpTimers.keepaliveTimer(this));
        this.twTimer = new Timer("tcp-timewait", () -> TcpTimers.timewaitTimer(this));
    }

    public TcpState tcpState() { return st; }

    @Override public int tskeyStart(boolean writeSeq) { return writeSeq ? sendBuf.endSeq() : sndUna; }

    /** A TCP_FASTOPEN_CONNECT connect() returned at once; the first write will send the SYN. */
    public boolean connectDeferred() { return deferConnect; }

    /**
     * tcp_set_state: moves to {@code ns}, keeping the MIB gauges and what the socket layer sees
     * in sk_state. A TIME_WAIT connection shows the user TCP_CLOSE, as Linux's does (there the
     * timewait mini-sock is a separate object; here the TcpSock plays both parts).
     */
    void setState(TcpState ns) {
        TcpState old = st;
        if (old == ns) return;
        var mib = tcp.mib;
        if (ns == TcpState.ESTABLISHED) mib.inc(TcpMib.CurrEstab);
        else if (old == TcpState.ESTABLISHED) mib.add(TcpMib.CurrEstab, -1);
        if (ns == TcpState.CLOSE && (old == TcpState.ESTABLISHED || old == TcpState.CLOSE_WAIT))
            mib.inc(TcpMib.EstabResets);
        st = ns;
        state = (ns == TcpState.TIME_WAIT ? TcpState.CLOSE : ns).linuxValue();
        var tr = stack.trace();
        if (tr.on) tr.event("tcp_set_state", this + ": " + old + " → " + ns);
    }

    int rcvNxt() { return rcvQueue.rcvNxtSeq; }

    /**
     * copied_seq: the sequence number of the next byte the application will read. Derived, not
     * kept: rcv_nxt less what is still queued, less the FIN once it arrived (it took a sequence
     * number but is no byte to read).
     */
    int copiedSeq() { return rcvQueue.rcvNxtSeq - rcvQueue.readable() - (finReceived ? 1 : 0); }

    /** Bytes the user has written that are not yet acknowledged (SIOCOUTQ). */
    int writeQueued() { return sendBuf.endSeq() - sendBuf.headSeq; }

    /** tcp_rtx_and_write_queues_empty: nothing unsent and nothing unacknowledged. */
    boolean queuesEmpty() { return sendBuf.endSeq() == sndUna && sndNxt == sndUna; }

    /** Bytes queued but never sent (SIOCOUTQNSD, notsent). */
    int notSent() {
        int n = sendBuf.endSeq() - sndNxt;
        return Math.max(0, Math.min(n, sendBuf.size()));
    }

    /** snd_una + snd_wnd: the right edge of the peer's window. */
    int wndEnd() { return sndUna + sndWnd; }

    /** Data bytes (and FIN) in flight as RFC 6675's pipe counts them. */
    long pipeBytes() {
        long out = sndNxt - sndUna;
        long sackedB = sackOk ? sacked.bytes() : Math.min((long) dupAcks * mssCache, Math.max(0, out - mssCache));
        long lost = 0;
        if (SeqNum.gt(lostBoundary, sndUna)) {
            int lb = SeqNum.min(lostBoundary, sndNxt);
            lost = (lb - sndUna) - (sackOk ? sacked.overlap(sndUna, lb) : 0);
        }
        long p = out - sackedB - lost + rexmit.bytes();
        return Math.max(0, p);
    }

    /** tp->sacked_out: SACKed segments, counted in MSS-sized units. */
    int sackedSegs() { return (int) ((sacked.bytes() + mssCache - 1) / Math.max(mssCache, 1)); }

    /** tcp_packets_in_flight. */
    int packetsInFlight() { return (int) ((pipeBytes() + mssCache - 1) / mssCache); }

    /** tcp_packets_out. */
    /**
     * sk_pacing_rate as tcp_update_pacing_rate computes it, in bytes per second: cwnd·mss/srtt
     * scaled by tcp_pacing_ss_ratio (200 %) while cwnd is below half of ssthresh, else by
     * tcp_pacing_ca_ratio (120 %), so that the rate leads the flow's growth. -1 (Linux's ~0UL,
     * unlimited) before the first RTT sample. jnetstack does not pace; TSO sizing, HyStart and
     * TCP_INFO read the rate.
     */
    long pacingRate(int mss) {
        long srtt = srttUs >> 3;
        if (srtt <= 0) return -1;
        var sys = stack.sysctl();
        long ratio = sndCwnd < sndSsthresh / 2 ? sys.tcpPacingSsRatio.value() : sys.tcpPacingCaRatio.value();
        return (long) mss * Math.max(sndCwnd, packetsOut()) * ratio * 10_000L / srtt;
    }

    long pacingRate() { return pacingRate(mssCache); }

    /**
     * tcp_initialize_rcv_mss: the first guess of the peer's segment size when the connection
     * opens, kept at most 536 (and half the window) until data shows the real size, so that the
     * delayed-ACK rules err towards ACKing and the initial quick-ACK count is generous.
     */
    void initRcvMss() {
        int hint = Math.min(Math.min(advmss, mssCache), rcvWnd / 2);
        rcvMss = Math.max(Math.min(hint, DEFAULT_MSS), MIN_MSS);
    }

    /**
     * tcp_measure_rcv_mss: a segment at least as big as the guess is the new guess (up to our
     * advmss); smaller ones count only when two in a row have the same size and look full-sized
     * (not ended early by PSH, FIN or URG), which finds the MSS on links with a tiny MTU.
     */
    void measureRcvMss(int len, int thLen, boolean remnant) {
        int lss = lastSegSize;
        lastSegSize = 0;
        if (len >= rcvMss) {
            rcvMss = Math.min(len, advmss);
            return;
        }
        int withHeader = len + thLen;
        if (withHeader >= DEFAULT_MSS + 20 || withHeader >= MIN_MSS + 20 && !remnant) {
            int l = withHeader - (20 + (tsOk ? 12 : 0));           // less tcp_header_len
            lastSegSize = l;
            if (l == lss) rcvMss = l;
        }
    }

    int packetsOut() { return (int) (((long) (sndNxt - sndUna) + mssCache - 1) / mssCache); }

    /** tcp_is_cwnd_limited: growth only when the window was actually used. */
    boolean isCwndLimited() {
        if (cwndLimited) return true;
        return sndCwnd < sndSsthresh && sndCwnd < 2 * maxPacketsOut;
    }

    /** Our share of the receive buffer usable for window (tcp_full_space with tcp_adv_win_scale 1). */
    int fullSpace() {
        int space = rcvBuf - (rcvBuf >> 1);
        return userWindowClamp > 0 ? Math.min(space, userWindowClamp) : space;
    }

    /**
     * The MSS to announce on a route of MTU {@code mtu}: tcp_mss_clamp with TCP_MAXSEG
     * (dst_metric_advmss). ipv4_default_advmss caps it at IPV4_MAX_PMTU (65535) less the headers,
     * so loopback's MTU 65536 announces 65495, as Linux does.
     */
    int advmssFor(int mtu) {
        int m = Math.min(mtu > 0 ? mtu : 1500, 0xFFFF) - 40;
        if (userMss > 0) m = Math.min(m, userMss);
        return m;
    }

    /** tcp_current_mss: payload per segment given the options every segment carries. */
    int currentMss() { return mssCache; }

    /**
     * tcp_sync_mss: the send MSS from the peer's MSS, the path MTU and TCP_MAXSEG, then
     * tcp_bound_to_half_wnd: never more than half the largest window the peer has offered (once
     * that exceeds TCP_MSS_DESIRED), so a small-window peer still gets two segments in flight. On
     * loopback (MTU 65536) this is what limits segments, as Linux shows: 32741 for a client whose
     * peer offered 65483, 32768 for a server offered 65536.
     */
    void syncMss() {
        int mtuMss = (pmtu > 0 ? pmtu : 1500) - 40;
        int m = Math.min(peerMss > 0 ? peerMss : DEFAULT_MSS, mtuMss);
        if (userMss > 0) m = Math.min(m, userMss);
        if (tsOk) m -= 12;
        int cutoff = maxWindow > TCP_MSS_DESIRED ? maxWindow >> 1 : maxWindow;
        if (cutoff > 0 && m > cutoff) m = Math.max(cutoff, 68 - 20 - (tsOk ? 12 : 0));
        mssCache = Math.max(m, Math.max(stack.sysctl().tcpMinSndMss.value(), 48) - (tsOk ? 12 : 0));
    }

    /** sk_gso_max_size (GSO_LEGACY_MAX_SIZE): the largest TSO packet the devices take. */
    static final int GSO_MAX_SIZE = 65536;
    /** MAX_TCP_HEADER on x86-64: the headroom every skb keeps for the TCP, IP and link headers. */
    static final int MAX_TCP_HEADER = 320;

    /**
     * tcp_xmit_size_goal: how many bytes one skb of a write holds, a whole number of MSS: the
     * largest TSO packet less the headroom, bounded to half the peer's largest window
     * (tcp_bound_to_half_wnd, from TCP_MSS_DEFAULT on) so that two packets can be in flight.
     */
    int sizeGoal() {
        int mss = Math.max(mssCache, 1);
        int goal = GSO_MAX_SIZE - 1 - MAX_TCP_HEADER;
        int cutoff = maxWindow > DEFAULT_MSS ? maxWindow >> 1 : maxWindow;
        if (cutoff > 0 && goal > cutoff) goal = Math.max(cutoff, 68 - 20 - (tsOk ? 12 : 0));
        return Math.max(goal / mss, 1) * mss;
    }

    /** TCP_MSS_DESIRED: below this largest window, the half-window bound does not apply. */
    static final int TCP_MSS_DESIRED = 1220;

    /** rx_opt.mss_clamp: the largest MSS this connection may use (the peer's, TCP_MAXSEG, the MTU). */
    int mssClamp() {
        int m = Math.min(peerMss > 0 ? peerMss : DEFAULT_MSS, (pmtu > 0 ? pmtu : 1500) - 40);
        return userMss > 0 ? Math.min(m, userMss) : m;
    }

    /** SOCK_DEAD: no file refers to it any more (an unaccepted child still belongs to its listener). */
    boolean isOrphan() { return socket == null && parent == null; }

    /**
     * sk_send_sigurg: a new urgent byte is announced. Linux signals the socket's owner (F_SETOWN)
     * and wakes POLLPRI waiters; the syscall layer has no owner to signal, so this wakes.
     */
    void sigurg() { wq.wakeUp(io.jnetstack.uapi.Poll.POLLPRI | io.jnetstack.uapi.Poll.POLLRDBAND); }

    long keepIdleNs() { return (keepIdleS > 0 ? keepIdleS : stack.sysctl().tcpKeepaliveTime.value()) * 1000 * MS; }

    long keepIntvlNs() { return (keepIntvlS > 0 ? keepIntvlS : stack.sysctl().tcpKeepaliveIntvl.value()) * 1000 * MS; }

    int keepCount() { return keepCnt > 0 ? keepCnt : stack.sysctl().tcpKeepaliveProbes.value(); }

    /** tcp_fin_time: how long an orphan waits in FIN_WAIT2. */
    long finTimeNs() {
        long t = linger2Ns > 0 ? linger2Ns : stack.sysctl().tcpFinTimeout.value() * 1000 * MS;
        long rto3 = (rtoNs << 2) - (rtoNs >> 1);
        return Math.max(t, rto3);
    }

    /** tcp_time_stamp for the TS option: a millisecond clock plus this connection's offset. */
    int tsVal() { return (int) (stack.now() / MS) + tsOffset; }

    /** The inet layer bound this sock's port in the bind table on TCP's behalf. */
    public void markPortHeld() { if (sport != 0) portHeld = true; }

    // --- Hooks for the SOL_SOCKET layer (sock_setsockopt's calls into the protocol).

    /** SO_KEEPALIVE (tcp_set_keepalive): starts or stops the keepalive timer. */
    public void setKeepalive(boolean on) {
        keepOpen = on;
        if (st == TcpState.CLOSE || st == TcpState.LISTEN) return;
        if (on) TcpTimers.resetKeepalive(this, keepIdleNs());
        else stack.scheduler().cancel(keepaliveTimer);
    }

    /** SO_RCVBUF / SO_SNDBUF changed: the window and writability follow (tcp's sk_write_space). */
    public void buffersChanged() {
        if (st == TcpState.ESTABLISHED || st == TcpState.CLOSE_WAIT) {
            rcvSsthresh = Math.min(rcvSsthresh, fullSpace());
            if (TcpProt.streamWriteable(this)) writeSpace();
        }
    }

    /** inet_stream_ops has set_peek_off: SO_PEEK_OFF works ({@link TcpProt#recvmsg}). */
    @Override protected boolean supportsPeekOff() { return true; }

    /**
     * The SOL_SOCKET options TCP acts on (sock_setsockopt's calls into the protocol): the
     * keepalive timer, the window after a buffer change, and SO_RCVLOWAT's cap (tcp_set_rcvlowat:
     * at most half the locked rcvbuf, or half of tcp_rmem[2]).
     */
    @Override protected void optionChanged(int optname) {
        switch (optname) {
            case Net.SO_KEEPALIVE -> setKeepalive(keepOpen);
            case Net.SO_SNDBUF, Net.SO_SNDBUFFORCE, Net.SO_RCVBUF, Net.SO_RCVBUFFORCE -> buffersChanged();
            case Net.SO_RCVLOWAT -> {
                int cap = (userLocks & RCVBUF_LOCK) != 0 ? rcvBuf >> 1 : stack.sysctl().tcpRmem.value(2) >> 1;
                rcvLowat = Math.min(rcvLowat, cap);
            }
            default -> { }
        }
    }

    @Override public void destroy() { TcpProt.close(this, 0); }

    @Override public String toString() {
        return io.jnetstack.socket.SockAddr.ipString(rcvSaddr != 0 ? rcvSaddr : saddr) + ":" + sport + "→"
                + io.jnetstack.socket.SockAddr.ipString(daddr) + ":" + dport;
    }
}
