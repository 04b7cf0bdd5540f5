package io.jnetstack.tcp;

import static io.jnetstack.tcp.Check.flags;
import static io.jnetstack.tcp.TcpTestContext.MS;
import static io.jnetstack.tcp.TcpTestContext.STACK_PORT;
import static io.jnetstack.tcp.TcpTestContext.TEST_ISS;
import static io.jnetstack.wire.TcpHeader.ACK_FLAG;
import static io.jnetstack.wire.TcpHeader.CWR;
import static io.jnetstack.wire.TcpHeader.ECE;
import static io.jnetstack.wire.TcpHeader.PSH;
import static io.jnetstack.wire.TcpHeader.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * RFC 3168 ECN as Linux negotiates and reacts to it: the ECN-setup SYN and its fallback, ECT(0)
 * on new data only, CWR after an echo with PRR bringing cwnd down, and the receiver's echo from
 * CE until CWR.
 */
class TcpEcnTest {
    final TcpTestContext c = new TcpTestContext();

    /** connect() with whatever SYN it sends. */
    Pkt connect() {
        c.sk = c.newSock();
        c.sk.sport = STACK_PORT;
        assertEquals(0, TcpProt.connect(c.sk, TcpTestContext.TEST_ADDR, TcpTestContext.TEST_PORT));
        return c.expect();
    }

    /** An ECN connection: tcp_ecn=1 asks, the peer's SYN-ACK agrees with ECE alone. */
    void ecnEstablished() {
        c.stack.sysctl().tcpEcn.set(1);
        Pkt syn = connect();
        assertEquals(SYN | ECE | CWR, syn.flags());
        assertEquals(TcpEcn.NOT_ECT, syn.ecn(), "SYNs are not ECT");
        TcpTestContext.Seg sa = c.seg(SYN | ACK_FLAG | ECE).seq(TEST_ISS).ack(syn.seq() + 1).win(65535);
        sa.opts.mss(1460).sackPermitted(true).wscale(7).timestamp(c.peerTsVal, syn.opts().tsVal);
        c.advance(10 * MS);
        c.send(sa);
        Pkt ack = c.expect(flags(ACK_FLAG));
        assertEquals(TcpEcn.NOT_ECT, ack.ecn(), "pure ACKs are not ECT");
        c.send(c.ackSeg(c.sk.sndNxt));
        assertEquals(TcpEcn.OK, c.sk.ecnFlags & TcpEcn.OK);
    }

    @Test void newDataIsEct0AndRetransmissionsAreNot() {
        ecnEstablished();
        assertEquals(1000, c.write(TcpTestContext.bytes(1000)));
        Pkt d = c.expect(flags(ACK_FLAG | PSH));
        assertEquals(TcpEcn.ECT_0, d.ecn());
        c.advance(1000 * MS);                                       // RTO
        Pkt r = c.expect(flags(ACK_FLAG | PSH));
        assertEquals(d.seq(), r.seq());
        assertEquals(TcpEcn.NOT_ECT, r.ecn());
    }

    @Test void anEchoEntersCwrAndTheNextNewSegmentCarriesCwr() {
        ecnEstablished();
        assertEquals(4000, c.write(TcpTestContext.bytes(4000)));
        c.drain();
        int cwnd = c.sk.sndCwnd;
        TcpTestContext.Seg echo = c.ackSeg(c.sk.sndUna + 1448);
        echo.flags |= ECE;
        c.send(echo);
        assertEquals(CongestionOps.CA_CWR, c.sk.caState);
        assertEquals(cwnd * Cubic.BETA / Cubic.BETA_SCALE, c.sk.sndSsthresh);
        assertTrue(c.sk.sndCwnd < cwnd, "PRR reduces cwnd");
        c.sk.nonagle = TcpSock.NAGLE_OFF;
        assertEquals(1000, c.write(TcpTestContext.bytes(1000)));
        Pkt p = c.expect();
        assertEquals(CWR, p.flags() & CWR, "first new data after the echo: " + p);
        c.drain();
        // CWR ends once data sent after the reduction began is acknowledged.
        c.send(c.ackSeg(c.sk.sndNxt));
        assertEquals(CongestionOps.CA_OPEN, c.sk.caState);
        assertEquals(c.sk.sndSsthresh, c.sk.sndCwnd);
    }

    @Test void ceMakesTheReceiverEchoUntilCwr() {
        ecnEstablished();
        TcpTestContext.Seg ce = c.ackSeg(c.sk.sndNxt).data(new byte[100]);
        ce.tos = TcpEcn.CE;
        c.send(ce);
        Pkt a = c.expect(flags(ACK_FLAG | ECE));                     // at once, with the echo
        assertEquals(TcpEcn.NOT_ECT, a.ecn());
        c.rcvSeq += 100;
        TcpTestContext.Seg plain = c.ackSeg(c.sk.sndNxt).data(new byte[100]);
        plain.tos = TcpEcn.ECT_0;
        c.send(plain);
        c.advance(200 * MS);
        c.expect(flags(ACK_FLAG | ECE));                             // still echoing
        c.rcvSeq += 100;
        TcpTestContext.Seg cwr = c.ackSeg(c.sk.sndNxt).data(new byte[100]);
        cwr.flags |= CWR;
        cwr.tos = TcpEcn.ECT_0;
        c.send(cwr);
        c.expect(flags(ACK_FLAG));                                   // ACKed at once, echo over
        assertTrue((c.sk.ecnFlags & TcpEcn.SEEN) != 0);
    }

    @Test void retransmittedSynsDropTheEcnRequest() {
        c.stack.sysctl().tcpEcn.set(1);
        assertEquals(SYN | ECE | CWR, connect().flags());
        c.advance(1000 * MS);
        Pkt again = c.expect();
        assertEquals(SYN, again.flags());
    }

    @Test void aListenerAgreesByDefaultAndNotWhenOff() {
        c.listener(5);
        TcpTestContext.Seg syn = c.seg(SYN | ECE | CWR).seq(TEST_ISS).win(64240);
        syn.opts.mss(1460);
        c.send(syn);
        c.expect(flags(SYN | ACK_FLAG | ECE));                       // tcp_ecn = 2: agree when asked
        c.stack.sysctl().tcpEcn.set(0);
        TcpTestContext.Seg syn2 = c.seg(SYN | ECE | CWR).ports(TcpTestContext.TEST_PORT + 1, STACK_PORT).seq(TEST_ISS).win(64240);
        c.send(syn2);
        c.expect(flags(SYN | ACK_FLAG));
        c.stack.sysctl().tcpEcn.set(2);
        TcpTestContext.Seg ect = c.seg(SYN | ECE | CWR).ports(TcpTestContext.TEST_PORT + 2, STACK_PORT).seq(TEST_ISS).win(64240);
        ect.tos = TcpEcn.ECT_0;                                      // an ECT SYN: a middlebox meddled
        c.send(ect);
        c.expect(flags(SYN | ACK_FLAG));
    }
}
