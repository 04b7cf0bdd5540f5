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
 * <p>Loss is found by RACK ({@link TcpRack}); a reduction that proves spurious is taken back,
 * and an RTO runs F-RTO, in {@link TcpUndo}. {@link #onAck} follows tcp_fastretrans_alert's
 * state machine: exit conditions first, then per state (Recovery, Loss, Open/Disorder).
 */
final class TcpRecovery {
    private TcpRecovery() {}

    /**
     * tcp_sacktag_write_queue: folds the SACK blocks of an ACK into the scoreboard. A first block
     * below the cumulative ACK, or inside the second, is a D-SACK (RFC 2883 §4): it counts
     * retransmissions shown spurious ({@link #checkDsack}), and marks nothing. A block marks
     * whole segments only (tcp_match_skb_to_sack): one covering part of a segment says nothing
     * certain about the rest of it. Each newly SACKed segment advances RACK, and one never
     * retransmitted SACKed below an earlier SACK arrived out of order. {@code priorUna} is
     * snd_una before this ACK, {@code ack} after it. Returns the number of bytes newly SACKed.
     */
    static long sacktag(TcpSock tp, TcpOptions o, int priorUna, int ack, AckSample sample) {
        long newly = 0;
        long now = tp.stack.now();
        TcpSentLog log = tp.sentLog;
        int priorFack = tp.sacked.highestEnd(tp.sndUna);
        int reord = 0;
        boolean reordFound = false;
        for (int i = 0; i < o.sackCount; i++) {
            int s = o.sackLeft[i], e = o.sackRight[i];
            if (i == 0 && (SeqNum.lt(s, ack)
                    || o.sackCount > 1 && SeqNum.ge(s, o.sackLeft[1]) && SeqNum.le(e, o.sackRight[1]))) {
                checkDsack(tp, s, e, SeqNum.lt(s, ack), priorUna, sample);
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
                if (!log.everRetrans(k)) {
                    sample.sacked(log.sentNs(k));
                    if (SeqNum.le(log.end(k), tp.highSeq)) sample.origSackAcked = true;
                    if (SeqNum.lt(log.start(k), priorFack) && (!reordFound || SeqNum.lt(log.start(k), reord))) {
                        reord = log.start(k);
                        reordFound = true;
                    }
                }
                if (++k == log.count()) break;
            }
            long n = tp.sacked.add(s, e);
            if (n > 0) {
                tp.rexmit.remove(s, e);
                newly += n;
            }
        }
        if (reordFound) checkSackReordering(tp, reord, tp.sacked.highestEnd(tp.sndUna), false);
        // tcp_dsack_seen: only a D-SACK on a path known to reorder (and not for the loss probe)
        // widens RACK's window.
        if (tp.sackOk) tp.rack.updateReoWnd(tp, sample.dsack && tp.rack.reordSeen > 0 && !sample.dsackTlp);
        return newly;
    }

    /**
     * tcp_check_dsack and tcp_dsack_seen: a D-SACK for [s, e), below the cumulative ACK
     * ({@code old}: TCPDSACKRecv) or inside the next block (TCPDSACKOfoRecv). It is believed
     * (FLAG_DSACKING_ACK) only when no larger than the peer's window and no more duplicates
     * were reported than we ever retransmitted (else TCPDSACKIgnoredDubious). Each duplicate
     * retransmission of the current episode comes off undo_retrans: for data already
     * acknowledged by count alone, above it segment by segment through the send log.
     */
    private static void checkDsack(TcpSock tp, int s, int e, boolean old, int priorUna, AckSample sample) {
        Tcp tcp = tp.tcp;
        tcp.ext.inc(old ? TcpExtMib.TCPDSACKRecv : TcpExtMib.TCPDSACKOfoRecv);
        int mss = Math.max(tp.mssCache, 1);
        int segs = 0;
        if (SeqNum.lt(s, e) && e - s <= tp.maxWindow) {
            int len = e - s;
            segs = len > mss ? (len + mss - 1) / mss : 1;
            if (len <= mss && tp.tlpActive && tp.tlpHighSeq == e) sample.dsackTlp = true;
            tp.dsackDups += segs;
            if (tp.dsackDups > tp.totalRetrans) segs = 0;     // duplicates of what we never resent
        }
        if (segs == 0) {
            tcp.ext.inc(TcpExtMib.TCPDSACKIgnoredDubious);
            sample.dsackTlp = false;
            return;
        }
        tcp.ext.add(TcpExtMib.TCPDSACKRecvSegs, segs);
        sample.dsack = true;
        sample.dsackSegs += segs;
        if (!tp.undoArmed || tp.undoRetrans <= 0 || !SeqNum.gt(e, tp.undoMarker)) return;
        if (!SeqNum.gt(e, priorUna)) {
            tp.undoRetrans = Math.max(0, tp.undoRetrans - segs);
            return;
        }
        // Still in the retransmission queue (tcp_sacktag_one with dup_sack): each retransmitted
        // segment of the block counts.
        TcpSentLog log = tp.sentLog;
        for (int k = log.indexOf(SeqNum.max(s, priorUna)); k >= 0 && k < log.count()
                && SeqNum.lt(log.start(k), e) && tp.undoRetrans > 0; k++) {
            if (!log.everRetrans(k) || !SeqNum.gt(log.end(k), tp.undoMarker)) continue;
            int pcount = (log.end(k) - log.start(k) + mss - 1) / mss;
            tp.undoRetrans = Math.max(0, tp.undoRetrans - pcount);
        }
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
            if (!log.everRetrans(k)) {
                sample.acked(log.sentNs(k));
                if (SeqNum.le(log.end(k), tp.highSeq)) sample.origSackAcked = true;
            }
            if (tp.sackOk) tp.rack.advance(tp, log, k, now, echoBeforeSend(tp, o, log.sentNs(k)));
            if (!reordFound && !log.everRetrans(k)) {
                reord = log.start(k);
                reordFound = true;
            }
        }
        if (reordFound && SeqNum.lt(reord, priorFack)) checkSackReordering(tp, reord, priorFack, false);
        // Without SACK, a cumulative ACK over a retransmission cannot tell which copy arrived.
        if (!tp.sackOk && sample.retransAcked) sample.origSackAcked = false;
        log.trimBelow(ack);
    }

    /**
     * tcp_skb_spurious_retrans: the ACK's timestamp echo predates a segment's latest transmission,
     * so an earlier copy is what arrived (RFC 8985 §6.2 step 2).
     */
    static boolean echoBeforeSend(TcpSock tp, TcpOptions o, long sentNs) {
        if (!tp.tsOk || !o.hasTs || o.tsEcr == 0) return false;
        int sentTs = (int) (sentNs / TcpSock.MS) + tp.tsOffset;
        return o.tsEcr - sentTs < 0;
    }

    /**
     * tcp_check_sack_reordering: data below {@code fack} (the highest SACKed sequence) arrived
     * after it; the reordering degree grows to that distance in segments (at most
     * tcp_max_reordering), and RACK from now on keeps a reordering window even in recovery.
     */
    static void checkSackReordering(TcpSock tp, int lowSeq, int fack, boolean byTimestamp) {
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
        tp.tcp.ext.inc(byTimestamp ? TcpExtMib.TCPTSReorder : TcpExtMib.TCPSACKReorder);
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
     * tcp_fastretrans_alert and tcp_cong_control: called once per ACK after the cumulative ACK and
     * the SACK blocks were applied. Dubious ACKs (duplicates, SACKs, D-SACKs, or any ACK outside
     * Open) run the recovery state machine; then cwnd is reduced by PRR while recovering, or grown
     * by the congestion control. Returns whether RACK armed its reorder timer.
     *
     * @param ackedBytes bytes newly cumulatively acknowledged
     * @param sackedBytes bytes newly SACKed
     * @param isDup the ACK was a duplicate in RFC 5681's sense
     * @param ece the ACK echoed congestion (ECE, RFC 3168)
     * @param o the ACK's options (its timestamp echo, for Eifel)
     * @param s what the ACK delivered
     */
    static boolean onAck(TcpSock tp, int priorUna, long ackedBytes, long sackedBytes, boolean isDup, boolean ece,
                         TcpOptions o, AckSample s) {
        Tcp tcp = tp.tcp;
        int mss = tp.mssCache;
        int ackedPkts = (int) ((ackedBytes + mss - 1) / mss);
        // Delivered now (tp->delivered's delta): cumulatively acked bytes not SACKed before, plus
        // newly SACKed ones, plus what a D-SACK reports delivered twice; a segment counts once,
        // when it first reaches the receiver.
        long prevSacked = ackedBytes > 0 ? tp.sacked.overlap(priorUna, tp.sndUna) : 0;
        int deliveredPkts = (int) ((ackedBytes - prevSacked + sackedBytes + mss - 1) / mss) + s.dsackSegs;
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
        long lostRetransBefore = tcp.ext.get(TcpExtMib.TCPLostRetransmit);

        boolean reoArmed = false;
        if (isDup || sackedBytes > 0 || s.dsack || ece || tp.caState != CongestionOps.CA_OPEN)
            reoArmed = fastretransAlert(tp, priorUna, ackedBytes > 0, sackedBytes > 0, isDup, ece, o, s);

        // tcp_cong_control: PRR while the window is being reduced; otherwise tcp_may_raise_cwnd
        // grows it by what was newly delivered, but only when snd_una advanced (RFC 5681), unless
        // the path is known to reorder more than tcp_reordering: then any forward progress,
        // SACKs included, counts.
        boolean newlyLost = SeqNum.gt(tp.lostBoundary, lostBefore)
                || tcp.ext.get(TcpExtMib.TCPLostRetransmit) != lostRetransBefore;
        if (tp.caState == CongestionOps.CA_RECOVERY || tp.caState == CongestionOps.CA_CWR) {
            cwndReduction(tp, deliveredPkts, ackedBytes > 0 && !newlyLost);
        } else {
            boolean progress = tp.reordering > tp.stack.sysctl().tcpReordering.value()
                    ? ackedBytes > 0 || sackedBytes > 0 : ackedBytes > 0;
            if (progress && deliveredPkts > 0) tp.cc.congAvoid(tp, deliveredPkts);
        }
        return reoArmed;
    }

    /**
     * tcp_fastretrans_alert: the recovery state machine for a dubious ACK. First the exit
     * condition (snd_una reached high_seq ends fast recovery, undone if it proved spurious),
     * then per state: in Recovery a partial ACK may undo (Eifel) and D-SACKs may; in Loss
     * {@link TcpUndo#processLoss} (undo and F-RTO); in Open and Disorder a loss starts recovery,
     * and an ECN echo without one a CWR reduction. An ECN echo also makes any reduction final.
     */
    private static boolean fastretransAlert(TcpSock tp, int priorUna, boolean unaAdvanced, boolean sacked,
                                            boolean isDup, boolean ece, TcpOptions o, AckSample s) {
        boolean reoArmed = false;
        if (ece) tp.priorSsthresh = 0;
        if (tp.caState == CongestionOps.CA_OPEN) {
            tp.retransStampNs = 0;
        } else if (SeqNum.ge(tp.sndUna, tp.highSeq)) {
            if (tp.caState == CongestionOps.CA_RECOVERY) {
                if (!tp.sackOk) tp.dupAcks = 0;                  // tcp_reset_reno_sack
                if (TcpUndo.tryUndoRecovery(tp, o)) return false;
                endCwndReduction(tp);
                recoveryEnded(tp);
            } else if (tp.caState == CongestionOps.CA_CWR && tp.sndUna != tp.highSeq) {
                endCwndReduction(tp);
                setCaState(tp, CongestionOps.CA_OPEN);
            }
        }
        switch (tp.caState) {
            case CongestionOps.CA_RECOVERY -> {
                if (unaAdvanced && TcpUndo.tryUndoPartial(tp, o, priorUna)) return false;
                if (TcpUndo.tryUndoDsack(tp)) tryKeepOpen(tp);
                reoArmed = identifyPacketLoss(tp, unaAdvanced);
                if (tp.caState != CongestionOps.CA_RECOVERY && timeToRecover(tp)) enterRecovery(tp, ece);
                return reoArmed;
            }
            case CongestionOps.CA_LOSS -> {
                if (TcpUndo.processLoss(tp, o, s, unaAdvanced, sacked, isDup)) return false;
                long lostRetrans = tp.tcp.ext.get(TcpExtMib.TCPLostRetransmit);
                reoArmed = identifyPacketLoss(tp, unaAdvanced);
                // Undone, or retransmissions lost again: on to the Open/Disorder rules.
                if (tp.caState != CongestionOps.CA_OPEN && tp.tcp.ext.get(TcpExtMib.TCPLostRetransmit) == lostRetrans)
                    return reoArmed;
            }
            default -> { }
        }
        if (tp.caState <= CongestionOps.CA_DISORDER) TcpUndo.tryUndoDsack(tp);
        reoArmed |= identifyPacketLoss(tp, unaAdvanced);
        if (!timeToRecover(tp)) {
            tryToOpen(tp, ece);
            return reoArmed;
        }
        enterRecovery(tp, ece);
        return reoArmed;
    }

    /**
     * tcp_identify_packet_loss: RACK for SACK connections (returns whether it armed the reorder
     * timer); without SACK, NewReno's rule: a partial ACK in recovery means the next hole is lost
     * too (RFC 6582 §3.2 step 3), so it is resent at once.
     */
    private static boolean identifyPacketLoss(TcpSock tp, boolean unaAdvanced) {
        if (tp.sndUna == tp.sndNxt) return false;
        if (tp.sackOk) return markLost(tp);
        if (tp.caState == CongestionOps.CA_RECOVERY && unaAdvanced) {
            tp.lostBoundary = SeqNum.max(tp.lostBoundary, tp.sndUna + tp.mssCache);
            tp.highRxt = tp.sndUna;
            tp.rexmit.clear();
        }
        return false;
    }

    /** tcp_time_to_recover: a loss is proven (RACK marked one), or for NewReno, tcp_reordering dupacks. */
    private static boolean timeToRecover(TcpSock tp) {
        if (tp.sndUna == tp.sndNxt) return false;
        return tp.sackOk ? SeqNum.gt(tp.lostBoundary, tp.sndUna) : tp.dupAcks >= tp.reordering;
    }

    /**
     * tcp_try_to_open: no loss; forget a finished episode's retransmission stamp, reduce the
     * window for an ECN echo as a loss would (without retransmitting), else settle in Open or
     * Disorder.
     */
    private static void tryToOpen(TcpSock tp, boolean ece) {
        if (!TcpUndo.anyRetransDone(tp)) tp.retransStampNs = 0;
        if (ece) enterCwr(tp);
        if (tp.caState != CongestionOps.CA_CWR) tryKeepOpen(tp);
    }

    /** tcp_try_keep_open: Disorder while anything is SACKed, lost or retransmitted, else Open. */
    static void tryKeepOpen(TcpSock tp) {
        boolean leftOut = tp.sackOk ? !tp.sacked.isEmpty() : tp.dupAcks > 0;
        leftOut |= SeqNum.gt(tp.lostBoundary, tp.sndUna);
        int state = leftOut || TcpUndo.anyRetransDone(tp) ? CongestionOps.CA_DISORDER : CongestionOps.CA_OPEN;
        if (tp.caState != state) {
            setCaState(tp, state);
            tp.highSeq = tp.sndNxt;
        }
    }

    /** tcp_current_ssthresh: outside a reduction, at least three quarters of cwnd (what undo returns to). */
    static int currentSsthresh(TcpSock tp) {
        if (tp.caState == CongestionOps.CA_CWR || tp.caState == CongestionOps.CA_RECOVERY) return tp.sndSsthresh;
        return Math.max(tp.sndSsthresh, (tp.sndCwnd >> 1) + (tp.sndCwnd >> 2));
    }

    /**
     * tcp_enter_recovery (RFC 6675 §5 / RFC 5681 §3.2 step 2): fast retransmit begins, with a
     * new undo record; the window is reduced once per episode (tcp_init_cwnd_reduction), not
     * again when recovery restarts inside one.
     */
    static void enterRecovery(TcpSock tp, boolean ece) {
        Tcp tcp = tp.tcp;
        tcp.ext.inc(tp.sackOk ? TcpExtMib.TCPSackRecovery : TcpExtMib.TCPRenoRecovery);
        var tr = tp.stack.trace();
        if (tr.on) tr.event("tcp_enter_recovery", tp + " cwnd " + tp.sndCwnd + " inflight " + tp.packetsInFlight()
                + " sacked " + tp.sacked);
        // The episode's clock starts with its first retransmission (for Eifel and ETIMEDOUT).
        if (!TcpUndo.anyRetransDone(tp)) tp.retransStampNs = 0;
        tp.priorSsthresh = 0;
        TcpUndo.init(tp);
        // From CWR the reduction is under way already: it goes on, with the same ssthresh.
        if (tp.caState != CongestionOps.CA_RECOVERY && tp.caState != CongestionOps.CA_CWR) {
            if (!ece) tp.priorSsthresh = currentSsthresh(tp);
            initCwndReduction(tp);
        }
        tp.highRxt = tp.sndUna;
        if (!tp.sackOk) {
            tp.rexmit.clear();
            tp.lostBoundary = tp.sndUna + tp.mssCache;   // the head is lost
        }
        setCaState(tp, CongestionOps.CA_RECOVERY);
    }

    /**
     * tcp_init_cwnd_reduction: PRR starts from here (recovery or CWR), towards the congestion
     * control's ssthresh; the next new segment carries CWR when ECN is on.
     */
    private static void initCwndReduction(TcpSock tp) {
        tp.highSeq = tp.sndNxt;
        tp.tlpActive = false;
        tp.sndCwndCnt = 0;
        tp.priorCwnd = Math.max(tp.sndCwnd, 1);
        tp.prrDelivered = 0;
        tp.prrOut = 0;
        tp.sndSsthresh = tp.cc.ssthresh(tp);
        if ((tp.ecnFlags & TcpEcn.OK) != 0) tp.ecnFlags |= TcpEcn.QUEUE_CWR;   // tcp_ecn_queue_cwr
    }

    /**
     * tcp_enter_cwr (RFC 3168 §6.1.2): congestion was signalled without a loss (an ECN echo, or a
     * local queue drop). ssthresh falls as for a loss, PRR takes cwnd down over the next round
     * trip; the reduction is real, so nothing may undo it. A connection already reducing (CWR,
     * Recovery, Loss) is left as it is.
     */
    static void enterCwr(TcpSock tp) {
        tp.priorSsthresh = 0;
        if (tp.caState >= CongestionOps.CA_CWR) return;
        tp.undoArmed = false;
        initCwndReduction(tp);
        var tr = tp.stack.trace();
        if (tr.on) tr.event("tcp_enter_cwr", tp + " ssthresh " + tp.sndSsthresh);
        setCaState(tp, CongestionOps.CA_CWR);
    }

    /** tcp_end_cwnd_reduction: settle at ssthresh (RFC 6937 §3 "on exit"), unless the reduction was undone. */
    private static void endCwndReduction(TcpSock tp) {
        if (tp.sndSsthresh < Integer.MAX_VALUE && (tp.caState == CongestionOps.CA_CWR || tp.undoArmed))
            tp.sndCwnd = Math.max(tp.sndSsthresh, 1);
    }

    /** Recovery reached high_seq: the episode's retransmission and loss marks go. */
    static void recoveryEnded(TcpSock tp) {
        tp.rexmit.clear();
        tp.lostBoundary = tp.sndUna;
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

    /**
     * tcp_enter_loss (RFC 6298 §5.5, RFC 5681 §3.1): after an RTO everything outstanding is lost.
     * ssthresh is reduced (and an undo record made) once per episode; F-RTO (RFC 5682 §3.1 step 1)
     * runs unless recovery was already under way, except for a timeout recurring on the same
     * snd_una (§3.2).
     */
    static void enterLoss(TcpSock tp) {
        boolean newRecovery = tp.caState < CongestionOps.CA_RECOVERY;
        int sysReordering = tp.stack.sysctl().tcpReordering.value();
        // A timeout after many dupacks in Disorder says the reordering degree was overestimated.
        if (tp.caState <= CongestionOps.CA_DISORDER && tp.sackOk && tp.sackedSegs() >= sysReordering)
            tp.reordering = Math.min(tp.reordering, sysReordering);
        tp.lostBoundary = tp.sndNxt;
        tp.highRxt = tp.sndUna;
        tp.rexmit.clear();
        if (!tp.sackOk) tp.dupAcks = 0;
        if (tp.caState <= CongestionOps.CA_DISORDER || SeqNum.ge(tp.sndUna, tp.highSeq)
                || tp.caState == CongestionOps.CA_LOSS && tp.retransmits == 0) {
            tp.priorSsthresh = currentSsthresh(tp);
            tp.priorCwnd = tp.sndCwnd;
            tp.sndSsthresh = tp.cc.ssthresh(tp);
            tp.cc.cwndEvent(tp, CongestionOps.EVENT_LOSS);
            TcpUndo.init(tp);
        }
        tp.sndCwnd = tp.packetsInFlight() + 1;
        tp.sndCwndCnt = 0;
        setCaState(tp, CongestionOps.CA_LOSS);
        tp.highSeq = tp.sndNxt;
        tp.frtoSendNew = false;
        tp.frto = tp.stack.sysctl().tcpFrto.value() != 0 && (newRecovery || tp.retransmits > 0);
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
        tp.sndSsthresh = currentSsthresh(tp);
        tp.priorSsthresh = 0;
        tp.undoArmed = false;
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
