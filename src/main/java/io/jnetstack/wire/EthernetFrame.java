package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Zero-copy Ethernet II frame view (IEEE 802.3 / RFC 894), without preamble or FCS, as a TAP
 * device delivers it. MACs are longs, see {@link MacAddress}. Reused: {@code wrap()} per frame.
 *
 * <pre>
 * +-----------------+-----------------+-----------+--------------------+
 * | Destination (6) |   Source (6)    | Type (2)  | Payload (46..1500) |
 * +-----------------+-----------------+-----------+--------------------+
 * </pre>
 */
public final class EthernetFrame {
    public static final int DST = 0, SRC = 6, ETHERTYPE = 12, PAYLOAD = 14, HEADER_LEN = 14;
    /** Frames shorter than this (without FCS) are padded by the sender (IEEE 802.3 minimum of 64 with FCS). */
    public static final int MIN_FRAME_LEN = 60;
    public static final int ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_ARP = 0x0806, ETHERTYPE_VLAN = 0x8100,
                            ETHERTYPE_IPV6 = 0x86DD;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);

    private MemorySegment seg;

    public EthernetFrame wrap(MemorySegment s) { seg = s; return this; }
    public MemorySegment segment() { return seg; }

    public boolean checkLen() { return seg.byteSize() >= HEADER_LEN; }

    public long dst()      { return MacAddress.get(seg, DST); }
    public long src()      { return MacAddress.get(seg, SRC); }
    public int etherType() { return Short.toUnsignedInt(seg.get(U16, ETHERTYPE)); }
    /** Everything after the header, padding included (the IP layer trims to its Total Length). */
    public MemorySegment payload() { return seg.asSlice(PAYLOAD); }

    public EthernetFrame dst(long mac)      { MacAddress.set(seg, DST, mac); return this; }
    public EthernetFrame src(long mac)      { MacAddress.set(seg, SRC, mac); return this; }
    public EthernetFrame etherType(int t)   { seg.set(U16, ETHERTYPE, (short) t); return this; }

    @Override public String toString() {
        if (seg == null || !checkLen()) return "EthernetFrame[truncated]";
        return "Ethernet " + MacAddress.format(src()) + " > " + MacAddress.format(dst()) + " type 0x"
                + Integer.toHexString(etherType()) + " len " + seg.byteSize();
    }
}
