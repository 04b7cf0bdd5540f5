package io.jnetstack.tcp;

import io.jnetstack.wire.SeqNum;
import io.jnetstack.wire.TcpHeader;

/**
 * Explicit Congestion Notification for TCP (RFC 3168 §6.1), classic ECN as Linux runs it with
 * net.ipv4.tcp_ecn: 1 asks for it on our SYNs, 2 (the default) only agrees when a peer asks, 0 never.
 *
 * <ul>
 *   <li>Negotiation: an ECN-setup SYN carries ECE|CWR; the SYN-ACK agrees with ECE alone. A
 *       retransmitted SYN drops the request (tcp_ecn_fallback), in case a middlebox ate the first.
 *   <li>Sender: new data segments go out ECT(0); retransmissions and pure ACKs not-ECT (RFC 3168
 *       §6.1.5). An ACK with ECE puts the connection in CWR: ssthresh falls as for a loss, PRR
 *       brings cwnd down, and the next new segment carries CWR.
 *   <li>Receiver: a CE-marked segment makes every ACK carry ECE (and ACKs go out at once) until a
 *       segment with CWR arrives.
 * </ul>
 * State lives in {@link TcpSock#ecnFlags} with Linux's TCP_ECN_* bits.
 */
final class TcpEcn {
    private TcpEcn() {}

    /** TCP_ECN_OK, TCP_ECN_QUEUE_CWR, TCP_ECN_DEMAND_CWR, TCP_ECN_SEEN. */
    static final int OK = 1, QUEUE_CWR = 2, DEMAND_CWR = 4, SEEN = 8;
    /** The ECN field of the IP TOS byte (RFC 3168 §5). */
    static final int ECN_MASK = 3, NOT_ECT = 0, ECT_1 = 1, ECT_0 = 2, CE = 3;

    /** tcp_ecn_send_syn: the flags of our SYN; only the first asks (tcp_ecn_fallback). */
    static int synFlags(TcpSock tp, boolean retransmission) {
        if (retransmission) return 0;
        if (tp.stack.sysctl().tcpEcn.value() != 1) {
            tp.ecnFlags = 0;
            return 0;
        }
        tp.ecnFlags = OK;
        return TcpHeader.ECE | TcpHeader.CWR;
    }

    /** tcp_ecn_rcv_synack: the peer agreed only if its SYN-ACK has ECE without CWR. */
    static void rcvSynAck(TcpSock tp, int flags) {
        if ((tp.ecnFlags & OK) != 0 && ((flags & TcpHeader.ECE) == 0 || (flags & TcpHeader.CWR) != 0)) tp.ecnFlags &= ~OK;
    }

    /**
     * tcp_ecn_create_request: a SYN with ECE|CWR, itself not ECT-marked (an ECT SYN means a
     * middlebox rewrote the field), is agreed to when tcp_ecn allows it at all.
     */
    static boolean acceptSyn(TcpSock listener, int flags, int tos) {
        if ((flags & (TcpHeader.ECE | TcpHeader.CWR)) != (TcpHeader.ECE | TcpHeader.CWR)) return false;
        return (tos & ECN_MASK) == NOT_ECT && listener.stack.sysctl().tcpEcn.value() != 0;
    }

    /** tcp_ecn_rcv_syn for a simultaneous open: the peer's SYN decides for our SYN-ACK. */
    static void rcvSyn(TcpSock tp, int flags) {
        if ((tp.ecnFlags & OK) != 0 && ((flags & TcpHeader.ECE) == 0 || (flags & TcpHeader.CWR) == 0)) tp.ecnFlags &= ~OK;
    }

    /**
     * tcp_ecn_send: the ECN flags a segment at {@code seq} with {@code len} bytes carries: CWR
     * on the first new data after a reduction, ECE while the peer must be told of CE.
     */
    static int sendFlags(TcpSock tp, int seq, int len) {
        if ((tp.ecnFlags & OK) == 0) return 0;
        int f = 0;
        if (len > 0 && !SeqNum.lt(seq, tp.sndNxt) && (tp.ecnFlags & QUEUE_CWR) != 0) {
            tp.ecnFlags &= ~QUEUE_CWR;
            f |= TcpHeader.CWR;
        }
        if ((tp.ecnFlags & DEMAND_CWR) != 0) f |= TcpHeader.ECE;
        return f;
    }

    /** The IP TOS of a segment: ECT(0) on new data of an ECN connection, else not-ECT (INET_ECN_xmit/dontxmit). */
    static int tos(TcpSock tp, int seq, int len) {
        int tos = tp.tos & ~ECN_MASK;
        if ((tp.ecnFlags & OK) != 0 && len > 0 && !SeqNum.lt(seq, tp.sndNxt)) tos |= ECT_0;
        return tos;
    }

    /** tcp_ecn_rcv_ecn_echo: an ACK (not a SYN) echoing congestion on an ECN connection. */
    static boolean echo(TcpSock tp, int flags) {
        return (flags & TcpHeader.ECE) != 0 && (flags & TcpHeader.SYN) == 0 && (tp.ecnFlags & OK) != 0;
    }

    /**
     * tcp_ecn_accept_cwr: the peer says it reduced; stop echoing. Data carrying CWR is ACKed at
     * once, since the sender's window may be down to one segment. Returns whether to ACK now.
     */
    static boolean acceptCwr(TcpSock tp, int flags, int len) {
        if ((flags & TcpHeader.CWR) == 0) return false;
        tp.ecnFlags &= ~DEMAND_CWR;
        return len > 0;
    }

    /**
     * tcp_ecn_check_ce for a data segment that arrived with IP TOS {@code tos}: CE makes us echo
     * until CWR (and ACK quickly); ECT shows the path keeps ECN; a not-ECT segment after ECT ones
     * is likely a retransmission, worth a quick ACK too. Returns whether to enter quick-ACK mode.
     */
    static boolean checkCe(TcpSock tp, int tos) {
        if ((tp.ecnFlags & OK) == 0) return false;
        switch (tos & ECN_MASK) {
            case NOT_ECT -> { return (tp.ecnFlags & SEEN) != 0; }
            case CE -> {
                boolean quick = (tp.ecnFlags & DEMAND_CWR) == 0;
                tp.ecnFlags |= DEMAND_CWR | SEEN;
                return quick;
            }
            default -> {
                tp.ecnFlags |= SEEN;
                return false;
            }
        }
    }
}
