package io.jnetstack.packetdrill;

import io.jnetstack.wire.Checksum;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 packet the stack sent on tun0, decoded into the fields packetdrill compares. Parsing is
 * defensive: a packet too short for its headers reports {@link #malformed}.
 */
final class LivePacket {
    /** TCP flag bits, including AE (the former NS bit, bit 8 of the flags field). */
    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
            CWR = 0x80, AE = 0x100;

    /** One TCP option as on the wire: kind, total length, data (without kind and length). */
    record Opt(int kind, int len, byte[] data) {}

    final byte[] bytes;
    final long timeNs;
    String malformed;
    int ihl, tos, ttl, protocol, totalLen, src, dst;
    boolean ipChecksumOk;
    // TCP / UDP
    int srcPort, dstPort;
    long seq, ack;
    int doff, flags, window, urgPtr;
    boolean l4ChecksumOk;
    final List<Opt> options = new ArrayList<>();
    int optionsLen;
    int payloadOff, payloadLen;
    // ICMP
    int icmpType, icmpCode;

    LivePacket(byte[] bytes, long timeNs) {
        this.bytes = bytes;
        this.timeNs = timeNs;
        parse();
    }

    private int u8(int off) { return bytes[off] & 0xFF; }

    private int u16(int off) { return (u8(off) << 8) | u8(off + 1); }

    private long u32(int off) { return ((long) u16(off) << 16) | u16(off + 2); }

    private void parse() {
        if (bytes.length < 20 || (u8(0) >> 4) != 4) { malformed = "not an IPv4 packet"; return; }
        ihl = (u8(0) & 0xF) * 4;
        tos = u8(1);
        totalLen = u16(2);
        ttl = u8(8);
        protocol = u8(9);
        src = (int) u32(12);
        dst = (int) u32(16);
        if (ihl < 20 || totalLen < ihl || totalLen > bytes.length) { malformed = "bad IPv4 lengths"; return; }
        MemorySegment seg = MemorySegment.ofArray(bytes);
        ipChecksumOk = Checksum.verify(seg, 0, ihl);
        int l4 = ihl, l4len = totalLen - ihl;
        long pseudo = Checksum.pseudoHeader(src, dst, protocol, l4len);
        if (protocol == 6) {
            if (l4len < 20) { malformed = "truncated TCP header"; return; }
            srcPort = u16(l4);
            dstPort = u16(l4 + 2);
            seq = u32(l4 + 4);
            ack = u32(l4 + 8);
            doff = u8(l4 + 12) >> 4;
            flags = u8(l4 + 13) | ((u8(l4 + 12) & 1) << 8);
            window = u16(l4 + 14);
            urgPtr = u16(l4 + 18);
            int hl = doff * 4;
            if (hl < 20 || hl > l4len) { malformed = "bad TCP data offset"; return; }
            optionsLen = hl - 20;
            if (!parseOptions(l4 + 20, l4 + hl)) { malformed = "malformed TCP options"; return; }
            payloadOff = l4 + hl;
            payloadLen = l4len - hl;
            l4ChecksumOk = Checksum.fold(Checksum.add(pseudo, seg, l4, l4len)) == 0xFFFF;
        } else if (protocol == 17) {
            if (l4len < 8) { malformed = "truncated UDP header"; return; }
            srcPort = u16(l4);
            dstPort = u16(l4 + 2);
            payloadOff = l4 + 8;
            payloadLen = l4len - 8;
            l4ChecksumOk = u16(l4 + 6) == 0 || Checksum.fold(Checksum.add(pseudo, seg, l4, l4len)) == 0xFFFF;
        } else if (protocol == 1) {
            if (l4len < 8) { malformed = "truncated ICMP header"; return; }
            icmpType = u8(l4);
            icmpCode = u8(l4 + 1);
            payloadOff = l4 + 8;
            payloadLen = l4len - 8;
            l4ChecksumOk = Checksum.verify(seg, l4, l4len);
        }
    }

    private boolean parseOptions(int off, int end) {
        while (off < end) {
            int kind = u8(off);
            if (kind == 0 || kind == 1) {
                options.add(new Opt(kind, 1, new byte[0]));
                off++;
                continue;
            }
            if (off + 1 >= end) return false;
            int len = u8(off + 1);
            if (len < 2 || off + len > end) return false;
            byte[] data = new byte[len - 2];
            System.arraycopy(bytes, off + 2, data, 0, len - 2);
            options.add(new Opt(kind, len, data));
            off += len;
        }
        return true;
    }

    boolean isTcp() { return protocol == 6; }

    Opt option(int kind) {
        for (Opt o : options) if (o.kind() == kind) return o;
        return null;
    }

    /** The flags as tcpdump letters ("-" for none); the runner builds the rest of the line in script space. */
    String flagString() {
        return flags == 0 ? "-" : io.jnetstack.wire.TcpHeader.flagsToString(flags);
    }
}
