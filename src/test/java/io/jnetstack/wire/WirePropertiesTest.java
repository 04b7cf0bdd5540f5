package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.*;

/** Parse never fails with anything but WireException on garbage; emit then parse gives back the Repr. */
class WirePropertiesTest {

    interface Parse { void run(); }

    static void onlyWireException(Parse p) {
        try {
            p.run();
        } catch (WireException expected) {
            // the one failure parse may report
        }
    }

    @Property(tries = 3000)
    void parseNeverThrowsUnexpectedly(@ForAll @Size(max = 100) byte[] bytes, @ForAll boolean verify,
                                      @ForAll int src, @ForAll int dst) {
        MemorySegment s = MemorySegment.ofArray(bytes);
        onlyWireException(() -> Ipv4Repr.parse(new Ipv4Header().wrap(s), verify));
        onlyWireException(() -> TcpRepr.parse(new TcpHeader().wrap(s), src, dst, verify));
        onlyWireException(() -> UdpRepr.parse(new UdpHeader().wrap(s), src, dst, verify));
        onlyWireException(() -> IcmpRepr.parse(new IcmpHeader().wrap(s), verify));
        onlyWireException(() -> EthernetRepr.parse(new EthernetFrame().wrap(s)));
        onlyWireException(() -> ArpRepr.parse(new ArpPacket().wrap(s)));
        new TcpOptions().parse(s);                                       // never throws at all
        // after a passing check, accessors stay in bounds
        var ip = new Ipv4Header().wrap(s);
        if (ip.check(false) == null) { ip.payload(); ip.options(); }
        var tcp = new TcpHeader().wrap(s);
        if (tcp.checkLen()) { tcp.payload(); new TcpOptions().parse(tcp.options()); }
    }

    /** Garbage that passes the checksum: validation beyond the checksum must still hold. */
    @Property(tries = 2000)
    void validChecksumGarbageParses(@ForAll @Size(min = 20, max = 80) byte[] bytes, @ForAll int src, @ForAll int dst) {
        MemorySegment s = MemorySegment.ofArray(bytes);
        var tcp = new TcpHeader().wrap(s);
        int doff = 5 + Math.floorMod(bytes[12], 11);                       // 5..15
        tcp.dataOffset(doff).computeChecksum(src, dst);
        onlyWireException(() -> TcpRepr.parse(tcp, src, dst, true));
        if (doff * 4 <= bytes.length) assertNotNull(TcpRepr.parse(tcp, src, dst, true));
    }

    @Provide Arbitrary<TcpOptions> options() {
        var mss = Arbitraries.integers().between(0, 0xFFFF);
        var ws = Arbitraries.integers().between(-1, 14);
        var ts = Arbitraries.integers();
        var nSack = Arbitraries.integers().between(0, 3);
        return Combinators.combine(mss, ws, Arbitraries.of(true, false), Arbitraries.of(true, false), ts, ts, nSack,
                        Arbitraries.integers().list().ofSize(8))
                .as((m, w, sp, hasTs, v, e, n, sack) -> {
                    var o = new TcpOptions().mss(m).wscale(w).sackPermitted(sp);
                    if (hasTs) o.timestamp(v, e);
                    for (int i = 0; i < n; i++) o.addSack(sack.get(2 * i), sack.get(2 * i + 1));
                    return o;
                })
                .filter(o -> o.emitLen() <= TcpHeader.MAX_OPTIONS_LEN);
    }

    @Property(tries = 1000)
    void tcpRoundTrips(@ForAll("options") TcpOptions opts, @ForAll int seq, @ForAll int ack,
                       @ForAll @Size(max = 64) byte[] data, @ForAll int src, @ForAll int dst) {
        var repr = new TcpRepr(seq >>> 16, seq & 0xFFFF, seq, ack, ack & 0xFF, seq >>> 8 & 0xFFFF, ack >>> 16,
                opts, MemorySegment.ofArray(data));
        MemorySegment s = MemorySegment.ofArray(new byte[repr.bufferLen()]);
        repr.emit(new TcpHeader().wrap(s), src, dst);
        assertEquals(repr, TcpRepr.parse(new TcpHeader().wrap(s), src, dst, true));
    }

    @Property(tries = 500)
    void fastOpenRoundTrips(@ForAll @Size(min = 16, max = 16) byte[] cookie, @ForAll boolean exp,
                            @ForAll("cookieLens") int len) {
        var o = new TcpOptions().mss(1460).fastOpen(cookie, len, exp);
        MemorySegment s = MemorySegment.ofArray(new byte[40]);
        int n = o.emit(s);
        assertEquals(o, new TcpOptions().parse(s.asSlice(0, n)));
    }

    @Provide Arbitrary<Integer> cookieLens() { return Arbitraries.of(0, 4, 6, 8, 10, 12, 14, 16); }

    @Property(tries = 1000)
    void ipv4RoundTrips(@ForAll int src, @ForAll int dst, @ForAll int a, @ForAll int b, @ForAll boolean df, @ForAll boolean mf) {
        var repr = new Ipv4Repr(src, dst, a & 0xFF, (a >>> 8) % (0xFFFF - 20), b & 0xFF, b >>> 8 & 0xFF, b >>> 16, df, mf,
                (a & Ipv4Header.FRAG_OFFSET_MASK) << 3);
        MemorySegment s = MemorySegment.ofArray(new byte[repr.totalLen()]);
        repr.emit(new Ipv4Header().wrap(s));
        assertEquals(repr, Ipv4Repr.parse(new Ipv4Header().wrap(s), true));
    }

    @Property(tries = 1000)
    void udpAndIcmpRoundTrip(@ForAll int ports, @ForAll @Size(max = 200) byte[] data, @ForAll int src, @ForAll int dst) {
        var udp = new UdpRepr(ports >>> 16, ports & 0xFFFF, MemorySegment.ofArray(data));
        MemorySegment s = MemorySegment.ofArray(new byte[udp.bufferLen()]);
        udp.emit(new UdpHeader().wrap(s), src, dst);
        assertNotEquals(0, new UdpHeader().wrap(s).checksum());
        assertEquals(udp, UdpRepr.parse(new UdpHeader().wrap(s), src, dst, true));

        var icmp = new IcmpRepr(ports & 0xFF, ports >>> 8 & 0xFF, src, MemorySegment.ofArray(data));
        MemorySegment t = MemorySegment.ofArray(new byte[icmp.bufferLen()]);
        icmp.emit(new IcmpHeader().wrap(t));
        assertEquals(icmp, IcmpRepr.parse(new IcmpHeader().wrap(t), true));
    }

    @Property(tries = 500)
    void linkRoundTrips(@ForAll long a, @ForAll long b, @ForAll int ip1, @ForAll int ip2, @ForAll short op) {
        long m1 = a & MacAddress.BROADCAST, m2 = b & MacAddress.BROADCAST;
        var eth = new EthernetRepr(m1, m2, op & 0xFFFF);
        var arp = new ArpRepr(op & 0xFFFF, m1, ip1, m2, ip2);
        MemorySegment s = MemorySegment.ofArray(new byte[eth.bufferLen() + arp.bufferLen()]);
        var f = new EthernetFrame().wrap(s);
        eth.emit(f);
        arp.emit(new ArpPacket().wrap(f.payload()));
        assertEquals(eth, EthernetRepr.parse(new EthernetFrame().wrap(s)));
        assertEquals(arp, ArpRepr.parse(new ArpPacket().wrap(new EthernetFrame().wrap(s).payload())));
        assertEquals(m1, MacAddress.parse(MacAddress.format(m1)));
        assertEquals(ip1, Ipv4Address.parse(Ipv4Address.format(ip1)));
    }

    @Property(tries = 1000)
    void seqNumOrdersConsistently(@ForAll int a, @ForAll int d) {
        int delta = d >>> 2 | 1;                         // 1 .. 2^30: unambiguous distance
        int b = a + delta;
        assertTrue(SeqNum.lt(a, b) && SeqNum.gt(b, a) && !SeqNum.ge(a, b));
        assertEquals(delta, SeqNum.diff(b, a));
        assertTrue(SeqNum.inWindow(a, a, delta) && !SeqNum.inWindow(b, a, delta));
        assertTrue(SeqNum.between(b, a, b) && SeqNum.between(a, a, b));
        assertEquals(b, SeqNum.max(a, b));
        assertEquals(List.of(a), List.of(SeqNum.min(a, b)));
    }
}
