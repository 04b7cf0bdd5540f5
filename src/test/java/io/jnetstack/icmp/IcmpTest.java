package io.jnetstack.icmp;

import io.jnetstack.inet.InetKit;
import io.jnetstack.ipv4.Pkt;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Net;
import io.jnetstack.wire.IcmpHeader;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

import static io.jnetstack.inet.InetKit.LOCAL;
import static io.jnetstack.inet.InetKit.LO;
import static io.jnetstack.inet.InetKit.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** icmp_rcv, icmp_echo, icmp_send's rules and rate limits, ping and raw sockets. */
class IcmpTest {
    final InetKit k = new InetKit();

    static byte[] echo(int id, int seq, int len) {
        byte[] m = new byte[8 + len];
        IcmpHeader h = new IcmpHeader().wrap(MemorySegment.ofArray(m));
        h.type(8).code(0).echoId(id).echoSeq(seq);
        for (int i = 0; i < len; i++) m[8 + i] = (byte) i;
        h.computeChecksum();
        return m;
    }

    @Test void echoRequestGetsAReply() {
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 1, 5, 0, echo(0x77, 3, 56)));
        byte[] r = k.eth.next();
        var ip = Pkt.view(r);
        assertEquals(LOCAL, ip.src());
        assertEquals(PEER, ip.dst());
        assertTrue(ip.verifyChecksum());
        IcmpHeader h = new IcmpHeader().wrap(ip.payload());
        assertEquals(0, h.type());
        assertEquals(0x77, h.echoId());
        assertEquals(3, h.echoSeq());
        assertTrue(h.verifyChecksum());
        assertEquals(1, k.counter("Icmp.InEchos"));
        assertEquals(1, k.counter("Icmp.OutEchoReps"));
        assertEquals(1, k.counter("Icmp.OutMsgs"));
    }

    @Test void echoIgnoreAllAndBadChecksum() {
        k.stack.sysctl().set("net.ipv4.icmp_echo_ignore_all", "1");
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 1, 5, 0, echo(1, 1, 8)));
        assertNull(k.eth.next());
        byte[] bad = echo(1, 1, 8);
        bad[2] ^= 1;
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 1, 6, 0, bad));
        assertEquals(1, k.counter("Icmp.InCsumErrors"));
        assertEquals(1, k.counter("Icmp.InErrors"));
        assertEquals(2, k.counter("Icmp.InMsgs"));
    }

    @Test void broadcastEchoIsIgnored() {
        k.eth.inject(Pkt.ipv4(PEER, SockAddr.parseIp("10.0.0.255"), 1, 5, 0, echo(1, 1, 8)));
        assertNull(k.eth.next());
    }

    @Test void neverAnErrorAboutAnError() {
        byte[] unreach = new byte[8 + 28];
        IcmpHeader h = new IcmpHeader().wrap(MemorySegment.ofArray(unreach));
        h.type(3).code(3);
        h.computeChecksum();
        // An ICMP error to an unknown protocol would earn protocol unreachable; about ICMP errors, nothing.
        k.icmpSend(Pkt.ipv4(PEER, LOCAL, 1, 9, 0, unreach));
        assertNull(k.eth.next());
        k.icmpSend(Pkt.ipv4(PEER, LOCAL, 1, 9, 0, echo(1, 1, 0)));
        assertTrue(k.eth.next() != null);
    }

    @Test void portUnreachablesArePerHostRateLimited() {
        for (int i = 0; i < 10; i++) k.eth.inject(Pkt.udp(PEER, 9, LOCAL, 7777, new byte[1]));
        assertEquals(10, k.counter("Udp.NoPorts"));
        assertEquals(6, k.eth.sent.size());                 // XRLIM_BURST_FACTOR
        assertEquals(4, k.counter("Icmp.OutRateLimitHost"));
        k.sched.runFor(1_000_000_000L);                      // one more per icmp_ratelimit
        k.eth.sent.clear();
        k.eth.inject(Pkt.udp(PEER, 9, LOCAL, 7777, new byte[1]));
        k.eth.inject(Pkt.udp(PEER, 9, LOCAL, 7777, new byte[1]));
        assertEquals(1, k.eth.sent.size());
    }

    @Test void fragNeededLowersPmtuAndReportsEmsgsize() {
        Socket s = k.udp();
        assertEquals(0, k.connect(s, SockAddr.parseIp("192.0.2.1"), 53));
        assertEquals(1000, k.send(s, new byte[1000]));
        byte[] sent = k.eth.next();
        byte[] err = new byte[8 + 28];
        IcmpHeader h = new IcmpHeader().wrap(MemorySegment.ofArray(err));
        h.type(3).code(4).nextHopMtu(1280);
        System.arraycopy(sent, 0, err, 8, 28);
        h.computeChecksum();
        k.eth.inject(Pkt.ipv4(InetKit.GATEWAY, LOCAL, 1, 1, 0, err));
        assertEquals(1280, k.ip.pathMtu(SockAddr.parseIp("192.0.2.1")));
        assertEquals(-io.jnetstack.uapi.Errno.EMSGSIZE, k.send(s, new byte[1]));
    }

    @Test void pingSocketRoundTripOverLoopback() {
        k.stack.sysctl().set("net.ipv4.ping_group_range", "0 2147483647");
        Socket p = k.socket(Net.AF_INET, Net.SOCK_DGRAM, 1, Credentials.USER);
        byte[] req = echo(0, 1, 16);
        assertEquals(24, k.sendto(p, req, LO, 0));
        int ident = k.port(p);
        assertTrue(ident != 0);
        MsgHdr m = InetKit.msg(100);
        assertEquals(24, k.recv(p, m, 0));
        IcmpHeader r = new IcmpHeader().wrap(MemorySegment.ofArray(m.iov[0]).asSlice(0, 24));
        assertEquals(0, r.type());
        assertEquals(ident, r.echoId());
        assertEquals(1, r.echoSeq());
        assertEquals(LO, SockAddr.inAddr(m.name));
        assertEquals(1, k.counter("Icmp.OutEchos"));
        assertEquals(1, k.counter("Icmp.OutEchoReps"));
        byte[] notEcho = echo(0, 1, 0);
        notEcho[0] = 13;
        assertEquals(-io.jnetstack.uapi.Errno.EINVAL, k.sendto(p, notEcho, LO, 0));
        assertEquals(-io.jnetstack.uapi.Errno.EINVAL, k.sendto(p, new byte[7], LO, 0));
    }

    @Test void rawSocketSeesIcmpAndSendsWithHdrincl() {
        Socket raw = k.socket(Net.AF_INET, Net.SOCK_RAW, 1, Credentials.ROOT);
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 1, 5, 0, echo(0x42, 1, 4)));
        MsgHdr m = InetKit.msg(200);
        assertEquals(32, k.recv(raw, m, 0));                       // the whole IP packet
        assertEquals(0x45, m.iov[0][0]);
        assertEquals(PEER, SockAddr.inAddr(m.name));
        assertEquals(0, SockAddr.port(m.name));
        k.eth.sent.clear();                                         // the kernel answered the echo too

        Socket hi = k.socket(Net.AF_INET, Net.SOCK_RAW, 255, Credentials.ROOT);
        byte[] pkt = Pkt.ipv4(0, PEER, 253, 0, 0, new byte[] {1, 2, 3});
        pkt[10] = pkt[11] = 0;                                      // checksum: the kernel fills it
        assertEquals(23, k.sendto(hi, pkt, PEER, 0));
        var out = Pkt.view(k.eth.next());
        assertEquals(LOCAL, out.src());                             // source filled in when zero
        assertEquals(23, out.totalLen());
        assertTrue(out.verifyChecksum());
        assertTrue(out.id() != 0);                                  // id filled in when zero
        assertEquals(-io.jnetstack.uapi.Errno.EDESTADDRREQ, k.send(hi, pkt));
    }

    @Test void rawSocketKeepsUnknownProtocolsFromBeingUnreachable() {
        k.socket(Net.AF_INET, Net.SOCK_RAW, 99, Credentials.ROOT);
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 99, 7, 0, new byte[8]));
        assertEquals(0, k.counter("Ip.InUnknownProtos"));
        assertEquals(1, k.counter("Ip.InDelivers"));
        assertNull(k.eth.next());
    }
}
