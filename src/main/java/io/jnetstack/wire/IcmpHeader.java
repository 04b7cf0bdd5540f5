package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Zero-copy ICMPv4 message view (RFC 792). Reused: {@code wrap()} per packet, never retained.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Rest of header                            |
 * |  echo:        Identifier      |       Sequence Number         |
 * |  frag needed: unused (0)      |       Next-Hop MTU (RFC 1191) |
 * |  redirect:    Gateway Internet Address                        |
 * |  param prob:  Pointer | unused                                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data: echo payload, or for errors the offending IP header    |
 * |        + at least 64 bits of its data                         |
 * </pre>
 *
 * Wrap the IP payload; the checksum covers the whole message.
 */
public final class IcmpHeader {
    public static final int TYPE = 0, CODE = 1, CHECKSUM = 2, REST = 4, ECHO_ID = 4, ECHO_SEQ = 6,
                            POINTER = 4, NEXT_HOP_MTU = 6, GATEWAY = 4, DATA = 8, LEN = 8;

    /** Types (RFC 792, RFC 950 for address mask). */
    public static final int ECHO_REPLY = 0, DEST_UNREACH = 3, SOURCE_QUENCH = 4, REDIRECT = 5, ECHO_REQUEST = 8,
                            ROUTER_ADVERT = 9, ROUTER_SOLICIT = 10, TIME_EXCEEDED = 11, PARAMETER_PROB = 12,
                            TIMESTAMP = 13, TIMESTAMP_REPLY = 14, INFO_REQUEST = 15, INFO_REPLY = 16,
                            ADDRESS = 17, ADDRESS_REPLY = 18;
    /** Destination Unreachable codes (RFC 792, RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1). */
    public static final int NET_UNREACH = 0, HOST_UNREACH = 1, PROT_UNREACH = 2, PORT_UNREACH = 3, FRAG_NEEDED = 4,
                            SR_FAILED = 5, NET_UNKNOWN = 6, HOST_UNKNOWN = 7, HOST_ISOLATED = 8, NET_ANO = 9,
                            HOST_ANO = 10, NET_UNR_TOS = 11, HOST_UNR_TOS = 12, PKT_FILTERED = 13,
                            PREC_VIOLATION = 14, PREC_CUTOFF = 15;
    /** Redirect codes. */
    public static final int REDIR_NET = 0, REDIR_HOST = 1, REDIR_NETTOS = 2, REDIR_HOSTTOS = 3;
    /** Time Exceeded codes. */
    public static final int EXC_TTL = 0, EXC_FRAGTIME = 1;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);

    private MemorySegment seg;

    public IcmpHeader wrap(MemorySegment s) { seg = s; return this; }
    public MemorySegment segment() { return seg; }

    public boolean checkLen() { return seg.byteSize() >= LEN; }

    /** icmp_rcv's checks, or null: TRUNCATED (under 8 bytes), BAD_CHECKSUM. */
    public WireError check(boolean verifyChecksum) {
        if (!checkLen()) return WireError.TRUNCATED;
        if (verifyChecksum && !verifyChecksum()) return WireError.BAD_CHECKSUM;
        return null;
    }

    /** Types whose data quotes an offending datagram (RFC 1122 §3.2.2). */
    public static boolean isError(int type) {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROB;
    }

    public int type()       { return seg.get(JAVA_BYTE, TYPE) & 0xFF; }
    public int code()       { return seg.get(JAVA_BYTE, CODE) & 0xFF; }
    public int checksum()   { return Short.toUnsignedInt(seg.get(U16, CHECKSUM)); }
    /** The 32-bit word after the checksum, whatever the type puts there. */
    public int rest()       { return seg.get(U32, REST); }
    public int echoId()     { return Short.toUnsignedInt(seg.get(U16, ECHO_ID)); }
    public int echoSeq()    { return Short.toUnsignedInt(seg.get(U16, ECHO_SEQ)); }
    /** Next-hop MTU of a Fragmentation Needed message (RFC 1191 §4); 0 from pre-1191 routers. */
    public int nextHopMtu() { return Short.toUnsignedInt(seg.get(U16, NEXT_HOP_MTU)); }
    public int pointer()    { return seg.get(JAVA_BYTE, POINTER) & 0xFF; }
    public int gateway()    { return seg.get(U32, GATEWAY); }
    /** Echo data, or the quoted IP header + data of an error. */
    public MemorySegment payload() { return seg.asSlice(DATA); }

    public IcmpHeader type(int t)       { seg.set(JAVA_BYTE, TYPE, (byte) t); return this; }
    public IcmpHeader code(int c)       { seg.set(JAVA_BYTE, CODE, (byte) c); return this; }
    public IcmpHeader checksum(int c)   { seg.set(U16, CHECKSUM, (short) c); return this; }
    public IcmpHeader rest(int w)       { seg.set(U32, REST, w); return this; }
    public IcmpHeader echoId(int id)    { seg.set(U16, ECHO_ID, (short) id); return this; }
    public IcmpHeader echoSeq(int s)    { seg.set(U16, ECHO_SEQ, (short) s); return this; }
    public IcmpHeader nextHopMtu(int m) { seg.set(U16, NEXT_HOP_MTU, (short) m); return this; }
    public IcmpHeader pointer(int p)    { seg.set(JAVA_BYTE, POINTER, (byte) p); return this; }
    public IcmpHeader gateway(int a)    { seg.set(U32, GATEWAY, a); return this; }

    public boolean verifyChecksum() { return Checksum.verify(seg, 0, seg.byteSize()); }

    /** Zeroes the field, then stores the checksum of the whole message. Call last. */
    public IcmpHeader computeChecksum() {
        checksum(0);
        return checksum(Checksum.compute(seg, 0, seg.byteSize()));
    }

    @Override public String toString() {
        if (seg == null || !checkLen()) return "IcmpHeader[truncated]";
        return "ICMP type " + type() + " code " + code() + " rest 0x" + Integer.toHexString(rest()) + " len " + seg.byteSize();
    }
}
