package io.jnetstack.tcp;

import static io.jnetstack.tcp.Check.*;
import static io.jnetstack.tcp.TcpTestContext.*;
import static io.jnetstack.wire.TcpHeader.ACK_FLAG;
import static io.jnetstack.wire.TcpHeader.FIN;
import static io.jnetstack.wire.TcpHeader.PSH;
import static io.jnetstack.wire.TcpHeader.RST;
import static io.jnetstack.wire.TcpHeader.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.socket.Socket;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import org.junit.jupiter.api.Test;

/** RFC 9293 state transitions, one fixture per state, checked segment by segment. */
class TcpStateTest {
    final TcpTestContext c = new TcpTestContext();

    // ================================================================ CLOSED

    @Test void segmentToClosedPortWithAckGetsRstAtItsAck() {
        c.send(c.seg(ACK_FLAG).seq(5).ack(777));
        c.expect(flags(RST), seq(777), dstPort(TEST_PORT), window(0));
        assertEquals(1, c.tcp.mib.get(TcpMib.OutRsts));
    }

    @Test void synToClosedPortGetsRstAckCoveringIt() {
        c.send(c.seg(SYN).seq(100));
        c.expect(flags(RST | ACK_FLAG), seq(0), ack(101));
    }

    @Test void rstToClosedPortIsIgnored() {
        c.send(c.seg(RST).seq(5));
        c.expectNone();
    }

    @Test void badChecksumIsCountedAndDropped() {
        TcpTestContext.Seg s = c.seg(SYN).seq(1);
        s.badChecksum = true;
        c.send(s);
        c.expectNone();
        assertEquals(1, c.tcp.mib.get(TcpMib.InCsumErrors));
        assertEquals(1, c.tcp.mib.get(TcpMib.InErrs));
    }

    @Test void truncatedHeadersAreDropped() {
        c.ip.inject(TEST_ADDR, new byte[10]);
        byte[] doff = c.seg(SYN).build(TEST_ADDR, STACK_ADDR);
        doff[12] = 0x40;                                    // data offset 4 words
        c.ip.inject(TEST_ADDR, doff);
        c.expectNone();
        assertEquals(1, c.tcp.mib.get(TcpMib.InErrs));
    }

    @Test void freshSocketPollsOutAndHup() {
        TcpSock s = c.newSock();
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLHUP, TcpProt.poll(s));
        assertEquals(131072, s.rcvBuf);
        assertEquals(16384, s.sndBuf);
    }

    // ================================================================ SYN-SENT

    @Test void synCarriesLinuxOptionLayout() {
        Pkt syn = c.synSent();
        // mss 1460, sackOK + TS, nop + wscale 10 (tcp_rmem[2] = 32 MiB, Linux 6.18's default).
        optionLayout("020405b40402080a................0103030a").check(syn);
        window(64240).check(syn);
        assertEquals(0, syn.opts().tsEcr);
        assertEquals(TcpState.SYN_SENT, c.sk.st);
        assertEquals(1, c.tcp.mib.get(TcpMib.ActiveOpens));
    }

    @Test void synAckEstablishesAndAcksWithScaledWindow() {
        c.established();
        // 64240 rounded up to the scale: 63 << 10.
        c.write(new byte[0]);
        c.sk.ackPending = true;
        c.tcp.output.sendAck(c.sk);
        c.expect(flags(ACK_FLAG), window(63), optionLayout("0101080a................"));
        assertEquals(1448, c.sk.mssCache);
        assertEquals(1, c.tcp.mib.get(TcpMib.CurrEstab));
    }

    @Test void synRetransmitsClassicScheduleThenEtimedout() {
        c.stack.sysctl().set("net.ipv4.tcp_syn_linear_timeouts", "0");
        Pkt syn = c.synSent();
        long[] at = {1, 3, 7, 15, 31, 63};
        long t = 0;
        for (long s : at) {
            c.advance(s * 1000 * MS - t - 1);
            c.expectNone();
            c.advance(1);
            c.expect(flags(SYN), seq(syn.seq()));
            t = s * 1000 * MS;
        }
        c.advance(127_000 * MS - t - 1);
        assertEquals(TcpState.SYN_SENT, c.sk.st);
        c.advance(1);
        assertEquals(TcpState.CLOSE, c.sk.st);
        assertEquals(Errno.ETIMEDOUT, c.sk.err);
        c.expectNone();
    }

    @Test void synRetransmitsWithLinux6LinearTimeouts() {
        c.synSent();
        long[] at = {1, 2, 3, 4, 5, 7, 11, 19, 35, 67};
        long t = 0;
        for (long s : at) {
            c.advance(s * 1000 * MS - t);
            c.expect(flags(SYN));
            t = s * 1000 * MS;
        }
        c.advance(131_000 * MS - t - 1);
        assertEquals(TcpState.SYN_SENT, c.sk.st);
        c.advance(1);
        assertEquals(Errno.ETIMEDOUT, c.sk.err);
    }

    @Test void rstAckingOurSynRefuses() {
        Pkt syn = c.synSent();
        c.send(c.seg(RST).seq(0).ack(syn.seq() + 1));          // no ACK flag: ignored
        assertEquals(TcpState.SYN_SENT, c.sk.st);
        c.send(c.seg(RST | ACK_FLAG).seq(0).ack(syn.seq() + 5)); // unacceptable ACK: ignored
        assertEquals(TcpState.SYN_SENT, c.sk.st);
        c.send(c.seg(RST | ACK_FLAG).seq(0).ack(syn.seq() + 1));
        assertEquals(TcpState.CLOSE, c.sk.st);
        assertEquals(Errno.ECONNREFUSED, c.sk.err);
        assertEquals(1, c.tcp.mib.get(TcpMib.AttemptFails));
        c.expectNone();
    }

    @Test void badAckInSynSentGetsRst() {
        Pkt syn = c.synSent();
        c.send(c.seg(SYN | ACK_FLAG).seq(TEST_ISS).ack(syn.seq() + 9));
        c.expect(flags(RST), seq(syn.seq() + 9));
        assertEquals(TcpState.SYN_SENT, c.sk.st);
    }

    @Test void simultaneousOpen() {
        Pkt syn = c.synSent();
        TcpTestContext.Seg s = c.seg(SYN).seq(TEST_ISS);
        s.opts.mss(1460);
        c.send(s);
        assertEquals(TcpState.SYN_RECV, c.sk.st);
        c.expect(flags(SYN | ACK_FLAG), seq(syn.seq()), ack(TEST_ISS + 1));
        c.send(c.seg(SYN | ACK_FLAG).seq(TEST_ISS).ack(syn.seq() + 1));
        assertEquals(TcpState.ESTABLISHED, c.sk.st);
    }

    // ================================================================ LISTEN / SYN-RECEIVED

    @Test void passiveOpenThroughTheSynQueue() {
        TcpSock l = c.listener(5);
        TcpTestContext.Seg syn = c.seg(SYN).seq(TEST_ISS).win(64240);
        syn.opts.mss(1460).sackPermitted(true).timestamp(100, 0).wscale(7);
        c.send(syn);
        Pkt sa = c.expect(flags(SYN | ACK_FLAG), ack(TEST_ISS + 1), window(65160),
                optionLayout("020405b40402080a................0103030a"));
        assertEquals(100, sa.opts().tsEcr);
        assertEquals(1, l.synQueue.size());
        assertEquals(0, TcpProt.poll(l));
        c.send(c.seg(ACK_FLAG).seq(TEST_ISS + 1).ack(sa.seq() + 1).win(502).ts(101, sa.opts().tsVal));
        c.expectNone();
        assertEquals(1, l.acceptQueue.size());
        assertEquals(Poll.POLLIN | Poll.POLLRDNORM, TcpProt.poll(l));
        Socket ns = new Socket(c.stack, Net.SOCK_STREAM);
        assertEquals(0, TcpProt.accept(l, ns, true));
        TcpSock child = (TcpSock) ns.sk;
        assertEquals(TcpState.ESTABLISHED, child.st);
        assertEquals(502 << 7, child.sndWnd);
        assertEquals(1, c.tcp.mib.get(TcpMib.PassiveOpens));
        assertEquals(-Errno.EAGAIN, TcpProt.accept(l, new Socket(c.stack, Net.SOCK_STREAM), true));
    }

    @Test void synAckRetransmitsThenRequestDies() {
        TcpSock l = c.listener(5);
        c.send(c.seg(SYN).seq(TEST_ISS));
        c.expect(flags(SYN | ACK_FLAG));
        long[] at = {1, 3, 7, 15, 31};
        long t = 0;
        for (long s : at) {
            c.advance(s * 1000 * MS - t);
            c.expect(flags(SYN | ACK_FLAG));
            t = s * 1000 * MS;
        }
        c.advance(64_000 * MS);
        c.expectNone();
        assertEquals(0, l.synQueue.size());
    }

    @Test void acceptQueueOverflowDropsSyns() {
        TcpSock l = c.listener(0);
        // backlog 0 still admits one (sk_acceptq_is_full is "more than").
        for (int i = 0; i < 2; i++) {
            c.send(c.seg(SYN).ports(TEST_PORT + i, STACK_PORT).seq(TEST_ISS));
            Pkt sa = c.ip.next();
            if (sa == null) break;
            c.send(c.seg(ACK_FLAG).ports(TEST_PORT + i, STACK_PORT).seq(TEST_ISS + 1).ack(sa.seq() + 1));
        }
        assertEquals(1, l.acceptQueue.size());
        assertTrue(c.tcp.ext.get(TcpExtMib.ListenOverflows) >= 1);
        assertTrue(c.tcp.ext.get(TcpExtMib.ListenDrops) >= 1);
    }

    @Test void bareAckToListenerGetsRst() {
        c.listener(5);
        c.send(c.seg(ACK_FLAG).seq(1).ack(99));
        c.expect(flags(RST), seq(99));
    }

    // ================================================================ ESTABLISHED

    @Test void inOrderDataIsAckedQuicklyAtFirstThenDelayed() {
        c.established();
        int nxt = TEST_ISS + 1;
        for (int i = 0; i < 20; i++) {
            c.send(c.ackSeg(c.sk.sndNxt).seq(nxt).data(bytes(100)).flags(ACK_FLAG | PSH));
            nxt += 100;
        }
        // Quickack mode covers the first segments; then every second full-size one or the delack timer.
        assertTrue(c.ip.out.size() >= 2);
        c.drain();
        c.send(c.ackSeg(c.sk.sndNxt).seq(nxt).data(bytes(100)));
        c.advance(39 * MS);
        long before = c.ip.out.size();
        c.advance(2 * MS);
        assertTrue(c.ip.out.size() >= before);
        byte[] buf = new byte[4096];
        assertEquals(2100, c.read(buf));
        assertEquals(-Errno.EAGAIN, c.read(buf));
    }

    @Test void outOfOrderDataIsSackedAndHoleFillAdvances() {
        c.established();
        int base = TEST_ISS + 1;
        c.send(c.ackSeg(c.sk.sndNxt).seq(base + 1000).data(bytes(500)));
        c.expect(flags(ACK_FLAG), ack(base), sackBlocks(base + 1000, base + 1500));
        c.send(c.ackSeg(c.sk.sndNxt).seq(base + 2000).data(bytes(500)));
        c.expect(ack(base), sackBlocks(base + 2000, base + 2500, base + 1000, base + 1500));
        c.send(c.ackSeg(c.sk.sndNxt).seq(base).data(bytes(1000)));
        c.expect(ack(base + 1500), sackBlocks(base + 2000, base + 2500));
        c.send(c.ackSeg(c.sk.sndNxt).seq(base + 1500).data(bytes(500)));
        c.expect(ack(base + 2500), sackBlocks());
        assertEquals(2500, c.sk.rcvQueue.readable());
    }

    @Test void duplicateDataIsDsacked() {
        c.established();
        int base = TEST_ISS + 1;
        c.send(c.ackSeg(c.sk.sndNxt).seq(base).data(bytes(100)));
        c.drain();
        c.send(c.ackSeg(c.sk.sndNxt).seq(base).data(bytes(100)));
        c.expect(ack(base + 100), sackBlocks(base, base + 100));
    }

    @Test void rstWithExactSeqResetsOtherwiseChallengeAck() {
        c.established();
        c.send(c.seg(RST).seq(TEST_ISS + 100));
        c.expect(flags(ACK_FLAG), ack(TEST_ISS + 1));
        assertEquals(TcpState.ESTABLISHED, c.sk.st);
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPChallengeACK));
        c.send(c.seg(RST).seq(TEST_ISS + 1));
        assertEquals(TcpState.CLOSE, c.sk.st);
        assertEquals(Errno.ECONNRESET, c.sk.err);
        assertEquals(1, c.tcp.mib.get(TcpMib.EstabResets));
        byte[] b = new byte[10];
        assertEquals(-Errno.ECONNRESET, c.read(b));
        assertEquals(0, c.read(b));
        assertEquals(-Errno.EPIPE, c.write(b));
    }

    @Test void synInEstablishedGetsChallengeAck() {
        c.established();
        c.advance(1000 * MS);
        c.send(c.seg(SYN).seq(TEST_ISS + 5000));
        c.expect(flags(ACK_FLAG), ack(TEST_ISS + 1));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPSYNChallenge));
    }

    @Test void tailLossProbeComesBeforeTheRto() {
        c.established();
        assertEquals(1000, c.write(bytes(1000)));
        Pkt d = c.expect(flags(ACK_FLAG | PSH), len(1000));
        long srtt = (c.sk.srttUs >> 3) * 1000;
        // RFC 8985 §7.2: PTO = 2·SRTT, plus the delayed-ACK allowance with one segment out; RTO caps it.
        long pto = Math.min(2 * srtt + 200 * MS, c.sk.rtoNs);
        c.advance(pto - 1);
        c.expectNone();
        c.advance(1);
        c.expect(seq(d.seq()), len(1000), flags(ACK_FLAG | PSH));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPLossProbes));
        assertEquals(0, c.tcp.ext.get(TcpExtMib.TCPTimeouts));
        c.advance(c.sk.rtoNs);                                    // the RTO restarts after the probe
        c.expect(seq(d.seq()), len(1000));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPTimeouts));
    }

    @Test void dataIsSentAndRetransmittedOnRto() {
        c.stack.sysctl().set("net.ipv4.tcp_early_retrans", "0");      // no tail loss probe: the RTO alone
        c.established();
        assertEquals(1000, c.write(bytes(1000)));
        Pkt d = c.expect(flags(ACK_FLAG | PSH), len(1000));
        long rto = c.sk.rtoNs;
        assertTrue(rto >= 200 * MS && rto < 1000 * MS, "rto " + rto);
        c.advance(rto - 1);
        c.expectNone();
        c.advance(1);
        c.expect(seq(d.seq()), len(1000));
        assertEquals(1, c.tcp.mib.get(TcpMib.RetransSegs));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPTimeouts));
        c.advance(2 * rto - 1);
        c.expectNone();
        c.advance(1);
        c.expect(seq(d.seq()));                              // backed off: 2 × RTO
        c.send(c.ackSeg(d.seq() + 1000));
        assertEquals(0, c.sk.backoff);
        assertEquals(c.sk.sndNxt, c.sk.sndUna);
    }

    @Test void fastRetransmitOnThreeSackedDupacks() {
        c.established();
        c.sk.sndCwnd = 20;
        byte[] data = bytes(10 * 1448);
        assertEquals(data.length, c.write(data));
        int first = 0;
        for (int i = 0; i < 10; i++) {
            Pkt p = c.expect(len(1448));
            if (i == 0) first = p.seq();
        }
        for (int i = 1; i <= 3; i++) {
            c.send(c.ackSeg(first).sack(first + 1448, first + 1448 * (i + 1)));
        }
        c.expect(seq(first), len(1448));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPFastRetrans));
        assertEquals(CongestionOps.CA_RECOVERY, c.sk.caState);
        c.send(c.ackSeg(first + 10 * 1448));
        assertEquals(CongestionOps.CA_OPEN, c.sk.caState);
        assertEquals(c.sk.sndSsthresh, c.sk.sndCwnd);
    }

    @Test void newRenoFastRetransmitWithoutSack() {
        c.established();
        c.sk.sackOk = false;
        c.sk.sndCwnd = 20;
        assertEquals(5 * 1448, c.write(bytes(5 * 1448)));
        int first = c.expect(len(1448)).seq();
        c.drain();
        for (int i = 0; i < 3; i++) c.send(c.ackSeg(first));
        c.expect(seq(first), len(1448));
        c.send(c.ackSeg(first + 1448));                     // partial ACK: next hole goes at once
        c.expect(seq(first + 1448), len(1448));
    }

    @Test void zeroWindowIsProbed() {
        c.established();
        c.send(c.ackSeg(c.sk.sndNxt).win(0));
        assertEquals(100, c.write(bytes(100)));
        c.expectNone();
        assertEquals(TcpSock.TIME_PROBE0, c.sk.pendingTimer);
        c.advance(c.sk.rtoNs);
        c.expect(flags(ACK_FLAG), seq(c.sk.sndUna - 1), len(0));
        c.send(c.ackSeg(c.sk.sndNxt).win(100));
        c.expect(len(100));
    }

    @Test void nagleHoldsSmallSegmentWhileOneIsUnacked() {
        c.established();
        c.write(bytes(10));
        c.expect(len(10));
        c.write(bytes(10));
        c.expectNone();
        c.send(c.ackSeg(c.sk.sndNxt));
        c.expect(len(10));
        io.jnetstack.uapi.TcpOpts.class.getName();
        byte[] one = {1, 0, 0, 0};
        assertEquals(0, TcpSockopt.set(c.sk, io.jnetstack.uapi.TcpOpts.TCP_NODELAY, one, 4));
        c.write(bytes(10));
        c.expect(len(10));
    }

    // ================================================================ closing

    @Test void activeCloseThroughTimeWait() {
        c.established();
        c.sk.socket = new Socket(c.stack, Net.SOCK_STREAM);
        c.sk.socket.graft(c.sk);
        TcpProt.close(c.sk, 0);
        Pkt fin = c.expect(flags(FIN | ACK_FLAG));
        assertEquals(TcpState.FIN_WAIT1, c.sk.st);
        c.send(c.ackSeg(fin.seq() + 1));
        assertEquals(TcpState.FIN_WAIT2, c.sk.st);
        c.send(c.ackSeg(fin.seq() + 1).flags(FIN | ACK_FLAG));
        c.expect(flags(ACK_FLAG), ack(TEST_ISS + 2));
        assertEquals(TcpState.TIME_WAIT, c.sk.st);
        assertTrue(c.tcp.tupleInUse(STACK_ADDR, STACK_PORT, TEST_ADDR, TEST_PORT));
        c.advance(60_000 * MS - 1);
        assertEquals(TcpState.TIME_WAIT, c.sk.st);
        c.advance(1);
        assertEquals(TcpState.CLOSE, c.sk.st);
        assertTrue(!c.tcp.tupleInUse(STACK_ADDR, STACK_PORT, TEST_ADDR, TEST_PORT));
    }

    @Test void passiveClose() {
        c.established();
        c.send(c.ackSeg(c.sk.sndNxt).flags(FIN | ACK_FLAG));
        c.expect(flags(ACK_FLAG), ack(TEST_ISS + 2));
        assertEquals(TcpState.CLOSE_WAIT, c.sk.st);
        assertEquals(0, c.read(new byte[10]));
        int mask = TcpProt.poll(c.sk);
        assertTrue((mask & Poll.POLLRDHUP) != 0 && (mask & Poll.POLLHUP) == 0);
        TcpProt.close(c.sk, 0);
        Pkt fin = c.expect(flags(FIN | ACK_FLAG));
        assertEquals(TcpState.LAST_ACK, c.sk.st);
        c.rcvSeq = TEST_ISS + 2;
        c.send(c.ackSeg(fin.seq() + 1));
        assertEquals(TcpState.CLOSE, c.sk.st);
    }

    @Test void simultaneousCloseGoesThroughClosing() {
        c.established();
        TcpProt.shutdownSend(c.sk);
        Pkt fin = c.expect(flags(FIN | ACK_FLAG));
        c.send(c.seg(FIN | ACK_FLAG).seq(TEST_ISS + 1).ack(fin.seq()));
        assertEquals(TcpState.CLOSING, c.sk.st);
        c.expect(flags(ACK_FLAG), ack(TEST_ISS + 2));
        c.rcvSeq = TEST_ISS + 2;
        c.send(c.ackSeg(fin.seq() + 1));
        assertEquals(TcpState.TIME_WAIT, c.sk.st);
    }

    @Test void closeWithUnreadDataSendsRst() {
        c.established();
        c.send(c.ackSeg(c.sk.sndNxt).data(bytes(10)));
        c.drain();
        TcpProt.close(c.sk, 0);
        c.expect(flags(RST | ACK_FLAG));
        assertEquals(1, c.tcp.ext.get(TcpExtMib.TCPAbortOnClose));
    }

    @Test void lingerZeroAborts() {
        c.established();
        c.sk.linger = true;
        c.sk.lingerSecs = 0;
        TcpProt.close(c.sk, 0);
        c.expect(flags(RST | ACK_FLAG));
        assertEquals(TcpState.CLOSE, c.sk.st);
    }

    @Test void orphanFinIsRetransmitted() {
        c.established();
        TcpProt.close(c.sk, 0);
        Pkt fin = c.expect(flags(FIN | ACK_FLAG));
        c.advance(c.sk.rtoNs);
        c.expect(flags(FIN | ACK_FLAG), seq(fin.seq()));
    }

    @Test void orphanFinWait2TimesOut() {
        c.established();
        TcpProt.close(c.sk, 0);
        Pkt fin = c.expect(flags(FIN | ACK_FLAG));
        c.send(c.ackSeg(fin.seq() + 1));
        assertEquals(TcpState.FIN_WAIT2, c.sk.st);
        c.advance(60_000 * MS);
        assertEquals(TcpState.CLOSE, c.sk.st);
    }
}
