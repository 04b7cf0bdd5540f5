package io.jnetstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SipHashTest {
    static final long K0 = 0x0706050403020100L, K1 = 0x0f0e0d0c0b0a0908L;   // key bytes 00..0f

    static byte[] seq(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) i;
        return b;
    }

    @Test void referenceVectors() {
        // From the SipHash paper, appendix A: key 00..0f, message 00..0e.
        assertEquals(0xa129ca6149be45e5L, SipHash.hash(K0, K1, seq(15), 15));
        // The reference implementation's vectors[0] (empty message), read as a little-endian u64.
        assertEquals(0x726fdb47dd0e0e31L, SipHash.hash(K0, K1, seq(0), 0));
    }

    @Test void wordFormsAgreeWithTheByteForm() {
        byte[] m = seq(24);
        long m0 = 0x0706050403020100L, m1 = 0x0f0e0d0c0b0a0908L, m2 = 0x1716151413121110L;
        assertEquals(SipHash.hash(K0, K1, m, 16), SipHash.hash(K0, K1, m0, m1));
        assertEquals(SipHash.hash(K0, K1, m, 24), SipHash.hash(K0, K1, m0, m1, m2));
    }
}
