package io.jnetstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The send log: boundaries, transmission order, splits at partial retransmissions, wrap-around. */
class TcpSentLogTest {
    final TcpSentLog log = new TcpSentLog();

    @Test void everyTransmissionTakesALaterNumberThanAllBefore() {
        log.onSend(0, 100, 5);
        log.onSend(100, 200, 5);
        log.onRetransmit(0, 100, 5);                   // same instant, after the new data
        assertTrue(log.order(0) > log.order(1));
        assertTrue(log.everRetrans(0));
        assertFalse(log.everRetrans(1));
        assertEquals(5, log.sentNs(0));
    }

    @Test void aPartialRetransmissionSplitsTheSegment() {
        log.onSend(0, 1000, 1);
        log.onSend(1000, 2000, 1);
        log.onRetransmit(0, 600, 7);                   // the MSS shrank: the first 600 bytes again
        assertEquals(3, log.count());
        assertEquals(600, log.end(0));
        assertEquals(600, log.start(1));
        assertEquals(1000, log.end(1));
        assertEquals(7, log.sentNs(0));
        assertEquals(1, log.sentNs(1));
        assertFalse(log.everRetrans(1));
        assertEquals(1, log.indexOf(600));
    }

    @Test void resendsOfNewDataOrOldSequenceAreNotNewSegments() {
        log.onSend(0, 100, 1);
        log.onSend(50, 100, 2);                        // not beyond the top: ignored
        assertEquals(1, log.count());
    }

    @Test void trimAndGrowAcrossTheRingsEnd() {
        int seq = -50_000;                             // and across sequence wrap-around
        for (int i = 0; i < 100; i++, seq += 1000) log.onSend(seq, seq + 1000, i);
        log.trimBelow(-50_000 + 90 * 1000);
        assertEquals(10, log.count());
        for (int i = 0; i < 200; i++, seq += 1000) log.onSend(seq, seq + 1000, i);
        assertEquals(210, log.count());
        assertEquals(-50_000 + 90 * 1000, log.start(0));
        assertEquals(0, log.indexOf(-50_000 + 90 * 1000 + 999));
        assertEquals(-1, log.indexOf(seq));
        for (int i = 1; i < log.count(); i++) assertEquals(log.end(i - 1), log.start(i));
    }
}
