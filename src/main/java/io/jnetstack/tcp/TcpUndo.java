package io.jnetstack.tcp;

import io.jnetstack.wire.SeqNum;
import io.jnetstack.wire.TcpOptions;

/**
 * Taking back a window reduction that proved unnecessary, and F-RTO: tcp_input.c's undo
 * procedures (tcp_try_undo_recovery, _partial, _dsack, _loss) and tcp_process_loss.
 *
 * <p>A reduction is spurious when what it reacted to was not lost after all. Linux knows it three
 * ways, and so does this class:
 * <ul>
 *   <li>Eifel detection (RFC 3522, tcp_packet_delayed): the ACK's timestamp echo predates the
 *       episode's first retransmission, so an original, not a retransmission, was delivered;
 *   <li>D-SACK (RFC 3708, tcp_try_undo_dsack): every retransmission of the episode came back as a
 *       duplicate ({@link TcpSock#undoRetrans} counted down to 0 by {@link TcpRecovery#sacktag});
 *   <li>F-RTO (RFC 5682 with the SACK enhancement, net.ipv4.tcp_frto = 2): after an RTO, the first
 *       ACK that advances snd_una sends new data instead of more retransmissions; if the next ACK
 *       then covers data never retransmitted, the RTO was spurious.
 * </ul>
 * Undoing restores cwnd through {@link CongestionOps#undoCwnd} and ssthresh from prior_ssthresh,
 * and returns to Open. Measured on Linux 6.18 (a real socket against a scripted peer over TUN):
 * an RTO whose ACK echoes the original's timestamp goes straight back to Open with cwnd and
 * ssthresh restored (TCPLossUndo); without timestamps the ACK of the retransmitted head sends two
 * new segments, and an ACK of original data after them undoes (TCPLossUndo, TCPSpuriousRTOs),
 * while a SACK of only the new data keeps the loss and retransmits.
 */
final class TcpUndo {
    private TcpUndo() {}

    /**
     * tcp_init_undo: a reduction begins now. Retransmissions still in flight (a loss probe's
     * included) may be D-SACKed later, so they count; none at all is -1, since 0 means "undo now".
     */
    static void init(TcpSock tp) {
        tp.undoMarker = tp.sndUna;
        tp.undoArmed = true;
        int out = retransOut(tp);
        if (tp.tlpActive && tp.tlpRetrans) out++;
        tp.undoRetrans = out == 0 ? -1 : out;
    }

    /** tp->retrans_out: retransmitted segments neither acknowledged nor SACKed nor lost again. */
    static int retransOut(TcpSock tp) {
        int mss = Math.max(tp.mssCache, 1);
        return (int) ((tp.rexmit.bytes() + mss - 1) / mss);
    }

    /**
     * tcp_any_retrans_done: a retransmission is out, or the head was retransmitted (a failed
     * local send leaves only that mark).
     */
    static boolean anyRetransDone(TcpSock tp) {
        if (!tp.rexmit.isEmpty()) return true;
        int head = tp.sentLog.indexOf(tp.sndUna);
        return head >= 0 && tp.sentLog.everRetrans(head);
    }

    /**
     * tcp_packet_delayed (Eifel, RFC 3522 §3.2): the echo predates the first retransmission, so
     * the original was delivered. With no retransmission recorded, nothing was resent (a fast
     * retransmit still held back), except where the stamp is cleared while one may be out:
     * a non-SACK connection at high_seq, and an ACK of a SYN.
     */
    static boolean packetDelayed(TcpSock tp, TcpOptions o) {
        if (tp.retransStampNs != 0) return TcpRecovery.echoBeforeSend(tp, o, tp.retransStampNs);
        if (!tp.sackOk && SeqNum.ge(tp.sndUna, tp.highSeq)) return false;
        return tp.st != TcpState.SYN_SENT;
    }

    /** tcp_may_undo: a reduction is on record and either every retransmission was D-SACKed or Eifel says delayed. */
    static boolean mayUndo(TcpSock tp, TcpOptions o) {
        return tp.undoArmed && (tp.undoRetrans == 0 || packetDelayed(tp, o));
    }

    /**
     * tcp_undo_cwnd_reduction: back to the window before the episode (the congestion control's
     * undo_cwnd) and the larger ssthresh, unless ECN proved congestion (prior_ssthresh 0).
     * {@code unmarkLoss}: what was marked lost was not; RACK looks again on the next ACK.
     */
    static void undoCwndReduction(TcpSock tp, boolean unmarkLoss) {
        if (unmarkLoss) tp.lostBoundary = tp.sndUna;
        if (tp.priorSsthresh != 0) {
            tp.sndCwnd = Math.min(tp.cc.undoCwnd(tp), tp.sndCwndClamp);
            if (tp.priorSsthresh > tp.sndSsthresh) tp.sndSsthresh = tp.priorSsthresh;
        }
        tp.undoArmed = false;
        tp.rack.advanced = true;
        var tr = tp.stack.trace();
        if (tr.on) tr.event("tcp_undo_cwnd_reduction", tp + " cwnd " + tp.sndCwnd + " ssthresh " + tp.sndSsthresh);
    }

    /**
     * tcp_is_non_sack_preventing_reopen: without SACK, an ACK of exactly high_seq keeps the
     * recovery state until something above it is acknowledged (RFC 6582 §3.2 step 5: the
     * duplicate ACKs of retransmissions must not start a false fast retransmit).
     */
    static boolean nonSackPreventingReopen(TcpSock tp) {
        if (tp.sackOk || tp.sndUna != tp.highSeq) return false;
        if (!anyRetransDone(tp)) tp.retransStampNs = 0;
        return true;
    }

    /**
     * tcp_try_undo_recovery: recovery (fast or RTO) reached high_seq. Undone when nothing needed
     * resending after all (TCPFullUndo, or TCPLossUndo for an RTO); either way back to Open.
     * Returns true when a non-SACK connection must stay in the recovery state for now.
     */
    static boolean tryUndoRecovery(TcpSock tp, TcpOptions o) {
        if (mayUndo(tp, o)) {
            undoCwndReduction(tp, false);
            tp.tcp.ext.inc(tp.caState == CongestionOps.CA_LOSS ? TcpExtMib.TCPLossUndo : TcpExtMib.TCPFullUndo);
        } else {
            tp.rack.recoveryDone();
        }
        if (nonSackPreventingReopen(tp)) return true;
        TcpRecovery.setCaState(tp, CongestionOps.CA_OPEN);
        return false;
    }

    /** tcp_try_undo_dsack: every retransmission was D-SACKed; the reduction was for nothing (TCPDSACKUndo). */
    static boolean tryUndoDsack(TcpSock tp) {
        if (!tp.undoArmed || tp.undoRetrans != 0) return false;
        tp.rack.reoWndPersist = Math.min(TcpRack.RECOVERY_THRESH, tp.rack.reoWndPersist + 1);
        undoCwndReduction(tp, false);
        tp.tcp.ext.inc(TcpExtMib.TCPDSACKUndo);
        return true;
    }

    /**
     * tcp_try_undo_loss: after an RTO, an ACK advanced snd_una and Eifel (or D-SACKs) show the
     * retransmission unnecessary, or F-RTO proved the RTO spurious ({@code frtoUndo}:
     * TCPSpuriousRTOs too). The loss marks go, and a SACK connection is Open at once.
     */
    static boolean tryUndoLoss(TcpSock tp, TcpOptions o, boolean frtoUndo) {
        if (!frtoUndo && !mayUndo(tp, o)) return false;
        undoCwndReduction(tp, true);
        tp.tcp.ext.inc(TcpExtMib.TCPLossUndo);
        if (frtoUndo) tp.tcp.ext.inc(TcpExtMib.TCPSpuriousRTOs);
        tp.retransmits = 0;
        if (nonSackPreventingReopen(tp)) return true;
        if (frtoUndo || tp.sackOk) TcpRecovery.setCaState(tp, CongestionOps.CA_OPEN);
        return true;
    }

    /**
     * tcp_try_undo_partial: a partial ACK in fast recovery whose echo predates the first
     * retransmission, so the hole was filled by a late original: reordering, not loss. With
     * retransmissions still out, recovery only stops marking and resending (returns true); with
     * none, the reduction is undone (TCPPartialUndo).
     */
    static boolean tryUndoPartial(TcpSock tp, TcpOptions o, int priorUna) {
        if (!tp.undoArmed || !packetDelayed(tp, o)) return false;
        TcpRecovery.checkSackReordering(tp, priorUna, tp.sacked.highestEnd(tp.sndUna), true);
        if (!tp.rexmit.isEmpty()) return true;
        if (!anyRetransDone(tp)) tp.retransStampNs = 0;
        undoCwndReduction(tp, true);
        tp.tcp.ext.inc(TcpExtMib.TCPPartialUndo);
        TcpRecovery.tryKeepOpen(tp);
        return false;
    }

    /**
     * tcp_process_loss: an ACK in the Loss state. Returns true when F-RTO step 2b wants new data
     * sent instead of retransmissions (REXMIT_NEW); the caller then skips loss marking.
     *
     * @param unaAdvanced the ACK advanced snd_una
     * @param sacked the ACK SACKed new data
     * @param dupack the ACK was a duplicate
     */
    static boolean processLoss(TcpSock tp, TcpOptions o, AckSample s, boolean unaAdvanced, boolean sacked,
                               boolean dupack) {
        boolean recovered = SeqNum.ge(tp.sndUna, tp.highSeq);
        if (unaAdvanced && tryUndoLoss(tp, o, false)) return false;
        if (tp.frto) {
            // Step 3.b: never-retransmitted data was (S)ACKed, so not everything was lost.
            if (s.origSackAcked && tryUndoLoss(tp, o, true)) return false;
            if (SeqNum.gt(tp.sndNxt, tp.highSeq)) {
                if (sacked || dupack) tp.frto = false;          // step 3.a: the loss was real
            } else if (unaAdvanced && !recovered) {
                // Step 2.b: send new data (once the ACK grew cwnd) rather than resending more.
                tp.highSeq = tp.sndNxt;
                if (tp.notSent() > 0 && SeqNum.gt(tp.wndEnd(), tp.sndNxt)) {
                    tp.frtoSendNew = true;
                    return true;
                }
                tp.frto = false;
            }
        }
        if (recovered) {
            // Step 2.a, and the first part of 3.a: an ordinary end of the RTO recovery.
            if (!tryUndoRecovery(tp, o)) TcpRecovery.recoveryEnded(tp);
            return false;
        }
        if (!tp.sackOk && unaAdvanced) tp.highRxt = SeqNum.max(tp.highRxt, tp.sndUna);
        return false;
    }
}
