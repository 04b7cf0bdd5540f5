package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static io.jnetstack.uapi.In.IPPROTO_TCP;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Zero-copy TCP header view (RFC 9293 §3.1). Reused: {@code wrap()} per packet, never retained.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             data                              |
 * </pre>
 *
 * The view is the TCP segment (the IP payload): a whole segment ({@link #wrap(MemorySegment)}) or
 * {@code len} bytes at {@code off} of a larger one, the received IP packet
 * ({@link #wrap(MemorySegment, long, long)}: no slice, so nothing is allocated per packet). The
 * checksum and {@link #payload()} run to the view's end. Accessors do no checks; call
 * {@link #checkLen()} first on untrusted input. Sequence numbers compare only through {@link SeqNum}.
 */
public final class TcpHeader {
    public static final int SRC_PORT = 0, DST_PORT = 2, SEQ = 4, ACK = 8, DATA_OFF = 12,
                            FLAGS = 13, WINDOW = 14, CHECKSUM = 16, URG_PTR = 18, OPTIONS = 20,
                            MIN_LEN = 20, MAX_LEN = 60, MAX_OPTIONS_LEN = 40;
    /** Flag bits of byte 13 (RFC 9293 §3.1; ECE/CWR from RFC 3168 §23.2). */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK_FLAG = 0x10, URG = 0x20,
                            ECE = 0x40, CWR = 0x80;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);

    private MemorySegment seg;
    private long base, len;

    public TcpHeader wrap(MemorySegment s) { return wrap(s, 0, s.byteSize()); }   // emit path: unchecked
    /** The segment {@code s[off, off + len)}. */
    public TcpHeader wrap(MemorySegment s, long off, long len) {
        seg = s;
        base = off;
        this.len = len;
        return this;
    }
    /** The memory wrapped: the segment alone, or the packet it lies in at {@link #offset()}. */
    public MemorySegment segment() { return seg; }
    public long offset() { return base; }
    /** The segment's length: header, options and data. */
    public long length() { return len; }

    /** After true, no accessor can go out of bounds (smoltcp check_len contract). */
    public boolean checkLen() {
        long n = len;
        return n >= MIN_LEN && headerLen() >= MIN_LEN && headerLen() <= n;
    }

    /** tcp_v4_rcv's header checks in its order, or null: TRUNCATED, BAD_DATA_OFFSET, BAD_CHECKSUM. */
    public WireError check(int src, int dst, boolean verifyChecksum) {
        long n = len;
        if (n < MIN_LEN) return WireError.TRUNCATED;
        if (headerLen() < MIN_LEN || headerLen() > n) return WireError.BAD_DATA_OFFSET;
        if (verifyChecksum && !verifyChecksum(src, dst)) return WireError.BAD_CHECKSUM;
        return null;
    }

    public int srcPort()   { return Short.toUnsignedInt(seg.get(U16, base + SRC_PORT)); }
    public int dstPort()   { return Short.toUnsignedInt(seg.get(U16, base + DST_PORT)); }
    public int seq()       { return seg.get(U32, base + SEQ); }               // compare via SeqNum only
    public int ack()       { return seg.get(U32, base + ACK); }
    /** Data offset in 32-bit words. */
    public int dataOffset() { return (seg.get(JAVA_BYTE, base + DATA_OFF) & 0xFF) >>> 4; }
    /** Header length in bytes, options included. */
    public int headerLen() { return dataOffset() * 4; }
    /** The four bits between data offset and CWR: reserved, the lowest is AE in RFC 9768 (formerly NS). */
    public int reserved()  { return seg.get(JAVA_BYTE, base + DATA_OFF) & 0x0F; }
    public int flags()     { return seg.get(JAVA_BYTE, base + FLAGS) & 0xFF; }
    public boolean fin()   { return (flags() & FIN) != 0; }
    public boolean syn()   { return (flags() & SYN) != 0; }
    public boolean rst()   { return (flags() & RST) != 0; }
    public boolean psh()   { return (flags() & PSH) != 0; }
    public boolean ackFlag() { return (flags() & ACK_FLAG) != 0; }
    public boolean urg()   { return (flags() & URG) != 0; }
    public boolean ece()   { return (flags() & ECE) != 0; }
    public boolean cwr()   { return (flags() & CWR) != 0; }
    /** The raw 16-bit window; scaling is the connection's business. */
    public int window()    { return Short.toUnsignedInt(seg.get(U16, base + WINDOW)); }
    public int checksum()  { return Short.toUnsignedInt(seg.get(U16, base + CHECKSUM)); }
    public int urgentPtr() { return Short.toUnsignedInt(seg.get(U16, base + URG_PTR)); }
    /** Options region [20, headerLen), as {@link TcpOptions#parse} takes it. */
    public MemorySegment options() { return seg.asSlice(base + OPTIONS, headerLen() - OPTIONS); }
    /** Data after the header, to the end of the segment. */
    public MemorySegment payload() { return seg.asSlice(base + headerLen(), len - headerLen()); }
    public int payloadLen() { return (int) len - headerLen(); }
    /** Sequence space the segment occupies: data plus one each for SYN and FIN (RFC 9293 §3.4). */
    public int seqLen() { return payloadLen() + (syn() ? 1 : 0) + (fin() ? 1 : 0); }

    public TcpHeader srcPort(int p)   { seg.set(U16, base + SRC_PORT, (short) p); return this; }
    public TcpHeader dstPort(int p)   { seg.set(U16, base + DST_PORT, (short) p); return this; }
    public TcpHeader seq(int s)       { seg.set(U32, base + SEQ, s); return this; }
    public TcpHeader ack(int a)       { seg.set(U32, base + ACK, a); return this; }
    /** Sets the data offset from a header length in bytes (multiple of 4), keeping the reserved bits. */
    public TcpHeader headerLen(int bytes) { seg.set(JAVA_BYTE, base + DATA_OFF, (byte) ((bytes >>> 2) << 4 | reserved())); return this; }
    public TcpHeader dataOffset(int words) { return headerLen(words * 4); }
    public TcpHeader reserved(int bits) { seg.set(JAVA_BYTE, base + DATA_OFF, (byte) (dataOffset() << 4 | (bits & 0xF))); return this; }
    public TcpHeader flags(int f)     { seg.set(JAVA_BYTE, base + FLAGS, (byte) f); return this; }
    public TcpHeader window(int w)    { seg.set(U16, base + WINDOW, (short) w); return this; }
    public TcpHeader checksum(int c)  { seg.set(U16, base + CHECKSUM, (short) c); return this; }
    public TcpHeader urgentPtr(int u) { seg.set(U16, base + URG_PTR, (short) u); return this; }

    /** Checksum over the pseudo-header and the whole segment verifies (RFC 9293 §3.1). */
    public boolean verifyChecksum(int src, int dst) {
        return Checksum.fold(Checksum.add(Checksum.pseudoHeader(src, dst, IPPROTO_TCP, (int) len), seg, base, len)) == 0xFFFF;
    }

    /** Zeroes the checksum field, then stores the checksum of pseudo-header + segment. Call last. */
    public TcpHeader computeChecksum(int src, int dst) {
        checksum(0);
        return checksum(Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, IPPROTO_TCP, (int) len), seg, base, len)));
    }

    /**
     * CHECKSUM_PARTIAL (__tcp_v4_send_check): stores only the folded pseudo-header sum, for a
     * device, or whoever shows the segment first, to finish (see io.jnetstack.link.ChecksumOffload).
     */
    public TcpHeader partialChecksum(int src, int dst) {
        return checksum(Checksum.fold(Checksum.pseudoHeader(src, dst, IPPROTO_TCP, (int) len)));
    }

    /**
     * tcpdump-style flag letters, e.g. "S." for SYN-ACK; "none" when no flag is set. Bit 8 (0x100,
     * AE: accurate ECN, the former NS bit, outside {@link #flags()}) prints as 'A' when passed.
     */
    public static String flagsToString(int flags) {
        var sb = new StringBuilder();
        if ((flags & SYN) != 0) sb.append('S');
        if ((flags & FIN) != 0) sb.append('F');
        if ((flags & RST) != 0) sb.append('R');
        if ((flags & PSH) != 0) sb.append('P');
        if ((flags & URG) != 0) sb.append('U');
        if ((flags & ECE) != 0) sb.append('E');
        if ((flags & CWR) != 0) sb.append('W');
        if ((flags & 0x100) != 0) sb.append('A');
        if ((flags & ACK_FLAG) != 0) sb.append('.');
        return sb.isEmpty() ? "none" : sb.toString();
    }

    @Override public String toString() {
        if (seg == null || !checkLen()) return "TcpHeader[malformed]";
        return "TCP " + srcPort() + " > " + dstPort() + " [" + flagsToString(flags()) + "] seq " + SeqNum.toString(seq())
                + " ack " + SeqNum.toString(ack()) + " win " + window() + " len " + payloadLen();
    }
}
