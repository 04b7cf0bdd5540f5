package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static io.jnetstack.wire.Fixtures.*;
import static io.jnetstack.wire.IcmpHeader.*;
import static org.junit.jupiter.api.Assertions.*;

class IcmpTest {
    static final String PING_DATA = "10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637";
    static final IcmpRepr REPR = IcmpRepr.echoRequest(0x1234, 1, seg(PING_DATA));

    @Test void deconstruct() {
        var ip = new Ipv4Header().wrap(seg(PING_IP + PING_ICMP));
        assertNull(ip.check(true));
        var h = new IcmpHeader().wrap(ip.payload());
        assertTrue(h.checkLen());
        assertEquals(ECHO_REQUEST, h.type());
        assertEquals(0, h.code());
        assertEquals(0x26f8, h.checksum());
        assertEquals(0x1234, h.echoId());
        assertEquals(1, h.echoSeq());
        assertEquals(40, h.payload().byteSize());
        assertTrue(h.verifyChecksum());
        assertFalse(IcmpHeader.isError(h.type()));
    }

    @Test void construct() {
        MemorySegment s = MemorySegment.ofArray(new byte[48]);
        s.asSlice(8).copyFrom(seg(PING_DATA));
        new IcmpHeader().wrap(s).type(ECHO_REQUEST).code(0).echoId(0x1234).echoSeq(1).computeChecksum();
        assertEquals(Hex.encode(seg(PING_ICMP)), Hex.encode(s));
    }

    @Test void parse() {
        var r = IcmpRepr.parse(new IcmpHeader().wrap(seg(PING_ICMP)), true);
        assertEquals(REPR, r);
        assertEquals(0x1234, r.echoId());
        assertEquals(1, r.echoSeq());
    }

    @Test void emit() {
        MemorySegment s = MemorySegment.ofArray(new byte[REPR.bufferLen()]);
        REPR.emit(new IcmpHeader().wrap(s));
        assertEquals(Hex.encode(seg(PING_ICMP)), Hex.encode(s));
    }

    @Test void fragNeededCarriesMtuAndQuotedHeader() {
        var h = new IcmpHeader().wrap(seg(FRAG_NEEDED_ICMP));
        assertNull(h.check(true));
        assertEquals(DEST_UNREACH, h.type());
        assertEquals(FRAG_NEEDED, h.code());
        assertEquals(1400, h.nextHopMtu());
        assertTrue(IcmpHeader.isError(h.type()));
        var quoted = new Ipv4Header().wrap(h.payload());
        assertTrue(quoted.checkLen());
        assertEquals(LOCAL, quoted.src());
        assertEquals(REMOTE, quoted.dst());
        assertEquals(0x12345678, new TcpHeader().wrap(quoted.segment().asSlice(quoted.headerLen())).seq());

        var repr = IcmpRepr.destUnreachable(FRAG_NEEDED, 1400, seg(SYN_IP + "9c401f90 12345678"));
        assertEquals(repr, IcmpRepr.parse(h, true));
        MemorySegment s = MemorySegment.ofArray(new byte[repr.bufferLen()]);
        repr.emit(new IcmpHeader().wrap(s));
        assertEquals(Hex.encode(seg(FRAG_NEEDED_ICMP)), Hex.encode(s));
    }

    @Test void rejectsShortAndCorrupt() {
        assertEquals(WireError.TRUNCATED, assertThrows(WireException.class,
                () -> IcmpRepr.parse(new IcmpHeader().wrap(seg("0800f7ff 0000")), true)).error());
        assertEquals(WireError.BAD_CHECKSUM, assertThrows(WireException.class,
                () -> IcmpRepr.parse(new IcmpHeader().wrap(seg(PING_ICMP.replace("26f8", "26f9"))), true)).error());
        assertNotNull(IcmpRepr.parse(new IcmpHeader().wrap(seg(PING_ICMP.replace("26f8", "26f9"))), false));
    }

    @Test void oddLengthEchoChecksums() {
        var r = IcmpRepr.echoReply(7, 9, seg("616263"));
        MemorySegment s = MemorySegment.ofArray(new byte[r.bufferLen()]);
        r.emit(new IcmpHeader().wrap(s));
        assertEquals(r, IcmpRepr.parse(new IcmpHeader().wrap(s), true));
    }
}
