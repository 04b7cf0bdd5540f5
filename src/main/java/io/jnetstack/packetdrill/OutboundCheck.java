package io.jnetstack.packetdrill;

import io.jnetstack.packetdrill.Ast.*;
import io.jnetstack.packetdrill.ScriptPackets.BuildError;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a packet the stack sent with the one the script expects, field by field in
 * packetdrill's order (verify_outbound_live_packet): checksums, IP header, TCP header in script
 * sequence space, TCP options, payload. Returns the first mismatch as packetdrill words it.
 */
final class OutboundCheck {
    private OutboundCheck() {}

    private static String field(String name, long expected, long actual) {
        if (expected == actual) return null;
        return "live packet field " + name + ": expected: " + expected + " (0x" + Long.toHexString(expected)
                + ") vs actual: " + actual + " (0x" + Long.toHexString(actual) + ")";
    }

    static String verify(ScriptRun run, ScriptSocket s, Packet p, LivePacket live) {
        if (!live.ipChecksumOk) return "bad outbound IP checksum";
        int scriptProto = switch (p) {
            case TcpPacket t -> 6;
            case UdpPacket u -> 17;
            case IcmpPacket i -> 1;
        };
        if (scriptProto != live.protocol)
            return "live packet header layer 1: expected: " + protoName(scriptProto) + " header vs actual: " + protoName(live.protocol) + " header";
        if (!live.l4ChecksumOk) return "bad outbound " + protoName(live.protocol).toUpperCase() + " checksum";
        String err;
        if ((err = field("ipv4_header_length", 5, live.ihl / 4)) != null) return err;
        if ((err = tos(p.ip(), live.tos)) != null) return err;
        if (p.ip().ttl() != 0 && (err = field("ttl", p.ip().ttl(), live.ttl)) != null) return err;
        return switch (p) {
            case TcpPacket t -> tcp(run, s, t, live);
            case UdpPacket u -> field("udp_len", 8 + u.payloadLen(), 8 + live.payloadLen);
            case IcmpPacket i -> icmp(i, live);
        };
    }

    private static String protoName(int p) {
        return switch (p) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmpv4";
            default -> "protocol " + p;
        };
    }

    private static String tos(IpInfo ip, int actualTos) {
        int ecn = actualTos & 3;
        return switch (ip.tosCheck()) {
            case NONE -> null;
            case ECT01 -> ecn == 1 || ecn == 2 ? null : "live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x" + Integer.toHexString(ecn);
            case ECN -> field("ip_ecn", ip.tos(), ecn);
            case TOS -> field("tos", ip.tos(), actualTos);
        };
    }

    private static String icmp(IcmpPacket i, LivePacket live) {
        try {
            int type = ScriptPackets.icmpType(i.type());
            String err = field("icmp_type", type, live.icmpType);
            if (err != null) return err;
            return field("icmp_code", ScriptPackets.icmpCode(type, i.code()), live.icmpCode);
        } catch (BuildError e) {
            return e.getMessage();
        }
    }

    private static String tcp(ScriptRun run, ScriptSocket s, TcpPacket t, LivePacket live) {
        boolean syn = (live.flags & LivePacket.SYN) != 0;
        long seq = (live.seq - s.localScriptToLive(syn)) & 0xFFFFFFFFL;
        long ack = (live.flags & LivePacket.ACK) != 0 ? (live.ack - s.remoteScriptToLive(syn)) & 0xFFFFFFFFL : live.ack;
        long sackOffset = -s.remoteScriptToLive(syn);
        byte[] scriptOpts;
        try {
            scriptOpts = t.options() == null ? new byte[0] : ScriptPackets.encodeOptions(t.options(), 0, null);
        } catch (BuildError e) {
            return e.getMessage();
        }
        int scriptOptLen = t.options() == null ? live.optionsLen : (scriptOpts.length + 3) & ~3;
        int flags = ScriptPackets.tcpFlagBits(t.flags());
        String err;
        if ((err = field("ipv4_total_length", 20 + 20 + scriptOptLen + t.payloadLen(), live.totalLen)) != null) return err;
        if ((err = field("tcp_data_offset", (20 + scriptOptLen) / 4, live.doff)) != null) return err;
        if ((err = bit("tcp_fin", flags, live.flags, LivePacket.FIN)) != null) return err;
        if ((err = bit("tcp_syn", flags, live.flags, LivePacket.SYN)) != null) return err;
        if ((err = bit("tcp_rst", flags, live.flags, LivePacket.RST)) != null) return err;
        if ((err = bit("tcp_psh", flags, live.flags, LivePacket.PSH)) != null) return err;
        if ((err = bit("tcp_ack", flags, live.flags, LivePacket.ACK)) != null) return err;
        if ((err = bit("tcp_urg", flags, live.flags, LivePacket.URG)) != null) return err;
        if ((err = bit("tcp_ece", flags, live.flags, LivePacket.ECE)) != null) return err;
        if ((err = bit("tcp_cwr", flags, live.flags, LivePacket.CWR)) != null) return err;
        if ((err = bit("tcp_ae", flags, live.flags, LivePacket.AE)) != null) return err;
        if ((err = field("tcp_seq", t.startSeq(), seq)) != null) return err;
        if ((err = field("tcp_ack_seq", Math.max(t.ack(), 0), ack)) != null) return err;
        if (t.window() >= 0 && (err = field("tcp_window", t.window(), live.window)) != null) return err;
        if ((err = field("tcp_urg_ptr", t.urgPtr(), live.urgPtr)) != null) return err;
        if (t.options() != null && (err = options(run, s, t, scriptOpts, live, sackOffset)) != null) return err;
        else if (t.options() == null) recordTs(s, t, live);
        for (int i = 0; i < live.payloadLen; i++)
            if (live.bytes[live.payloadOff + i] != 0) return "incorrect outbound data payload";
        return null;
    }

    private static String bit(String name, int expected, int actual, int mask) {
        return field(name, (expected & mask) != 0 ? 1 : 0, (actual & mask) != 0 ? 1 : 0);
    }

    /** Script TS val ↔ live TS val, remembered to map later echo replies (map_outbound_live_packet). */
    private static long recordTs(ScriptSocket s, TcpPacket t, LivePacket live) {
        Timestamp sts = scriptTs(t);
        LivePacket.Opt lts = live.option(ScriptPackets.TCPOPT_TS);
        if (sts == null || lts == null || lts.len() != 10) return -1;
        long actualVal = u32(lts.data(), 0);
        s.tsValMap.put(sts.val(), actualVal);
        if (!s.foundFirstTs) {
            s.foundFirstTs = true;
            s.firstScriptTsVal = sts.val();
            s.firstActualTsVal = actualVal;
        }
        return (s.firstScriptTsVal + (actualVal - s.firstActualTsVal)) & 0xFFFFFFFFL;
    }

    private static Timestamp scriptTs(TcpPacket t) {
        if (t.options() == null) return null;
        for (TcpOption o : t.options()) if (o instanceof Timestamp ts) return ts;
        return null;
    }

    private static long u32(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
    }

    /** verify_outbound_live_tcp_options: same kinds in the same order; values equal, TS val within tolerance. */
    private static String options(ScriptRun run, ScriptSocket s, TcpPacket t, byte[] scriptOpts, LivePacket live, long sackOffset) {
        long scriptSpaceTsVal = recordTs(s, t, live);
        List<LivePacket.Opt> so = parseOpts(scriptOpts);
        List<LivePacket.Opt> lo = live.options;
        int n = Math.max(so.size(), lo.size());
        for (int i = 0; i < n; i++) {
            LivePacket.Opt a = i < lo.size() ? lo.get(i) : null, b = i < so.size() ? so.get(i) : null;
            if (a == null || b == null || a.kind() != b.kind()) return "bad outbound TCP options";
            switch (a.kind()) {
                case ScriptPackets.TCPOPT_EOL, ScriptPackets.TCPOPT_NOP -> {}
                case ScriptPackets.TCPOPT_TS -> {
                    if (run.tsTickUsecs > 0 && scriptSpaceTsVal >= 0) {
                        Timestamp sts = scriptTs(t);
                        long diff = Math.abs((int) (scriptSpaceTsVal - sts.val()));
                        if (diff * run.tsTickUsecs > run.toleranceUsecs)
                            return "bad outbound TCP timestamp value, tolerance " + run.toleranceUsecs;
                    }
                }
                case ScriptPackets.TCPOPT_SACK -> {
                    if (a.len() != b.len()) return "bad lengths for outbound TCP option " + b.kind();
                    byte[] mapped = a.data().clone();
                    for (int off = 0; off + 4 <= mapped.length; off += 4)
                        ScriptPackets.w32(mapped, off, (u32(mapped, off) + sackOffset) & 0xFFFFFFFFL);
                    if (!Arrays.equals(mapped, b.data())) return "bad value outbound TCP option " + b.kind();
                }
                default -> {
                    if (a.len() != b.len()) return "bad lengths for outbound TCP option " + b.kind();
                    if (!Arrays.equals(a.data(), b.data())) return "bad value outbound TCP option " + b.kind();
                }
            }
        }
        return null;
    }

    private static List<LivePacket.Opt> parseOpts(byte[] opts) {
        // Reuse the live parser on a fake TCP header carrying these options.
        int optLen = (opts.length + 3) & ~3;
        byte[] tcp = ScriptPackets.tcp(1, 1, 0, 0, 0, 0, 0, opts, 0);
        byte[] ip = ScriptPackets.ipv4(0, 64, 6, 0, 0, tcp, 16);
        LivePacket lp = new LivePacket(ip, 0);
        // Padding the script did not write is not an option the script expects.
        List<LivePacket.Opt> out = new java.util.ArrayList<>(lp.options);
        int written = opts.length;
        int total = 0;
        for (int i = 0; i < out.size(); i++) {
            total += out.get(i).len();
            if (total > written) {
                out = out.subList(0, i);
                break;
            }
        }
        return optLen == 0 ? List.of() : out;
    }

    static String renderScriptOptions(List<TcpOption> opts) {
        StringBuilder sb = new StringBuilder("<");
        for (TcpOption o : opts) {
            if (sb.length() > 1) sb.append(',');
            sb.append(switch (o) {
                case Nop n -> "nop";
                case Eol e -> "eol";
                case Mss m -> "mss " + (m.symbol() != null ? m.symbol() : m.mss());
                case WScale w -> "wscale " + w.shift();
                case SackOk k -> "sackOK";
                case Sack k -> {
                    StringBuilder b = new StringBuilder("sack");
                    for (long[] blk : k.blocks()) b.append(' ').append(blk[0]).append(':').append(blk[1]);
                    yield b.toString();
                }
                case Timestamp ts -> "TS val " + ts.val() + " ecr " + ts.ecr();
                case FastOpen f -> (f.exp() ? "FOEXP" : "FO") + (f.cookieHex().isEmpty() ? "" : " " + f.cookieHex());
                case Md5 m -> "md5 " + m.digestHex();
            });
        }
        return sb.append('>').toString();
    }

    static String renderLiveOptions(ScriptSocket s, LivePacket lp) {
        StringBuilder sb = new StringBuilder("<");
        boolean syn = (lp.flags & LivePacket.SYN) != 0;
        for (LivePacket.Opt o : lp.options) {
            if (sb.length() > 1) sb.append(',');
            byte[] d = o.data();
            switch (o.kind()) {
                case 0 -> sb.append("eol");
                case 1 -> sb.append("nop");
                case 2 -> sb.append("mss ").append(d.length == 2 ? ((d[0] & 0xFF) << 8 | (d[1] & 0xFF)) : -1);
                case 3 -> sb.append("wscale ").append(d.length == 1 ? d[0] & 0xFF : -1);
                case 4 -> sb.append("sackOK");
                case 5 -> {
                    sb.append("sack");
                    for (int off = 0; off + 8 <= d.length; off += 8)
                        sb.append(' ').append((u32(d, off) - s.remoteScriptToLive(syn)) & 0xFFFFFFFFL).append(':')
                                .append((u32(d, off + 4) - s.remoteScriptToLive(syn)) & 0xFFFFFFFFL);
                }
                case 8 -> sb.append("TS val ").append(d.length == 8 ? u32(d, 0) : -1).append(" ecr ").append(d.length == 8 ? u32(d, 4) : -1);
                case 34 -> sb.append("FO").append(d.length == 0 ? "" : " " + java.util.HexFormat.of().formatHex(d));
                case 254 -> sb.append("FOEXP").append(d.length <= 2 ? "" : " " + java.util.HexFormat.of().formatHex(d, 2, d.length));
                default -> sb.append("opt ").append(o.kind()).append(" len ").append(o.len());
            }
        }
        return sb.append('>').toString();
    }
}
