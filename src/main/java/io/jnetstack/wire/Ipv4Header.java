package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Zero-copy IPv4 header view (RFC 791 §3.1). Reused: {@code wrap()} per packet, never retained.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The wrapped segment is the whole received buffer (it may be longer than Total Length, e.g.
 * Ethernet padding); {@link #payload()} stops at Total Length. Accessors do no checks: call
 * {@link #checkLen()} (bounds only) or {@link #check(boolean)} (all of ip_rcv's header
 * checks) on untrusted input first. Addresses are ints, see {@link Ipv4Address}.
 */
public final class Ipv4Header {
    public static final int VER_IHL = 0, TOS = 1, TOTAL_LEN = 2, ID = 4, FRAG = 6, TTL = 8, PROTOCOL = 9,
                            CHECKSUM = 10, SRC = 12, DST = 16, OPTIONS = 20, MIN_LEN = 20, MAX_LEN = 60;
    /** Bits of the 16-bit flags/fragment-offset word. */
    public static final int FLAG_RESERVED = 0x8000, FLAG_DF = 0x4000, FLAG_MF = 0x2000, FRAG_OFFSET_MASK = 0x1FFF;
    /** Largest total length the 16-bit field can express. */
    public static final int MAX_TOTAL_LEN = 0xFFFF;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);

    private MemorySegment seg;

    public Ipv4Header wrap(MemorySegment s) { seg = s; return this; }
    public MemorySegment segment() { return seg; }

    /** After true, every accessor stays in bounds: the fixed header and IHL's options are present. */
    public boolean checkLen() {
        long n = seg.byteSize();
        return n >= MIN_LEN && headerLen() >= MIN_LEN && headerLen() <= n;
    }

    /**
     * The header checks of ip_rcv, in its order, or null if the header is acceptable. After null,
     * {@link #payload()} is in bounds. A TRUNCATED result with {@code segment().byteSize() >= headerLen()}
     * means Total Length runs past the buffer (Linux: InTruncatedPkts); other problems are InHdrErrors,
     * and BAD_CHECKSUM also InCsumErrors.
     *
     * @param verifyChecksum false when the device already verified it (checksum offload) or for raw tooling
     */
    public WireError check(boolean verifyChecksum) {
        long n = seg.byteSize();
        if (n < MIN_LEN) return WireError.TRUNCATED;
        if (version() != 4) return WireError.BAD_VERSION;
        if (ihl() < 5) return WireError.BAD_IHL;
        int hl = headerLen();
        if (hl > n) return WireError.TRUNCATED;
        if (verifyChecksum && !verifyChecksum()) return WireError.BAD_CHECKSUM;
        int tl = totalLen();
        if (tl > n) return WireError.TRUNCATED;
        if (tl < hl) return WireError.BAD_LENGTH;
        return null;
    }

    public int version()   { return (seg.get(JAVA_BYTE, VER_IHL) & 0xFF) >>> 4; }
    /** Header length in 32-bit words. */
    public int ihl()       { return seg.get(JAVA_BYTE, VER_IHL) & 0x0F; }
    /** Header length in bytes, options included. */
    public int headerLen() { return ihl() * 4; }
    /** The whole former TOS byte: DSCP in the upper six bits, ECN in the lower two (RFC 2474, RFC 3168). */
    public int tos()       { return seg.get(JAVA_BYTE, TOS) & 0xFF; }
    public int dscp()      { return tos() >>> 2; }
    public int ecn()       { return tos() & 0x3; }
    public int totalLen()  { return Short.toUnsignedInt(seg.get(U16, TOTAL_LEN)); }
    public int id()        { return Short.toUnsignedInt(seg.get(U16, ID)); }
    /** The raw flags + fragment offset word. */
    public int fragWord()  { return Short.toUnsignedInt(seg.get(U16, FRAG)); }
    public boolean dontFrag()  { return (fragWord() & FLAG_DF) != 0; }
    public boolean moreFrags() { return (fragWord() & FLAG_MF) != 0; }
    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragOffset() { return (fragWord() & FRAG_OFFSET_MASK) << 3; }
    /** MF set or a non-zero offset (the kernel's ip_is_fragment). */
    public boolean isFragment() { return (fragWord() & (FLAG_MF | FRAG_OFFSET_MASK)) != 0; }
    public int ttl()       { return seg.get(JAVA_BYTE, TTL) & 0xFF; }
    public int protocol()  { return seg.get(JAVA_BYTE, PROTOCOL) & 0xFF; }
    public int checksum()  { return Short.toUnsignedInt(seg.get(U16, CHECKSUM)); }
    public int src()       { return seg.get(U32, SRC); }
    public int dst()       { return seg.get(U32, DST); }
    /** Options bytes, [20, headerLen). Empty when IHL is 5. */
    public MemorySegment options() { return seg.asSlice(OPTIONS, headerLen() - OPTIONS); }
    /** Payload, [headerLen, totalLen): excludes link-layer padding after Total Length. */
    public MemorySegment payload() { return seg.asSlice(headerLen(), totalLen() - headerLen()); }
    public int payloadLen() { return totalLen() - headerLen(); }

    /** Header checksum over [0, headerLen) verifies. */
    public boolean verifyChecksum() { return Checksum.verify(seg, 0, headerLen()); }

    public Ipv4Header version(int v)     { seg.set(JAVA_BYTE, VER_IHL, (byte) (v << 4 | ihl())); return this; }
    public Ipv4Header ihl(int words)     { seg.set(JAVA_BYTE, VER_IHL, (byte) (version() << 4 | (words & 0xF))); return this; }
    /** Sets version 4 and IHL = bytes / 4 in one store. */
    public Ipv4Header headerLen(int bytes) { seg.set(JAVA_BYTE, VER_IHL, (byte) (0x40 | (bytes >>> 2 & 0xF))); return this; }
    public Ipv4Header tos(int tos)       { seg.set(JAVA_BYTE, TOS, (byte) tos); return this; }
    public Ipv4Header dscp(int dscp)     { return tos(dscp << 2 | ecn()); }
    public Ipv4Header ecn(int ecn)       { return tos(tos() & ~0x3 | (ecn & 0x3)); }
    public Ipv4Header totalLen(int len)  { seg.set(U16, TOTAL_LEN, (short) len); return this; }
    public Ipv4Header id(int id)         { seg.set(U16, ID, (short) id); return this; }
    public Ipv4Header fragWord(int w)    { seg.set(U16, FRAG, (short) w); return this; }
    public Ipv4Header dontFrag(boolean df)  { return fragWord(df ? fragWord() | FLAG_DF : fragWord() & ~FLAG_DF); }
    public Ipv4Header moreFrags(boolean mf) { return fragWord(mf ? fragWord() | FLAG_MF : fragWord() & ~FLAG_MF); }
    /** @param bytes fragment offset in bytes; must be a multiple of 8 (RFC 791) */
    public Ipv4Header fragOffset(int bytes) { return fragWord(fragWord() & ~FRAG_OFFSET_MASK | (bytes >>> 3 & FRAG_OFFSET_MASK)); }
    public Ipv4Header ttl(int ttl)       { seg.set(JAVA_BYTE, TTL, (byte) ttl); return this; }
    public Ipv4Header protocol(int p)    { seg.set(JAVA_BYTE, PROTOCOL, (byte) p); return this; }
    public Ipv4Header checksum(int c)    { seg.set(U16, CHECKSUM, (short) c); return this; }
    public Ipv4Header src(int addr)      { seg.set(U32, SRC, addr); return this; }
    public Ipv4Header dst(int addr)      { seg.set(U32, DST, addr); return this; }

    /** Zeroes the checksum field, then stores the checksum of [0, headerLen). Call last. */
    public Ipv4Header computeChecksum() {
        checksum(0);
        return checksum(Checksum.compute(seg, 0, headerLen()));
    }

    /**
     * Decrements TTL and patches the checksum incrementally (RFC 1624), as a forwarder does.
     * TTL shares its 16-bit word with Protocol.
     */
    public Ipv4Header decrementTtl() {
        int oldWord = Short.toUnsignedInt(seg.get(U16, TTL));
        ttl(ttl() - 1);
        return checksum(Checksum.update(checksum(), oldWord, Short.toUnsignedInt(seg.get(U16, TTL))));
    }

    @Override public String toString() {
        if (seg == null || seg.byteSize() < MIN_LEN) return "Ipv4Header[truncated]";
        return "IPv4 " + Ipv4Address.format(src()) + " > " + Ipv4Address.format(dst()) + " proto " + protocol()
                + " len " + totalLen() + " ihl " + ihl() + " id " + id() + (dontFrag() ? " DF" : "")
                + (moreFrags() ? " MF" : "") + " off " + fragOffset() + " ttl " + ttl() + " tos 0x"
                + Integer.toHexString(tos()) + " cksum 0x" + Integer.toHexString(checksum());
    }
}
