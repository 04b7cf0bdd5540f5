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
     * marked. Returns the number of bytes newly SACKed.
     */
    static long sacktag(TcpSock tp, TcpOptions o, int ack) {
        long newly = 0;
        for (int i = 0; i < o.sackCount; i++) {
            int s = o.sackLeft[i], e = o.sackRight[i];
            if (i == 0) {
                boolean dsack = SeqNum.lt(s, ack) && SeqNum.le(e, ack)
                        || o.sackCount > 1 && SeqNum.ge(s, o.sackLeft[1]) && SeqNum.le(e, o.sackRight[1]);
                if (dsack) {
                    tp.tcp.ext.inc(TcpExtMib.TCPDSACKRecv);
                    tp.dsackDups++;
                    continue;
                }
            }
            // Only blocks inside what we sent count (RFC 2018: ignore the rest).
            if (!SeqNum.lt(s, e) || SeqNum.lt(s, ack) && SeqNum.le(e, ack) || SeqNum.gt(e, tp.sndNxt)) continue;
            if (SeqNum.lt(s, ack)) s = ack;
            long n = tp.sacked.add(s, e);
            if (n > 0) {
                tp.rexmit.remove(s, e);
                newly += n;
            }
        }
        return newly;
    }

    /**
     * RFC 6675 §4 IsLost over the whole scoreboard: walking down from the highest SACKed range,
     * the first point with more than (reordering − 1)·MSS SACKed bytes above it; every hole below
     * it is lost.
     */
    static void markLost(TcpSock tp) {
        IntervalList sk = tp.sacked;
        if (sk.isEmpty()) return;
        // RACK (RFC 8985 §6.2) with a zero reordering window, as Linux runs it while no reordering
        // was seen and the connection is already recovering or has DupThresh segments SACKed:
        // every hole sent before the most recently delivered segment (the highest SACKed one,
        // the flight having left in sequence order) is lost.
        if ((tp.stack.sysctl().tcpRecovery.value() & 1) != 0
                && (tp.caState >= CongestionOps.CA_RECOVERY || sk.bytes() >= (long) tp.reordering * tp.mssCache)) {
            int top = sk.start(sk.count() - 1);
            if (SeqNum.gt(top, tp.lostBoundary)) tp.lostBoundary = top;
            return;
        }
        long acc = 0;
        long thresh = (long) (tp.reordering - 1) * tp.mssCache;
        for (int i = sk.count() - 1; i >= 0; i--) {
            acc += sk.end(i) - sk.start(i);
            if (acc > thresh) {
                if (SeqNum.gt(sk.start(i), tp.lostBoundary)) tp.lostBoundary = sk.start(i);
                return;
            }
        }
    }

    /**
     * tcp_fastretrans_alert and the congestion-window part of tcp_ack: called once per ACK after
     * the cumulative ACK and the SACK blocks were applied.
     *
     * @param ackedBytes bytes newly cumulatively acknowledged
     * @param sackedBytes bytes newly SACKed
     * @param isDup the ACK was a duplicate in RFC 5681's sense
     */
    static void onAck(TcpSock tp, int priorUna, long ackedBytes, long sackedBytes, boolean isDup) {
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
        if (tp.sackOk && tp.caState != CongestionOps.CA_LOSS) markLost(tp);
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
                return;
            }
            case CongestionOps.CA_LOSS -> {
                if (SeqNum.ge(tp.sndUna, tp.highSeq)) {
                    setCaState(tp, CongestionOps.CA_OPEN);
                    tp.rexmit.clear();
                    tp.lostBoundary = tp.sndUna;
                } else if (!tp.sackOk && ackedBytes > 0) {
                    tp.highRxt = SeqNum.max(tp.highRxt, tp.sndUna);
                }
                if (ackedPkts > 0) tp.cc.congAvoid(tp, ackedPkts);
                return;
            }
            default -> { }
        }
        // Open or Disorder: is there a loss to recover from?
        boolean lost = tp.sackOk ? SeqNum.gt(tp.lostBoundary, tp.sndUna) : tp.dupAcks >= tp.reordering;
        if (lost && tp.sndUna != tp.sndNxt) {
            enterRecovery(tp);
            cwndReduction(tp, deliveredPkts, false);
            return;
        }
        setCaState(tp, (tp.sackOk ? !tp.sacked.isEmpty() : tp.dupAcks > 0) ? CongestionOps.CA_DISORDER
                : CongestionOps.CA_OPEN);
        // tcp_may_raise_cwnd: grow only when snd_una advanced, by what was newly delivered.
        if (ackedPkts > 0 && deliveredPkts > 0) tp.cc.congAvoid(tp, deliveredPkts);
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
        tp.rexmit.clear();
        if (!tp.sackOk) tp.lostBoundary = tp.sndUna + tp.mssCache;   // the head is lost
        setCaState(tp, CongestionOps.CA_RECOVERY);
    }

    private static void exitRecovery(TcpSock tp) {
        // tcp_end_cwnd_reduction: settle at ssthresh (RFC 6937 §3 "on exit").
        if (tp.sndSsthresh < Integer.MAX_VALUE) tp.sndCwnd = Math.max(Math.min(tp.sndCwnd, tp.sndSsthresh), 1);
        if (tp.sndCwnd < tp.sndSsthresh) tp.sndCwnd = tp.sndSsthresh;
        tp.rexmit.clear();
        tp.lostBoundary = tp.sndUna;
        if (!tp.sackOk) tp.dupAcks = 0;
        setCaState(tp, CongestionOps.CA_OPEN);
    }

    /**
     * tcp_cwnd_reduction, RFC 6937 PRR: while pipe exceeds ssthresh send in proportion to what was
     * delivered (prr_delivered·ssthresh/RecoverFS − prr_out); below it, slow-start back up to
     * ssthresh (PRR-SSRB) when the ACK advanced snd_una and marked nothing newly lost, else
     * conservatively (PRR-CRB); never less than one segment when recovery starts.
     */
    static void cwndReduction(TcpSock tp, int deliveredPkts, boolean unaAdvanced) {
        if (deliveredPkts <= 0 && tp.prrOut > 0) return;
        tp.prrDelivered += deliveredPkts;
        int inflight = tp.packetsInFlight();
        int delta = tp.sndSsthresh - inflight;
        long sndcnt;
        if (delta < 0) {
            long dividend = (long) tp.sndSsthresh * tp.prrDelivered + tp.priorCwnd - 1;
            sndcnt = dividend / tp.priorCwnd - tp.prrOut;
        } else if (unaAdvanced) {
            // PRR-SSRB: slow-start back towards ssthresh, one segment more than was delivered.
            sndcnt = Math.min(delta, Math.max(tp.prrDelivered - tp.prrOut, deliveredPkts) + 1);
        } else {
            // PRR-CRB: conservative, no more than was delivered.
            sndcnt = Math.min(delta, deliveredPkts);
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
        tp.rttTiming = false;
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
            // Resending the head restarts the RTO (and ends any loss probe standing in for it).
            if (!tp.rtxTimer.armed() || seq == tp.sndUna || tp.pendingTimer != TcpSock.TIME_RETRANS)
                TcpTimers.resetRetrans(tp, tp.rtoNs);
            seq = end;
        }
    }
}
