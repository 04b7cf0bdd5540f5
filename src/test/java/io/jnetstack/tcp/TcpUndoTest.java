package io.jnetstack.tcp;

import static io.jnetstack.tcp.Check.*;
import static io.jnetstack.tcp.TcpTestContext.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.wire.TcpHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spurious-RTO undo and F-RTO on the virtual clock, each scenario first run against Linux 6.18
 * (a real socket in a namespace, the peer scripted over TUN, cubic, tcp_frto = 2): a write of
 * 30 segments into cwnd 10, no ACK, a tail loss probe of new data (segment 11), then the RTO
 * resends segment 1 with cwnd 1 and ssthresh 7. What Linux did next is what each test expects.
 */
class TcpUndoTest {
    final TcpTestContext c = new TcpTestContext();
    int mss, base;

    int seg(int i) { return base + (i - 1) * mss; }

    /** ESTABLISHED with SACK and window scaling, and timestamps when {@code ts}. */
    void established(boolean ts) {
        if (ts) {
            c.established();
        } else {
            Pkt syn = c.synSent();
            var sa = c.seg(TcpHeader.SYN | TcpHeader.ACK_FLAG).seq(TEST_ISS).ack(syn.seq() + 1).win(65535);
            sa.opts.mss(1460).sackPermitted(true).wscale(7);
            c.advance(10 * MS);
            c.send(sa);
            c.expect(flags(TcpHeader.ACK_FLAG));
            c.send(c.ackSeg(c.sk.sndNxt));
            c.expectNone();
        }
        mss = c.sk.mssCache;
        base = c.sk.sndNxt;
    }

    List<Pkt> drain() {
        List<Pkt> out = new ArrayList<>();
        for (Pkt p; (p = c.ip.next()) != null; ) out.add(p);
        return out;
    }

    /** Writes 30 segments, lets the loss probe and then the RTO fire; returns the first flight. */
    List<Pkt> flightThenRto() {
        assertEquals(30 * mss, c.write(bytes(30 * mss)));
        List<Pkt> flight = drain();
        assertEquals(10, flight.size());
        List<Pkt> later = new ArrayList<>();
        for (int ms = 0; ms < 2000 && later.stream().noneMatch(p -> p.seq() == seg(1)); ms++) {
            c.advance(MS);
            later.addAll(drain());
        }
        assertEquals(2, later.size(), () -> "the probe and the RTO: " + later);
        assertEquals(seg(11), later.get(0).seq(), "the loss probe sends new data");
        assertEquals(seg(1), later.get(1).seq(), "the RTO resends the head");
        assertEquals(CongestionOps.CA_LOSS, c.sk.caState);
        assertEquals(1, c.sk.sndCwnd);
        assertEquals(7, c.sk.sndSsthresh);
        assertTrue(c.sk.frto);
        return flight;
    }

    @Test void anEchoOlderThanTheRetransmissionUndoesTheRto() {
        established(true);
        int originalTs = flightThenRto().get(0).opts().tsVal;
        // The originals were only delayed: their ACK echoes segment 1's first transmission.
        c.send(c.seg(TcpHeader.ACK_FLAG).seq(c.rcvSeq).ack(seg(11)).win(502).ts(++c.peerTsVal, originalTs));
        assertEquals(CongestionOps.CA_OPEN, c.sk.caState);
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPLossUndo));
        assertEquals(0, c.tcp.ext.get(TcpExtMib.TCPSpuriousRTOs), "Eifel, not F-RTO");
        // Linux: cwnd back to 10, then slow start on the 10 delivered: 20; ssthresh back to infinite.
        assertEquals(20, c.sk.sndCwnd);
        assertEquals(Integer.MAX_VALUE, c.sk.sndSsthresh);
        List<Pkt> sent = drain();
        assertEquals(19, sent.size(), "new data fills the restored window (the probe's segment is still out)");
        assertEquals(seg(12), sent.get(0).seq());
    }

    @Test void anEchoOfTheRetransmissionKeepsTheLoss() {
        established(true);
        flightThenRto();
        c.send(c.ackSeg(seg(2)));                                     // echoes the retransmission
        assertEquals(CongestionOps.CA_LOSS, c.sk.caState);
        assertEquals(0, c.tcp.ext.get(TcpExtMib.TCPLossUndo));
        assertEquals(7, c.sk.sndSsthresh);
    }

    @Test void frtoSendsNewDataAndUndoesWhenOriginalDataIsAcked() {
        established(false);
        flightThenRto();
        // F-RTO step 2b: the ACK of the retransmitted head sends two new segments, not segment 2.
        c.send(c.ackSeg(seg(2)));
        List<Pkt> sent = drain();
        assertEquals(2, sent.size(), () -> "two new segments: " + sent);
        assertEquals(seg(12), sent.get(0).seq());
        assertEquals(seg(13), sent.get(1).seq());
        assertEquals(CongestionOps.CA_LOSS, c.sk.caState);
        assertEquals(2, c.sk.sndCwnd);
        // Step 3b: segment 2 was never resent, and it arrived: the RTO was spurious.
        c.send(c.ackSeg(seg(3)));
        assertEquals(CongestionOps.CA_OPEN, c.sk.caState);
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPLossUndo));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPSpuriousRTOs));
        assertEquals(11, c.sk.sndCwnd, "Linux: 10 restored, plus one in slow start");
        assertEquals(Integer.MAX_VALUE, c.sk.sndSsthresh);
        assertEquals(0, c.sk.retransmits);
        assertTrue(drain().isEmpty(), "11 segments are in flight: cwnd-limited, as on Linux");
    }

    @Test void frtoKeepsTheLossWhenOnlyTheNewDataIsSacked() {
        established(false);
        flightThenRto();
        c.send(c.ackSeg(seg(2)));
        assertEquals(2, drain().size());
        // Step 3a: the new data arrived and segment 2 did not: the loss was real, and the
        // conventional recovery resends segment 2 (cwnd 2: one new segment is still out).
        c.send(c.ackSeg(seg(2)).sack(seg(12), seg(13)));
        assertFalse(c.sk.frto);
        c.expect(seq(seg(2)), len(mss));
        c.expectNone();
        assertEquals(CongestionOps.CA_LOSS, c.sk.caState);
        assertEquals(2, c.sk.sndCwnd);
        assertEquals(0, c.tcp.ext.get(TcpExtMib.TCPLossUndo));
    }

    @Test void dsacksOfEveryRetransmissionUndoFastRecoveryAfterItEnded() {
        established(false);
        assertEquals(30 * mss, c.write(bytes(30 * mss)));
        assertEquals(10, drain().size());
        c.advance(15 * MS);                                           // within the RTT: no loss probe yet
        c.send(c.ackSeg(seg(1)).sack(seg(2), seg(5)));              // 2..4 arrived: 1 is lost
        c.expect(seq(seg(1)));
        drain();
        assertEquals(CongestionOps.CA_RECOVERY, c.sk.caState);
        assertEquals(7, c.sk.sndCwnd);
        assertEquals(7, c.sk.sndSsthresh);
        // The original segment 1 was only late: all of the first flight is acknowledged. Without
        // timestamps nothing tells yet, so recovery ends normally (cwnd = ssthresh, then growth).
        c.send(c.ackSeg(seg(11)));
        assertEquals(CongestionOps.CA_OPEN, c.sk.caState);
        assertEquals(8, c.sk.sndCwnd);
        assertEquals(0, c.tcp.ext.get(TcpExtMib.TCPFullUndo));
        drain();
        // Then the retransmission arrives as a duplicate: the only retransmission was spurious.
        c.send(c.ackSeg(seg(11)).sack(seg(1), seg(2)));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPDSACKUndo));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPDSACKRecvSegs));
        assertEquals(10, c.sk.sndCwnd);
        assertEquals(Integer.MAX_VALUE, c.sk.sndSsthresh);
        assertEquals(CongestionOps.CA_OPEN, c.sk.caState);
    }

    @Test void aPartialAckWithAnOlderEchoUndoesFastRecovery() {
        established(true);
        assertEquals(30 * mss, c.write(bytes(30 * mss)));
        List<Pkt> flight = drain();
        int originalTs = flight.get(0).opts().tsVal;
        c.advance(15 * MS);
        c.send(ackEchoing(seg(1), originalTs).sack(seg(2), seg(5)));   // 2..4 arrived: 1 is resent
        c.expect(seq(seg(1)));
        drain();
        assertEquals(CongestionOps.CA_RECOVERY, c.sk.caState);
        assertEquals(7, c.sk.sndCwnd);
        // Segment 1's original arrives (with 5): a partial ACK whose echo predates the
        // retransmission, so it was reordering. Linux undoes at once (TCPPartialUndo).
        c.advance(MS);
        c.send(ackEchoing(seg(6), originalTs));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPPartialUndo));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPTSReorder));
        assertEquals(CongestionOps.CA_OPEN, c.sk.caState);
        assertEquals(12, c.sk.sndCwnd, "Linux: 10 restored, plus the two segments delivered");
        assertEquals(Integer.MAX_VALUE, c.sk.sndSsthresh);
        assertEquals(7, drain().size(), "cwnd 12 with segments 6..10 in flight");
    }

    TcpTestContext.Seg ackEchoing(int ack, int tsEcr) {
        return c.seg(TcpHeader.ACK_FLAG).seq(c.rcvSeq).ack(ack).win(502).ts(++c.peerTsVal, tsEcr);
    }

    @Test void frtoIsOffWithTheSysctl() {
        c.stack.sysctl().set("net.ipv4.tcp_frto", "0");
        established(false);
        assertEquals(30 * mss, c.write(bytes(30 * mss)));
        drain();
        for (int ms = 0; ms < 2000 && c.sk.caState != CongestionOps.CA_LOSS; ms++) c.advance(MS);
        assertFalse(c.sk.frto);
        drain();
        c.send(c.ackSeg(seg(2)));
        c.expect(seq(seg(2)));                                        // conventional: resend the next hole
    }
}
