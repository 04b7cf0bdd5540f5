package io.jnetstack.tcp;

import io.jnetstack.wire.SeqNum;
import io.jnetstack.wire.TcpOptions;

/**
 * Loss detection and recovery (tcp_input.c's tcp_sacktag_write_queue and tcp_fastretrans_alert,
 * tcp_recovery.c): the SACK scoreboard (RFC 2018, D-SACK RFC 2883), loss marking by RFC 6675's
 * IsLost rule (more than (DupThresh − 1)·SMSS SACKed above a hole), fast retransmit on
 * tcp_reordering dupacks for peers without SACK with NewReno partial ACKs (RFC 6582), Proportional
 * Rate Reduction during recovery (RFC 6937), and the Loss state after an RTO.
 *
 * <p>Hooks left for later work: RACK-TLP (RFC 8985) would replace {@link #markLost}'s rule and
 * add a reorder timer; F-RTO (RFC 5682) and DSACK-based undo would call {@link CongestionOps#undoCwnd}
 * from {@link #onAck}.
 */
final class TcpRecovery {
    private TcpRecovery() {}

    /**
     * tcp_sacktag_write_queue: folds the SACK blocks of an ACK into the scoreboard. A first block
     * below the cumulative ACK, or inside the second, is a D-SACK (RFC 2883 §4): counted, not
     * marked. A block marks whole segments only (tcp_match_skb_to_sack): one covering part of a
     * segment says nothing certain about the rest of it. Each newly SACKed segment advances RACK,
     * and one never retransmitted SACKed below an earlier SACK arrived out of order. Returns the
     * number of bytes newly SACKed.
     */
    static long sacktag(TcpSock tp, TcpOptions o, int ack, AckSample sample) {
        long newly = 0;
        long now = tp.stack.now();
        TcpSentLog log = tp.sentLog;
        int priorFack = tp.sacked.highestEnd(tp.sndUna);
        int reord = 0;
        boolean reordFound = false;
        boolean dsack = false;
        for (int i = 0; i < o.sackCount; i++) {
            int s = o.sackLeft[i], e = o.sackRight[i];
            if (i == 0 && (SeqNum.lt(s, ack) && SeqNum.le(e, ack)
                    || o.sackCount > 1 && SeqNum.ge(s, o.sackLeft[1]) && SeqNum.le(e, o.sackRight[1]))) {
                tp.tcp.ext.inc(TcpExtMib.TCPDSACKRecv);
                tp.dsackDups++;
                dsack = true;
                continue;
            }
            // Only blocks inside what we sent count (RFC 2018: ignore the rest).
            if (!SeqNum.lt(s, e) || SeqNum.le(e, ack) || SeqNum.gt(e, tp.sndNxt)) continue;
            if (SeqNum.lt(s, ack)) s = ack;
            int h = log.indexOf(s);
            if (h >= 0 && SeqNum.lt(log.start(h), s)) s = log.end(h);
            int t = log.indexOf(e - 1);
            if (t >= 0 && SeqNum.gt(log.end(t), e)) e = log.start(t);
            if (!SeqNum.lt(s, e)) continue;
            for (int k = log.indexOf(s); k >= 0 && SeqNum.lt(log.start(k), e); ) {
                int r = tp.sacked.find(log.start(k));
                if (r >= 0) {                                   // SACKed before: skip the whole range
                    k = log.indexOf(tp.sacked.end(r));
                    continue;
                }
                tp.rack.advance(tp, log, k, now, echoBeforeSend(tp, o, log.sentNs(k)));
                if (!log.everRetrans(k)) sample.sacked(log.sentNs(k));
                if (!log.everRetrans(k) && SeqNum.lt(log.start(k), priorFack) && (!reordFound || SeqNum.lt(log.start(k), reord))) {
                    reord = log.start(k);
                    reordFound = true;
                }
                if (++k == log.count()) break;
            }
            long n = tp.sacked.add(s, e);
            if (n > 0) {
                tp.rexmit.remove(s, e);
                newly += n;
            }
        }
        if (reordFound) checkSackReordering(tp, reord, tp.sacked.highestEnd(tp.sndUna));
        if (tp.sackOk) tp.rack.updateReoWnd(tp, dsack);
        return newly;
    }

    /**
     * tcp_clean_rtx_queue's scoreboard part, after the ACK's SACK blocks (which never mark below
     * the cumulative ACK) and before [priorUna, ack) leaves the log: each segment delivered now
     * (not SACKed before) advances RACK, and the lowest one never retransmitted, below
     * {@code priorFack} (the highest SACKed sequence before this ACK), shows reordering.
     */
    static void cleanRtxQueue(TcpSock tp, int priorUna, int ack, int priorFack, TcpOptions o, AckSample sample) {
        TcpSentLog log = tp.sentLog;
        long now = tp.stack.now();
        int reord = 0;
        boolean reordFound = false;
        for (int k = log.indexOf(priorUna); k >= 0 && k < log.count() && SeqNum.le(log.end(k), ack); k++) {
            if (log.everRetrans(k)) sample.retransAcked = true;
            if (tp.sacked.contains(log.start(k))) continue;
            if (!log.everRetrans(k)) sample.acked(log.sentNs(k));
            if (tp.sackOk) tp.rack.advance(tp, log, k, now, echoBeforeSend(tp, o, log.sentNs(k)));
            if (!reordFound && !log.everRetrans(k)) {
                reord = log.start(k);
                reordFound = true;
            }
        }
        if (reordFound && SeqNum.lt(reord, priorFack)) checkSackReordering(tp, reord, priorFack);
        log.trimBelow(ack);
    }

    /**
     * tcp_skb_spurious_retrans: the ACK's timestamp echo predates a segment's latest transmission,
     * so an earlier copy is what arrived (RFC 8985 §6.2 step 2).
     */
    private static boolean echoBeforeSend(TcpSock tp, TcpOptions o, long sentNs) {
        if (!tp.tsOk || !o.hasTs || o.tsEcr == 0) return false;
        int sentTs = (int) (sentNs / TcpSock.MS) + tp.tsOffset;
        return o.tsEcr - sentTs < 0;
    }

    /**
     * tcp_check_sack_reordering: data below {@code fack} (the highest SACKed sequence) arrived
     * after it; the reordering degree grows to that distance in segments (at most
     * tcp_max_reordering), and RACK from now on keeps a reordering window even in recovery.
     */
    static void checkSackReordering(TcpSock tp, int lowSeq, int fack) {
        if (!SeqNum.lt(lowSeq, fack)) return;
        int mss = tp.mssCache;
        long metric = fack - lowSeq;
        if (metric > (long) tp.reordering * mss) {
            long segs = (metric + mss - 1) / mss;
            tp.reordering = (int) Math.min(segs, tp.stack.sysctl().tcpMaxReordering.value());
        }
        var tr = tp.stack.trace();
        if (tr.on) tr.event("tcp_check_sack_reordering", tp + " " + Integer.toUnsignedString(lowSeq)
                + " delivered after " + Integer.toUnsignedString(fack) + ", reordering " + tp.reordering);
        tp.rack.reordSeen++;
        tp.tcp.ext.inc(TcpExtMib.TCPSACKReorder);
    }

    /**
     * tcp_identify_packet_loss for SACK: RACK (RFC 8985) when net.ipv4.tcp_recovery enables it,
     * as Linux always runs it; otherwise RFC 6675 §4 IsLost over the whole scoreboard: walking
     * down from the highest SACKed range, the first point with more than (reordering − 1)·MSS
     * SACKed bytes above it, every hole below being lost. Returns whether RACK armed its
     * reorder timer.
     */
    static boolean markLost(TcpSock tp) {
        if ((tp.stack.sysctl().tcpRecovery.value() & TcpRack.LOSS_DETECTION) != 0) return tp.rack.markLost(tp);
        IntervalList sk = tp.sacked;
        long acc = 0;
        long thresh = (long) (tp.reordering - 1) * tp.mssCache;
        for (int i = sk.count() - 1; i >= 0; i--) {
            acc += sk.end(i) - sk.start(i);
            if (acc > thresh) {
                if (SeqNum.gt(sk.start(i), tp.lostBoundary)) tp.lostBoundary = sk.start(i);
                break;
            }
        }
        return false;
    }

    /**
     * tcp_fastretrans_alert and the congestion-window part of tcp_ack: called once per ACK after
     * the cumulative ACK and the SACK blocks were applied.
     *
     * @param ackedBytes bytes newly cumulatively acknowledged
     * @param sackedBytes bytes newly SACKed
     * @param isDup the ACK was a duplicate in RFC 5681's sense
     */
    static boolean onAck(TcpSock tp, int priorUna, long ackedBytes, long sackedBytes, boolean isDup) {
        Tcp tcp = tp.tcp;
        int mss = tp.mssCache;
        int ackedPkts = (int) ((ackedBytes + mss - 1) / mss);
        // Delivered now (tp->delivered's delta): cumulatively acked bytes not SACKed before, plus
        // newly SACKed ones; a segment counts once, when it first reaches the receiver.
        long prevSacked = ackedBytes > 0 ? tp.sacked.overlap(priorUna, tp.sndUna) : 0;
        int deliveredPkts = (int) ((ackedBytes - prevSacked + sackedBytes + mss - 1) / mss);
        if (!tp.sackOk) {
            // tcp_add_reno_sack / tcp_remove_reno_sacks: each dupack delivered one segment; a
            // cumulative ACK delivers the hole plus whatever the dupacks did not already count.
            if (ackedBytes > 0) deliveredPkts = Math.max(ackedPkts - tp.dupAcks, 1);
            else if (isDup) deliveredPkts = 1;
        }
        tp.delivered += deliveredPkts;
        tcp.ext.add(TcpExtMib.TCPDelivered, deliveredPkts);

        if (!tp.sackOk) {
            // NewReno emulates a scoreboard by counting dupacks (tcp_add_reno_sack).
            if (isDup) tp.dupAcks++;
            else if (ackedBytes > 0) tp.dupAcks = Math.max(0, tp.dupAcks - ackedPkts);
        } else if (ackedBytes > 0 || sackedBytes > 0) {
            tp.dupAcks = isDup ? tp.dupAcks + 1 : 0;
        } else if (isDup) {
            tp.dupAcks++;
        }
        tp.sacked.trimBelow(tp.sndUna);
        tp.rexmit.trimBelow(tp.sndUna);
        if (SeqNum.lt(tp.lostBoundary, tp.sndUna)) tp.lostBoundary = tp.sndUna;
        int lostBefore = tp.lostBoundary;
        boolean reoArmed = tp.sackOk && tp.caState != CongestionOps.CA_LOSS && markLost(tp);
        boolean newlyLost = SeqNum.gt(tp.lostBoundary, lostBefore);

        switch (tp.caState) {
            case CongestionOps.CA_RECOVERY -> {
                if (SeqNum.ge(tp.sndUna, tp.highSeq)) {
                    exitRecovery(tp);
                    break;
                }
                if (!tp.sackOk && ackedBytes > 0) {
                    // RFC 6582 partial ACK: the next hole is lost too; retransmit it now.
                    tp.lostBoundary = SeqNum.max(tp.lostBoundary, tp.sndUna + mss);
                    tp.highRxt = tp.sndUna;
                    tp.rexmit.clear();
                }
                cwndReduction(tp, deliveredPkts, ackedBytes > 0 && !newlyLost);
                return reoArmed;
            }
            case CongestionOps.CA_LOSS -> {
                if (SeqNum.ge(tp.sndUna, tp.highSeq)) {
                    tp.rack.recoveryDone();
                    setCaState(tp, CongestionOps.CA_OPEN);
                    tp.rexmit.clear();
                    tp.lostBoundary = tp.sndUna;
                } else if (!tp.sackOk && ackedBytes > 0) {
                    tp.highRxt = SeqNum.max(tp.highRxt, tp.sndUna);
                }
                if (ackedPkts > 0) tp.cc.congAvoid(tp, ackedPkts);
                return reoArmed;
            }
            default -> { }
        }
        // Open or Disorder: is there a loss to recover from?
        boolean lost = tp.sackOk ? SeqNum.gt(tp.lostBoundary, tp.sndUna) : tp.dupAcks >= tp.reordering;
        if (lost && tp.sndUna != tp.sndNxt) {
            enterRecovery(tp);
            cwndReduction(tp, deliveredPkts, false);
            return reoArmed;
        }
        setCaState(tp, (tp.sackOk ? !tp.sacked.isEmpty() : tp.dupAcks > 0) ? CongestionOps.CA_DISORDER
                : CongestionOps.CA_OPEN);
        // tcp_may_raise_cwnd: grow by what was newly delivered, but only when snd_una advanced
        // (RFC 5681), unless the path is known to reorder more than tcp_reordering: then any
        // forward progress, SACKs included, counts.
        boolean progress = tp.reordering > tp.stack.sysctl().tcpReordering.value() ? ackedBytes > 0 || sackedBytes > 0
                : ackedBytes > 0;
        if (progress && deliveredPkts > 0) tp.cc.congAvoid(tp, deliveredPkts);
        return reoArmed;
    }

    /** tcp_enter_recovery (RFC 6675 §5 / RFC 5681 §3.2 step 2): fast retransmit begins. */
    static void enterRecovery(TcpSock tp) {
        Tcp tcp = tp.tcp;
        tcp.ext.inc(tp.sackOk ? TcpExtMib.TCPSackRecovery : TcpExtMib.TCPRenoRecovery);
        var tr = tp.stack.trace();
        if (tr.on) tr.event("tcp_enter_recovery", tp + " cwnd " + tp.sndCwnd + " inflight " + tp.packetsInFlight()
                + " sacked " + tp.sacked);
        tp.highSeq = tp.sndNxt;
        tp.priorSsthresh = tp.sndSsthresh;
        tp.sndSsthresh = tp.cc.ssthresh(tp);
        tp.priorCwnd = Math.max(tp.sndCwnd, 1);
        tp.prrDelivered = 0;
        tp.prrOut = 0;
        tp.highRxt = tp.sndUna;
        if (!tp.sackOk) {
            tp.rexmit.clear();
            tp.lostBoundary = tp.sndUna + tp.mssCache;   // the head is lost
        }
        setCaState(tp, CongestionOps.CA_RECOVERY);
    }

    private static void exitRecovery(TcpSock tp) {
        // tcp_end_cwnd_reduction: settle at ssthresh (RFC 6937 §3 "on exit").
        if (tp.sndSsthresh < Integer.MAX_VALUE) tp.sndCwnd = Math.max(Math.min(tp.sndCwnd, tp.sndSsthresh), 1);
        if (tp.sndCwnd < tp.sndSsthresh) tp.sndCwnd = tp.sndSsthresh;
        tp.rexmit.clear();
        tp.lostBoundary = tp.sndUna;
        if (!tp.sackOk) tp.dupAcks = 0;
        tp.rack.recoveryDone();
        setCaState(tp, CongestionOps.CA_OPEN);
    }

    /**
     * tcp_cwnd_reduction, RFC 6937 PRR: while pipe exceeds ssthresh send in proportion to what was
     * delivered (prr_delivered·ssthresh/RecoverFS − prr_out); below it, what was delivered and not
     * yet matched by sending, one segment more when the ACK advanced snd_una and marked nothing
     * newly lost (PRR-SSRB), never beyond ssthresh; at least one segment when recovery starts.
     * An ACK that delivered nothing changes nothing.
     */
    static void cwndReduction(TcpSock tp, int deliveredPkts, boolean unaAdvancedNoLoss) {
        if (deliveredPkts <= 0) return;
        tp.prrDelivered += deliveredPkts;
        int inflight = tp.packetsInFlight();
        int delta = tp.sndSsthresh - inflight;
        long sndcnt;
        if (delta < 0) {
            long dividend = (long) tp.sndSsthresh * tp.prrDelivered + tp.priorCwnd - 1;
            sndcnt = dividend / tp.priorCwnd - tp.prrOut;
        } else {
            sndcnt = Math.max(tp.prrDelivered - tp.prrOut, deliveredPkts);
            if (unaAdvancedNoLoss) sndcnt++;
            sndcnt = Math.min(delta, sndcnt);
        }
        sndcnt = Math.max(sndcnt, tp.prrOut == 0 ? 1 : 0);
        tp.sndCwnd = (int) Math.max(1, inflight + sndcnt);
    }

    /** tcp_enter_loss (RFC 6298 §5.5, RFC 5681 §3.1): after an RTO everything outstanding is lost. */
    static void enterLoss(TcpSock tp) {
        if (tp.caState <= CongestionOps.CA_DISORDER || SeqNum.ge(tp.sndUna, tp.highSeq)
                || tp.caState == CongestionOps.CA_LOSS && tp.retransmits == 0) {
            tp.priorSsthresh = tp.sndSsthresh;
            tp.priorCwnd = tp.sndCwnd;
            tp.sndSsthresh = tp.cc.ssthresh(tp);
        }
        tp.sndCwnd = 1;
        tp.sndCwndCnt = 0;
        tp.highSeq = tp.sndNxt;
        tp.lostBoundary = tp.sndNxt;
        tp.highRxt = tp.sndUna;
        tp.rexmit.clear();
        if (!tp.sackOk) tp.dupAcks = 0;
        setCaState(tp, CongestionOps.CA_LOSS);
        tp.cc.cwndEvent(tp, CongestionOps.EVENT_LOSS);
    }

    /**
     * The Loss state for losses that say nothing about congestion (tcp_simple_retransmit,
     * tcp_non_congestion_loss_retransmit): a path MTU drop, or a Fast Open SYN-ACK that left the
     * SYN's data unacknowledged. cwnd stays; ssthresh keeps at least three quarters of it
     * (tcp_current_ssthresh), with nothing to undo later.
     */
    static void enterNonCongestionLoss(TcpSock tp) {
        if (tp.caState == CongestionOps.CA_LOSS) return;
        tp.highSeq = tp.sndNxt;
        tp.sndSsthresh = Math.max(tp.sndSsthresh, (tp.sndCwnd >> 1) + (tp.sndCwnd >> 2));
        tp.priorSsthresh = 0;
        setCaState(tp, CongestionOps.CA_LOSS);
    }

    /** tcp_non_congestion_loss_retransmit: all data in flight is lost; it goes out again now. */
    static void nonCongestionLossRetransmit(TcpSock tp) {
        enterNonCongestionLoss(tp);
        tp.lostBoundary = tp.sndNxt;
        tp.highRxt = tp.sndUna;
        tp.rexmit.clear();
        xmitRetransmitQueue(tp);
    }

    static void setCaState(TcpSock tp, int s) {
        if (tp.caState == s) return;
        tp.cc.setState(tp, s);
        tp.caState = s;
    }

    /**
     * tcp_xmit_retransmit_queue (RFC 6675 NextSeg rule 1): resend lost, un-SACKed, not yet
     * retransmitted segments from HighRxt up, while the pipe is below cwnd.
     */
    static void xmitRetransmitQueue(TcpSock tp) {
        int seq = SeqNum.max(tp.highRxt, tp.sndUna);
        boolean recovery = tp.caState == CongestionOps.CA_RECOVERY;
        while (SeqNum.lt(seq, tp.lostBoundary) && SeqNum.lt(seq, tp.sndNxt)) {
            if (tp.packetsInFlight() >= tp.sndCwnd) break;
            // Skip SACKed or already-retransmitted ranges.
            int i = tp.sacked.find(seq);
            if (i >= 0) { seq = tp.sacked.end(i); continue; }
            int j = tp.rexmit.find(seq);
            if (j >= 0) { seq = tp.rexmit.end(j); continue; }
            int holeEnd = SeqNum.min(tp.lostBoundary, tp.sndNxt);
            for (int k = 0; k < tp.sacked.count(); k++) {
                if (SeqNum.gt(tp.sacked.start(k), seq)) { holeEnd = SeqNum.min(holeEnd, tp.sacked.start(k)); break; }
            }
            int end = tp.tcp.output.retransmit(tp, seq, holeEnd);
            if (!SeqNum.gt(end, seq)) break;
            tp.rexmit.add(seq, end);
            tp.highRxt = end;
            if (recovery) {
                tp.prrOut++;
                tp.tcp.ext.inc(TcpExtMib.TCPFastRetrans);
            } else {
                tp.tcp.ext.inc(TcpExtMib.TCPSlowStartRetrans);
            }
            // Resending the head restarts the RTO, unless the reorder timer holds the timer for
            // segments still inside their window; the RTO comes back when it fires.
            if (!tp.rtxTimer.armed() || seq == tp.sndUna && tp.pendingTimer != TcpSock.TIME_REO_TIMEOUT)
                TcpTimers.resetRetrans(tp, tp.rtoNs);
            seq = end;
        }
    }
}
