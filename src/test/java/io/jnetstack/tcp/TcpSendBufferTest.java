package io.jnetstack.tcp;

import static io.jnetstack.tcp.TcpSendBuffer.SKB_TRUESIZE_EMPTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The skb accounting of the send queue, against what Linux 6.18 shows in SO_MEMINFO's
 * wmem_queued: every skb costs its bytes plus {@value TcpSendBuffer#SKB_TRUESIZE_EMPTY}.
 */
class TcpSendBufferTest {
    static final int SEQ = 1000;

    private static TcpSendBuffer withSkbs(int... lens) {
        TcpSendBuffer b = new TcpSendBuffer();
        b.headSeq = SEQ;
        for (int n : lens) {
            b.entail();
            b.append(new byte[n], 0, n);
        }
        return b;
    }

    @Test void eachSkbCostsItsBytesAndOneEmptyTruesize() {
        TcpSendBuffer b = withSkbs();
        assertEquals(0, b.wmemQueued());
        b.entail();
        assertEquals(SKB_TRUESIZE_EMPTY, b.wmemQueued(), "an skb is charged when allocated");
        b.append(new byte[1], 0, 1);
        assertEquals(833, b.wmemQueued(), "measured: a 1-byte MSG_EOR write adds 833");
        b.append(new byte[999], 0, 999);
        assertEquals(1832, b.wmemQueued(), "more bytes in the same skb cost only the bytes");
        b.entail();
        b.append(new byte[4000], 0, 4000);
        assertEquals(5000 + 2 * SKB_TRUESIZE_EMPTY, b.wmemQueued());
    }

    @Test void tsoFragmentAddsAnSkbAndGrowMergesThem() {
        TcpSendBuffer b = withSkbs(16000);
        b.fragment(SEQ + 10000);                       // tso_fragment: 10000 sent, 6000 left
        assertEquals(2, b.skbCount());
        assertEquals(16000 + 2 * SKB_TRUESIZE_EMPTY, b.wmemQueued());
        b.fragment(SEQ + 10000);                       // already a boundary: nothing
        assertEquals(2, b.skbCount());
        b.collapse(SEQ, SEQ + 16000);                  // one packet across both: tcp_grow_skb ate the second
        assertEquals(1, b.skbCount());
        assertEquals(SEQ + 16000, b.skbEndOf(SEQ));
    }

    @Test void partialAckTrimsWholeAckFrees() {
        TcpSendBuffer b = withSkbs(10000, 15000);
        b.ackTo(SEQ + 1000);                           // tcp_trim_head: bytes back, the skb stays
        assertEquals(24000 + 2 * SKB_TRUESIZE_EMPTY, b.wmemQueued());
        b.ackTo(SEQ + 10000);                          // the first skb wholly acked: freed
        assertEquals(15000 + SKB_TRUESIZE_EMPTY, b.wmemQueued());
        assertEquals(1, b.skbCount());
        b.ackTo(SEQ + 25000);
        assertEquals(0, b.wmemQueued());
    }

    @Test void pshBelongsToTheSecondPartOfASplit() {
        TcpSendBuffer b = withSkbs(3000);
        b.markPush();
        assertTrue(b.pushedAt(SEQ + 3000));
        b.fragment(SEQ + 1000);
        assertFalse(b.pushedAt(SEQ + 1000), "tcp_fragment: the first part loses PSH");
        assertTrue(b.pushedAt(SEQ + 3000));
        b.collapse(SEQ, SEQ + 3000);
        assertTrue(b.pushedAt(SEQ + 3000), "merged skbs keep the flags they had");
    }

    @Test void aWriteJoinsOnlyAnUnsentFullableTail() {
        TcpSendBuffer b = withSkbs(6000);
        assertEquals(10000, b.tailRoom(16000, SEQ), "unsent tail: filled up to size_goal");
        assertEquals(0, b.tailRoom(16000, SEQ + 1), "a tail that has started to leave takes no more");
        b.markEor();
        assertEquals(0, b.tailRoom(16000, SEQ), "MSG_EOR: later data starts a new skb");
        assertEquals(SEQ + 6000, b.segmentLimit(SEQ));
    }

    @Test void manySkbsGrowTheRing() {
        TcpSendBuffer b = withSkbs();
        for (int i = 0; i < 100; i++) {
            b.entail();
            b.append(new byte[10], 0, 10);
        }
        assertEquals(100, b.skbCount());
        assertEquals(SEQ + 560, b.skbEndOf(SEQ + 555));
        b.ackTo(SEQ + 505);
        assertEquals(50, b.skbCount());
        assertEquals(495 + 50 * SKB_TRUESIZE_EMPTY, b.wmemQueued());
    }
}
