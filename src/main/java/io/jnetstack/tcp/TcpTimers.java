package io.jnetstack.tcp;

import io.jnetstack.stack.Sysctls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.wire.SeqNum;

import static io.jnetstack.tcp.TcpSock.MS;

/**
 * tcp_timer.c: the retransmission timer (RFC 6298 with Linux's bounds: initial 1 s, minimum
 * 200 ms, maximum 120 s, exponential backoff; SYNs with net.ipv4.tcp_syn_linear_timeouts), the
 * zero-window probe (persist) timer sharing it, delayed ACKs, keepalive, FIN_WAIT2 and TIME_WAIT,
 * the SYN-ACK timer of request socks, and the RTT estimator that feeds the RTO.
 */
final class TcpTimers {
    private TcpTimers() {}

    /** tcp_syn_linear_timeouts (Linux 6.x, default 4): SYN retransmits that keep the initial RTO. */
    static int synLinearTimeouts(Sysctls s) {
        return s.define("net.ipv4.tcp_syn_linear_timeouts", 0, 255, 4).value();
    }

    // ------------------------------------------------------------------ arming

    /** inet_csk_reset_xmit_timer(ICSK_TIME_RETRANS). */
    static void resetRetrans(TcpSock tp, long whenNs) {
        tp.pendingTimer = TcpSock.TIME_RETRANS;
        tp.rtoDeadlineNs = tp.stack.now() + Math.min(whenNs, TcpSock.RTO_MAX);
        tp.stack.scheduler().arm(tp.rtxTimer, tp.rtoDeadlineNs);
    }

    /**
     * New data went out (tcp_event_new_data_sent): start the RTO if nothing was pending, and if a
     * loss probe stands in for it, put the RTO back at its own time (tcp_rearm_rto's
     * tcp_rto_delta_us) so the probe can be rescheduled from there.
     */
    static void newDataSent(TcpSock tp) {
        if (tp.fastopenRsk != null) return;                     // the timer resends a Fast Open child's SYN-ACK
        if (!tp.rtxTimer.armed() || tp.pendingTimer == TcpSock.TIME_PROBE0) {
            resetRetrans(tp, tp.rtoNs);
        } else if (tp.pendingTimer == TcpSock.TIME_LOSS_PROBE) {
            tp.pendingTimer = TcpSock.TIME_RETRANS;
            tp.stack.scheduler().arm(tp.rtxTimer, Math.max(tp.rtoDeadlineNs, tp.stack.now() + 1000));
        }
    }

    /**
     * tcp_schedule_loss_probe (RFC 8985 §7.2): for a SACK connection in Open state with data in
     * flight, fire a tail loss probe after PTO = 2·SRTT (plus the peer's delayed-ACK allowance
     * when a single segment is out, Linux's RTO_MIN), but never later than the RTO would fire.
     * {@code advancingRto}: an ACK just advanced snd_una, so the RTO would restart from now.
     * Returns whether the probe timer was armed.
     */
    static boolean scheduleLossProbe(TcpSock tp, boolean advancingRto) {
        int er = tp.stack.sysctl().tcpEarlyRetrans.value();
        if (er != 3 && er != 4 || tp.sndUna == tp.sndNxt || !tp.sackOk || tp.caState != CongestionOps.CA_OPEN
                || tp.st.handshake()) return false;
        long now = tp.stack.now();
        long timeout;
        if (tp.srttUs != 0) {
            timeout = (tp.srttUs >> 2) * 1000;                   // srtt_us is 8·SRTT: this is 2·SRTT
            timeout += tp.packetsOut() == 1 ? TcpSock.RTO_MIN : 2 * MS;
        } else {
            timeout = TcpSock.TIMEOUT_INIT;
        }
        long rtoDelta = advancingRto ? tp.rtoNs : tp.rtoDeadlineNs - now;
        if (!advancingRto && !tp.rtxTimer.armed()) rtoDelta = tp.rtoNs;
        if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
        if (advancingRto) tp.rtoDeadlineNs = now + tp.rtoNs;
        tp.pendingTimer = TcpSock.TIME_LOSS_PROBE;
        tp.stack.scheduler().arm(tp.rtxTimer, now + timeout);
        return true;
    }

    /** tcp_set_xmit_timer: after an ACK that acknowledged data, a loss probe or else the RTO. */
    static void setXmitTimer(TcpSock tp) {
        if (!scheduleLossProbe(tp, true)) rearmRto(tp);
    }

    /**
     * tcp_send_loss_probe (RFC 8985 §7.3): send one new segment if the window allows (even past
     * cwnd), else retransmit the last segment sent, so its ACK (or SACK) reveals a tail loss
     * without waiting for the RTO. One probe per flight; then the RTO restarts from now.
     */
    static void sendLossProbe(TcpSock tp) {
        Tcp tcp = tp.tcp;
        var tr = tp.stack.trace();
        if (!tp.tlpActive && tp.caState == CongestionOps.CA_OPEN) {
            int before = tp.sndNxt;
            int segEnd = tp.sendBuf.segmentLimit(tp.sndNxt);
            int len = Math.min(tp.mssCache, segEnd - tp.sndNxt);
            if (SeqNum.lt(tp.sndNxt, tp.sendBuf.endSeq()) && !SeqNum.gt(tp.sndNxt + len, tp.wndEnd())) {
                tcp.output.writeXmitOne(tp);
            }
            if (tp.sndNxt != before) {
                if (tr.on) tr.event("tcp_send_loss_probe", tp + " new data");
                tp.tlpRetrans = false;
            } else {
                int seq = SeqNum.max(tp.lastSegSeq, tp.sndUna);
                if (SeqNum.ge(seq, tp.sndNxt)) seq = tp.sndUna;
                if (tr.on) tr.event("tcp_send_loss_probe", tp + " retransmit " + Integer.toUnsignedString(seq));
                tcp.output.retransmitProbe(tp, seq, tp.sndNxt);
                tp.tlpRetrans = true;
            }
            tp.tlpActive = true;
            tp.tlpHighSeq = tp.sndNxt;
            tcp.ext.inc(TcpExtMib.TCPLossProbes);
        }
        if (tp.sndUna != tp.sndNxt) resetRetrans(tp, tp.rtoNs);
        else clearXmit(tp);
    }

    /**
     * tcp_process_tlp_ack (RFC 8985 §7.4): the ACK for a probe. A probe of new data, or one the
     * receiver reports as a duplicate, means nothing was lost; an ACK beyond the probe's
     * snd_nxt means it repaired a loss, so the window is reduced once (to ssthresh).
     */
    static void processTlpAck(TcpSock tp, int ack, boolean advanced, boolean dsack, boolean dataSacked) {
        if (!tp.tlpActive || SeqNum.lt(ack, tp.tlpHighSeq)) return;
        if (!tp.tlpRetrans || dsack) {
            tp.tlpActive = false;
        } else if (SeqNum.gt(ack, tp.tlpHighSeq)) {
            tp.tlpActive = false;
            tp.sndSsthresh = tp.cc.ssthresh(tp);
            tp.sndCwnd = Math.max(1, Math.min(tp.sndCwnd, tp.sndSsthresh));
            tp.tcp.ext.inc(TcpExtMib.TCPLossProbeRecovery);
        } else if (!advanced && !dataSacked) {
            tp.tlpActive = false;
        }
    }

    /** tcp_rearm_rto (RFC 6298 §5.2/5.3): restart on new ACKs, stop when nothing is outstanding. */
    static void rearmRto(TcpSock tp) {
        if (tp.fastopenRsk != null) return;                     // the timer resends a Fast Open child's SYN-ACK
        if (tp.sndUna == tp.sndNxt) clearXmit(tp);
        else resetRetrans(tp, tp.rtoNs);
    }

    /** tcp_reset_xmit_timer for ICSK_TIME_PROBE0: the persist timer, backed off like the RTO. */
    static void armProbe(TcpSock tp) {
        if (tp.rtxTimer.armed() && tp.pendingTimer == TcpSock.TIME_PROBE0) return;
        tp.pendingTimer = TcpSock.TIME_PROBE0;
        long when = Math.min(tp.rtoNs << Math.min(tp.backoff, 20), TcpSock.RTO_MAX);
        tp.stack.scheduler().arm(tp.rtxTimer, tp.stack.now() + Math.max(when, TcpSock.RTO_MIN));
    }

    static void clearXmit(TcpSock tp) {
        tp.pendingTimer = 0;
        tp.stack.scheduler().cancel(tp.rtxTimer);
    }

    static void resetKeepalive(TcpSock tp, long inNs) {
        tp.stack.scheduler().arm(tp.keepaliveTimer, tp.stack.now() + inNs);
    }

    /** inet_csk_clear_xmit_timers on close: every timer of the connection stops. */
    static void clearAll(TcpSock tp) {
        var s = tp.stack.scheduler();
        s.cancel(tp.rtxTimer);
        s.cancel(tp.delackTimer);
        s.cancel(tp.keepaliveTimer);
        s.cancel(tp.twTimer);
        tp.pendingTimer = 0;
    }

    // ------------------------------------------------------------------ RTT (RFC 6298 §2, Linux's tcp_rtt_estimator)

    /**
     * tcp_rtt_estimator + tcp_set_rto: srtt += (m − srtt)/8, mdev tracks |m − srtt| with gain 1/4
     * (a decrease counts only 1/8, so a falling RTT does not inflate the variance), rttvar is the
     * largest mdev of the last RTT but at least RTO_MIN, and RTO = srtt + rttvar.
     */
    static void rttEstimator(TcpSock tp, long mUs) {
        if (mUs <= 0) mUs = 1;
        tp.minRttUs = Math.min(tp.minRttUs, mUs);
        long rtoMinUs = TcpSock.RTO_MIN / 1000;
        if (tp.srttUs != 0) {
            long m = mUs - (tp.srttUs >> 3);
            tp.srttUs += m;
            if (m < 0) {
                m = -m - (tp.mdevUs >> 2);
                if (m > 0) m >>= 3;
            } else {
                m -= tp.mdevUs >> 2;
            }
            tp.mdevUs += m;
            if (tp.mdevUs > tp.mdevMaxUs) {
                tp.mdevMaxUs = tp.mdevUs;
                if (tp.mdevMaxUs > tp.rttvarUs) tp.rttvarUs = tp.mdevMaxUs;
            }
            if (SeqNum.gt(tp.sndUna, tp.rttSeq)) {     // once per RTT: let rttvar decay towards mdev_max
                if (tp.mdevMaxUs < tp.rttvarUs) tp.rttvarUs -= (tp.rttvarUs - tp.mdevMaxUs) >> 2;
                tp.rttSeq = tp.sndNxt;
                tp.mdevMaxUs = rtoMinUs;
            }
        } else {
            tp.srttUs = mUs << 3;
            tp.mdevUs = mUs << 1;
            tp.rttvarUs = Math.max(tp.mdevUs, rtoMinUs);
            tp.mdevMaxUs = tp.rttvarUs;
            tp.rttSeq = tp.sndNxt;
        }
        long rtoUs = (tp.srttUs >> 3) + tp.rttvarUs;
        tp.rtoNs = Math.min(rtoUs * 1000, TcpSock.RTO_MAX);
    }

    // ------------------------------------------------------------------ the write timer

    /** tcp_write_timer_handler: RTO or persist, whichever the shared timer stands for. */
    static void writeTimer(TcpSock tp) {
        if (tp.st == TcpState.CLOSE || tp.st == TcpState.LISTEN) return;
        int ev = tp.pendingTimer;
        tp.pendingTimer = 0;
        if (ev == TcpSock.TIME_PROBE0) probeTimer(tp);
        else if (ev == TcpSock.TIME_LOSS_PROBE) sendLossProbe(tp);
        else if (ev == TcpSock.TIME_REO_TIMEOUT) tp.rack.reoTimeout(tp);
        else retransmitTimer(tp);
    }

    /** tcp_retransmit_timer (RFC 6298 §5.4–5.7). */
    static void retransmitTimer(TcpSock tp) {
        Tcp tcp = tp.tcp;
        var tr = tp.stack.trace();
        if (tp.fastopenRsk != null) {
            tcp.fastopen.synackTimer(tp);
            return;
        }
        if (tp.st == TcpState.SYN_SENT || tp.st == TcpState.SYN_RECV) {
            if (writeTimeout(tp)) return;
            if (tr.on) tr.event("tcp_retransmit_timer", tp + " SYN retransmit #" + (tp.retransmits + 1));
            if (tp.st == TcpState.SYN_SENT) tcp.output.sendSyn(tp);
            else tcp.output.sendSynAckFromSock(tp);
            tcp.mib.inc(TcpMib.RetransSegs);
            tcp.ext.inc(TcpExtMib.TCPSynRetrans);
            tp.totalRetrans++;
            tp.retransmits++;
            tp.backoff++;
            // Linux 6.x: the first tcp_syn_linear_timeouts SYN retransmissions keep the initial RTO.
            if (!(tp.st == TcpState.SYN_SENT && tp.retransmits <= synLinearTimeouts(tp.stack.sysctl())))
                tp.rtoNs = Math.min(tp.rtoNs << 1, TcpSock.RTO_MAX);
            resetRetrans(tp, tp.rtoNs);
            return;
        }
        if (tp.sndUna == tp.sndNxt) return;
        tcp.ext.inc(TcpExtMib.TCPTimeouts);
        if (writeTimeout(tp)) return;
        if (tp.retransmits == 0) {
            // Which recovery the timeout cut short.
            TcpExtMib m = switch (tp.caState) {
                case CongestionOps.CA_RECOVERY -> tp.sackOk ? TcpExtMib.TCPSackRecoveryFail : TcpExtMib.TCPRenoRecoveryFail;
                case CongestionOps.CA_LOSS -> TcpExtMib.TCPLossFailures;
                case CongestionOps.CA_DISORDER -> tp.sackOk ? TcpExtMib.TCPSackFailures : TcpExtMib.TCPRenoFailures;
                default -> !tp.sacked.isEmpty() ? TcpExtMib.TCPSackFailures : null;
            };
            if (m != null) tcp.ext.inc(m);
        }
        if (tr.on) tr.event("tcp_retransmit_timer", tp + " RTO " + tp.rtoNs / MS + "ms, snd_una "
                + Integer.toUnsignedString(tp.sndUna) + " backoff " + tp.backoff);
        tp.tlpActive = false;
        TcpRecovery.enterLoss(tp);
        tp.retransmits++;
        int holeEnd = tp.sackOk && !tp.sacked.isEmpty() && SeqNum.gt(tp.sacked.start(0), tp.sndUna)
                ? tp.sacked.start(0) : tp.sndNxt;
        int end = tcp.output.retransmit(tp, tp.sndUna, holeEnd);
        if (!SeqNum.gt(end, tp.sndUna)) {
            // The local queue refused it: try again soon, without backing off (congestion here
            // says nothing about the path).
            resetRetrans(tp, RESOURCE_PROBE_INTERVAL);
            return;
        }
        tp.rexmit.add(tp.sndUna, end);
        tp.highRxt = end;
        tp.backoff++;
        tp.rtoNs = Math.min(tp.rtoNs << 1, TcpSock.RTO_MAX);
        resetRetrans(tp, tp.rtoNs);
    }

    /**
     * tcp_write_timeout: has this connection retried long enough? SYNs: tcp_syn_retries (or
     * TCP_SYNCNT) in tcp_model_timeout's time with a 1 s base; data: tcp_retries2 with a 200 ms
     * base (orphans: tcp_orphan_retries); TCP_USER_TIMEOUT replaces either when set.
     */
    static boolean writeTimeout(TcpSock tp) {
        Sysctls sys = tp.stack.sysctl();
        boolean syn = tp.st == TcpState.SYN_SENT || tp.st == TcpState.SYN_RECV;
        int retryUntil;
        long base;
        if (syn) {
            retryUntil = tp.synRetries > 0 ? tp.synRetries : sys.tcpSynRetries.value();
            base = TcpSock.TIMEOUT_INIT;
        } else {
            retryUntil = sys.tcpRetries2.value();
            if (tp.isOrphan()) {
                int orphan = sys.tcpOrphanRetries.value();
                retryUntil = orphan == 0 ? 8 : orphan;
            }
            base = TcpSock.RTO_MIN;
        }
        if (tp.retransmits == 0) return false;
        long timeout = tp.userTimeoutMs > 0 ? tp.userTimeoutMs * MS : modelTimeout(retryUntil, base);
        long elapsed = tp.stack.now() - tp.retransStampNs;
        tp.tcp.fastopen.detectBlackhole(tp, elapsed >= timeout);
        if (elapsed < timeout) return false;
        writeErr(tp);
        return true;
    }

    /** tcp_model_timeout: how long {@code boundary} exponential retransmissions starting at {@code base} take. */
    static long modelTimeout(int boundary, long base) {
        int thresh = 63 - Long.numberOfLeadingZeros(TcpSock.RTO_MAX / base);    // ilog2
        if (boundary <= thresh) return ((2L << boundary) - 1) * base;
        return ((2L << thresh) - 1) * base + (long) (boundary - thresh) * TcpSock.RTO_MAX;
    }

    /** tcp_write_err: give up with ETIMEDOUT (or the soft error an ICMP left). */
    static void writeErr(TcpSock tp) {
        tp.err = tp.errSoft != 0 ? tp.errSoft : Errno.ETIMEDOUT;
        tp.errorReport();
        tp.tcp.ext.inc(TcpExtMib.TCPAbortOnTimeout);
        if (tp.st == TcpState.SYN_SENT) tp.tcp.mib.inc(TcpMib.AttemptFails);
        TcpProt.done(tp);
    }

    /**
     * tcp_probe_timer: data waits with nothing in flight (RFC 9293 §3.8.6.1: the peer's window
     * is closed, or the local queue refused it); probe. The run of probes is timed from its first
     * (icsk_probes_tstamp) for TCP_USER_TIMEOUT; otherwise tcp_retries2 probes (orphans:
     * tcp_orphan_retries) end the connection.
     */
    static void probeTimer(TcpSock tp) {
        if (tp.sndUna != tp.sndNxt || tp.notSent() == 0 && !tp.finQueued) {
            tp.probesOut = 0;
            tp.probesStampNs = 0;
            return;
        }
        long now = tp.stack.now();
        boolean timedOut = false;
        if (tp.probesStampNs == 0) tp.probesStampNs = now;
        else timedOut = tp.userTimeoutMs > 0 && now - tp.probesStampNs >= tp.userTimeoutMs * MS;
        int maxProbes = tp.stack.sysctl().tcpRetries2.value();
        if (tp.isOrphan()) {
            int o = tp.stack.sysctl().tcpOrphanRetries.value();
            maxProbes = o == 0 ? 8 : o;
        }
        if (timedOut || tp.probesOut >= maxProbes) {
            writeErr(tp);
            return;
        }
        sendProbe0(tp);
    }

    /** TCP_RESOURCE_PROBE_INTERVAL: how soon to try again after a local queue refused a segment. */
    static final long RESOURCE_PROBE_INTERVAL = 500 * MS;

    /**
     * tcp_send_probe0 via tcp_write_wakeup: new data if the window allows (even less than an MSS),
     * else a bare probe. A probe the local queue dropped is retried every
     * {@link #RESOURCE_PROBE_INTERVAL} without backoff; otherwise the probe interval backs off
     * like the RTO. Either way never past TCP_USER_TIMEOUT.
     */
    static void sendProbe0(TcpSock tp) {
        int err = writeWakeup(tp, TcpExtMib.TCPWinProbe);
        if (tp.sndNxt != tp.sndUna || tp.notSent() == 0 && !tp.finQueued) {
            // Data went out: the RTO watches it now, this was no window probe.
            tp.probesOut = 0;
            tp.backoff = 0;
            tp.probesStampNs = 0;
            return;
        }
        tp.probesOut++;
        long when;
        if (err <= 0) {
            if (tp.backoff < tp.stack.sysctl().tcpRetries2.value()) tp.backoff++;
            when = probe0When(tp);
        } else {
            when = RESOURCE_PROBE_INTERVAL;
        }
        tp.pendingTimer = TcpSock.TIME_PROBE0;
        tp.stack.scheduler().arm(tp.rtxTimer, tp.stack.now() + clampToUserTimeout(tp, when));
    }

    /** tcp_probe0_when: the probe interval, max(RTO, RTO_MIN) backed off, at most RTO_MAX. */
    static long probe0When(TcpSock tp) {
        long base = Math.max(tp.rtoNs, TcpSock.RTO_MIN);
        return Math.min(base << Math.min(tp.backoff, 20), TcpSock.RTO_MAX);
    }

    /**
     * tcp_clamp_probe0_to_user_timeout: a probe interval ends no later than TCP_USER_TIMEOUT after
     * the first probe (and at least TCP_TIMEOUT_MIN, 2 ms, from now).
     */
    static long clampToUserTimeout(TcpSock tp, long when) {
        if (tp.userTimeoutMs <= 0 || tp.probesStampNs == 0) return when;
        long elapsed = Math.max(0, tp.stack.now() - tp.probesStampNs);
        long remaining = Math.max(tp.userTimeoutMs * MS - elapsed, 2 * MS);
        return Math.min(remaining, when);
    }

    /**
     * tcp_write_wakeup: push what fits the window (even less than an MSS), or send a probe.
     * A bare probe counts in {@code mib} (when given). Returns what tcp_transmit_skb returned
     * (NET_XMIT_DROP for a local drop).
     */
    static int writeWakeup(TcpSock tp, TcpExtMib mib) {
        int dataEnd = tp.sendBuf.endSeq();
        if (SeqNum.lt(tp.sndNxt, dataEnd) && SeqNum.lt(tp.sndNxt, tp.wndEnd())) {
            int len = Math.min(Math.min(tp.mssCache, tp.sendBuf.segmentLimit(tp.sndNxt) - tp.sndNxt),
                    tp.wndEnd() - tp.sndNxt);
            int end = tp.sndNxt + len;
            // tcp_write_wakeup pushes: the probe's data always carries PSH.
            int err = tp.tcp.output.transmit(tp, tp.sndNxt, len, io.jnetstack.wire.TcpHeader.ACK_FLAG
                    | io.jnetstack.wire.TcpHeader.PSH);
            if (err != 0) return err;
            TcpOutput.sentAsOneSkb(tp, tp.sndNxt, end);
            tp.sentLog.onSend(tp.sndNxt, end, tp.stack.now());
            tp.sndNxt = end;
            resetRetrans(tp, tp.rtoNs);
            return 0;
        }
        if (mib != null) tp.tcp.ext.inc(mib);
        return tp.tcp.output.sendProbe(tp);
    }

    // ------------------------------------------------------------------ delayed ACK

    /** tcp_delack_timer_handler: the delayed ACK is due. */
    static void delackTimer(TcpSock tp) {
        if (!tp.ackPending || tp.st == TcpState.CLOSE || tp.st == TcpState.LISTEN) return;
        if (tp.pingpong) {                                       // no reply carried the ACK: not so interactive after all
            tp.pingpong = false;
            tp.atoNs = TcpSock.ATO_MIN;
        }
        tp.tcp.ext.inc(TcpExtMib.DelayedACKs);
        tp.tcp.output.sendAck(tp);
    }

    /** tcp_send_delayed_ack: schedule the ACK ato from now, bounded by srtt (and 40..200 ms). */
    static void scheduleDelack(TcpSock tp) {
        if (tp.delackTimer.armed()) return;
        long ato = tp.atoNs > 0 ? tp.atoNs : TcpSock.ATO_MIN;
        long maxAto = tp.pingpong ? TcpSock.DELACK_MAX : 500 * MS;
        if (tp.srttUs != 0) maxAto = Math.min(maxAto, Math.max((tp.srttUs >> 3) * 1000, TcpSock.DELACK_MIN));
        tp.stack.scheduler().arm(tp.delackTimer, tp.stack.now() + Math.min(ato, maxAto));
    }

    // ------------------------------------------------------------------ keepalive and FIN_WAIT2

    /** tcp_keepalive_timer: FIN_WAIT2 orphan timeout, or a keepalive probe (RFC 1122 §4.2.3.6). */
    static void keepaliveTimer(TcpSock tp) {
        if (tp.st == TcpState.FIN_WAIT2 && tp.isOrphan()) {
            // The orphan waited tcp_fin_timeout for the peer's FIN: give up quietly.
            TcpProt.done(tp);
            return;
        }
        if (!tp.keepOpen || !(tp.st == TcpState.ESTABLISHED || tp.st == TcpState.CLOSE_WAIT
                || tp.st == TcpState.FIN_WAIT1 || tp.st == TcpState.FIN_WAIT2)) return;
        long now = tp.stack.now();
        long idle = tp.keepIdleNs();
        if (tp.sndUna != tp.sndNxt || tp.notSent() > 0) {        // the retransmit/probe timers are in charge
            resetKeepalive(tp, idle);
            return;
        }
        long elapsed = now - Math.max(tp.lastRcvNs, tp.lastAckRecvNs);
        if (elapsed >= idle) {
            boolean dead = tp.userTimeoutMs > 0
                    ? elapsed >= tp.userTimeoutMs * MS && tp.probesOut > 0
                    : tp.probesOut >= tp.keepCount();
            if (dead) {
                tp.tcp.output.sendActiveReset(tp);
                writeErr(tp);
                return;
            }
            writeWakeup(tp, null);
            tp.probesOut++;
            tp.tcp.ext.inc(TcpExtMib.TCPKeepAlive);
            resetKeepalive(tp, tp.keepIntvlNs());
        } else {
            resetKeepalive(tp, idle - elapsed);
        }
    }

    /** inet_twsk's timer: TIME_WAIT (2MSL, Linux's fixed 60 s) is over. */
    static void timewaitTimer(TcpSock tp) {
        TcpProt.done(tp);
    }

    // ------------------------------------------------------------------ request socks

    /**
     * reqsk_timer_handler: resend the SYN-ACK with exponential backoff (1, 2, 4... s) up to
     * tcp_synack_retries, then forget the request.
     */
    static void synackTimer(TcpRequestSock req) {
        TcpSock l = req.listener;
        if (l.st != TcpState.LISTEN || l.synQueue == null || l.synQueue.get(TcpRequestSock.key(req.raddr, req.rport)) != req)
            return;
        int max = l.stack.sysctl().tcpSynackRetries.value();
        if (req.numTimeout >= max) {
            l.synQueue.remove(TcpRequestSock.key(req.raddr, req.rport));
            return;
        }
        req.numTimeout++;
        if (!req.acked) {
            l.tcp.output.sendSynAck(req, null);
            l.tcp.mib.inc(TcpMib.RetransSegs);
            l.tcp.ext.inc(TcpExtMib.TCPSynRetrans);
            req.numRetrans++;
        }
        long when = Math.min(TcpSock.TIMEOUT_INIT << req.numTimeout, TcpSock.RTO_MAX);
        l.stack.scheduler().arm(req.timer, l.stack.now() + when);
    }
}
