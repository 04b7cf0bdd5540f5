package io.jnetstack.tcp;

import io.jnetstack.wire.SeqNum;

/**
 * RACK (RFC 8985 §6; Linux's tcp_recovery.c and struct tcp_rack): loss detection by time instead
 * of by counting. A segment is lost once some segment sent after it has been delivered and more
 * than RACK.rtt plus a reordering window has passed since it was (last) sent. Lost
 * retransmissions fall out of the same rule, since a retransmission's send time is its latest.
 *
 * <p>"Sent after" is the order of transmissions, which {@link TcpSentLog} numbers as they leave:
 * RFC 8985 §6.2 compares send times and breaks ties by sequence number, but on the virtual clock
 * a whole flight (and a retransmission among it) leaves in one instant, where the sequence
 * tie-break takes a retransmission for older than the new data sent just before it and marks it
 * lost again at once. Send times still give the timeouts.
 *
 * <p>One per connection; the scoreboard itself (what is SACKed, lost, retransmitted) stays in
 * {@link TcpSock} and {@link TcpRecovery}.
 */
final class TcpRack {
    /** RFC 8985 §6.2 step 4: a D-SACK widens the window for this many recoveries (TCP_RACK_RECOVERY_THRESH). */
    static final int RECOVERY_THRESH = 16;
    /** net.ipv4.tcp_recovery bits: RACK on, static reordering window, no DupThresh shortcut. */
    static final int LOSS_DETECTION = 0x1, STATIC_REO_WND = 0x2, NO_DUPTHRESH = 0x4;

    /** Send order of the most recently sent segment known delivered (RACK.xmit_ts's role); 0: none. */
    long xmitOrder;
    /**
     * RACK.rtt, µs: the RTT of the last segment RACK learnt from, in the order an ACK is processed
     * (SACKed segments, then cumulatively acknowledged ones, each in sequence order). RFC 8985
     * takes the most recently sent one's; Linux the last processed, which after a partial ACK
     * is an original's longer RTT rather than the retransmission's (prr-ss-ack-below-snd_una:
     * the segment sent alongside the lost ones is not marked lost yet).
     */
    long rttUs;
    /** rack.advanced: an ACK moved RACK since loss detection last ran. */
    boolean advanced;
    /** tp->reord_seen: how often reordering was detected; once nonzero, recovery keeps a reordering window. */
    int reordSeen;
    /** RACK.reo_wnd_mult (reo_wnd_steps): the window is this many quarters of min_RTT. */
    int reoWndSteps = 1;
    /** RACK.reo_wnd_persist: recoveries left before a widened window falls back to one step. */
    int reoWndPersist;
    /** RACK.dsack_round: snd_nxt when a D-SACK last widened the window (valid while {@code dsackRoundSet}). */
    int dsackRound;
    boolean dsackRoundSet;

    void reset() {
        xmitOrder = 0;
        rttUs = 0;
        advanced = false;
        reordSeen = 0;
        reoWndSteps = 1;
        reoWndPersist = 0;
        dsackRoundSet = false;
    }

    /**
     * tcp_rack_advance (RFC 8985 §6.2 step 2): segment {@code k} of the log was just delivered,
     * cumulatively or by SACK. A retransmitted segment teaches nothing when the ACK can be the
     * original's: its timestamp echo predates the retransmission, or it came back no slower than
     * the fastest round trip seen (min_RTT). Linux tests "faster than"; on the virtual clock a
     * path's delay is exact, so an RTT equal to min_RTT is the common case and just as ambiguous
     * (no-coalesce-retrans: a hole's retransmission acknowledged in exactly min_RTT must not
     * make the whole flight sent before it lost).
     */
    void advance(TcpSock tp, TcpSentLog log, int k, long nowNs, boolean echoBeforeSend) {
        long rtt = (nowNs - log.sentNs(k)) / 1000;
        if (log.everRetrans(k) && (echoBeforeSend || rtt <= tp.minRttUs)) return;
        advanced = true;
        rttUs = rtt;
        xmitOrder = Math.max(xmitOrder, log.order(k));
    }

    /**
     * tcp_rack_reo_wnd (RFC 8985 §6.2 step 4): how much reordering to wait out, µs. None while
     * no reordering was ever seen and the connection is recovering already or has DupThresh
     * segments SACKed (as fast as RFC 6675 would be); otherwise a quarter of min_RTT per step,
     * at most SRTT.
     */
    long reoWndUs(TcpSock tp) {
        if (reordSeen == 0) {
            if (tp.caState >= CongestionOps.CA_RECOVERY) return 0;
            boolean dupthresh = (tp.stack.sysctl().tcpRecovery.value() & NO_DUPTHRESH) == 0;
            if (dupthresh && tp.sackedSegs() >= tp.reordering) return 0;
        }
        long srtt = tp.srttUs >> 3;
        long minRtt = tp.minRttUs == Long.MAX_VALUE ? srtt : tp.minRttUs;
        return Math.min((minRtt >> 2) * reoWndSteps, srtt);
    }

    /**
     * tcp_rack_update_reo_wnd (RFC 8985 §6.2 step 4): a D-SACK says a retransmission was
     * spurious, so the window grows by a step, at most once per round trip, and stays wide for
     * the next {@link #RECOVERY_THRESH} recoveries.
     */
    void updateReoWnd(TcpSock tp, boolean dsack) {
        if ((tp.stack.sysctl().tcpRecovery.value() & STATIC_REO_WND) != 0) return;
        if (dsackRoundSet && SeqNum.ge(tp.sndUna, dsackRound)) dsackRoundSet = false;
        if (!dsack || dsackRoundSet) return;
        dsackRoundSet = true;
        dsackRound = tp.sndNxt;
        reoWndSteps = Math.min(reoWndSteps + 1, 0xFF);
        reoWndPersist = RECOVERY_THRESH;
    }

    /** A recovery (fast or RTO) ended: a widened window decays after {@link #RECOVERY_THRESH} of them. */
    void recoveryDone() {
        if (reoWndPersist > 0 && --reoWndPersist == 0) reoWndSteps = 1;
    }

    /**
     * tcp_rack_detect_loss (RFC 8985 §6.2 step 5): every segment sent before the most recently
     * delivered one, neither SACKed nor already waiting to be retransmitted, is lost once RACK.rtt
     * plus the reordering window has passed since it was sent. A lost original moves the lost
     * boundary; a lost retransmission leaves the retransmitted set to go again
     * (tcp_mark_skb_lost on a SACKED_RETRANS skb). Returns the longest wait, ns, of those not yet
     * due (0: none).
     */
    long detectLoss(TcpSock tp, long nowNs) {
        if (xmitOrder == 0) return 0;
        TcpSentLog log = tp.sentLog;
        long windowNs = (rttUs + reoWndUs(tp)) * 1000;
        long wait = 0;
        for (int k = log.indexOf(tp.sndUna); k >= 0 && k < log.count(); k++) {
            if (log.order(k) >= xmitOrder) continue;           // sent after what was delivered
            int s = log.start(k);
            boolean lost = SeqNum.lt(s, tp.lostBoundary);
            boolean inFlight = !lost || tp.rexmit.contains(s);  // an original, or a retransmission out
            if (!inFlight || tp.sacked.contains(s)) continue;
            long remaining = log.sentNs(k) + windowNs - nowNs;
            if (remaining > 0) {
                wait = Math.max(wait, remaining);
            } else if (lost) {
                tp.rexmit.remove(s, log.end(k));
                if (SeqNum.lt(s, tp.highRxt)) tp.highRxt = s;
                tp.tcp.ext.inc(TcpExtMib.TCPLostRetransmit);
            } else if (SeqNum.gt(log.end(k), tp.lostBoundary)) {
                tp.lostBoundary = log.end(k);
            }
        }
        return wait;
    }

    /**
     * tcp_rack_mark_lost: runs detection when an ACK advanced RACK, and for segments still
     * inside the reordering window arms the reorder timer on the retransmit timer
     * (ICSK_TIME_REO_TIMEOUT) for when the last of them would be due. Returns whether it did, so
     * the ACK leaves the timer alone (tcp_identify_packet_loss clearing FLAG_SET_XMIT_TIMER).
     */
    boolean markLost(TcpSock tp) {
        if (!advanced) return false;
        advanced = false;
        long wait = detectLoss(tp, tp.stack.now());
        if (wait <= 0) return false;
        // usecs_to_jiffies rounds up to the millisecond, and TCP_TIMEOUT_MIN adds two more.
        long ms = (wait + TcpSock.MS - 1) / TcpSock.MS + 2;
        tp.pendingTimer = TcpSock.TIME_REO_TIMEOUT;
        tp.stack.scheduler().arm(tp.rtxTimer, tp.stack.now() + ms * TcpSock.MS);
        return true;
    }

    /**
     * tcp_rack_reo_timeout (RFC 8985 §6.3): the reordering window of the oldest waiting segment
     * closed. What is lost now starts fast recovery (or adds to it) and is retransmitted; then
     * the RTO takes the timer back, counted from the head's transmission.
     */
    void reoTimeout(TcpSock tp) {
        int lostBefore = tp.lostBoundary;
        long rexmitBefore = tp.rexmit.bytes();
        detectLoss(tp, tp.stack.now());
        if (tp.lostBoundary != lostBefore || tp.rexmit.bytes() != rexmitBefore) {
            var tr = tp.stack.trace();
            if (tr.on) tr.event("tcp_rack_reo_timeout", tp + " lost up to " + Integer.toUnsignedString(tp.lostBoundary));
            if (tp.caState != CongestionOps.CA_RECOVERY) {
                TcpRecovery.enterRecovery(tp, false);
                TcpRecovery.cwndReduction(tp, 1, false);
            }
            TcpRecovery.xmitRetransmitQueue(tp);
        }
        if (tp.pendingTimer == TcpSock.TIME_RETRANS && tp.rtxTimer.armed()) return;
        // tcp_rearm_rto after a reorder timeout (tcp_rto_delta_us): the RTO runs from the head's
        // latest transmission, not from now.
        if (tp.sndUna == tp.sndNxt) {
            TcpTimers.clearXmit(tp);
            return;
        }
        int head = tp.sentLog.indexOf(tp.sndUna);
        long due = head < 0 ? tp.rtoNs : tp.sentLog.sentNs(head) + tp.rtoNs - tp.stack.now();
        TcpTimers.resetRetrans(tp, Math.max(due, 1000));
    }
}
