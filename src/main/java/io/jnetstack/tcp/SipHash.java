package io.jnetstack.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudo-random function, fast on short inputs,
 * which is what the kernel keys its connection secrets with. Here it makes SYN cookies (and TCP
 * Fast Open cookies) that an attacker who sees many of them still cannot forge.
 *
 * <p>Messages are whole 64-bit words (little-endian, as the reference reads bytes), in fixed-arity
 * methods so that nothing is allocated per packet; {@link #hash(long, long, byte[], int)} takes
 * bytes and serves the reference test vectors.
 */
final class SipHash {
    private SipHash() {}

    private long v0, v1, v2, v3;

    private SipHash init(long k0, long k1) {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
        return this;
    }

    private void round() {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }

    /** Two compression rounds per message word. */
    private void word(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    /** The last block (length in the top byte) and four finalisation rounds. */
    private long finish(long lastBlock) {
        word(lastBlock);
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    // One scratch state per thread: protocol code runs one thread at a time per stack, but several
    // stacks may run on different threads.
    private static final ThreadLocal<SipHash> STATE = ThreadLocal.withInitial(SipHash::new);

    /** SipHash-2-4 of the 8-byte message m0 (a TCP Fast Open cookie's address pair). */
    static long hash(long k0, long k1, long m0) {
        SipHash s = STATE.get().init(k0, k1);
        s.word(m0);
        return s.finish(8L << 56);
    }

    /** SipHash-2-4 of the 16-byte message (m0, m1). */
    static long hash(long k0, long k1, long m0, long m1) {
        SipHash s = STATE.get().init(k0, k1);
        s.word(m0);
        s.word(m1);
        return s.finish(16L << 56);
    }

    /** SipHash-2-4 of the 24-byte message (m0, m1, m2). */
    static long hash(long k0, long k1, long m0, long m1, long m2) {
        SipHash s = STATE.get().init(k0, k1);
        s.word(m0);
        s.word(m1);
        s.word(m2);
        return s.finish(24L << 56);
    }

    /** SipHash-2-4 of {@code len} bytes of {@code msg}. */
    static long hash(long k0, long k1, byte[] msg, int len) {
        SipHash s = new SipHash().init(k0, k1);
        int i = 0;
        for (; i + 8 <= len; i += 8) s.word(le64(msg, i, 8));
        return s.finish(((long) len << 56) | le64(msg, i, len - i));
    }

    private static long le64(byte[] b, int off, int n) {
        long v = 0;
        for (int j = n - 1; j >= 0; j--) v = v << 8 | (b[off + j] & 0xFF);
        return v;
    }
}
