package io.jnetstack.packetdrill;

import io.jnetstack.packetdrill.Ast.*;
import io.jnetstack.wire.Checksum;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the bytes of packets the script's remote host sends (inbound), with live addresses,
 * ports and sequence numbers, and correct checksums; and encodes script TCP options, which the
 * outbound check compares against what the stack sent.
 */
final class ScriptPackets {
    static final int TCPOPT_EOL = 0, TCPOPT_NOP = 1, TCPOPT_MSS = 2, TCPOPT_WSCALE = 3, TCPOPT_SACK_PERM = 4,
            TCPOPT_SACK = 5, TCPOPT_TS = 8, TCPOPT_MD5 = 19, TCPOPT_FASTOPEN = 34, TCPOPT_EXP = 254;
    static final int FASTOPEN_MAGIC = 0xF989;
    /** TTL of injected packets. */
    static final int INBOUND_TTL = 64;

    private ScriptPackets() {}

    /** Failure to build a packet (bad values in the script, or nothing to map an echo reply to). */
    static final class BuildError extends Exception {
        BuildError(String m) { super(m); }
    }

    /**
     * Encodes options; SACK blocks are shifted by {@code sackOffset}, TS ecr replaced through
     * {@code ecrMap} when it is non-null (inbound packets with ACK set).
     */
    static byte[] encodeOptions(List<TcpOption> opts, long sackOffset, java.util.function.LongUnaryOperator ecrMap)
            throws BuildError {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (TcpOption o : opts) {
            switch (o) {
                case Nop n -> b.write(TCPOPT_NOP);
                case Eol e -> b.write(TCPOPT_EOL);
                case Mss m -> {
                    if (m.symbol() != null) throw new BuildError("undefined symbol " + m.symbol() + " in mss option");
                    b.write(TCPOPT_MSS); b.write(4); put16(b, m.mss());
                }
                case WScale w -> { b.write(TCPOPT_WSCALE); b.write(3); b.write(w.shift()); }
                case SackOk s -> { b.write(TCPOPT_SACK_PERM); b.write(2); }
                case Sack s -> {
                    b.write(TCPOPT_SACK);
                    b.write(2 + 8 * s.blocks().size());
                    for (long[] blk : s.blocks()) { put32(b, blk[0] + sackOffset); put32(b, blk[1] + sackOffset); }
                }
                case Timestamp t -> {
                    b.write(TCPOPT_TS); b.write(10);
                    put32(b, t.val());
                    put32(b, ecrMap == null ? t.ecr() : ecrMap.applyAsLong(t.ecr()));
                }
                case FastOpen f -> {
                    byte[] cookie = HexFormat.of().parseHex(f.cookieHex());
                    if (f.exp()) { b.write(TCPOPT_EXP); b.write(4 + cookie.length); put16(b, FASTOPEN_MAGIC); }
                    else { b.write(TCPOPT_FASTOPEN); b.write(2 + cookie.length); }
                    b.writeBytes(cookie);
                }
                case Md5 m -> {
                    byte[] d;
                    try {
                        d = HexFormat.of().parseHex(m.digestHex());
                    } catch (IllegalArgumentException ex) {
                        throw new BuildError("TCP MD5 digest is not a valid hex string");
                    }
                    b.write(TCPOPT_MD5); b.write(18);
                    b.writeBytes(java.util.Arrays.copyOf(d, 16));
                }
            }
        }
        if (b.size() > 40) throw new BuildError("TCP option list too long");
        return b.toByteArray();
    }

    private static void put16(ByteArrayOutputStream b, int v) { b.write(v >> 8); b.write(v); }

    private static void put32(ByteArrayOutputStream b, long v) {
        b.write((int) (v >> 24)); b.write((int) (v >> 16)); b.write((int) (v >> 8)); b.write((int) v);
    }

    static int tcpFlagBits(String flags) {
        int f = 0;
        for (char c : flags.toCharArray()) {
            f |= switch (c) {
                case 'F' -> LivePacket.FIN;
                case 'S' -> LivePacket.SYN;
                case 'R' -> LivePacket.RST;
                case 'P' -> LivePacket.PSH;
                case '.' -> LivePacket.ACK;
                case 'U' -> LivePacket.URG;
                case 'E' -> LivePacket.ECE;
                case 'W' -> LivePacket.CWR;
                case 'A' -> LivePacket.AE;
                default -> 0;
            };
        }
        return f;
    }

    /** The ECN bits (or whole TOS byte) an inbound packet carries. */
    static int tosByte(IpInfo ip) {
        return switch (ip.tosCheck()) {
            case ECN, TOS -> ip.tos();
            default -> 0;
        };
    }

    /** An IPv4 header + L4 bytes, with both checksums filled in. */
    static byte[] ipv4(int tos, int ttl, int protocol, int src, int dst, byte[] l4, int l4ChecksumOffset) {
        byte[] p = new byte[20 + l4.length];
        p[0] = 0x45;
        p[1] = (byte) tos;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = (byte) (ttl == 0 ? INBOUND_TTL : ttl);
        p[9] = (byte) protocol;
        w32(p, 12, src);
        w32(p, 16, dst);
        MemorySegment seg = MemorySegment.ofArray(p);
        int c = Checksum.compute(seg, 0, 20);
        p[10] = (byte) (c >> 8);
        p[11] = (byte) c;
        System.arraycopy(l4, 0, p, 20, l4.length);
        if (l4ChecksumOffset >= 0) {
            long acc = protocol == 1 ? 0 : Checksum.pseudoHeader(src, dst, protocol, l4.length);
            int sum = Checksum.finish(Checksum.add(acc, seg, 20, l4.length));
            if (protocol == 17 && sum == 0) sum = 0xFFFF;
            p[20 + l4ChecksumOffset] = (byte) (sum >> 8);
            p[20 + l4ChecksumOffset + 1] = (byte) sum;
        }
        return p;
    }

    static void w16(byte[] b, int off, int v) { b[off] = (byte) (v >> 8); b[off + 1] = (byte) v; }

    static void w32(byte[] b, int off, long v) {
        b[off] = (byte) (v >> 24); b[off + 1] = (byte) (v >> 16); b[off + 2] = (byte) (v >> 8); b[off + 3] = (byte) v;
    }

    /** A TCP segment (header, options, zero payload) without checksum. */
    static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int window, int urg, byte[] opts, int payloadLen) {
        int optLen = (opts.length + 3) & ~3;
        byte[] t = new byte[20 + optLen + payloadLen];
        w16(t, 0, sport);
        w16(t, 2, dport);
        w32(t, 4, seq);
        w32(t, 8, ack);
        t[12] = (byte) ((((20 + optLen) / 4) << 4) | ((flags >> 8) & 1));
        t[13] = (byte) flags;
        w16(t, 14, window);
        w16(t, 18, urg);
        System.arraycopy(opts, 0, t, 20, opts.length);
        return t;
    }

    /** ICMPv4 type and code names as packetdrill spells them. */
    static int icmpType(String name) throws BuildError {
        return switch (name) {
            case "echo_reply" -> 0;
            case "unreachable", "dest_unreachable" -> 3;
            case "source_quench" -> 4;
            case "redirect" -> 5;
            case "echo_request" -> 8;
            case "time_exceeded" -> 11;
            case "parameter_problem" -> 12;
            default -> throw new BuildError("unknown ICMPv4 type '" + name + "'");
        };
    }

    static int icmpCode(int type, String name) throws BuildError {
        if (name == null) return 0;
        if (name.matches("\\d+")) return Integer.parseInt(name);
        String[] unreach = {"net_unreachable", "host_unreachable", "protocol_unreachable", "port_unreachable",
                "frag_needed", "source_route_failed", "net_unknown", "host_unknown", "source_host_isolated",
                "net_prohibited", "host_prohibited", "net_unreachable_for_tos", "host_unreachable_for_tos",
                "packet_filtered", "precedence_violation", "precedence_cutoff"};
        if (type == 3) for (int i = 0; i < unreach.length; i++) if (unreach[i].equals(name)) return i;
        if (type == 11 && name.equals("ttl_exceeded")) return 0;
        if (type == 11 && name.equals("frag_reassembly_time_exceeded")) return 1;
        throw new BuildError("unknown ICMP code '" + name + "'");
    }
}
