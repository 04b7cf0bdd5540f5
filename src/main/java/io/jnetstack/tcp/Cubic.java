package io.jnetstack.tcp;

/**
 * CUBIC (RFC 9438), Linux's default. The window grows as W(t) = C·(t − K)³ + W_max from the last
 * reduction, with multiplicative decrease β = 0.7, fast convergence (§4.7) and the Reno-friendly
 * region (§4.3). HyStart is off (slow start ends at ssthresh or on loss); time is the stack's
 * clock, so the curve is deterministic in simulation.
 */
public final class Cubic implements CongestionOps {
    static final double C = 0.4, BETA = 0.7;
    /** §4.3: the Reno-friendly additive increase per RTT, 3(1−β)/(1+β). */
    static final double ALPHA_AIMD = 3 * (1 - BETA) / (1 + BETA);

    private double wMax;          // window before the last reduction (packets)
    private double k;             // seconds from the epoch to reach wMax again
    private double origin;        // the plateau of the current curve
    private double wEst;          // the Reno-friendly estimate
    private long epochStartNs;    // 0 = no epoch running
    private double cwndAcc;       // fractional cwnd growth carried between ACKs
    private long lastTxNs;

    @Override public String name() { return "cubic"; }

    @Override public void init(TcpSock tp) { reset(); }

    private void reset() {
        wMax = k = origin = wEst = cwndAcc = 0;
        epochStartNs = 0;
    }

    @Override public int ssthresh(TcpSock tp) {
        epochStartNs = 0;
        // §4.7 fast convergence: a flow that backs off again before reaching its old plateau
        // releases bandwidth to newcomers.
        wMax = tp.sndCwnd < wMax ? tp.sndCwnd * (1 + BETA) / 2 : tp.sndCwnd;
        return Math.max((int) (tp.sndCwnd * BETA), 2);
    }

    @Override public void setState(TcpSock tp, int caState) {
        if (caState == CA_LOSS) reset();
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
