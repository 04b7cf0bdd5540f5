package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.jnetstack.uapi.In.IPPROTO_UDP;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Zero-copy UDP header view (RFC 768). Reused: {@code wrap()} per packet, never retained.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |                 |                 |
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * |          data octets ...
 * +---------------- ...
 * </pre>
 *
 * Wrap the IP payload. The Length field, not the buffer, bounds the datagram: {@link #payload()}
 * and the checksum cover [0, length). A checksum field of 0 means "not computed" (RFC 768);
 * a computed 0 is sent as 0xFFFF.
 */
public final class UdpHeader {
    public static final int SRC_PORT = 0, DST_PORT = 2, LENGTH = 4, CHECKSUM = 6, LEN = 8;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);

    private MemorySegment seg;

    public UdpHeader wrap(MemorySegment s) { seg = s; return this; }
    public MemorySegment segment() { return seg; }

    /** After true, every accessor (payload and checksum included) stays in bounds. */
    public boolean checkLen() {
        long n = seg.byteSize();
        return n >= LEN && length() >= LEN && length() <= n;
    }

    /** __udp4_lib_rcv's checks, or null: TRUNCATED (buffer short of 8 or of Length), BAD_LENGTH (< 8), BAD_CHECKSUM. */
    public WireError check(int src, int dst, boolean verifyChecksum) {
        long n = seg.byteSize();
        if (n < LEN || length() > n) return WireError.TRUNCATED;
        if (length() < LEN) return WireError.BAD_LENGTH;
        if (verifyChecksum && !verifyChecksum(src, dst)) return WireError.BAD_CHECKSUM;
        return null;
    }

    public int srcPort()  { return Short.toUnsignedInt(seg.get(U16, SRC_PORT)); }
    public int dstPort()  { return Short.toUnsignedInt(seg.get(U16, DST_PORT)); }
    /** Header plus data length, from the Length field. */
    public int length()   { return Short.toUnsignedInt(seg.get(U16, LENGTH)); }
    public int checksum() { return Short.toUnsignedInt(seg.get(U16, CHECKSUM)); }
    /** Data [8, length): anything after Length in the buffer is not UDP's. */
    public MemorySegment payload() { return seg.asSlice(LEN, length() - LEN); }
    public int payloadLen() { return length() - LEN; }

    public UdpHeader srcPort(int p)  { seg.set(U16, SRC_PORT, (short) p); return this; }
    public UdpHeader dstPort(int p)  { seg.set(U16, DST_PORT, (short) p); return this; }
    public UdpHeader length(int len) { seg.set(U16, LENGTH, (short) len); return this; }
    public UdpHeader checksum(int c) { seg.set(U16, CHECKSUM, (short) c); return this; }

    /** True if the checksum is 0 (absent) or verifies over pseudo-header + [0, length). */
    public boolean verifyChecksum(int src, int dst) {
        if (checksum() == 0) return true;
        int len = length();
        return Checksum.fold(Checksum.add(Checksum.pseudoHeader(src, dst, IPPROTO_UDP, len), seg, 0, len)) == 0xFFFF;
    }

    /** Zeroes the field, computes over pseudo-header + [0, length), stores 0 as 0xFFFF (RFC 768). Call last. */
    public UdpHeader computeChecksum(int src, int dst) {
        int len = length();
        checksum(0);
        int c = Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, IPPROTO_UDP, len), seg, 0, len));
        return checksum(c == 0 ? 0xFFFF : c);
    }

    @Override public String toString() {
        if (seg == null || seg.byteSize() < LEN) return "UdpHeader[truncated]";
        return "UDP " + srcPort() + " > " + dstPort() + " len " + length() + " cksum 0x" + Integer.toHexString(checksum());
    }
}
