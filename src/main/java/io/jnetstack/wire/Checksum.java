package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum
 * of the data taken as big-endian 16-bit words.
 *
 * <p>Sums are carried in a {@code long} accumulator ("partial sum") that is folded to 16 bits
 * only at the end; ones' complement addition is associative and commutative (RFC 1071 §2), so
 * partial sums of pieces simply add. A range of odd length is padded with a zero byte, so
 * when summing several ranges only the last may have odd length.
 *
 * <pre>{@code
 * long s = Checksum.pseudoHeader(src, dst, IPPROTO_TCP, len);
 * s = Checksum.add(s, seg, 0, len);
 * int field = Checksum.finish(s);      // value to store; verifying: fold(s) == 0xFFFF
 * }</pre>
 */
public final class Checksum {
    private Checksum() {}

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);

    /**
     * Adds the bytes {@code [off, off+len)} of {@code seg} to the partial sum {@code acc}.
     * Eight bytes at a time: a big-endian 64-bit load split into two 32-bit halves sums the
     * same four 16-bit words modulo 0xFFFF, because 2^16 ≡ 1 (mod 2^16 - 1) (RFC 1071 §2(C)).
     * The long accumulator cannot overflow below 2^33 bytes.
     */
    public static long add(long acc, MemorySegment seg, long off, long len) {
        long i = off, end = off + len;
        for (; end - i >= 32; i += 32) {   // unrolled: independent adds pipeline well
            long a = seg.get(U64, i), b = seg.get(U64, i + 8), c = seg.get(U64, i + 16), d = seg.get(U64, i + 24);
            acc += (a >>> 32) + (a & 0xFFFF_FFFFL) + (b >>> 32) + (b & 0xFFFF_FFFFL)
                 + (c >>> 32) + (c & 0xFFFF_FFFFL) + (d >>> 32) + (d & 0xFFFF_FFFFL);
        }
        for (; end - i >= 8; i += 8) {
            long v = seg.get(U64, i);
            acc += (v >>> 32) + (v & 0xFFFF_FFFFL);
        }
        if (end - i >= 4) { acc += Integer.toUnsignedLong(seg.get(U32, i)); i += 4; }
        if (end - i >= 2) { acc += Short.toUnsignedInt(seg.get(U16, i)); i += 2; }
        if (end - i == 1) { acc += (seg.get(JAVA_BYTE, i) & 0xFF) << 8; }   // pad with a zero byte
        return acc;
    }

    /** Adds a 16-bit word. */
    public static long add16(long acc, int word) { return acc + (word & 0xFFFF); }

    /** Adds a 32-bit value as two 16-bit words (e.g. an IPv4 address). */
    public static long add32(long acc, int value) { return acc + (value >>> 16) + (value & 0xFFFF); }

    /** Folds a partial sum to its 16-bit ones' complement sum (end-around carries). */
    public static int fold(long acc) {
        acc = (acc & 0xFFFF_FFFFL) + (acc >>> 32);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        return (int) ((acc & 0xFFFF) + (acc >>> 16));
    }

    /** The checksum field value for a partial sum: ~fold(acc). */
    public static int finish(long acc) { return ~fold(acc) & 0xFFFF; }

    /** The checksum field value for {@code [off, off+len)} alone (e.g. an IPv4 header, an ICMP message). */
    public static int compute(MemorySegment seg, long off, long len) { return finish(add(0, seg, off, len)); }

    /** True when data including its checksum field sums to 0xFFFF (ones' complement -0). */
    public static boolean verify(MemorySegment seg, long off, long len) { return fold(add(0, seg, off, len)) == 0xFFFF; }

    /**
     * Partial sum of the IPv4 pseudo-header for TCP/UDP (RFC 9293 §3.1, RFC 768):
     * source, destination, zero byte + protocol, transport length.
     */
    public static long pseudoHeader(int src, int dst, int protocol, int length) {
        return add32(add32(0, src), dst) + (protocol & 0xFF) + (length & 0xFFFF);
    }

    /**
     * RFC 1624 eqn. 3 incremental update, HC' = ~(~HC + ~m + m'), when a 16-bit word changes
     * from {@code oldWord} to {@code newWord}. Unlike eqn. 2 it never yields 0xFFFF (-0)
     * for a header whose full checksum would be 0x0000.
     */
    public static int update(int checksum, int oldWord, int newWord) {
        long s = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }

    /** {@link #update} for a 32-bit field (an address in NAT-style rewrites). */
    public static int update32(int checksum, int oldValue, int newValue) {
        long s = (~checksum & 0xFFFF)
                + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16 & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }
}
