package io.jnetstack.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.jnetstack.wire.Fixtures.*;
import static io.jnetstack.wire.TcpHeader.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TcpTest {
    static TcpOptions synOptions() {
        return new TcpOptions().mss(1460).sackPermitted(true).timestamp(0x01020304, 0).wscale(7);
    }

    static final TcpRepr SYN_REPR = new TcpRepr(40000, 8080, 0x12345678, 0, SYN, 64240, 0, synOptions(), TcpRepr.NO_PAYLOAD);

    // ---- SYN with Linux's options ----

    @Test void deconstruct() {
        try (Arena arena = Arena.ofConfined()) {
            for (MemorySegment s : new MemorySegment[] {seg(SYN_TCP), nativeSeg(SYN_TCP, arena)}) {
                var h = new TcpHeader().wrap(s);
                assertTrue(h.checkLen());
                assertEquals(40000, h.srcPort());
                assertEquals(8080, h.dstPort());
                assertEquals(0x12345678, h.seq());
                assertEquals(0, h.ack());
                assertEquals(10, h.dataOffset());
                assertEquals(40, h.headerLen());
                assertEquals(SYN, h.flags());
                assertTrue(h.syn());
                assertFalse(h.ackFlag() || h.fin() || h.rst() || h.psh() || h.urg() || h.ece() || h.cwr());
                assertEquals(64240, h.window());
                assertEquals(0xa1e1, h.checksum());
                assertEquals(0, h.urgentPtr());
                assertEquals(20, h.options().byteSize());
                assertEquals(0, h.payloadLen());
                assertEquals(1, h.seqLen());
                assertTrue(h.verifyChecksum(LOCAL, REMOTE));
                assertFalse(h.verifyChecksum(REMOTE, LOCAL + 1));

                var o = new TcpOptions().parse(h.options());
                assertEquals(1460, o.mss);
                assertTrue(o.sackPermitted);
                assertTrue(o.hasTs);
                assertEquals(0x01020304, o.tsVal);
                assertEquals(0, o.tsEcr);
                assertEquals(7, o.wscale);
                assertEquals(0, o.sackCount);
                assertEquals(-1, o.fastOpenLen);
            }
        }
    }

    @Test void construct() {
        MemorySegment s = MemorySegment.ofArray(new byte[40]);
        var h = new TcpHeader().wrap(s).srcPort(40000).dstPort(8080).seq(0x12345678).ack(0).headerLen(40)
                .flags(SYN).window(64240).urgentPtr(0);
        assertEquals(20, synOptions().emit(h.options()));
        h.computeChecksum(LOCAL, REMOTE);
        assertEquals(Hex.encode(seg(SYN_TCP)), Hex.encode(s));
    }

    @Test void parse() {
        assertEquals(SYN_REPR, TcpRepr.parse(new TcpHeader().wrap(seg(SYN_TCP)), LOCAL, REMOTE, true));
    }

    @Test void emit() {
        MemorySegment s = MemorySegment.ofArray(new byte[SYN_REPR.bufferLen()]);
        SYN_REPR.emit(new TcpHeader().wrap(s), LOCAL, REMOTE);
        assertEquals(Hex.encode(seg(SYN_TCP)), Hex.encode(s));
    }

    // ---- the other Linux layouts ----

    @Test void synWithoutTimestampsUsesNopPadding() {
        var repr = new TcpRepr(40000, 8080, 0x12345678, 0, SYN, 64240, 0,
                new TcpOptions().mss(1460).sackPermitted(true).wscale(7), TcpRepr.NO_PAYLOAD);
        MemorySegment s = MemorySegment.ofArray(new byte[repr.bufferLen()]);
        repr.emit(new TcpHeader().wrap(s), LOCAL, REMOTE);
        assertEquals(Hex.encode(seg(SYN_NOTS_TCP)), Hex.encode(s));
        assertEquals(repr, TcpRepr.parse(new TcpHeader().wrap(s), LOCAL, REMOTE, true));
    }

    @Test void dataSegmentWithTimestampsRoundTrips() {
        var repr = new TcpRepr(8080, 40000, 0xfffffff0, 0x12345679, PSH | ACK_FLAG, 502, 0,
                new TcpOptions().timestamp(0xabcd, 0x1234), bytes("hello"));
        var parsed = TcpRepr.parse(new TcpHeader().wrap(seg(DATA_TCP)), REMOTE, LOCAL, true);
        assertEquals(repr, parsed);
        assertEquals("hello", new String(parsed.payload().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        assertEquals(5, parsed.seqLen());
        MemorySegment s = MemorySegment.ofArray(new byte[repr.bufferLen()]);
        repr.emit(new TcpHeader().wrap(s), REMOTE, LOCAL);
        assertEquals(Hex.encode(seg(DATA_TCP)), Hex.encode(s));
    }

    @Test void sackBlocksFollowTimestamps() {
        var repr = new TcpRepr(40000, 8080, 0x12345679, 0xfff, ACK_FLAG, 501, 0,
                new TcpOptions().timestamp(0xabce, 0x1235).addSack(0x1000, 0x2000), TcpRepr.NO_PAYLOAD);
        assertEquals(repr, TcpRepr.parse(new TcpHeader().wrap(seg(SACK_TCP)), LOCAL, REMOTE, true));
        MemorySegment s = MemorySegment.ofArray(new byte[repr.bufferLen()]);
        repr.emit(new TcpHeader().wrap(s), LOCAL, REMOTE);
        assertEquals(Hex.encode(seg(SACK_TCP)), Hex.encode(s));
    }

    @Test void emitSkipsCopyWhenPayloadIsAlreadyInPlace() {
        MemorySegment buf = MemorySegment.ofArray(new byte[20 + 12 + 5]);
        MemorySegment payload = buf.asSlice(32);
        payload.copyFrom(bytes("hello"));
        var repr = new TcpRepr(8080, 40000, 0xfffffff0, 0x12345679, PSH | ACK_FLAG, 502, 0,
                new TcpOptions().timestamp(0xabcd, 0x1234), payload);
        repr.emit(new TcpHeader().wrap(buf), REMOTE, LOCAL);
        assertEquals(Hex.encode(seg(DATA_TCP)), Hex.encode(buf));
    }

    /** The receive path wraps the segment where it lies in the IP packet, without a slice. */
    @Test void aViewAtAnOffsetReadsWritesAndSumsOnlyItsSegment() {
        byte[] tcp = seg(DATA_TCP).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        MemorySegment pkt = MemorySegment.ofArray(new byte[20 + tcp.length + 7]);   // IP header before, padding after
        pkt.fill((byte) 0x5a);
        MemorySegment.copy(MemorySegment.ofArray(tcp), 0, pkt, 20, tcp.length);
        TcpHeader h = new TcpHeader().wrap(pkt, 20, tcp.length);
        assertTrue(h.checkLen());
        assertTrue(h.verifyChecksum(REMOTE, LOCAL));
        assertEquals("hello", new String(h.payload().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        var parsed = TcpRepr.parse(h, REMOTE, LOCAL, true);
        assertEquals(8080, parsed.srcPort());
        assertEquals(0xabcd, parsed.options().tsVal);

        MemorySegment out = MemorySegment.ofArray(new byte[20 + tcp.length]);
        parsed.emit(new TcpHeader().wrap(out, 20, tcp.length), REMOTE, LOCAL);
        assertEquals(Hex.encode(seg(DATA_TCP)), Hex.encode(out.asSlice(20)));
        assertEquals(-1, out.asSlice(0, 20).mismatch(MemorySegment.ofArray(new byte[20])), "nothing written before the view");

        // CHECKSUM_PARTIAL leaves the folded pseudo-header sum, which the rest of the segment completes.
        new TcpHeader().wrap(out, 20, tcp.length).partialChecksum(REMOTE, LOCAL);
        int finished = Checksum.finish(Checksum.add(0, out, 20, tcp.length));
        new TcpHeader().wrap(out, 20, tcp.length).checksum(finished);
        assertEquals(Hex.encode(seg(DATA_TCP)), Hex.encode(out.asSlice(20)));
    }

    @Test void flagsAndReservedBitsAreIndependent() {
        var h = new TcpHeader().wrap(MemorySegment.ofArray(new byte[20]));
        h.headerLen(20).reserved(0x1).flags(FIN | SYN | RST | PSH | ACK_FLAG | URG | ECE | CWR);
        assertEquals(5, h.dataOffset());
        assertEquals(1, h.reserved());
        assertEquals(0xFF, h.flags());
        assertTrue(h.fin() && h.syn() && h.rst() && h.psh() && h.ackFlag() && h.urg() && h.ece() && h.cwr());
        assertEquals("SFRPUEW.", TcpHeader.flagsToString(h.flags()));
        assertEquals(2, h.seqLen());                       // SYN and FIN count, no data
    }

    @Test void synFinIsLeftToTheStateMachine() {
        var h = new TcpHeader().wrap(MemorySegment.ofArray(new byte[20]));
        h.headerLen(20).flags(SYN | FIN).computeChecksum(LOCAL, REMOTE);
        assertEquals(SYN | FIN, TcpRepr.parse(h, LOCAL, REMOTE, true).flags());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void parseRejects(String why, String hex, WireError expected) {
        var h = new TcpHeader().wrap(seg(hex));
        assertEquals(expected, h.check(LOCAL, REMOTE, true));
        assertEquals(expected, assertThrows(WireException.class, () -> TcpRepr.parse(h, LOCAL, REMOTE, true)).error());
    }

    static Stream<Arguments> parseRejects() {
        return Stream.of(
            arguments("empty", "", WireError.TRUNCATED),
            arguments("truncated", "9c401f90 12345678", WireError.TRUNCATED),
            arguments("doff < 5", "9c401f90 12345678 00000000 40020000 00000000", WireError.BAD_DATA_OFFSET),
            arguments("doff past segment", "9c401f90 12345678 00000000 f002faf0 a1e10000 020405b4", WireError.BAD_DATA_OFFSET),
            arguments("bad checksum", SYN_TCP.replace("a1e1", "a1e2"), WireError.BAD_CHECKSUM));
    }
}
