package io.jnetstack.tcp;

import io.jnetstack.stack.ModuleParams;
import io.jnetstack.wire.SeqNum;

/**
 * CUBIC (RFC 9438), Linux's default. The window grows as W(t) = C·(t − K)³ + W_max from the last
 * reduction, with multiplicative decrease β = 0.7, fast convergence (§4.7) and the Reno-friendly
 * region (§4.3). Slow start ends early through HyStart (Ha and Rhee, "Taming the elephants",
 * 2011; RFC 9438 §4.10 points to it), on as in Linux: see {@link #hystartUpdate}. Time is the
 * stack's clock, so the curve is deterministic in simulation.
 */
public final class Cubic implements CongestionOps {
    static final double C = 0.4, BETA = 0.7;
    /** §4.3: the Reno-friendly additive increase per RTT, 3(1−β)/(1+β). */
    static final double ALPHA_AIMD = 3 * (1 - BETA) / (1 + BETA);
    /** hystart_detect bits. */
    static final int HYSTART_ACK_TRAIN = 1, HYSTART_DELAY = 2;
    /** RTT samples per round before the delay detector judges (HYSTART_MIN_SAMPLES). */
    static final int HYSTART_MIN_SAMPLES = 8;
    /** The delay detector's margin over the minimum RTT: min_rtt/8, kept within 4..16 ms. */
    static final long HYSTART_DELAY_MIN_US = 4000, HYSTART_DELAY_MAX_US = 16000;
    /** The gso_max_size a device has by default (GSO_LEGACY_MAX_SIZE), for hystart_ack_delay. */
    static final long GSO_MAX_SIZE = 65536;

    // HyStart state, per round trip (bictcp's round_start, last_ack, end_seq, curr_rtt, sample_cnt).
    private boolean found;        // slow start already left by HyStart
    private long delayMinUs;      // the lowest RTT seen since the last loss
    private long roundStartUs, lastAckUs, currRttUs;
    private int endSeq;           // the round ends when this is acknowledged
    private int sampleCnt;

    private double wMax;          // window before the last reduction (packets)
    private double k;             // seconds from the epoch to reach wMax again
    private double origin;        // the plateau of the current curve
    private double wEst;          // the Reno-friendly estimate
    private long epochStartNs;    // 0 = no epoch running
    private double cwndAcc;       // fractional cwnd growth carried between ACKs
    private long lastTxNs;

    @Override public String name() { return "cubic"; }

    @Override public void init(TcpSock tp) {
        reset();
        if (params(tp).cubicHystart.value() != 0) hystartReset(tp);
    }

    /** bictcp_reset: a fresh curve; HyStart may act again. */
    private void reset() {
        wMax = k = origin = wEst = cwndAcc = 0;
        epochStartNs = 0;
        delayMinUs = 0;
        found = false;
    }

    private static ModuleParams params(TcpSock tp) { return tp.stack.moduleParams(); }

    /** bictcp_hystart_reset: a new round trip starts now and ends with what is sent so far. */
    private void hystartReset(TcpSock tp) {
        roundStartUs = lastAckUs = tp.stack.now() / 1000;
        endSeq = tp.sndNxt;
        currRttUs = Long.MAX_VALUE;
        sampleCnt = 0;
    }

    @Override public int ssthresh(TcpSock tp) {
        epochStartNs = 0;
        // §4.7 fast convergence: a flow that backs off again before reaching its old plateau
        // releases bandwidth to newcomers.
        wMax = tp.sndCwnd < wMax ? tp.sndCwnd * (1 + BETA) / 2 : tp.sndCwnd;
        return Math.max((int) (tp.sndCwnd * BETA), 2);
    }

    @Override public void setState(TcpSock tp, int caState) {
        if (caState == CA_LOSS) {
            reset();
            hystartReset(tp);
        }
    }

    /**
     * bictcp_acked: an RTT sample from an ACK. Samples within a second of a congestion-avoidance
     * epoch's start are skipped (they measure the queue recovery built up), the minimum RTT is
     * tracked, and in slow start from hystart_low_window packets on HyStart looks at the sample.
     */
    @Override public void pktsAcked(TcpSock tp, int acked, long rttUs) {
        if (rttUs < 0) return;
        if (epochStartNs != 0 && tp.stack.now() - epochStartNs < 1_000_000_000L) return;
        long delay = Math.max(rttUs, 1);
        if (delayMinUs == 0 || delayMinUs > delay) delayMinUs = delay;
        ModuleParams p = params(tp);
        if (!found && tp.sndCwnd < tp.sndSsthresh && p.cubicHystart.value() != 0
                && tp.sndCwnd >= p.cubicHystartLowWindow.value())
            hystartUpdate(tp, delay, p);
    }

    /**
     * hystart_update: leave slow start (ssthresh = cwnd) before the queue overflows, when either
     * <ul>
     *   <li>ACK train: ACKs keep arriving back to back (within hystart_ack_delta_us of each other)
     *       for longer than half the minimum RTT since the round began, i.e. the pipe is full;
     *   <li>delay: after HYSTART_MIN_SAMPLES samples in a round, the round's smallest RTT exceeds
     *       the minimum by min_rtt/8 (4..16 ms), i.e. a queue is building.
     * </ul>
     */
    private void hystartUpdate(TcpSock tp, long delay, ModuleParams p) {
        if (SeqNum.gt(tp.sndUna, endSeq)) hystartReset(tp);
        int detect = p.cubicHystartDetect.value();
        if ((detect & HYSTART_ACK_TRAIN) != 0) {
            long now = tp.stack.now() / 1000;
            if (now - lastAckUs <= p.cubicHystartAckDeltaUs.value()) {
                lastAckUs = now;
                // Without pacing a round's ACKs arrive within half an RTT of its start.
                long threshold = (delayMinUs + hystartAckDelay(tp)) >> 1;
                if (now - roundStartUs > threshold) hystartExit(tp, TcpExtMib.TCPHystartTrainDetect, TcpExtMib.TCPHystartTrainCwnd);
            }
        }
        if ((detect & HYSTART_DELAY) != 0) {
            currRttUs = Math.min(currRttUs, delay);
            if (sampleCnt < HYSTART_MIN_SAMPLES) {
                sampleCnt++;
            } else {
                long margin = Math.clamp(delayMinUs >> 3, HYSTART_DELAY_MIN_US, HYSTART_DELAY_MAX_US);
                if (currRttUs > delayMinUs + margin) hystartExit(tp, TcpExtMib.TCPHystartDelayDetect, TcpExtMib.TCPHystartDelayCwnd);
            }
        }
    }

    private void hystartExit(TcpSock tp, TcpExtMib detect, TcpExtMib cwnd) {
        found = true;
        tp.tcp.ext.inc(detect);
        tp.tcp.ext.add(cwnd, tp.sndCwnd);
        tp.sndSsthresh = tp.sndCwnd;
    }

    /**
     * hystart_ack_delay: how much an ACK may legitimately be held back (a GRO/TSO batch at the
     * pacing rate), at most 1 ms.
     */
    private static long hystartAckDelay(TcpSock tp) {
        long rate = tp.pacingRate();
        if (rate <= 0) return 0;
        return Math.min(1000, GSO_MAX_SIZE * 4 * 1_000_000L / rate);
    }

    @Override public void cwndEvent(TcpSock tp, int event) {
        if (event == EVENT_TX_START && epochStartNs != 0) {
            // Idle time is not growth time: shift the epoch by the idle period (as Linux does).
            long now = tp.stack.now();
            long idle = now - lastTxNs;
            if (idle > 0) epochStartNs = Math.min(now, epochStartNs + idle);
        }
        lastTxNs = tp.stack.now();
    }

    @Override public void congAvoid(TcpSock tp, int acked) {
        if (!tp.isCwndLimited()) return;
        if (tp.sndCwnd < tp.sndSsthresh) {
            acked = CongestionOps.slowStart(tp, acked);
            if (acked == 0) return;
        }
        long now = tp.stack.now();
        int cwnd = tp.sndCwnd;
        if (epochStartNs == 0) {
            epochStartNs = now;
            if (cwnd < wMax) {
                k = Math.cbrt((wMax - cwnd) / C);
                origin = wMax;
            } else {
                k = 0;
                origin = cwnd;
            }
            wEst = cwnd;
            cwndAcc = 0;
        }
        // §4.2: aim at where the curve will be one RTT from now.
        double rtt = Math.max(tp.minRttUs, 1000) / 1e6;
        double t = (now - epochStartNs) / 1e9 + rtt;
        double target = origin + C * Math.pow(t - k, 3);
        double cnt;                                        // acks per +1 packet
        if (target > cwnd) cnt = cwnd / Math.min(target - cwnd, cwnd * 0.5);   // at most 1.5x per RTT
        else cnt = 100.0 * cwnd;
        // §4.3 Reno-friendly region.
        wEst += ALPHA_AIMD * acked / cwnd;
        if (wEst > cwnd) cnt = Math.min(cnt, cwnd / (wEst - cwnd));
        cwndAcc += acked / Math.max(cnt, 1.0);
        if (cwndAcc >= 1) {
            int inc = (int) cwndAcc;
            cwndAcc -= inc;
            tp.sndCwnd = Math.min(cwnd + inc, tp.sndCwndClamp);
        }
    }
}
