package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * struct virtio_net_hdr (include/uapi/linux/virtio_net.h, the legacy 10-byte form): what a TUN/TAP
 * file opened with IFF_VNET_HDR puts in front of every packet, in both directions. It carries the
 * offloads: a checksum left for the other side to finish (NEEDS_CSUM with csum_start/csum_offset,
 * the pseudo-header sum already in the checksum field) and a segment larger than the MTU to be cut
 * into {@code gsoSize}-byte pieces (GSO/TSO) or that was glued from several (GRO).
 *
 * <p>Multi-byte fields are in the host's byte order for legacy virtio (little-endian on x86-64 and
 * arm64, the platforms this stack runs on; TUNSETVNETBE exists only for big-endian guests).
 *
 * <pre>
 * +-------+----------+-----------+-----------+-------------+--------------+
 * | flags | gso_type | hdr_len   | gso_size  | csum_start  | csum_offset  |
 * | u8    | u8       | u16       | u16       | u16         | u16          |
 * +-------+----------+-----------+-----------+-------------+--------------+
 * </pre>
 */
public final class VirtioNetHdr {
    public static final int FLAGS = 0, GSO_TYPE = 1, HDR_LEN = 2, GSO_SIZE = 4, CSUM_START = 6, CSUM_OFFSET = 8,
                            LEN = 10;
    /** flags */
    public static final int F_NEEDS_CSUM = 1, F_DATA_VALID = 2;
    /** gso_type */
    public static final int GSO_NONE = 0, GSO_TCPV4 = 1, GSO_UDP = 3, GSO_TCPV6 = 4, GSO_ECN = 0x80;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LITTLE_ENDIAN);

    private MemorySegment seg;

    public VirtioNetHdr wrap(MemorySegment s) { seg = s; return this; }
    public MemorySegment segment() { return seg; }

    public boolean checkLen() { return seg.byteSize() >= LEN; }

    public int flags()      { return seg.get(JAVA_BYTE, FLAGS) & 0xFF; }
    public int gsoType()    { return seg.get(JAVA_BYTE, GSO_TYPE) & 0xFF; }
    public int hdrLen()     { return Short.toUnsignedInt(seg.get(U16, HDR_LEN)); }
    public int gsoSize()    { return Short.toUnsignedInt(seg.get(U16, GSO_SIZE)); }
    public int csumStart()  { return Short.toUnsignedInt(seg.get(U16, CSUM_START)); }
    public int csumOffset() { return Short.toUnsignedInt(seg.get(U16, CSUM_OFFSET)); }

    public VirtioNetHdr flags(int f)      { seg.set(JAVA_BYTE, FLAGS, (byte) f); return this; }
    public VirtioNetHdr gsoType(int t)    { seg.set(JAVA_BYTE, GSO_TYPE, (byte) t); return this; }
    public VirtioNetHdr hdrLen(int n)     { seg.set(U16, HDR_LEN, (short) n); return this; }
    public VirtioNetHdr gsoSize(int n)    { seg.set(U16, GSO_SIZE, (short) n); return this; }
    public VirtioNetHdr csumStart(int n)  { seg.set(U16, CSUM_START, (short) n); return this; }
    public VirtioNetHdr csumOffset(int n) { seg.set(U16, CSUM_OFFSET, (short) n); return this; }

    /** All zero: a complete packet, checksums done, no segmentation. */
    public VirtioNetHdr clear() { seg.asSlice(0, LEN).fill((byte) 0); return this; }

    @Override public String toString() {
        if (seg == null || !checkLen()) return "VirtioNetHdr[truncated]";
        return "virtio_net_hdr flags " + flags() + " gso_type " + gsoType() + " hdr_len " + hdrLen() + " gso_size "
                + gsoSize() + " csum " + csumStart() + "+" + csumOffset();
    }
}
