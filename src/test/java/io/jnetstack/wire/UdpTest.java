package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.jnetstack.wire.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UdpTest {
    static final String QUERY = "abcd0100 00010000 00000000 07657861 6d706c65 03636f6d 00000100 01";
    static final UdpRepr REPR = new UdpRepr(53000, 53, seg(QUERY));

    @Test void deconstruct() {
        var ip = new Ipv4Header().wrap(seg(DNS_IP + DNS_UDP));
        assertNull(ip.check(true));
        assertEquals(17, ip.protocol());
        assertFalse(ip.dontFrag());
        var h = new UdpHeader().wrap(ip.payload());
        assertTrue(h.checkLen());
        assertEquals(53000, h.srcPort());
        assertEquals(53, h.dstPort());
        assertEquals(37, h.length());
        assertEquals(0xa128, h.checksum());
        assertEquals(29, h.payloadLen());
        assertEquals(Hex.encode(seg(QUERY)), Hex.encode(h.payload()));
        assertTrue(h.verifyChecksum(DNS_CLIENT, DNS_SERVER));
    }

    @Test void construct() {
        MemorySegment s = MemorySegment.ofArray(new byte[37]);
        s.asSlice(8).copyFrom(seg(QUERY));
        new UdpHeader().wrap(s).srcPort(53000).dstPort(53).length(37).computeChecksum(DNS_CLIENT, DNS_SERVER);
        assertEquals(Hex.encode(seg(DNS_UDP)), Hex.encode(s));
    }

    @Test void parse() {
        assertEquals(REPR, UdpRepr.parse(new UdpHeader().wrap(seg(DNS_UDP)), DNS_CLIENT, DNS_SERVER, true));
    }

    @Test void emit() {
        MemorySegment s = MemorySegment.ofArray(new byte[REPR.bufferLen()]);
        REPR.emit(new UdpHeader().wrap(s), DNS_CLIENT, DNS_SERVER);
        assertEquals(Hex.encode(seg(DNS_UDP)), Hex.encode(s));
    }

    @Test void zeroChecksumMeansNone() {
        var h = new UdpHeader().wrap(seg(DNS_UDP.replace("a128", "0000")));
        assertTrue(h.verifyChecksum(DNS_CLIENT, DNS_SERVER));
        assertNull(h.check(DNS_CLIENT, DNS_SERVER, true));
    }

    @Test void computedZeroIsSentAsAllOnes() {
        // Choose the payload word so that the sum is 0xFFFF, i.e. the computed checksum is 0.
        MemorySegment s = MemorySegment.ofArray(new byte[10]);
        var h = new UdpHeader().wrap(s).srcPort(1).dstPort(2).length(10);
        long sum = Checksum.add(Checksum.pseudoHeader(DNS_CLIENT, DNS_SERVER, 17, 10), s, 0, 10);
        int word = ~Checksum.fold(sum) & 0xFFFF;
        s.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 8, (short) word);
        h.computeChecksum(DNS_CLIENT, DNS_SERVER);
        assertEquals(0xFFFF, h.checksum());
        assertTrue(h.verifyChecksum(DNS_CLIENT, DNS_SERVER));
    }

    @Test void trailingBytesBeyondLengthAreNotPayload() {
        var r = UdpRepr.parse(new UdpHeader().wrap(seg(DNS_UDP + "deadbeef")), DNS_CLIENT, DNS_SERVER, true);
        assertEquals(29, r.payload().byteSize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void parseRejects(String why, String hex, WireError expected) {
        var h = new UdpHeader().wrap(seg(hex));
        assertEquals(expected, h.check(DNS_CLIENT, DNS_SERVER, true));
        assertEquals(expected, assertThrows(WireException.class,
                () -> UdpRepr.parse(h, DNS_CLIENT, DNS_SERVER, true)).error());
    }

    static Stream<Arguments> parseRejects() {
        return Stream.of(
            arguments("short header", "cf080035 0025", WireError.TRUNCATED),
            arguments("length past buffer", "cf080035 0026a128" + QUERY, WireError.TRUNCATED),
            arguments("length below 8", "cf080035 0007a128" + QUERY, WireError.BAD_LENGTH),
            arguments("bad checksum", DNS_UDP.replace("a128", "a129"), WireError.BAD_CHECKSUM));
    }
}
