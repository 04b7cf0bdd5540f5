package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static io.jnetstack.wire.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class EthernetArpTest {
    static final long MAC2 = 0x0200_0000_0002L;
    static final int IP2 = Ipv4Address.of(192, 168, 0, 2);
    static final EthernetRepr ETH = new EthernetRepr(MacAddress.BROADCAST, MAC2, EthernetFrame.ETHERTYPE_ARP);
    static final ArpRepr ARP = ArpRepr.request(MAC2, IP2, LOCAL);

    @Test void deconstruct() {
        var f = new EthernetFrame().wrap(seg(ARP_FRAME));
        assertTrue(f.checkLen());
        assertEquals(MacAddress.BROADCAST, f.dst());
        assertEquals(MAC2, f.src());
        assertEquals(EthernetFrame.ETHERTYPE_ARP, f.etherType());
        var a = new ArpPacket().wrap(f.payload());
        assertTrue(a.checkLen());
        assertEquals(1, a.htype());
        assertEquals(0x0800, a.ptype());
        assertEquals(6, a.hlen());
        assertEquals(4, a.plen());
        assertEquals(ArpPacket.OP_REQUEST, a.operation());
        assertEquals(MAC2, a.senderMac());
        assertEquals(IP2, a.senderIp());
        assertEquals(0L, a.targetMac());
        assertEquals(LOCAL, a.targetIp());
    }

    @Test void construct() {
        MemorySegment s = MemorySegment.ofArray(new byte[EthernetFrame.MIN_FRAME_LEN]);
        var f = new EthernetFrame().wrap(s).dst(MacAddress.BROADCAST).src(MAC2).etherType(0x0806);
        new ArpPacket().wrap(f.payload()).htype(1).ptype(0x0800).hlen(6).plen(4).operation(1)
                .senderMac(MAC2).senderIp(IP2).targetMac(0).targetIp(LOCAL);
        assertEquals(Hex.encode(seg(ARP_FRAME)), Hex.encode(s));
    }

    @Test void parse() {
        var f = new EthernetFrame().wrap(seg(ARP_FRAME));
        assertEquals(ETH, EthernetRepr.parse(f));
        assertEquals(ARP, ArpRepr.parse(new ArpPacket().wrap(f.payload())));
    }

    @Test void emit() {
        MemorySegment s = MemorySegment.ofArray(new byte[EthernetFrame.MIN_FRAME_LEN]);
        var f = new EthernetFrame().wrap(s);
        ETH.emit(f);
        ARP.emit(new ArpPacket().wrap(f.payload()));
        assertEquals(Hex.encode(seg(ARP_FRAME)), Hex.encode(s));
    }

    @Test void rejects() {
        assertEquals(WireError.TRUNCATED, assertThrows(WireException.class,
                () -> EthernetRepr.parse(new EthernetFrame().wrap(seg("ffffffffffff0200")))).error());
        assertEquals(WireError.TRUNCATED, assertThrows(WireException.class,
                () -> ArpRepr.parse(new ArpPacket().wrap(seg("0001 0800 06 04 0001 0200")))).error());
        assertEquals(WireError.UNSUPPORTED, assertThrows(WireException.class,   // IPv6 as protocol type
                () -> ArpRepr.parse(new ArpPacket().wrap(seg("0001 86dd 06 10 0001" + "00".repeat(40))))).error());
        assertEquals(WireError.TRUNCATED, assertThrows(WireException.class,
                () -> ArpRepr.parse(new ArpPacket().wrap(seg("0001")))).error());
    }
}
