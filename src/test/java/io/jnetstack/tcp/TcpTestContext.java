package io.jnetstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.ipv4.Ip;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.Net;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;
import java.lang.foreign.MemorySegment;

/**
 * gVisor's transport/tcp/testing/context in small: one stack with TCP on a {@link FakeIp}, the
 * test playing the remote host (TEST_ADDR) with hand-built segments, and per-state fixtures.
 */
final class TcpTestContext {
    static final int STACK_ADDR = SockAddr.parseIp("192.168.0.1"), TEST_ADDR = SockAddr.parseIp("192.0.2.1");
    static final int STACK_PORT = 8080, TEST_PORT = 40000;
    static final int TEST_ISS = 1_000_000;
    static final long MS = 1_000_000L;

    final SimScheduler sched = new SimScheduler();
    final Stack stack = new Stack("dut", sched, 42);
    final FakeIp ip = new FakeIp(STACK_ADDR);
    final Tcp tcp;
    TcpSock sk;
    /** The remote's next sequence number and its timestamp clock. */
    int rcvSeq = TEST_ISS + 1;
    int peerTsVal = 5000;

    TcpTestContext() {
        stack.register(Ip.class, ip);
        tcp = Tcp.install(stack);
        stack.sysctl().define("net.ipv4.tcp_syn_linear_timeouts", 0, 255, 4);
    }

    TcpSock newSock() { return (TcpSock) TcpProt.INSTANCE.create(stack, Net.AF_INET, Net.SOCK_STREAM, 6); }

    void advance(long ns) { sched.runFor(ns); }

    // ---------------------------------------------------------------- segments from the remote

    static final class Seg {
        int sport = TEST_PORT, dport = STACK_PORT, seq, ack, flags, window = 65535, urg;
        final TcpOptions opts = new TcpOptions();
        byte[] payload = new byte[0];
        boolean badChecksum;

        Seg flags(int f) { flags = f; return this; }
        Seg seq(int s) { seq = s; return this; }
        Seg ack(int a) { ack = a; return this; }
        Seg win(int w) { window = w; return this; }
        Seg data(byte[] d) { payload = d; return this; }
        Seg ports(int s, int d) { sport = s; dport = d; return this; }
        Seg ts(int val, int ecr) { opts.timestamp(val, ecr); return this; }
        Seg sack(int l, int r) { opts.addSack(l, r); return this; }

        byte[] build(int saddr, int daddr) {
            int ol = opts.emitLen();
            byte[] b = new byte[20 + ol + payload.length];
            MemorySegment m = MemorySegment.ofArray(b);
            TcpHeader h = new TcpHeader().wrap(m);
            h.srcPort(sport).dstPort(dport).seq(seq).ack(ack).flags(flags).window(window).urgentPtr(urg).headerLen(20 + ol);
            opts.emit(m.asSlice(20, ol));
            System.arraycopy(payload, 0, b, 20 + ol, payload.length);
            h.computeChecksum(saddr, daddr);
            if (badChecksum) b[16] ^= 1;
            return b;
        }
    }

    Seg seg(int flags) { return new Seg().flags(flags); }

    void send(Seg s) { ip.inject(TEST_ADDR, s.build(TEST_ADDR, STACK_ADDR)); }

    /** An ACK from the remote at its current sequence number, with a fresh timestamp. */
    Seg ackSeg(int ack) {
        Seg s = seg(TcpHeader.ACK_FLAG).seq(rcvSeq).ack(ack).win(502);
        if (sk != null && sk.tsOk) s.ts(++peerTsVal, sk.tsVal());
        return s;
    }

    Pkt expect(Check... checks) {
        Pkt p = ip.next();
        assertNotNull(p, "expected a segment");
        assertTrue(p.checksumOk(), "bad checksum on " + p);
        for (Check c : checks) c.check(p);
        return p;
    }

    void expectNone() {
        Pkt p = ip.next();
        assertNull(p, () -> "unexpected segment " + p);
    }

    void drain() { ip.out.clear(); }

    // ---------------------------------------------------------------- fixtures

    /** SYN_SENT: connect() made, the SYN captured and returned. */
    Pkt synSent() {
        sk = newSock();
        sk.sport = STACK_PORT;
        assertEquals(0, TcpProt.connect(sk, TEST_ADDR, TEST_PORT));
        return expect(Check.flags(TcpHeader.SYN));
    }

    /** ESTABLISHED by an active open, peer with wscale 7, SACK and timestamps; no packets pending. */
    void established() {
        Pkt syn = synSent();
        Seg sa = seg(TcpHeader.SYN | TcpHeader.ACK_FLAG).seq(TEST_ISS).ack(syn.seq() + 1).win(65535);
        sa.opts.mss(1460).sackPermitted(true).wscale(7).timestamp(peerTsVal, syn.opts().tsVal);
        advance(10 * MS);
        send(sa);
        expect(Check.flags(TcpHeader.ACK_FLAG));
        assertEquals(TcpState.ESTABLISHED, sk.st);
        send(ackSeg(sk.sndNxt));                              // the peer's first scaled window
        expectNone();
    }

    /** A listener on STACK_PORT. */
    TcpSock listener(int backlog) {
        TcpSock l = newSock();
        l.sport = STACK_PORT;
        assertEquals(0, TcpProt.listen(l, backlog));
        return l;
    }

    int write(byte[] data) { return TcpProt.sendmsg(sk, MsgHdr.of(data, data.length), 0, true); }

    int read(byte[] buf) { return TcpProt.recvmsg(sk, MsgHdr.of(buf, buf.length), 0, true); }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }
}
