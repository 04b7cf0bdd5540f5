package io.jnetstack.tcp;

import static io.jnetstack.tcp.Check.*;
import static io.jnetstack.tcp.TcpTestContext.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RACK (RFC 8985) on the virtual clock: the reordering window and its timer, the DupThresh
 * shortcut, reordering and D-SACKs widening the window, lost retransmissions, and transmissions of
 * one instant kept in the order they left. The peer's handshake RTT is 10 ms, so min_RTT is 10 ms
 * and the reordering window a quarter of it, 2.5 ms.
 */
class TcpRackTest {
    static final int MSS = 1448;
    final TcpTestContext c = new TcpTestContext();
    /** Start of segment i (1-based) of the first write. */
    int base;

    @BeforeEach void established() {
        c.stack.sysctl().set("net.ipv4.tcp_early_retrans", "0");   // no tail loss probe in the way
        c.established();
        base = c.sk.sndNxt;
    }

    int seg(int i) { return base + (i - 1) * MSS; }

    /** Writes {@code n} full segments; returns the ones that left now. */
    List<Pkt> write(int n) {
        assertEquals(n * MSS, c.write(bytes(n * MSS)));
        return drainSent();
    }

    List<Pkt> drainSent() {
        List<Pkt> out = new ArrayList<>();
        for (Pkt p; (p = c.ip.next()) != null; ) out.add(p);
        return out;
    }

    /** A duplicate ACK at snd_una SACKing segments [from, to] (1-based, inclusive). */
    void sack(int from, int to) { c.send(c.ackSeg(c.sk.sndUna).sack(seg(from), seg(to + 1))); }

    @Test void oneSackedSegmentWaitsOutTheReorderingWindow() {
        assertEquals(10, write(10).size());
        c.advance(20 * MS);
        sack(2, 2);                                                // segment 1 may only be late
        c.expectNone();
        assertEquals(TcpSock.TIME_REO_TIMEOUT, c.sk.pendingTimer);
        assertEquals(CongestionOps.CA_DISORDER, c.sk.caState);
        // RACK.rtt 20 ms has passed for segment 1, plus 2.5 ms of window: rounded up to 3 ms,
        // and the timer's 2 ms minimum.
        c.advance(5 * MS - 1);
        c.expectNone();
        c.advance(1);
        c.expect(seq(seg(1)), len(MSS));
        assertEquals(CongestionOps.CA_RECOVERY, c.sk.caState);
        assertEquals(TcpSock.TIME_RETRANS, c.sk.pendingTimer, "the RTO takes the timer back");
    }

    @Test void dupThreshSackedSegmentsMarkTheHoleLostAtOnce() {
        write(10);
        c.advance(20 * MS);
        sack(2, 3);
        c.expectNone();
        sack(2, 4);                                                // three SACKed: no window
        c.expect(seq(seg(1)), len(MSS));
        assertEquals(CongestionOps.CA_RECOVERY, c.sk.caState);
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPFastRetrans));
    }

    @Test void onlySegmentsSentBeforeTheDeliveredOneAreLost() {
        write(10);
        c.advance(20 * MS);
        sack(2, 4);
        c.expect(seq(seg(1)));
        drainSent();
        // Segments 5..10 left with segment 4, after it: none of them is lost, only segment 1.
        assertEquals(seg(2), c.sk.lostBoundary);
        assertEquals(TcpSock.TIME_RETRANS, c.sk.pendingTimer, "nothing waits on the reorder timer");
    }

    @Test void reorderingSeenKeepsAWindowEvenWithDupThreshSacked() {
        write(10);
        c.advance(20 * MS);
        sack(5, 5);
        sack(3, 3);                                                // below what was SACKed: reordering
        assertEquals(1, c.sk.rack.reordSeen);
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPSACKReorder));
        c.send(c.ackSeg(c.sk.sndUna).sack(seg(3), seg(4)).sack(seg(5), seg(7)));   // four SACKed now
        c.expectNone();
        assertEquals(TcpSock.TIME_REO_TIMEOUT, c.sk.pendingTimer);
        c.advance(5 * MS);
        c.expect(seq(seg(1)));
    }

    @Test void dsackWidensTheWindowOncePerRoundTrip() {
        write(10);
        c.advance(20 * MS);
        sack(4, 4);
        sack(3, 4);                                                // 3 arrived after 4: reordering
        c.advance(10 * MS);                                        // the reorder timer: 1 and 2 are lost
        c.expect(seq(seg(1)));
        c.send(c.ackSeg(seg(2)).sack(seg(3), seg(5)));
        c.expect(seq(seg(2)));
        drainSent();
        c.send(c.ackSeg(seg(5)));
        drainSent();
        assertEquals(1, c.sk.rack.reoWndSteps);
        // Linux believes a D-SACK only for what it resent, and widens the window for it only on
        // a path known to reorder (tcp_dsack_seen).
        c.send(c.ackSeg(seg(5)).sack(seg(1), seg(2)));            // D-SACK: original 1 arrived too
        assertEquals(2, c.sk.rack.reoWndSteps);
        assertEquals(TcpRack.RECOVERY_THRESH, c.sk.rack.reoWndPersist);
        c.send(c.ackSeg(seg(5)).sack(seg(2), seg(3)));            // the same round: no second step
        assertEquals(2, c.sk.rack.reoWndSteps);
        assertEquals(2, c.sk.dsackDups);
        // Two steps of min_RTT/4 (min_RTT from the timestamp echo of the last ACK: 1 ms).
        assertEquals(1000, c.sk.minRttUs);
        assertEquals(2 * 250, c.sk.rack.reoWndUs(c.sk));
    }

    @Test void aDsackOfDataNeverResentIsIgnored() {
        write(10);
        c.advance(20 * MS);
        c.send(c.ackSeg(seg(3)));
        drainSent();
        c.send(c.ackSeg(seg(3)).sack(seg(1), seg(2)));            // a "duplicate" of what we sent once
        assertEquals(1, c.sk.rack.reoWndSteps);
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPDSACKIgnoredDubious));
    }

    @Test void aLostRetransmissionIsSentAgain() {
        write(20);                                                 // cwnd 10: segments 1..10 leave
        c.advance(20 * MS);
        sack(2, 4);
        c.expect(seq(seg(1)));                                     // the retransmission (also lost)
        List<Pkt> more = new ArrayList<>(drainSent());
        sack(2, 5);
        more.addAll(drainSent());
        int newData = more.stream().mapToInt(Pkt::seq).filter(s -> s >= seg(11)).min().orElseThrow();
        c.advance(20 * MS);
        // The new segment, sent after the retransmission, arrives; the retransmission does not.
        c.send(c.ackSeg(seg(1)).sack(seg(2), seg(6)).sack(newData, newData + MSS));
        List<Pkt> after = drainSent();
        assertTrue(after.stream().anyMatch(p -> p.seq() == seg(1)), "segment 1 again: " + after);
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPLostRetransmit));
    }

    @Test void aRetransmissionLeavingInTheSameInstantAfterNewDataIsNotLostByIt() {
        c.sk.sndCwnd = 10;
        write(20);
        c.advance(20 * MS);
        c.send(c.ackSeg(seg(2)));                                  // new data leaves at 20 ms...
        List<Pkt> fresh = drainSent();
        assertFalse(fresh.isEmpty());
        int firstNew = fresh.get(0).seq();
        assertTrue(firstNew >= seg(11));
        sack(3, 5);                                                // ...and then, same instant, segment 2 again
        c.expect(seq(seg(2)));
        drainSent();
        c.advance(20 * MS);
        // The new data sent before the retransmission is SACKed. Same send time, smaller
        // transmission number: it says nothing about the retransmission, which is not resent.
        c.send(c.ackSeg(seg(2)).sack(seg(3), seg(11)).sack(firstNew, firstNew + MSS));
        for (Pkt p : drainSent()) assertNotEquals(seg(2), p.seq(), "spurious retransmission " + p);
        assertEquals(0, c.tcp.ext.get(TcpExtMib.TCPLostRetransmit));
    }

    @Test void sackOfPartOfASegmentMarksNothing() {
        write(4);
        c.advance(20 * MS);
        c.send(c.ackSeg(seg(1)).sack(seg(4) - 1, seg(4)));        // the last byte of segment 3
        assertTrue(c.sk.sacked.isEmpty(), "scoreboard " + c.sk.sacked);
        c.send(c.ackSeg(seg(1)).sack(seg(3), seg(4) + 100));       // segment 3 whole, 4 partly
        assertEquals(seg(3), c.sk.sacked.start(0));
        assertEquals(seg(4), c.sk.sacked.end(0));
    }
}
