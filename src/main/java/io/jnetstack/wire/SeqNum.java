package io.jnetstack.wire;

/**
 * 32-bit TCP sequence number arithmetic modulo 2^32 (RFC 9293 §3.4; RFC 1982 style).
 * Sequence numbers are plain {@code int}s; never compare them with {@code <}, only here.
 * {@code a} is "before" {@code b} when {@code b - a} as a signed 32-bit value is positive,
 * which is meaningful while the two are less than 2^31 apart.
 */
public final class SeqNum {
    private SeqNum() {}

    /** a before b. */
    public static boolean lt(int a, int b) { return a - b < 0; }
    /** a before or equal to b. */
    public static boolean le(int a, int b) { return a - b <= 0; }
    /** a after b. */
    public static boolean gt(int a, int b) { return a - b > 0; }
    /** a after or equal to b. */
    public static boolean ge(int a, int b) { return a - b >= 0; }

    /** Signed distance a - b (positive when a is after b). */
    public static int diff(int a, int b) { return a - b; }

    /** The later of a and b. */
    public static int max(int a, int b) { return gt(a, b) ? a : b; }
    /** The earlier of a and b. */
    public static int min(int a, int b) { return lt(a, b) ? a : b; }

    /**
     * start <= seq < start + size, with size taken unsigned (a window of 0 contains nothing).
     * This is RFC 9293 §3.10.7.4's acceptability test shape, e.g. {@code inWindow(segSeq, rcvNxt, rcvWnd)}.
     */
    public static boolean inWindow(int seq, int start, int size) {
        return Integer.compareUnsigned(seq - start, size) < 0;
    }

    /** lo <= seq <= hi, inclusive at both ends (the kernel's {@code between()}). */
    public static boolean between(int seq, int lo, int hi) {
        return Integer.compareUnsigned(seq - lo, hi - lo) <= 0;
    }

    /** Unsigned decimal, as tcpdump and packetdrill print sequence numbers. */
    public static String toString(int seq) { return Integer.toUnsignedString(seq); }
}
