package io.jnetstack.tcp;

import static io.jnetstack.tcp.TcpSendBuffer.SKB_TRUESIZE_EMPTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.socket.Sock;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Poll;
import org.junit.jupiter.api.Test;

/**
 * tcp_sendmsg's memory rules on the virtual clock: a write fills the tail skb to size_goal and
 * asks for memory only for a new skb (so it may overshoot sk_sndbuf by up to one skb), and a
 * writer is woken (POLLOUT) only once a third of the buffer is free, counted in truesize.
 */
class TcpSendMemoryTest {
    final TcpTestContext ctx = new TcpTestContext();

    private void establishedWithSndbuf(int sndbuf) {
        ctx.established();
        ctx.sk.sndBuf = sndbuf;
        ctx.sk.userLocks |= Sock.SNDBUF_LOCK;
        ctx.drain();
    }

    private boolean pollOut() { return (TcpProt.poll(ctx.sk) & Poll.POLLOUT) != 0; }

    /**
     * size_goal 31856 (22 × 1448: half of the peer's 65535 window). The first skb fills and goes
     * out in part (cwnd 10, 2-segment TSO packets: five skbs of 2896), its rest takes the write on
     * up to size_goal again (tail room is not memory-checked), and the next skb is refused:
     * 46336 + 6 × 832 = 51328 ≥ 42000. Counting bytes only, a new skb would have been allowed.
     */
    @Test void writeFillsTheTailSkbAndStopsAtTheNextOne() {
        establishedWithSndbuf(42000);
        assertEquals(1448, ctx.sk.mssCache);
        assertEquals(22 * 1448, ctx.sk.sizeGoal(), "half of the peer's 65535-byte window, whole segments");
        int n = ctx.write(TcpTestContext.bytes(200_000));
        assertEquals(10 * 1448 + 22 * 1448, n);
        assertEquals(6, ctx.sk.sendBuf.skbCount());
        assertEquals(n + 6 * SKB_TRUESIZE_EMPTY, ctx.sk.sendBuf.wmemQueued());
        assertEquals(-Errno.EAGAIN, ctx.write(TcpTestContext.bytes(1)));
    }

    /**
     * ACKs one segment at a time: POLLOUT comes back when sk_stream_wspace ≥ sk_stream_min_wspace
     * in truesize, after 18 segments (20272 bytes in 7 skbs: 26096 ≤ 2/3 of 42000); by bytes
     * alone it would have come after the first ACK.
     */
    @Test void pollOutOnlyOnceAThirdIsFreeInTruesize() {
        establishedWithSndbuf(42000);
        int n = ctx.write(TcpTestContext.bytes(200_000));
        int una = ctx.sk.sndUna;
        int segs = 0;
        while (!pollOut()) {
            assertTrue(ctx.sk.sndUna - una < n, "POLLOUT never came back");
            ctx.send(ctx.ackSeg(Math.min(ctx.sk.sndNxt, ctx.sk.sndUna + ctx.sk.mssCache)));
            ctx.drain();
            segs++;
        }
        assertEquals(18, segs);
        assertEquals(26096, ctx.sk.sendBuf.wmemQueued());
        assertEquals(7, ctx.sk.sendBuf.skbCount());
    }
}
