package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The TCP options Linux understands, as a reusable, allocation-free reader/writer.
 * Mutable: one instance per event loop (or per {@link TcpRepr}), {@link #clear()}ed or
 * {@link #parse}d per segment.
 *
 * <p><b>Parsing</b> follows the kernel's tolerance (tcp_parse_options): EOL ends the list,
 * NOP is skipped, a length below 2 or past the end stops parsing (what was read so far is
 * kept), an option with the wrong length for its kind is skipped, unknown kinds are skipped.
 * Later duplicates overwrite earlier ones. Which options count in which state (MSS, window
 * scale and SACK-permitted only on SYNs; Fast Open only on SYN/SYN-ACK; window scale
 * clamped to 14 per RFC 7323 §2.3) is TCP's decision, not this parser's.
 *
 * <p><b>Emitting</b> writes exactly Linux's layout (tcp_options_write), which follows from
 * which options are present, in this order:
 * <pre>
 * MSS            02 04 mm mm
 * SACK_PERM+TS   04 02 08 0a vvvvvvvv eeeeeeee    (SACK_PERM rides in the TS word's padding)
 * TS alone       01 01 08 0a vvvvvvvv eeeeeeee
 * SACK_PERM alone 01 01 04 02
 * WSCALE         01 03 03 ss
 * SACK           01 01 05 ll (llllllll rrrrrrrr){1..4}
 * Fast Open      22 ll cookie [01 01]  or experimental  fe ll f9 89 cookie [01 01]
 * </pre>
 * So a Linux SYN is {@code mss, sackOK, TS, nop, wscale} (20 bytes), a SYN without
 * timestamps {@code mss, nop, nop, sackOK, nop, wscale}, a data segment {@code nop, nop, TS}.
 * Everything is 32-bit aligned, so the result never needs padding.
 */
public final class TcpOptions {
    /** Option kinds (IANA "TCP Option Kind Numbers"). */
    public static final int KIND_EOL = 0, KIND_NOP = 1, KIND_MSS = 2, KIND_WSCALE = 3, KIND_SACK_PERM = 4,
                            KIND_SACK = 5, KIND_TIMESTAMP = 8, KIND_MD5SIG = 19, KIND_FASTOPEN = 34,
                            KIND_EXP = 254;
    /** Option lengths, kind and length bytes included. */
    public static final int LEN_MSS = 4, LEN_WSCALE = 3, LEN_SACK_PERM = 2, LEN_TIMESTAMP = 10,
                            LEN_SACK_BASE = 2, LEN_SACK_PERBLOCK = 8, LEN_MD5SIG = 18, LEN_FASTOPEN_BASE = 2, LEN_EXP_FASTOPEN_BASE = 4;
    /** RFC 7413 §4.1.1 experimental-kind magic for Fast Open. */
    public static final int FASTOPEN_MAGIC = 0xF989;
    /** Fast Open cookie length bounds (RFC 7413 §4.1.1: 4 to 16 bytes, even). */
    public static final int FASTOPEN_COOKIE_MIN = 4, FASTOPEN_COOKIE_MAX = 16;
    /** At most four SACK blocks fit the 40-byte option space (RFC 2018 §3). */
    public static final int MAX_SACK_BLOCKS = 4;
    /** RFC 7323 §2.3: shift counts above this are treated as 14. */
    public static final int MAX_WSCALE = 14;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);

    /** Maximum segment size; 0 = absent (Linux ignores an MSS of 0 too). */
    public int mss;
    /** Window scale shift count as received (not clamped); -1 = absent. */
    public int wscale = -1;
    public boolean sackPermitted;
    public boolean hasTs;
    public int tsVal, tsEcr;
    /** SACK blocks [sackLeft[i], sackRight[i]) for i < sackCount. */
    public int sackCount;
    public final int[] sackLeft = new int[MAX_SACK_BLOCKS], sackRight = new int[MAX_SACK_BLOCKS];
    /** Fast Open cookie length: -1 absent, 0 cookie request, 4..16 cookie in {@link #fastOpenCookie}. */
    public int fastOpenLen = -1;
    /** True for the experimental encoding (kind 254 + magic 0xF989). */
    public boolean fastOpenExp;
    public final byte[] fastOpenCookie = new byte[FASTOPEN_COOKIE_MAX];
    /** RFC 2385 MD5 signature option present (kind 19, length 18). */
    public boolean hasMd5;

    /** Resets to "no options". */
    public TcpOptions clear() {
        mss = 0; wscale = -1; sackPermitted = false; hasTs = false; tsVal = 0; tsEcr = 0;
        sackCount = 0; fastOpenLen = -1; fastOpenExp = false; hasMd5 = false;
        return this;
    }

    // Fluent setters for building options to emit.
    public TcpOptions mss(int mss) { this.mss = mss; return this; }
    public TcpOptions wscale(int shift) { this.wscale = shift; return this; }
    public TcpOptions sackPermitted(boolean on) { this.sackPermitted = on; return this; }
    public TcpOptions timestamp(int tsVal, int tsEcr) { hasTs = true; this.tsVal = tsVal; this.tsEcr = tsEcr; return this; }
    public TcpOptions noTimestamp() { hasTs = false; return this; }
    /** Appends a SACK block [left, right). */
    public TcpOptions addSack(int left, int right) {
        if (sackCount == MAX_SACK_BLOCKS) throw new IllegalStateException("at most 4 SACK blocks");
        sackLeft[sackCount] = left; sackRight[sackCount] = right; sackCount++;
        return this;
    }
    public TcpOptions clearSacks() { sackCount = 0; return this; }
    /** Fast Open cookie (length 0 = cookie request). */
    public TcpOptions fastOpen(byte[] cookie, int len, boolean experimental) {
        if (len != 0 && (len < FASTOPEN_COOKIE_MIN || len > FASTOPEN_COOKIE_MAX || (len & 1) != 0))
            throw new IllegalArgumentException("Fast Open cookie length " + len);
        System.arraycopy(cookie, 0, fastOpenCookie, 0, len);
        fastOpenLen = len; fastOpenExp = experimental;
        return this;
    }

    /** Window scale shift clamped as RFC 7323 §2.3 requires, or -1 if absent. */
    public int wscaleClamped() { return wscale < 0 ? -1 : Math.min(wscale, MAX_WSCALE); }

    /**
     * Replaces this object's contents with the options found in {@code region} (the bytes
     * between the fixed TCP header and the data; see {@link TcpHeader#options()}). Never throws
     * on any content.
     */
    public TcpOptions parse(MemorySegment region) { return parse(region, 0, region.byteSize()); }

    /**
     * {@link #parse(MemorySegment)} of the {@code length} bytes at {@code off} of {@code region}
     * (the options in a received packet, read in place: no slice per segment).
     */
    public TcpOptions parse(MemorySegment region, long off, long length) {
        clear();
        long n = off + length;
        long i = off;
        while (i < n) {
            int kind = region.get(JAVA_BYTE, i) & 0xFF;
            if (kind == KIND_EOL) break;
            if (kind == KIND_NOP) { i++; continue; }
            if (n - i < 2) break;
            int len = region.get(JAVA_BYTE, i + 1) & 0xFF;
            if (len < 2 || len > n - i) break;          // "silly" or partial option: stop, keep what we have
            long v = i + 2;                              // start of the option's value
            switch (kind) {
                case KIND_MSS -> { if (len == LEN_MSS) mss = Short.toUnsignedInt(region.get(U16, v)); }
                case KIND_WSCALE -> { if (len == LEN_WSCALE) wscale = region.get(JAVA_BYTE, v) & 0xFF; }
                case KIND_SACK_PERM -> { if (len == LEN_SACK_PERM) sackPermitted = true; }
                case KIND_TIMESTAMP -> {
                    if (len == LEN_TIMESTAMP) { hasTs = true; tsVal = region.get(U32, v); tsEcr = region.get(U32, v + 4); }
                }
                case KIND_SACK -> {
                    int blocks = (len - LEN_SACK_BASE) / LEN_SACK_PERBLOCK;
                    if (blocks >= 1 && (len - LEN_SACK_BASE) % LEN_SACK_PERBLOCK == 0) {
                        sackCount = Math.min(blocks, MAX_SACK_BLOCKS);
                        for (int b = 0; b < sackCount; b++) {
                            sackLeft[b] = region.get(U32, v + 8L * b);
                            sackRight[b] = region.get(U32, v + 8L * b + 4);
                        }
                    }
                }
                case KIND_MD5SIG -> { if (len == LEN_MD5SIG) hasMd5 = true; }
                case KIND_FASTOPEN -> parseFastOpen(region, v, len - LEN_FASTOPEN_BASE, false);
                case KIND_EXP -> {
                    if (len >= LEN_EXP_FASTOPEN_BASE && Short.toUnsignedInt(region.get(U16, v)) == FASTOPEN_MAGIC)
                        parseFastOpen(region, v + 2, len - LEN_EXP_FASTOPEN_BASE, true);
                }
                default -> { }                           // unknown kinds are skipped (RFC 9293 §3.2)
            }
            i += len;
        }
        return this;
    }

    /** A cookie must be even; 0 is a request; other lengths outside 4..16 are ignored. */
    private void parseFastOpen(MemorySegment region, long at, int len, boolean exp) {
        if ((len & 1) != 0) return;
        if (len != 0 && (len < FASTOPEN_COOKIE_MIN || len > FASTOPEN_COOKIE_MAX)) { fastOpenLen = -1; return; }
        MemorySegment.copy(region, JAVA_BYTE, at, fastOpenCookie, 0, len);
        fastOpenLen = len;
        fastOpenExp = exp;
    }

    /** Bytes {@link #emit} will write: a multiple of 4, at most 40 for anything TCP sends. */
    public int emitLen() {
        int n = 0;
        if (mss > 0) n += 4;
        if (hasTs) n += 12;
        if (sackPermitted && !hasTs) n += 4;
        if (wscale >= 0) n += 4;
        if (sackCount > 0) n += 4 + 8 * sackCount;
        if (fastOpenLen >= 0) n += (fastOpenBaseLen() + fastOpenLen + 3) & ~3;
        return n;
    }

    private int fastOpenBaseLen() { return fastOpenExp ? LEN_EXP_FASTOPEN_BASE : LEN_FASTOPEN_BASE; }

    /**
     * Writes the options in Linux's layout at the start of {@code at} (the header's options
     * region) and returns the number of bytes written, {@link #emitLen()}.
     */
    public int emit(MemorySegment at) {
        int p = 0;
        if (mss > 0) { at.set(U32, p, KIND_MSS << 24 | LEN_MSS << 16 | (mss & 0xFFFF)); p += 4; }
        if (hasTs) {
            int lead = sackPermitted ? KIND_SACK_PERM << 24 | LEN_SACK_PERM << 16 : KIND_NOP << 24 | KIND_NOP << 16;
            at.set(U32, p, lead | KIND_TIMESTAMP << 8 | LEN_TIMESTAMP);
            at.set(U32, p + 4, tsVal);
            at.set(U32, p + 8, tsEcr);
            p += 12;
        } else if (sackPermitted) {
            at.set(U32, p, KIND_NOP << 24 | KIND_NOP << 16 | KIND_SACK_PERM << 8 | LEN_SACK_PERM); p += 4;
        }
        if (wscale >= 0) { at.set(U32, p, KIND_NOP << 24 | KIND_WSCALE << 16 | LEN_WSCALE << 8 | (wscale & 0xFF)); p += 4; }
        if (sackCount > 0) {
            at.set(U32, p, KIND_NOP << 24 | KIND_NOP << 16 | KIND_SACK << 8 | (LEN_SACK_BASE + LEN_SACK_PERBLOCK * sackCount));
            p += 4;
            for (int b = 0; b < sackCount; b++) {
                at.set(U32, p, sackLeft[b]);
                at.set(U32, p + 4, sackRight[b]);
                p += 8;
            }
        }
        if (fastOpenLen >= 0) {
            int len = fastOpenBaseLen() + fastOpenLen;
            if (fastOpenExp) { at.set(U32, p, KIND_EXP << 24 | len << 16 | FASTOPEN_MAGIC); }
            else { at.set(JAVA_BYTE, p, (byte) KIND_FASTOPEN); at.set(JAVA_BYTE, p + 1, (byte) len); }
            MemorySegment.copy(fastOpenCookie, 0, at, JAVA_BYTE, p + fastOpenBaseLen(), fastOpenLen);
            if ((len & 3) == 2) { at.set(JAVA_BYTE, p + len, (byte) KIND_NOP); at.set(JAVA_BYTE, p + len + 1, (byte) KIND_NOP); }
            p += (len + 3) & ~3;
        }
        return p;
    }

    /** Copies every field from {@code o}. */
    public TcpOptions copyFrom(TcpOptions o) {
        mss = o.mss; wscale = o.wscale; sackPermitted = o.sackPermitted; hasTs = o.hasTs; tsVal = o.tsVal; tsEcr = o.tsEcr;
        sackCount = o.sackCount;
        System.arraycopy(o.sackLeft, 0, sackLeft, 0, MAX_SACK_BLOCKS);
        System.arraycopy(o.sackRight, 0, sackRight, 0, MAX_SACK_BLOCKS);
        fastOpenLen = o.fastOpenLen; fastOpenExp = o.fastOpenExp;
        System.arraycopy(o.fastOpenCookie, 0, fastOpenCookie, 0, FASTOPEN_COOKIE_MAX);
        return this;
    }

    public TcpOptions copy() { return new TcpOptions().copyFrom(this); }

    /** Value equality over the meaningful fields (slots past sackCount / fastOpenLen are ignored). */
    @Override public boolean equals(Object x) {
        if (!(x instanceof TcpOptions o)) return false;
        if (mss != o.mss || wscale != o.wscale || sackPermitted != o.sackPermitted || hasTs != o.hasTs
                || sackCount != o.sackCount || fastOpenLen != o.fastOpenLen) return false;
        if (hasTs && (tsVal != o.tsVal || tsEcr != o.tsEcr)) return false;
        if (!Arrays.equals(sackLeft, 0, sackCount, o.sackLeft, 0, sackCount)
                || !Arrays.equals(sackRight, 0, sackCount, o.sackRight, 0, sackCount)) return false;
        return fastOpenLen < 0 || fastOpenExp == o.fastOpenExp
                && Arrays.equals(fastOpenCookie, 0, fastOpenLen, o.fastOpenCookie, 0, fastOpenLen);
    }

    @Override public int hashCode() {
        int h = mss * 31 + wscale;
        h = h * 31 + (sackPermitted ? 1 : 0);
        if (hasTs) h = h * 31 + tsVal * 17 + tsEcr;
        for (int b = 0; b < sackCount; b++) h = h * 31 + sackLeft[b] * 17 + sackRight[b];
        return h * 31 + fastOpenLen;
    }

    /** tcpdump-like, e.g. "[mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]" (order is ours, not the packet's). */
    @Override public String toString() {
        var sb = new StringBuilder("[");
        if (mss > 0) sb.append("mss ").append(mss).append(',');
        if (sackPermitted) sb.append("sackOK,");
        if (hasTs) sb.append("TS val ").append(Integer.toUnsignedString(tsVal)).append(" ecr ")
                     .append(Integer.toUnsignedString(tsEcr)).append(',');
        if (wscale >= 0) sb.append("wscale ").append(wscale).append(',');
        if (sackCount > 0) {
            sb.append("sack ").append(sackCount);
            for (int b = 0; b < sackCount; b++) sb.append(" {").append(Integer.toUnsignedString(sackLeft[b])).append(':')
                                                   .append(Integer.toUnsignedString(sackRight[b])).append('}');
            sb.append(',');
        }
        if (fastOpenLen >= 0) sb.append(fastOpenExp ? "tfo-exp " : "tfo ").append(fastOpenLen == 0 ? "cookiereq"
                : "cookie " + Hex.encode(Arrays.copyOf(fastOpenCookie, fastOpenLen))).append(',');
        if (sb.length() > 1) sb.setLength(sb.length() - 1);
        return sb.append(']').toString();
    }
}
