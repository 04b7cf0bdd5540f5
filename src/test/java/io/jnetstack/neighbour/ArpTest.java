package io.jnetstack.neighbour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.inet.Inet;
import io.jnetstack.inet.InetSock;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.Loopback;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import io.jnetstack.wire.ArpPacket;
import io.jnetstack.wire.EthernetFrame;
import io.jnetstack.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ARP and the NUD state machine between two stacks on an in-memory Ethernet cable, on virtual time. */
class ArpTest {
    static final int A = SockAddr.parseIp("198.51.100.1"), B = SockAddr.parseIp("198.51.100.2"),
            NOBODY = SockAddr.parseIp("198.51.100.9");
    static final long MAC_A = 0x02_00_00_00_00_0AL, MAC_B = 0x02_00_00_00_00_0BL, MAC_X = 0x02_00_00_00_00_0CL;
    static final long SEC = 1_000_000_000L;

    final SimScheduler sched = new SimScheduler();
    final Stack sa = new Stack("a", sched, 1), sb = new Stack("b", sched, 2);
    final EtherCable cable = new EtherCable(sched, MAC_A, MAC_B);
    Ipv4 ipa, ipb;
    Arp arpa, arpb;

    @BeforeEach void setUp() {
        ipa = install(sa, cable.a, A);
        ipb = install(sb, cable.b, B);
        arpa = Arp.of(sa);
        arpb = Arp.of(sb);
        sched.runFor(0);
        cable.log.clear();
        cable.a.sent.clear();
        cable.b.sent.clear();
    }

    private static Ipv4 install(Stack s, EtherCable.End dev, int addr) {
        Ipv4 ip = Inet.install(s);
        Arp.of(s);
        ip.attach(new Loopback(s.scheduler()));
        ip.attach(dev);
        assertEquals(0, ip.addAddress(dev, addr, 24));
        return ip;
    }

    // ------------------------------------------------------------------ helpers

    private Socket udp(Stack s, int port) {
        Socket[] out = new Socket[1];
        assertEquals(0, Families.of(s).create(Net.AF_INET, Net.SOCK_DGRAM, 0, false, Credentials.ROOT, out));
        if (port != 0) assertEquals(0, out[0].ops.bind(out[0], SockAddr.in(0, port), 16));
        return out[0];
    }

    private int sendto(Socket s, int addr, int port, int len) {
        MsgHdr m = MsgHdr.of(new byte[len], len);
        m.name = SockAddr.in(addr, port);
        m.namelen = 16;
        int r = s.ops.sendmsg(s, m, 0);
        sched.runFor(0);
        return r;
    }

    private int recv(Socket s) {
        MsgHdr m = MsgHdr.of(new byte[2048], 2048);
        return s.ops.recvmsg(s, m, Net.MSG_DONTWAIT);
    }

    record Arpf(long ethDst, long ethSrc, int op, long sha, int sip, long tha, int tip) {}

    static Arpf arpOf(byte[] f) {
        MemorySegment s = MemorySegment.ofArray(f);
        EthernetFrame e = new EthernetFrame().wrap(s);
        if (e.etherType() != EthernetFrame.ETHERTYPE_ARP) return null;
        ArpPacket a = new ArpPacket().wrap(s.asSlice(14));
        return new Arpf(e.dst(), e.src(), a.operation(), a.senderMac(), a.senderIp(), a.targetMac(), a.targetIp());
    }

    static byte[] arpFrame(long ethDst, long ethSrc, int op, long sha, int sip, long tha, int tip) {
        byte[] f = new byte[42];
        MemorySegment s = MemorySegment.ofArray(f);
        new EthernetFrame().wrap(s).dst(ethDst).src(ethSrc).etherType(EthernetFrame.ETHERTYPE_ARP);
        new ArpPacket().wrap(s.asSlice(14)).htype(1).ptype(0x0800).hlen(6).plen(4).operation(op).senderMac(sha)
                .senderIp(sip).targetMac(tha).targetIp(tip);
        return f;
    }

    static int etherType(byte[] f) { return (f[12] & 0xFF) << 8 | (f[13] & 0xFF); }

    // ------------------------------------------------------------------ tests

    @Test void addressAddSendsGratuitousArp() {
        Stack s = new Stack("c", sched, 3);
        EtherCable c = new EtherCable(sched, MAC_X, MAC_B);
        install(s, c.a, NOBODY);
        assertEquals(1, c.a.sent.size());
        assertEquals(new Arpf(MacAddress.BROADCAST, MAC_X, ArpPacket.OP_REQUEST, MAC_X, NOBODY, 0, NOBODY),
                arpOf(c.a.sent.get(0)));
        assertEquals(1, Arp.of(s).mib().get(ArpMib.OutGratuitous));
    }

    @Test void firstDatagramWaitsForResolutionThenBothSidesKnowEachOther() {
        Socket rx = udp(sb, 7000), tx = udp(sa, 0);
        assertEquals(100, sendto(tx, B, 7000, 100));
        // 1. A broadcasts a request: who has B? tell A (target MAC zero).
        assertEquals(new Arpf(MacAddress.BROADCAST, MAC_A, ArpPacket.OP_REQUEST, MAC_A, A, 0, B), arpOf(cable.log.get(0)));
        // 2. B answers by unicast. 3. A sends the datagram it queued.
        assertEquals(new Arpf(MAC_A, MAC_B, ArpPacket.OP_REPLY, MAC_B, B, MAC_A, A), arpOf(cable.log.get(1)));
        assertEquals(EthernetFrame.ETHERTYPE_IPV4, etherType(cable.log.get(2)));
        assertEquals(3, cable.log.size());
        assertEquals(100, recv(rx));
        Neigh na = arpa.neighbour(cable.a, B), nb = arpb.neighbour(cable.b, A);
        assertEquals(Nud.REACHABLE, na.state());        // a reply to us: confirmed
        assertEquals(MAC_B, na.lladdr());
        assertEquals(Nud.STALE, nb.state());            // a request: learned, not confirmed
        assertEquals(MAC_A, nb.lladdr());
        // Later datagrams go straight out.
        assertEquals(100, sendto(tx, B, 7000, 100));
        assertEquals(4, cable.log.size());
        assertEquals(100, recv(rx));
    }

    @Test void resolutionFailsAfterThreeProbesAndTheSocketSeesEhostunreach() {
        Socket tx = udp(sa, 0);
        ((InetSock) tx.sk).recvErr = true;   // without IP_RECVERR Linux keeps host unreachable from UDP sockets
        assertEquals(0, tx.ops.connect(tx, SockAddr.in(NOBODY, 9), 16, 0));
        assertEquals(10, sendto(tx, NOBODY, 9, 10));        // queued: sendto succeeds
        Neigh n = arpa.neighbour(cable.a, NOBODY);
        assertEquals(Nud.INCOMPLETE, n.state());
        sched.runFor(2 * SEC + SEC / 2);
        assertEquals(3, cable.a.sent.size(), "three broadcast requests, one a second");
        for (byte[] f : cable.a.sent) assertEquals(MacAddress.BROADCAST, arpOf(f).ethDst());
        assertEquals(-Errno.EAGAIN, recv(tx));
        sched.runFor(SEC);
        assertEquals(Nud.FAILED, n.state());
        assertEquals(0, n.queued());
        assertEquals(1, sa.snmp().get("arp_cache.res_failed"));
        assertEquals(-Errno.EHOSTUNREACH, recv(tx));
        assertEquals(1, sa.snmp().get("Icmp.OutDestUnreachs"));
        // A FAILED entry starts over on the next packet.
        assertEquals(10, sendto(tx, NOBODY, 9, 10));
        assertEquals(Nud.INCOMPLETE, n.state());
        assertEquals(4, cable.a.sent.size());
    }

    @Test void fullQueueDropsTheOldest() {
        sa.sysctl().get("net.ipv4.neigh.default.unres_qlen_bytes").set(3 * Ipv4.truesize(128));
        cable.cut = true;
        Socket tx = udp(sa, 0);
        for (int i = 0; i < 5; i++) assertEquals(100, sendto(tx, B, 7000, 100));
        Neigh n = arpa.neighbour(cable.a, B);
        assertEquals(3, n.queued());
        assertEquals(2, sa.snmp().get("arp_cache.unresolved_discards"));
    }

    @Test void reachableLapsesToStaleThenDelayAndUnicastProbe() {
        Socket rx = udp(sb, 7000), tx = udp(sa, 0);
        sendto(tx, B, 7000, 10);
        recv(rx);
        Neigh n = arpa.neighbour(cable.a, B);
        assertEquals(Nud.REACHABLE, n.state());
        long rt = arpa.table().reachableTime();
        assertTrue(rt >= 15 * SEC && rt < 45 * SEC, "reachable_time " + rt);
        sched.runFor(rt + SEC);
        assertEquals(Nud.STALE, n.state());
        int before = cable.a.sent.size();
        sendto(tx, B, 7000, 10);                            // used while STALE: sent at once, DELAY
        assertEquals(before + 1, cable.a.sent.size());
        assertEquals(Nud.DELAY, n.state());
        sched.runFor(5 * SEC + SEC / 10);                   // delay_first_probe_time: PROBE, unicast request
        Arpf probe = arpOf(cable.a.sent.get(before + 1));
        assertEquals(MAC_B, probe.ethDst());
        assertEquals(ArpPacket.OP_REQUEST, probe.op());
        sched.runFor(0);
        assertEquals(Nud.REACHABLE, n.state(), "B's unicast reply confirms it");
    }

    @Test void probeWithoutAnswerFails() {
        Socket rx = udp(sb, 7000), tx = udp(sa, 0);
        sendto(tx, B, 7000, 10);
        recv(rx);
        Neigh n = arpa.neighbour(cable.a, B);
        sched.runFor(arpa.table().reachableTime() + SEC);
        cable.cut = true;
        sendto(tx, B, 7000, 10);
        sched.runFor(5 * SEC + SEC / 10);
        assertEquals(Nud.PROBE, n.state());
        sched.runFor(3 * SEC);
        assertEquals(Nud.FAILED, n.state());
        long unicastProbes = cable.a.sent.stream().map(ArpTest::arpOf)
                .filter(f -> f != null && f.ethDst() == MAC_B && f.op() == ArpPacket.OP_REQUEST).count();
        assertEquals(3, unicastProbes);
    }

    @Test void answersRequestsForOurAddressOnly() {
        cable.b.inject(arpFrame(MacAddress.BROADCAST, MAC_X, ArpPacket.OP_REQUEST, MAC_X, NOBODY, 0, A));
        assertEquals(0, cable.b.sent.size(), "not B's address");
        assertNull(arpb.neighbour(cable.b, NOBODY), "arp_accept 0: strangers are not cached");
        cable.b.inject(arpFrame(MacAddress.BROADCAST, MAC_X, ArpPacket.OP_REQUEST, MAC_X, NOBODY, 0, B));
        assertEquals(new Arpf(MAC_X, MAC_B, ArpPacket.OP_REPLY, MAC_B, B, MAC_X, NOBODY), arpOf(cable.b.sent.get(0)));
        assertEquals(Nud.STALE, arpb.neighbour(cable.b, NOBODY).state());
    }

    @Test void addressProbeFromZeroIsDefendedWithoutCaching() {
        cable.b.inject(arpFrame(MacAddress.BROADCAST, MAC_X, ArpPacket.OP_REQUEST, MAC_X, 0, 0, B));
        assertEquals(new Arpf(MAC_X, MAC_B, ArpPacket.OP_REPLY, MAC_B, B, MAC_X, 0), arpOf(cable.b.sent.get(0)));
        assertEquals(0, arpb.table().size());
    }

    @Test void unsolicitedReplyUpdatesOnlyAKnownNeighbourAndLocktimeKeepsTheFirst() {
        cable.b.inject(arpFrame(MAC_B, MAC_X, ArpPacket.OP_REPLY, MAC_X, NOBODY, MAC_B, B));
        assertNull(arpb.neighbour(cable.b, NOBODY));
        Socket rx = udp(sb, 7000), tx = udp(sa, 0);
        sendto(tx, B, 7000, 10);
        recv(rx);
        Neigh n = arpa.neighbour(cable.a, B);
        assertEquals(MAC_B, n.lladdr());
        // Another "B" answers within locktime (1 s): the first reply wins.
        cable.a.inject(arpFrame(MAC_A, MAC_X, ArpPacket.OP_REPLY, MAC_X, B, MAC_A, A));
        assertEquals(MAC_B, n.lladdr());
        sched.runFor(2 * SEC);
        cable.a.inject(arpFrame(MAC_A, MAC_X, ArpPacket.OP_REPLY, MAC_X, B, MAC_A, A));
        assertEquals(MAC_X, n.lladdr());
        assertEquals(Nud.REACHABLE, n.state());
    }

    static Stream<Arguments> malformed() {
        byte[] ok = arpFrame(MacAddress.BROADCAST, MAC_X, ArpPacket.OP_REQUEST, MAC_X, NOBODY, 0, B);
        return Stream.of(
                Arguments.of("truncated", java.util.Arrays.copyOf(ok, 14 + 20), ArpMib.InMalformed),
                Arguments.of("htype 6", patch(ok, 14, 0, 6), ArpMib.InMalformed),
                Arguments.of("ptype IPv6", patch(ok, 16, 0x86, 0xDD), ArpMib.InMalformed),
                Arguments.of("hlen 8", patch(ok, 18, 8), ArpMib.InMalformed),
                Arguments.of("op 3 (RARP)", patch(ok, 20, 0, 3), ArpMib.InMalformed),
                Arguments.of("multicast sender MAC", patch(ok, 22, 1), ArpMib.InMartians),
                Arguments.of("sender 224.0.0.1", patch(ok, 28, 224, 0, 0, 1), ArpMib.InMartians),
                Arguments.of("target 127.0.0.1", patch(ok, 38, 127, 0, 0, 1), ArpMib.InMartians));
    }

    static byte[] patch(byte[] f, int off, int... v) {
        byte[] c = f.clone();
        for (int i = 0; i < v.length; i++) c[off + i] = (byte) v[i];
        return c;
    }

    @ParameterizedTest(name = "{0}") @MethodSource("malformed")
    void malformedOrMartianIsDroppedAndCounted(String why, byte[] frame, ArpMib counter) {
        cable.b.inject(frame);
        assertEquals(0, cable.b.sent.size());
        assertEquals(0, arpb.table().size());
        assertEquals(1, arpb.mib().get(counter));
    }

    @Test void broadcastAndMulticastNeedNoResolution() {
        Socket tx = udp(sa, 0);
        tx.sk.broadcast = true;
        assertEquals(10, sendto(tx, SockAddr.parseIp("198.51.100.255"), 9, 10));
        List<byte[]> s = cable.a.sent;
        assertEquals(1, s.size());
        assertEquals(MacAddress.BROADCAST, MacAddress.get(MemorySegment.ofArray(s.get(0)), 0));
        assertEquals(0, arpa.table().size());
    }
}
