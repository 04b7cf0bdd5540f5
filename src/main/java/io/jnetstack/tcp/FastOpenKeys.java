package io.jnetstack.tcp;

/**
 * struct tcp_fastopen_context: the keys a Fast Open server makes cookies with (RFC 7413 §4.1.2),
 * a primary key and optionally a backup one, so keys can be rotated without failing the cookies
 * clients still hold: cookies are made with the primary key and accepted under either.
 *
 * <p>A key is 16 bytes, used as SipHash's two little-endian 64-bit words k0, k1. It is set as bytes by
 * TCP_FASTOPEN_KEY (16 or 32 bytes) or as text by net.ipv4.tcp_fastopen_key, four 32-bit hex
 * words per key, {@code "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4"}, a second key after a comma; each
 * word is stored little-endian, so the text and the byte forms of one key agree when the bytes
 * are read as 32-bit little-endian words. Immutable: a new key set replaces the old object.
 */
final class FastOpenKeys {
    /** TCP_FASTOPEN_KEY_LENGTH and TCP_FASTOPEN_KEY_BUF_LENGTH (primary + backup). */
    static final int KEY_LENGTH = 16, KEY_BUF_LENGTH = 32;

    /** The SipHash key words of key i (0 = primary, 1 = backup). */
    private final long[] k0, k1;

    private FastOpenKeys(long[] k0, long[] k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** How many keys: 1, or 2 with a backup. */
    int count() { return k0.length; }

    long k0(int i) { return k0[i]; }

    long k1(int i) { return k1[i]; }

    /** From {@code len} (16 or 32) key bytes: the setsockopt form. */
    static FastOpenKeys ofBytes(byte[] b, int len) {
        int n = len / KEY_LENGTH;
        long[] a = new long[n], c = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = le64(b, i * KEY_LENGTH);
            c[i] = le64(b, i * KEY_LENGTH + 8);
        }
        return new FastOpenKeys(a, c);
    }

    /** A random primary key (tcp_fastopen_init_key_once: a server that never set one). */
    static FastOpenKeys random(java.util.random.RandomGenerator rnd) {
        return new FastOpenKeys(new long[] {rnd.nextLong()}, new long[] {rnd.nextLong()});
    }

    /** The keys as bytes, primary first (getsockopt TCP_FASTOPEN_KEY). */
    byte[] bytes() {
        byte[] out = new byte[count() * KEY_LENGTH];
        for (int i = 0; i < count(); i++) {
            putLe(out, i * KEY_LENGTH, k0[i]);
            putLe(out, i * KEY_LENGTH + 8, k1[i]);
        }
        return out;
    }

    private static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFFL);
        return v;
    }

    private static void putLe(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    /**
     * proc_tcp_fastopen_key's read side: the primary key as four %08x words (zeros when the
     * stack has none yet), then ",backup" when there is one.
     */
    static String format(FastOpenKeys keys) {
        StringBuilder sb = new StringBuilder();
        int n = keys == null ? 1 : keys.count();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            long a = keys == null ? 0 : keys.k0[i], c = keys == null ? 0 : keys.k1[i];
            sb.append(String.format("%08x-%08x-%08x-%08x", (int) a, (int) (a >>> 32), (int) c, (int) (c >>> 32)));
        }
        return sb.toString();
    }

    /**
     * proc_tcp_fastopen_key's write side: scanf's {@code "%x-%x-%x-%x,%x-%x-%x-%x"} must match
     * exactly 4 or 8 words (what follows the last match is ignored, as scanf ignores it). Returns
     * the keys, or null for Linux's EINVAL.
     */
    static FastOpenKeys parse(String text) {
        int[] w = new int[8];
        int n = 0, p = 0;
        String s = text.trim();
        while (n < 8) {
            if (n > 0) {
                char sep = n == 4 ? ',' : '-';
                if (p >= s.length() || s.charAt(p) != sep) break;
                p++;
            }
            int q = p;
            while (q < s.length() && Character.isWhitespace(s.charAt(q))) q++;   // %x skips blanks
            if (s.startsWith("0x", q) || s.startsWith("0X", q)) q += 2;
            int start = q;
            long v = 0;
            while (q < s.length() && Character.digit(s.charAt(q), 16) >= 0) v = v << 4 | Character.digit(s.charAt(q++), 16);
            if (q == start) break;
            w[n++] = (int) v;                        // %x into a u32 keeps the low 32 bits
            p = q;
        }
        if (n != 4 && n != 8) return null;
        int keys = n / 4;
        long[] a = new long[keys], c = new long[keys];
        for (int i = 0; i < keys; i++) {
            a[i] = (w[4 * i] & 0xFFFFFFFFL) | (long) w[4 * i + 1] << 32;
            c[i] = (w[4 * i + 2] & 0xFFFFFFFFL) | (long) w[4 * i + 3] << 32;
        }
        return new FastOpenKeys(a, c);
    }
}
