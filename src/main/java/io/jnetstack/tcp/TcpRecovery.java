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
        long now = tp.stack.now();
        TcpSentLog log = tp.sentLog;
        int priorFack = tp.sacked.highestEnd(tp.sndUna);
        int reord = 0;
        boolean reordFound = false;
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
            // Whole segments only (tcp_match_skb_to_sack): a block that covers part of a segment
            // says nothing certain about the rest of it, so that part is not marked.
            int h = log.indexOf(s);
            if (h >= 0 && SeqNum.lt(log.start(h), s)) s = log.end(h);
            int t = log.indexOf(e - 1);
            if (t >= 0 && SeqNum.le(log.start(t), e - 1) && SeqNum.gt(log.end(t), e)) e = log.start(t);
            if (!SeqNum.lt(s, e)) continue;
            // tcp_sacktag_one: RACK learns from each newly SACKed segment; one never retransmitted
            // SACKed below an earlier SACK arrived out of order.
            for (int k = log.indexOf(s); k >= 0 && k < log.count() && SeqNum.lt(log.start(k), e); k++) {
                if (tp.sacked.find(log.start(k)) >= 0) continue;
                rackAdvance(tp, k, now);
                if (!log.retrans(k) && SeqNum.lt(log.start(k), priorFack) && (!reordFound || SeqNum.lt(log.start(k), reord))) {
                    reord = log.start(k);
                    reordFound = true;
                }
            }
            long n = tp.sacked.add(s, e);
            if (n > 0) {
                tp.rexmit.remove(s, e);
                newly += n;
            }
        }
        if (reordFound) checkSackReordering(tp, reord, tp.sacked.highestEnd(tp.sndUna));
        return newly;
    }

    /**
     * tcp_clean_rtx_queue's RACK and reordering part, before [priorUna, ack) leaves the log: each
     * segment delivered now (not SACKed before) advances RACK, and one never retransmitted that is
     * cumulatively ACKed below an earlier SACK arrived out of order. A retransmitted segment does
     * not advance RACK here: without timestamps a cumulative ACK cannot say which copy arrived
     * (RFC 8985 §6.2 step 2's ambiguity), and Linux 6.18 is observed to leave RACK alone
     * (prr-ss-ack-below-snd_una: the segment after the SACKed one is not marked lost).
     */
    static void onCumulativeAck(TcpSock tp, int priorUna, int ack) {
        TcpSentLog log = tp.sentLog;
        long now = tp.stack.now();
        int priorFack = tp.sacked.highestEnd(priorUna);
        int reord = 0;
        boolean reordFound = false;
        for (int k = log.indexOf(priorUna); k >= 0 && k < log.count() && SeqNum.le(log.end(k), ack); k++) {
            if (tp.sacked.find(log.start(k)) >= 0) continue;
            if (!log.retrans(k)) rackAdvance(tp, k, now);
            if (!reordFound && !log.retrans(k)) {
                reord = log.start(k);
                reordFound = true;
            }
        }
        if (reordFound && SeqNum.lt(reord, priorFack)) checkSackReordering(tp, reord, priorFack);
        log.trimBelow(ack);
    }

    /**
     * tcp_check_sack_reordering: data below {@code fack} (the highest SACKed sequence) arrived
     * after it; the reordering degree grows to that distance in segments (at most
     * tcp_max_reordering), and RACK from now on allows a reordering window even in recovery.
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
        tp.rackReord = true;
        tp.reordSeen++;
        tp.tcp.ext.inc(TcpExtMib.TCPSACKReorder);
    }

    /** RACK's "sent after" order (RFC 8985 §6.2): by send time, ties broken by sequence. */
    private static boolean sentAfter(long t1, int seq1, long t2, int seq2) {
        return t1 > t2 || t1 == t2 && SeqNum.gt(seq1, seq2);
    }

    /**
     * tcp_rack_advance (RFC 8985 §6.2 step 2): log segment {@code k} was delivered. RACK follows
     * the most recently sent delivered segment and its RTT; a retransmission acknowledged in less
     * than the minimum RTT is taken for the original's ACK and teaches nothing.
     */
    private static void rackAdvance(TcpSock tp, int k, long now) {
        TcpSentLog log = tp.sentLog;
        long sent = log.sentNs(k);
        long rttUs = (now - sent) / 1000;
        if (log.retrans(k) && rttUs < tp.minRttUs) return;
        if (log.order(k) > tp.rackOrder) {
            tp.rackOrder = log.order(k);
            tp.rackSentNs = sent;
            tp.rackEndSeq = log.end(k);
            tp.rackRttUs = rttUs;
        }
    }

    /**
     * tcp_rack_reo_wnd (RFC 8985 §6.2 step 4): a quarter of the minimum RTT (at most SRTT) of
     * tolerated reordering, or none while no reordering was ever seen and the connection is
     * already recovering or has DupThresh segments SACKed.
     */
    private static long rackReoWndUs(TcpSock tp) {
        if (!tp.rackReord && (tp.caState >= CongestionOps.CA_RECOVERY
                || tp.sacked.bytes() >= (long) tp.reordering * tp.mssCache)) return 0;
        long srtt = tp.srttUs >> 3;
        long minRtt = tp.minRttUs == Long.MAX_VALUE ? srtt : tp.minRttUs;
        return Math.min(minRtt / 4 * tp.rackReoWndMult, srtt);
    }

    /**
     * tcp_rack_update_reo_wnd (RFC 8985 §6.2 step 4): a D-SACK means a retransmission was
     * spurious, so the reordering window widens by min_RTT/4, at most once per round trip, and
     * stays wide for the next 16 recoveries.
     */
    static void rackUpdateReoWnd(TcpSock tp, boolean dsack) {
        if (tp.rackDsackRoundSet && SeqNum.ge(tp.sndUna, tp.rackDsackRound)) tp.rackDsackRoundSet = false;
        if (!dsack || tp.rackDsackRoundSet) return;
        tp.rackDsackRoundSet = true;
        tp.rackDsackRound = tp.sndNxt;
        tp.rackReoWndMult = Math.min(tp.rackReoWndMult + 1, 255);
        tp.rackReoWndPersist = 16;
    }

    /** Leaving fast or RTO recovery: a widened reordering window decays after 16 of them. */
    private static void rackRecoveryDone(TcpSock tp) {
        if (tp.rackReoWndPersist > 0 && --tp.rackReoWndPersist == 0) tp.rackReoWndMult = 1;
    }

    /**
     * tcp_rack_detect_loss (RFC 8985 §6.2 step 5): a segment sent before the most recently
     * delivered one is lost once RACK.rtt plus the reordering window has passed since it was sent.
     * That holds for retransmissions too: a lost one leaves the retransmitted set to go again.
     * Returns how long until the next not-yet-lost such segment would be (0: none).
     */
    private static long rackDetectLoss(TcpSock tp, long now) {
        if (tp.rackSentNs == Long.MIN_VALUE) return 0;
        TcpSentLog log = tp.sentLog;
        long windowNs = (tp.rackRttUs + rackReoWndUs(tp)) * 1000;
        long timeout = 0;
        for (int k = log.indexOf(tp.sndUna); k >= 0 && k < log.count(); k++) {
            int s = log.start(k);
            boolean markedLost = SeqNum.lt(s, tp.lostBoundary);
            // Already lost and not resent since: nothing more to learn (a resent one may be lost again).
            if (markedLost && (!log.retrans(k) || tp.rexmit.find(s) < 0)) continue;
            if (tp.sacked.find(s) >= 0) continue;
            if (tp.rackOrder <= log.order(k)) continue;
            long remaining = log.sentNs(k) + windowNs - now;
            if (remaining > 0) {
                timeout = Math.max(timeout, remaining);
            } else if (markedLost) {
                // A lost retransmission (tcp_mark_skb_lost on a SACKED_RETRANS skb): send it again.
                tp.rexmit.remove(s, log.end(k));
                tp.highRxt = SeqNum.min(tp.highRxt, s);
                tp.tcp.ext.inc(TcpExtMib.TCPLostRetransmit);
            } else if (SeqNum.gt(log.end(k), tp.lostBoundary)) {
                tp.lostBoundary = log.end(k);
            }
        }
        return timeout;
    }

    /**
     * tcp_rack_mark_lost: marks what RACK deems lost and, for segments still inside the
     * reordering window, arms the reorder timer (sharing the retransmit timer, as
     * ICSK_TIME_REO_TIMEOUT does) to look again when the window closes. Returns whether it did.
     */
    static boolean rackMarkLost(TcpSock tp) {
        long timeout = rackDetectLoss(tp, tp.stack.now());
        if (timeout <= 0) return false;
        // usecs_to_jiffies rounds up to the millisecond; TCP_TIMEOUT_MIN adds two more.
        long ms = (timeout + TcpSock.MS - 1) / TcpSock.MS + 2;
        tp.pendingTimer = TcpSock.TIME_REO_TIMEOUT;
        tp.stack.scheduler().arm(tp.rtxTimer, tp.stack.now() + ms * TcpSock.MS);
        return true;
    }

    /**
     * tcp_rack_reo_timeout (RFC 8985 §6.3): the reordering window closed. Whatever RACK now
     * deems lost starts (or continues) fast recovery and is retransmitted; then the RTO (or
     * another reorder timeout) takes the timer back.
     */
    static void rackReoTimeout(TcpSock tp) {
        int lostBefore = tp.lostBoundary;
        boolean rearmed = rackMarkLost(tp);
        if (SeqNum.gt(tp.lostBoundary, lostBefore)) {
            var tr = tp.stack.trace();
            if (tr.on) tr.event("tcp_rack_reo_timeout", tp + " lost up to " + Integer.toUnsignedString(tp.lostBoundary));
            if (tp.caState != CongestionOps.CA_RECOVERY) {
                enterRecovery(tp);
                cwndReduction(tp, 1, false);
            }
            xmitRetransmitQueue(tp);
        }
        if (!rearmed && tp.pendingTimer != TcpSock.TIME_RETRANS) TcpTimers.rearmRto(tp);
    }

    /**
     * RFC 6675 §4 IsLost over the whole scoreboard: walking down from the highest SACKed range,
     * the first point with more than (reordering − 1)·MSS SACKed bytes above it; every hole below
     * it is lost.
     */
    static boolean markLost(TcpSock tp) {
        IntervalList sk = tp.sacked;
        // RACK (RFC 8985 §6.2) replaces the DupThresh rule when tcp_recovery enables it.
        if ((tp.stack.sysctl().tcpRecovery.value() & 1) != 0) return rackMarkLost(tp);
        if (sk.isEmpty()) return false;
        long acc = 0;
        long thresh = (long) (tp.reordering - 1) * tp.mssCache;
        for (int i = sk.count() - 1; i >= 0; i--) {
            acc += sk.end(i) - sk.start(i);
            if (acc > thresh) {
                if (SeqNum.gt(sk.start(i), tp.lostBoundary)) tp.lostBoundary = sk.start(i);
                return false;
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
                    rackRecoveryDone(tp);
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
        // tcp_may_raise_cwnd: grow only when snd_una advanced, by what was newly delivered.
        if (ackedPkts > 0 && deliveredPkts > 0) tp.cc.congAvoid(tp, deliveredPkts);
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
        rackRecoveryDone(tp);
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
