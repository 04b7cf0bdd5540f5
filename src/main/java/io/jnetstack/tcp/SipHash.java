package io.jnetstack.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed 64-bit
 * pseudo-random function for short messages, written from the paper's description. TCP Fast Open
 * cookies are SipHash-2-4 of the IPv4 address pair under the server's 128-bit key (what Linux
 * computes), so a cookie this stack hands out is the one a Linux server with the same key would,
 * and the reverse.
 *
 * <p>The key is two little-endian 64-bit words k0, k1 (the 16 key bytes in order); the message is
 * read as little-endian words, its last block padded with zeros and the message length in the
 * top byte. One instance per stack, reused: hashing allocates nothing (the four state words live
 * in fields, which is also what lets one {@link #rounds} serve compression and finalization).
 */
final class SipHash {
    private long v0, v1, v2, v3;

    /** SipHash-2-4 of {@code len} bytes of {@code m} from {@code off} under the key (k0, k1). */
    long hash(long k0, long k1, byte[] m, int off, int len) {
        v0 = k0 ^ 0x736f6d6570736575L;              // "somepseudorandomlygeneratedbytes"
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
        int end = off + (len & ~7);
        for (int i = off; i < end; i += 8) compress(le(m, i, 8));
        compress((long) (len & 0xFF) << 56 | le(m, end, len & 7));
        v2 ^= 0xFF;
        rounds(4);                                   // d = 4 finalization rounds
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void compress(long w) {
        v3 ^= w;
        rounds(2);                                   // c = 2 compression rounds
        v0 ^= w;
    }

    /** SipRound, {@code n} times. */
    private void rounds(int n) {
        for (int r = 0; r < n; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
    }

    /** {@code n} (0..8) bytes from {@code at} as a little-endian number. */
    static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFFL);
        return v;
    }
}
