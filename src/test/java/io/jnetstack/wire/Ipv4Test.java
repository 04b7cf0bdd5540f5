package io.jnetstack.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.jnetstack.wire.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class Ipv4Test {
    static final String PACKET = SYN_IP + SYN_TCP;
    static final Ipv4Repr REPR = new Ipv4Repr(LOCAL, REMOTE, 6, 40, 64, 0, 0x4b2a, true, false, 0);

    @Test void deconstruct() {
        try (Arena arena = Arena.ofConfined()) {
            for (MemorySegment s : new MemorySegment[] {seg(PACKET), nativeSeg(PACKET, arena)}) {
                var h = new Ipv4Header().wrap(s);
                assertTrue(h.checkLen());
                assertEquals(4, h.version());
                assertEquals(5, h.ihl());
                assertEquals(20, h.headerLen());
                assertEquals(0, h.tos());
                assertEquals(60, h.totalLen());
                assertEquals(0x4b2a, h.id());
                assertTrue(h.dontFrag());
                assertFalse(h.moreFrags());
                assertEquals(0, h.fragOffset());
                assertFalse(h.isFragment());
                assertEquals(64, h.ttl());
                assertEquals(6, h.protocol());
                assertEquals(0x6ce7, h.checksum());
                assertEquals(LOCAL, h.src());
                assertEquals(REMOTE, h.dst());
                assertEquals(0, h.options().byteSize());
                assertEquals(40, h.payload().byteSize());
                assertTrue(h.verifyChecksum());
                assertNull(h.check(true));
            }
        }
    }

    @Test void construct() {
        MemorySegment s = MemorySegment.ofArray(new byte[20]);
        new Ipv4Header().wrap(s).headerLen(20).tos(0).totalLen(60).id(0x4b2a).dontFrag(true)
                .ttl(64).protocol(6).src(LOCAL).dst(REMOTE).computeChecksum();
        assertEquals(Hex.encode(seg(SYN_IP)), Hex.encode(s));
    }

    @Test void parse() {
        assertEquals(REPR, Ipv4Repr.parse(new Ipv4Header().wrap(seg(PACKET)), true));
    }

    @Test void emit() {
        MemorySegment s = MemorySegment.ofArray(new byte[REPR.bufferLen()]);
        REPR.emit(new Ipv4Header().wrap(s));
        assertEquals(Hex.encode(seg(SYN_IP)), Hex.encode(s));
    }

    @Test void fieldsSharingBytesDoNotClobberEachOther() {
        var h = new Ipv4Header().wrap(MemorySegment.ofArray(new byte[24]));
        h.version(4).ihl(6).dscp(46).ecn(2).fragOffset(1480).moreFrags(true).dontFrag(false);
        assertEquals(4, h.version());
        assertEquals(24, h.headerLen());
        assertEquals(46, h.dscp());
        assertEquals(2, h.ecn());
        assertEquals(0xBA, h.tos());
        assertEquals(1480, h.fragOffset());
        assertTrue(h.moreFrags());
        assertFalse(h.dontFrag());
        assertTrue(h.isFragment());
        assertEquals(4, h.options().byteSize());
    }

    @Test void payloadStopsAtTotalLengthNotAtEthernetPadding() {
        var h = new Ipv4Header().wrap(seg(PACKET + "00000000"));
        assertNull(h.check(true));
        assertEquals(40, h.payload().byteSize());
    }

    @Test void decrementTtlKeepsChecksumValid() {
        var h = new Ipv4Header().wrap(seg(PACKET));
        h.decrementTtl();
        assertEquals(63, h.ttl());
        assertTrue(h.verifyChecksum());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void parseRejects(String why, String hex, WireError expected) {
        var h = new Ipv4Header().wrap(seg(hex));
        assertEquals(expected, h.check(true));
        var e = assertThrows(WireException.class, () -> Ipv4Repr.parse(h, true));
        assertEquals(expected, e.error());
    }

    static Stream<Arguments> parseRejects() {
        return Stream.of(
            arguments("empty", "", WireError.TRUNCATED),
            arguments("shorter than 20", "4500003c 4b2a4000 40066ce7 c0a80001", WireError.TRUNCATED),
            arguments("version 6", "6500003c 4b2a4000 40066ce7 c0a80001 c0000201", WireError.BAD_VERSION),
            arguments("ihl 4", "4400003c 4b2a4000 40066ce7 c0a80001 c0000201", WireError.BAD_IHL),
            arguments("ihl 0", "4000003c 4b2a4000 40066ce7 c0a80001 c0000201", WireError.BAD_IHL),
            arguments("ihl past buffer", "4600003c 4b2a4000 40066ce7 c0a80001 c0000201", WireError.TRUNCATED),
            arguments("bad checksum", "4500003c 4b2a4000 40066ce8 c0a80001 c0000201" + SYN_TCP, WireError.BAD_CHECKSUM),
            // checksums below are correct for the altered total length, so the length check is reached
            arguments("total length past buffer", "4500003d 4b2a4000 40066ce6 c0a80001 c0000201" + SYN_TCP, WireError.TRUNCATED),
            arguments("total length < header", "45000013 4b2a4000 40066d10 c0a80001 c0000201", WireError.BAD_LENGTH));
    }

    @Test void checksumVerificationCanBeSkipped() {
        var h = new Ipv4Header().wrap(seg("4500003c 4b2a4000 40060000 c0a80001 c0000201" + SYN_TCP));
        assertNull(h.check(false));
        assertEquals(WireError.BAD_CHECKSUM, h.check(true));
    }
}
