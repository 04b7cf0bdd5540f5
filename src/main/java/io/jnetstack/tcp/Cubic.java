package io.jnetstack.tcp;

import io.jnetstack.stack.ModuleParams;
import io.jnetstack.wire.SeqNum;

/**
 * CUBIC (RFC 9438), Linux's default, in tcp_cubic.c's integer arithmetic (bictcp_update): the
 * window follows W(t) = C·(t − K)³ + W_max from the last reduction, with C = 0.4 (bic_scale
 * 41/1024 at a 100 ms reference RTT), β = 717/1024, fast convergence (§4.7) and the Reno-friendly
 * estimate (§4.3). Time is in jiffies (HZ = 1000, the stack's clock in ms) and in 1/1024 s for
 * the curve, as Linux keeps it, so the ACK on which cwnd grows is the one Linux grows it on:
 * {@code cnt} (ACKs per +1 packet) is recomputed at most once per jiffy, and while cwnd is
 * unchanged at most every HZ/32, and the Reno-friendly count advances only then. After an RTO the
 * state is reset (no W_max), so growth starts at one packet per 20 ACKed. Slow start ends early
 * through HyStart (Ha and Rhee, "Taming the elephants", 2011; RFC 9438 §4.10 points to it), on as
 * in Linux: see {@link #hystartUpdate}. Deterministic in simulation.
 */
public final class Cubic implements CongestionOps {
    /** BICTCP_BETA_SCALE, beta (717/1024 ≈ 0.7), bic_scale (41: C = 0.4), BICTCP_HZ (time in 1/1024 s). */
    static final int BETA_SCALE = 1024, BETA = 717, BIC_SCALE = 41, BICTCP_HZ = 10;
    /** Jiffies per second: the project's kernels run HZ = 1000. */
    static final int HZ = 1000;
    /** cube_rtt_scale (1024·C/rtt), beta_scale (the Reno-friendly ACKs per +1, ·8), cube_factor (2^40/(C·1024·10)). */
    static final long CUBE_RTT_SCALE = BIC_SCALE * 10;
    static final int FRIENDLY_BETA_SCALE = 8 * (BETA_SCALE + BETA) / 3 / (BETA_SCALE - BETA);
    static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / (BIC_SCALE * 10);
    /** hystart_detect bits. */
    static final int HYSTART_ACK_TRAIN = 1, HYSTART_DELAY = 2;
    /** RTT samples per round before the delay detector judges (HYSTART_MIN_SAMPLES). */
    static final int HYSTART_MIN_SAMPLES = 8;
    /** The delay detector's margin over the minimum RTT: min_rtt/8, kept within 4..16 ms. */
    static final long HYSTART_DELAY_MIN_US = 4000, HYSTART_DELAY_MAX_US = 16000;
    /** The gso_max_size a device has by default (GSO_LEGACY_MAX_SIZE), for hystart_ack_delay. */
    static final long GSO_MAX_SIZE = 65536;

    // struct bictcp.
    private int cnt;              // ACKs per +1 packet of cwnd
    private int lastMaxCwnd;      // W_max: cwnd before the last reduction (0: none since an RTO)
    private int lastCwnd;         // cwnd when cnt was last computed, and when (jiffies)
    private long lastTime;
    private int originPoint;      // the plateau of the current curve
    private long k;               // time from the epoch to the plateau, 1/1024 s
    private long delayMinUs;      // the lowest RTT seen since the last loss
    private boolean epochRunning; // epoch_start != 0
    private long epochStart;      // jiffies
    private int ackCnt;           // ACKs towards the Reno-friendly estimate
    private int tcpCwnd;          // the Reno-friendly estimate (packets)
    // HyStart, per round trip (round_start, last_ack, end_seq, curr_rtt, sample_cnt).
    private boolean found;        // slow start already left by HyStart
    private long roundStartUs, lastAckUs, currRttUs;
    private int endSeq;           // the round ends when this is acknowledged
    private int sampleCnt;

    @Override public String name() { return "cubic"; }

    @Override public void init(TcpSock tp) {
        reset();
        if (params(tp).cubicHystart.value() != 0) hystartReset(tp);
    }

    /** bictcp_reset: a fresh curve, W_max forgotten; HyStart may act again. */
    private void reset() {
        cnt = lastMaxCwnd = lastCwnd = originPoint = ackCnt = tcpCwnd = 0;
        lastTime = k = delayMinUs = epochStart = 0;
        epochRunning = false;
        found = false;
    }

    /** tcp_jiffies32. */
    private static long jiffies(TcpSock tp) { return tp.stack.now() / (1_000_000_000L / HZ); }

    private static ModuleParams params(TcpSock tp) { return tp.stack.moduleParams(); }

    /** bictcp_hystart_reset: a new round trip starts now and ends with what is sent so far. */
    private void hystartReset(TcpSock tp) {
        roundStartUs = lastAckUs = tp.stack.now() / 1000;
        endSeq = tp.sndNxt;
        currRttUs = Long.MAX_VALUE;
        sampleCnt = 0;
    }

    /** bictcp_recalc_ssthresh: the epoch ends; W_max is remembered (lowered by fast convergence). */
    @Override public int ssthresh(TcpSock tp) {
        epochRunning = false;
        int cwnd = tp.sndCwnd;
        // §4.7 fast convergence: a flow that backs off again before reaching its old plateau
        // releases bandwidth to newcomers.
        lastMaxCwnd = cwnd < lastMaxCwnd ? (int) ((long) cwnd * (BETA_SCALE + BETA) / (2 * BETA_SCALE)) : cwnd;
        return Math.max((int) ((long) cwnd * BETA / BETA_SCALE), 2);
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
        if (epochRunning && jiffies(tp) - epochStart < HZ) return;
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

    /**
     * cubictcp_cwnd_event: sending restarts after idleness; idle time is not growth time, so the
     * epoch moves forward by the time since the last data was sent.
     */
    @Override public void cwndEvent(TcpSock tp, int event) {
        if (event != EVENT_TX_START || !epochRunning) return;
        long now = jiffies(tp);
        long idle = now - tp.lastDataSentNs / (1_000_000_000L / HZ);
        if (idle > 0) epochStart = Math.min(epochStart + idle, now);
    }

    /** cubictcp_cong_avoid: slow start below ssthresh, then one packet per {@code cnt} ACKed. */
    @Override public void congAvoid(TcpSock tp, int acked) {
        if (!tp.isCwndLimited()) return;
        if (tp.sndCwnd < tp.sndSsthresh) {
            acked = CongestionOps.slowStart(tp, acked);
            if (acked == 0) return;
        }
        update(tp, tp.sndCwnd, acked);
        CongestionOps.congAvoidAi(tp, cnt, acked);
    }

    /**
     * bictcp_update: ACKs per +1 packet from the cubic curve one min_RTT ahead (§4.2), at most
     * once per jiffy and, while cwnd stays the same, at most every HZ/32; the Reno-friendly
     * estimate (§4.3) grows by one every (cwnd·beta_scale)/8 ACKs and, when ahead, sets the pace.
     * Growth never exceeds 1.5x per RTT (cnt ≥ 2).
     */
    private void update(TcpSock tp, int cwnd, int acked) {
        long now = jiffies(tp);
        ackCnt += acked;
        if (lastCwnd == cwnd && now - lastTime <= HZ / 32) return;
        if (!epochRunning || now != lastTime) {
            lastCwnd = cwnd;
            lastTime = now;
            if (!epochRunning) {
                epochRunning = true;
                epochStart = now;
                ackCnt = acked;
                tcpCwnd = cwnd;
                if (lastMaxCwnd <= cwnd) {
                    k = 0;
                    originPoint = cwnd;
                } else {
                    k = cubeRoot(CUBE_FACTOR * (lastMaxCwnd - cwnd));
                    originPoint = lastMaxCwnd;
                }
            }
            long t = now - epochStart + (delayMinUs + 999) / 1000;   // + usecs_to_jiffies(min RTT)
            t = (t << BICTCP_HZ) / HZ;
            long offs = t < k ? k - t : t - k;
            long delta = (CUBE_RTT_SCALE * offs * offs * offs) >>> (10 + 3 * BICTCP_HZ);
            long target = t < k ? originPoint - delta : originPoint + delta;
            cnt = target > cwnd ? (int) (cwnd / (target - cwnd)) : 100 * cwnd;
            // Without a W_max (after an RTO) the curve is flat: grow 5 % per RTT.
            if (lastMaxCwnd == 0 && cnt > 20) cnt = 20;
        }
        int perInc = (int) (((long) cwnd * FRIENDLY_BETA_SCALE) >> 3);
        while (ackCnt > perInc) {
            ackCnt -= perInc;
            tcpCwnd++;
        }
        if (tcpCwnd > cwnd) cnt = Math.min(cnt, cwnd / (tcpCwnd - cwnd));
        cnt = Math.max(cnt, 2);
    }

    /** ⌊∛a⌋ (Linux approximates it by a table and one Newton step; within 0.2 % of this). */
    static long cubeRoot(long a) {
        long x = (long) Math.cbrt((double) a);
        while (x > 0 && x * x * x > a) x--;
        while ((x + 1) * (x + 1) * (x + 1) <= a) x++;
        return x;
    }
}
