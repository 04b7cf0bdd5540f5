package io.jnetstack.tcp;

import static io.jnetstack.tcp.Check.flags;
import static io.jnetstack.tcp.Check.optionLayout;
import static io.jnetstack.tcp.Check.seq;
import static io.jnetstack.tcp.Check.window;
import static io.jnetstack.tcp.TcpTestContext.MS;
import static io.jnetstack.tcp.TcpTestContext.STACK_PORT;
import static io.jnetstack.tcp.TcpTestContext.TEST_ISS;
import static io.jnetstack.tcp.TcpTestContext.TEST_PORT;
import static io.jnetstack.wire.TcpHeader.ACK_FLAG;
import static io.jnetstack.wire.TcpHeader.RST;
import static io.jnetstack.wire.TcpHeader.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.socket.Socket;
import io.jnetstack.uapi.Net;
import org.junit.jupiter.api.Test;

/**
 * SYN cookies under SYN-queue overflow. The expectations are what Linux 6.18 did in a namespace
 * (raw SYNs from addresses that never answer, SYN-ACKs captured on a veth): a listener holds
 * backlog + 1 requests, then answers with cookies (TCPReqQFullDoCookies, SyncookiesSent) and keeps
 * nothing; a cookie SYN-ACK keeps the options only when the SYN had timestamps; the final ACK
 * establishes the connection (SyncookiesRecv); a wrong cookie gets a RST (SyncookiesFailed).
 */
class SyncookiesTest {
    final TcpTestContext c = new TcpTestContext();

    TcpTestContext.Seg syn(int port, boolean ts) {
        TcpTestContext.Seg s = c.seg(SYN).ports(port, STACK_PORT).seq(TEST_ISS).win(64240);
        s.opts.mss(1460).sackPermitted(true).wscale(7);
        if (ts) s.opts.timestamp(777, 0);
        return s;
    }

    long ext(TcpExtMib m) { return c.tcp.ext.get(m); }

    /** Fills the SYN queue of a backlog-{@code backlog} listener: backlog + 1 requests. */
    TcpSock fullListener(int backlog) {
        TcpSock l = c.listener(backlog);
        for (int i = 0; i <= backlog; i++) {
            c.send(syn(TEST_PORT + 100 + i, true));
            c.expect(flags(SYN | ACK_FLAG));
        }
        assertEquals(backlog + 1, l.synQueue.size());
        assertEquals(0, ext(TcpExtMib.SyncookiesSent));
        return l;
    }

    TcpSock acceptOne(TcpSock l) {
        Socket ns = new Socket(c.stack, Net.SOCK_STREAM);
        assertEquals(0, TcpProt.accept(l, ns, true));
        return (TcpSock) ns.sk;
    }

    @Test void overflowAnswersWithACookieAndTheAckEstablishes() {
        TcpSock l = fullListener(1);
        c.send(syn(TEST_PORT, true));
        Pkt sa = c.expect(flags(SYN | ACK_FLAG), window(65160), optionLayout("020405b40402080a................0103030a"));
        assertEquals(2, l.synQueue.size(), "a cookie keeps no request");
        assertEquals(1, ext(TcpExtMib.TCPReqQFullDoCookies));
        assertEquals(1, ext(TcpExtMib.SyncookiesSent));
        c.advance(50 * MS);
        c.expectNone();                                     // no request, so no SYN-ACK retransmission
        c.send(c.seg(ACK_FLAG).ports(TEST_PORT, STACK_PORT).seq(TEST_ISS + 1).ack(sa.seq() + 1).win(502)
                .ts(800, sa.opts().tsVal));
        c.expectNone();
        assertEquals(1, ext(TcpExtMib.SyncookiesRecv));
        TcpSock child = acceptOne(l);
        assertEquals(TcpState.ESTABLISHED, child.st);
        assertTrue(child.tsOk && child.sackOk && child.wscaleOk, "options come back through TSecr");
        assertEquals(7, child.sndWscale);
        assertEquals(502 << 7, child.sndWnd);
        assertEquals(1448, child.mssCache);
    }

    @Test void withoutTimestampsACookieKeepsOnlyTheMss() {
        TcpSock l = fullListener(0);
        TcpTestContext.Seg s = syn(TEST_PORT, false);
        s.opts.mss(1024);
        c.send(s);
        Pkt sa = c.expect(flags(SYN | ACK_FLAG), window(64240), optionLayout("020405b4"));
        c.send(c.seg(ACK_FLAG).ports(TEST_PORT, STACK_PORT).seq(TEST_ISS + 1).ack(sa.seq() + 1).win(5000));
        TcpSock child = acceptOne(l);
        assertTrue(!child.tsOk && !child.sackOk && !child.wscaleOk);
        assertEquals(536, child.mssCache, "1024 rounds down to the cookie table's 536");
        // The window is unscaled: the ACK's 5000 (a shift of -1 once made it 5000 << 31 = 0,
        // and the child, seeing a zero window, only probed; found against Linux over TAP).
        assertEquals(0, child.sndWscale);
        assertEquals(5000, child.sndWnd);
        assertEquals(1000, TcpProt.sendmsg(child, io.jnetstack.syscall.MsgHdr.of(new byte[1000], 1000), 0, true));
        c.expect(flags(ACK_FLAG), Check.len(536));
    }

    @Test void aWrongCookieGetsARst() {
        fullListener(0);
        c.send(syn(TEST_PORT, true));
        Pkt sa = c.expect(flags(SYN | ACK_FLAG));
        c.send(c.seg(ACK_FLAG).ports(TEST_PORT, STACK_PORT).seq(TEST_ISS + 1).ack(sa.seq() + 77).win(502)
                .ts(800, sa.opts().tsVal));
        c.expect(flags(RST), seq(sa.seq() + 77));
        assertEquals(1, ext(TcpExtMib.SyncookiesFailed));
        assertEquals(0, ext(TcpExtMib.SyncookiesRecv));
    }

    @Test void aCookieExpiresAfterTwoMinutes() {
        TcpSock l = fullListener(0);
        c.send(syn(TEST_PORT, false));
        Pkt sa = c.expect(flags(SYN | ACK_FLAG));
        c.advance(60_000 * MS);                              // the next minute: still good
        c.send(syn(TEST_PORT + 1, false));                   // (keeps the overflow recent)
        Pkt sa2 = c.expect(flags(SYN | ACK_FLAG));
        c.send(c.seg(ACK_FLAG).ports(TEST_PORT, STACK_PORT).seq(TEST_ISS + 1).ack(sa.seq() + 1));
        assertEquals(1, ext(TcpExtMib.SyncookiesRecv));
        c.advance(120_000 * MS);                             // two minutes later: too old
        c.drain();                                           // (the queued requests' SYN-ACK retries)
        c.send(c.seg(ACK_FLAG).ports(TEST_PORT + 1, STACK_PORT).seq(TEST_ISS + 1).ack(sa2.seq() + 1));
        c.expect(flags(RST));
        assertEquals(1, ext(TcpExtMib.SyncookiesFailed));
        assertEquals(1, l.acceptQueue.size());
    }

    @Test void withoutSyncookiesTheOverflowIsDropped() {
        c.stack.sysctl().tcpSyncookies.set(0);
        TcpSock l = fullListener(2);
        c.send(syn(TEST_PORT, true));
        c.expectNone();
        assertEquals(3, l.synQueue.size());
        assertEquals(1, ext(TcpExtMib.TCPReqQFullDrop));
        assertEquals(1, ext(TcpExtMib.ListenDrops));
    }

    @Test void syncookiesTwoAlwaysSendsCookies() {
        c.stack.sysctl().tcpSyncookies.set(2);
        TcpSock l = c.listener(4);
        c.send(syn(TEST_PORT, true));
        c.expect(flags(SYN | ACK_FLAG));
        assertEquals(0, l.synQueue.size());
        assertEquals(1, ext(TcpExtMib.SyncookiesSent));
        assertEquals(1, ext(TcpExtMib.TCPReqQFullDoCookies));
    }

    @Test void encodedTimestampNeverRunsAhead() {
        for (int ts : new int[] {0, 5, 63, 64, 1000, -1}) {
            for (int w = -1; w <= 14; w++) {
                int e = TcpSyncookies.encodeTs(ts, w, true, false);
                assertTrue(e - ts <= 0 && ts - e < 64, ts + "/" + w);
                assertEquals(w, TcpSyncookies.decodeWscale(e));
                assertTrue(TcpSyncookies.decodeSack(e));
            }
        }
    }
}
