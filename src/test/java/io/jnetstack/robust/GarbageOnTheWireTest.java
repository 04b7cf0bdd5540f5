package io.jnetstack.robust;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.Jnetstack;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.Wire;
import io.jnetstack.stack.Stack;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.In;
import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.Ipv4Repr;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.UdpHeader;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives on a link — random bytes, truncated headers, bad checksums — is dropped and
 * counted under Linux's SNMP names; nothing is thrown to whoever delivers it.
 */
class GarbageOnTheWireTest {
    private static final int US = 0x0a000001, PEER = 0x0a000002;

    private final SimScheduler sched = new SimScheduler();
    private final Stack stack = Jnetstack.newStack("victim", sched, 3);
    private final Wire wire = Wire.create(sched, 9);
    private final Ipv4 ip;

    GarbageOnTheWireTest() {
        Jnetstack.addInterface(stack, wire.a(), US, 24);
        ip = Ipv4.of(stack);
    }

    private void deliver(byte[] frame) {
        sched.enter();
        try {
            ip.receive(wire.a(), MemorySegment.ofArray(frame));
        } finally {
            sched.exit();
        }
    }

    private long c(String name) { return stack.snmp().get(name); }

    /** A well-formed IPv4 packet carrying {@code l4} (whose checksum the caller has set or spoiled). */
    private static byte[] ipv4(int protocol, byte[] l4) {
        byte[] p = new byte[20 + l4.length];
        MemorySegment seg = MemorySegment.ofArray(p);
        new Ipv4Repr(PEER, US, protocol, l4.length, 64, 0, 7, true, false, 0).emit(new Ipv4Header().wrap(seg.asSlice(0, 20)));
        System.arraycopy(l4, 0, p, 20, l4.length);
        return p;
    }

    private static byte[] udp(int dport, boolean goodChecksum) {
        byte[] u = new byte[8 + 5];
        UdpHeader h = new UdpHeader().wrap(MemorySegment.ofArray(u));
        h.srcPort(4000).dstPort(dport).length(u.length);
        h.computeChecksum(PEER, US);
        if (!goodChecksum) h.checksum(h.checksum() ^ 0x0101);
        return u;
    }

    private static byte[] tcpSyn(int dport, boolean goodChecksum) {
        byte[] t = new byte[20];
        TcpHeader h = new TcpHeader().wrap(MemorySegment.ofArray(t));
        h.srcPort(4000).dstPort(dport).seq(1000).headerLen(20).flags(TcpHeader.SYN).window(1000);
        h.computeChecksum(PEER, US);
        if (!goodChecksum) h.checksum(h.checksum() ^ 0x0101);
        return t;
    }

    @Test void badIpHeadersAreInHdrErrors() {
        byte[] good = ipv4(In.IPPROTO_UDP, udp(9, true));
        long before = c("Ip.InHdrErrors");
        byte[] badVersion = good.clone();
        badVersion[0] = 0x65;
        deliver(badVersion);
        byte[] badIhl = good.clone();
        badIhl[0] = 0x44;
        deliver(badIhl);
        byte[] badSum = good.clone();
        badSum[10] ^= 0x55;
        deliver(badSum);
        assertEquals(before + 3, c("Ip.InHdrErrors"));
        assertTrue(c("IpExt.InCsumErrors") >= 1, "the checksum failure is also InCsumErrors");
    }

    @Test void truncatedPacketsAreCountedNotThrown() {
        byte[] good = ipv4(In.IPPROTO_TCP, tcpSyn(80, true));
        for (int len = 0; len < good.length; len++) deliver(java.util.Arrays.copyOf(good, len));
        assertTrue(c("Ip.InHdrErrors") + c("IpExt.InTruncatedPkts") + c("Tcp.InErrs") > 0);
    }

    @Test void transportChecksumErrorsAreCountedPerProtocol() {
        deliver(ipv4(In.IPPROTO_UDP, udp(9, false)));
        assertEquals(1, c("Udp.InCsumErrors"));
        deliver(ipv4(In.IPPROTO_TCP, tcpSyn(80, false)));
        assertEquals(1, c("Tcp.InCsumErrors"));
        assertEquals(0, c("Tcp.OutRsts"), "a corrupt segment gets no RST");
        deliver(ipv4(In.IPPROTO_TCP, tcpSyn(80, true)));
        assertEquals(1, c("Tcp.OutRsts"), "a good SYN to a closed port gets one");
    }

    @Test void randomBytesNeverEscape() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(0, 200)];
            r.nextBytes(b);
            if (b.length > 0 && r.nextBoolean()) b[0] = 0x45; // often look like IPv4 to get deeper
            deliver(b);
        }
        assertTrue(c("Ip.InReceives") >= 20_000);
    }

    @Property(tries = 2000)
    void mutatedPacketsNeverEscape(@ForAll @Size(min = 1, max = 8) int[] flips, @ForAll boolean tcp) {
        byte[] p = tcp ? ipv4(In.IPPROTO_TCP, tcpSyn(80, true)) : ipv4(In.IPPROTO_UDP, udp(9, true));
        for (int f : flips) p[Math.floorMod(f, p.length)] ^= (byte) (1 << Math.floorMod(f >> 8, 8));
        assertDoesNotThrow(() -> deliver(p));
    }
}
