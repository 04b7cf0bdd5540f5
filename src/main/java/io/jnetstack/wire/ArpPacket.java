package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Zero-copy ARP packet view (RFC 826), fixed to IPv4 over Ethernet: the offsets below assume
 * hlen 6 and plen 4, which {@link ArpRepr#parse} checks before trusting them.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Hardware type (1)         |     Protocol type (0x0800)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HW len (6)   | Proto len (4) |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Sender hardware address (6) ...                |
 * + ...                           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Sender protocol address (4)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |  ...                          |  Target hardware address (6)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                           ...                                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Target protocol address (4)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpPacket {
    public static final int HTYPE = 0, PTYPE = 2, HLEN = 4, PLEN = 5, OPER = 6, SHA = 8, SPA = 14, THA = 18,
                            TPA = 24, LEN = 28;
    public static final int HTYPE_ETHERNET = 1, OP_REQUEST = 1, OP_REPLY = 2;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);

    private MemorySegment seg;

    public ArpPacket wrap(MemorySegment s) { seg = s; return this; }
    public MemorySegment segment() { return seg; }

    public boolean checkLen() { return seg.byteSize() >= LEN; }

    public int htype()     { return Short.toUnsignedInt(seg.get(U16, HTYPE)); }
    public int ptype()     { return Short.toUnsignedInt(seg.get(U16, PTYPE)); }
    public int hlen()      { return seg.get(JAVA_BYTE, HLEN) & 0xFF; }
    public int plen()      { return seg.get(JAVA_BYTE, PLEN) & 0xFF; }
    public int operation() { return Short.toUnsignedInt(seg.get(U16, OPER)); }
    public long senderMac() { return MacAddress.get(seg, SHA); }
    public int senderIp()   { return seg.get(U32, SPA); }
    public long targetMac() { return MacAddress.get(seg, THA); }
    public int targetIp()   { return seg.get(U32, TPA); }

    public ArpPacket htype(int t)      { seg.set(U16, HTYPE, (short) t); return this; }
    public ArpPacket ptype(int t)      { seg.set(U16, PTYPE, (short) t); return this; }
    public ArpPacket hlen(int n)       { seg.set(JAVA_BYTE, HLEN, (byte) n); return this; }
    public ArpPacket plen(int n)       { seg.set(JAVA_BYTE, PLEN, (byte) n); return this; }
    public ArpPacket operation(int op) { seg.set(U16, OPER, (short) op); return this; }
    public ArpPacket senderMac(long m) { MacAddress.set(seg, SHA, m); return this; }
    public ArpPacket senderIp(int a)   { seg.set(U32, SPA, a); return this; }
    public ArpPacket targetMac(long m) { MacAddress.set(seg, THA, m); return this; }
    public ArpPacket targetIp(int a)   { seg.set(U32, TPA, a); return this; }

    @Override public String toString() {
        if (seg == null || !checkLen()) return "ArpPacket[truncated]";
        return "ARP op " + operation() + " " + MacAddress.format(senderMac()) + "/" + Ipv4Address.format(senderIp())
                + " > " + MacAddress.format(targetMac()) + "/" + Ipv4Address.format(targetIp());
    }
}
