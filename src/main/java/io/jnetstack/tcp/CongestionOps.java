package io.jnetstack.tcp;

/**
 * struct tcp_congestion_ops: a congestion control algorithm, one instance per connection (it
 * keeps its own per-connection state, as Linux's icsk_ca_priv). cwnd and ssthresh are in packets,
 * as tp->snd_cwnd / tp->snd_ssthresh are. Chosen by name: TCP_CONGESTION or
 * net.ipv4.tcp_congestion_control.
 */
public interface CongestionOps {
    /** ca_state values (TCP_CA_*), what TCP_INFO's tcpi_ca_state reports. */
    int CA_OPEN = 0, CA_DISORDER = 1, CA_CWR = 2, CA_RECOVERY = 3, CA_LOSS = 4;
    /** cwnd events (CA_EVENT_*). */
    int EVENT_TX_START = 0, EVENT_LOSS = 4;

    String name();

    /** Called when the connection starts (or the algorithm is switched). */
    default void init(TcpSock tp) {}

    /** Called on loss (fast recovery entry or RTO): the new ssthresh, in packets. */
    int ssthresh(TcpSock tp);

    /** cong_avoid: {@code acked} packets were newly acknowledged outside recovery. */
    void congAvoid(TcpSock tp, int acked);

    default void setState(TcpSock tp, int caState) {}

    default void cwndEvent(TcpSock tp, int event) {}

    /** pkts_acked: an RTT sample ({@code rttUs} < 0 when none) for {@code acked} packets. */
    default void pktsAcked(TcpSock tp, int acked, long rttUs) {}

    /** undo_cwnd: the cwnd to return to when a reduction proves spurious (F-RTO/DSACK hook). */
    default int undoCwnd(TcpSock tp) { return Math.max(tp.sndCwnd, tp.priorCwnd); }

    /** A new instance of the algorithm called {@code name}, or null when there is none (ENOENT). */
    static CongestionOps create(String name) {
        return switch (name) {
            case "cubic" -> new Cubic();
            case "reno" -> new Reno();
            default -> null;
        };
    }

    /** tcp_slow_start: grows cwnd by one per packet acked up to ssthresh; returns the acks left over. */
    static int slowStart(TcpSock tp, int acked) {
        int cwnd = Math.min(tp.sndCwnd + acked, tp.sndSsthresh);
        acked -= cwnd - tp.sndCwnd;
        tp.sndCwnd = Math.min(cwnd, tp.sndCwndClamp);
        return acked;
    }

    /** tcp_cong_avoid_ai: one packet per {@code w} packets acked (RFC 5681 congestion avoidance). */
    static void congAvoidAi(TcpSock tp, int w, int acked) {
        if (tp.sndCwndCnt >= w) {
            tp.sndCwndCnt = 0;
            tp.sndCwnd++;
        }
        tp.sndCwndCnt += acked;
        if (tp.sndCwndCnt >= w) {
            int delta = tp.sndCwndCnt / w;
            tp.sndCwndCnt -= delta * w;
            tp.sndCwnd += delta;
        }
        tp.sndCwnd = Math.min(tp.sndCwnd, tp.sndCwndClamp);
    }
}
