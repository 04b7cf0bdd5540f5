package io.jnetstack.tcp;

/** tcp_reno: RFC 5681 slow start and congestion avoidance, halving on loss. */
public final class Reno implements CongestionOps {
    @Override public String name() { return "reno"; }

    @Override public int ssthresh(TcpSock tp) { return Math.max(tp.sndCwnd >> 1, 2); }

    @Override public void congAvoid(TcpSock tp, int acked) {
        if (!tp.isCwndLimited()) return;
        if (tp.sndCwnd < tp.sndSsthresh) {
            acked = CongestionOps.slowStart(tp, acked);
            if (acked == 0) return;
        }
        CongestionOps.congAvoidAi(tp, tp.sndCwnd, acked);
    }
}
