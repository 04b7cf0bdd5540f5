package io.jnetstack.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

class ChecksumTest {
    /** Word-at-a-time reference straight from RFC 1071 §4.1, to check the 8-byte loop against. */
    static int reference(byte[] b, int off, int len) {
        long sum = 0;
        int i = off;
        for (; len - (i - off) > 1; i += 2) sum += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        if (len - (i - off) == 1) sum += (b[i] & 0xFF) << 8;
        while (sum >>> 16 != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) ~sum & 0xFFFF;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rfc1071 example,         0001f203f4f5f6f7,   220d",   // RFC 1071 §3: sum ddf2
        "odd length pads zero,    0001f203f4f5f6f7ab, 770c",
        "single byte,             ab,                 54ff",
        "empty,                   '',                 ffff",
        "all ones stays -0,       ffffffff,           0000",
        "ipv4 header of SYN,      4500003c4b2a4000 40060000 c0a80001 c0000201, 6ce7",
    })
    void knownVectors(String name, String hex, String expected) {
        MemorySegment s = Hex.segment(hex);
        assertEquals(Integer.parseInt(expected, 16), Checksum.compute(s, 0, s.byteSize()));
    }

    @Test void matchesReferenceForEveryLengthAndOffset() {
        var rnd = new Random(1);
        byte[] b = new byte[300];
        rnd.nextBytes(b);
        MemorySegment s = MemorySegment.ofArray(b);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len + off <= b.length; len++) {
                assertEquals(reference(b, off, len), Checksum.compute(s, off, len), "off " + off + " len " + len);
            }
        }
    }

    @Test void largeBuffersAndNativeMemoryAgree() {
        byte[] b = new byte[65535];
        new Random(2).nextBytes(b);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(b.length);
            MemorySegment.copy(MemorySegment.ofArray(b), 0, n, 0, b.length);
            int want = reference(b, 0, b.length);
            assertEquals(want, Checksum.compute(MemorySegment.ofArray(b), 0, b.length));
            assertEquals(want, Checksum.compute(n, 0, b.length));
        }
        java.util.Arrays.fill(b, (byte) 0xFF);               // worst case for carries
        assertEquals(reference(b, 0, b.length), Checksum.compute(MemorySegment.ofArray(b), 0, b.length));
    }

    @Test void partialSumsCompose() {
        MemorySegment s = Hex.segment("0001f203f4f5f6f7ab");
        long whole = Checksum.add(0, s, 0, 9);
        long pieces = Checksum.add(Checksum.add(0, s, 0, 4), s, 4, 5);   // only the last piece is odd
        assertEquals(Checksum.fold(whole), Checksum.fold(pieces));
    }

    @Test void verifyAcceptsStoredChecksum() {
        MemorySegment s = Hex.segment(Fixtures.SYN_IP);
        assertTrue(Checksum.verify(s, 0, 20));
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 8, (byte) 63);
        assertFalse(Checksum.verify(s, 0, 20));
    }

    @Test void pseudoHeaderMatchesExplicitBytes() {
        // src, dst, 0, proto 6, length 40 laid out as RFC 9293 §3.1 shows it
        MemorySegment ph = Hex.segment("c0a80001 c0000201 0006 0028");
        assertEquals(Checksum.fold(Checksum.add(0, ph, 0, 12)),
                Checksum.fold(Checksum.pseudoHeader(Fixtures.LOCAL, Fixtures.REMOTE, 6, 40)));
    }

    @Test void incrementalUpdateMatchesRecomputation() {
        var rnd = new Random(3);
        byte[] b = new byte[20];
        MemorySegment s = MemorySegment.ofArray(b);
        var h = new Ipv4Header().wrap(s);
        for (int i = 0; i < 10_000; i++) {
            rnd.nextBytes(b);
            h.headerLen(20).computeChecksum();
            int oldTtlProto = (b[8] & 0xFF) << 8 | (b[9] & 0xFF), oldSrc = h.src();
            int newTtl = rnd.nextInt(256), newSrc = rnd.nextInt();
            int c = Checksum.update(h.checksum(), oldTtlProto, newTtl << 8 | (b[9] & 0xFF));
            c = Checksum.update32(c, oldSrc, newSrc);
            h.ttl(newTtl).src(newSrc);
            assertEquals(h.computeChecksum().checksum(), c);
        }
    }

    @Test void rfc1624Example() {
        // RFC 1624 §4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 (eqn. 3), not 0xFFFF
        assertEquals(0x0000, Checksum.update(0xDD2F, 0x5555, 0x3285));
    }
}
