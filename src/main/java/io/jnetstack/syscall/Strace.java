package io.jnetstack.syscall;

import io.jnetstack.socket.SockAddr;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Names;
import io.jnetstack.uapi.Net;
import java.nio.charset.StandardCharsets;

/** Formats system-call arguments as strace prints them, for the first line of each trace. */
final class Strace {
    private Strace() {}

    static String sockaddr(byte[] a, int len) {
        if (a == null) return "NULL";
        if (len < 0 || len > a.length) return "0x" + Integer.toHexString(System.identityHashCode(a));
        int fam = SockAddr.family(a, len);
        if (len < 2) return "{sa_family=???}";
        switch (fam) {
            case Net.AF_INET -> {
                if (len < 8) break;
                return "{sa_family=AF_INET, sin_port=htons(" + SockAddr.port(a) + "), sin_addr=inet_addr(\""
                        + SockAddr.ipString(SockAddr.inAddr(a)) + "\")}";
            }
            case Net.AF_INET6 -> {
                if (len < 24) break;
                String addr = SockAddr.isV4Mapped(a) ? "::ffff:" + SockAddr.ipString(SockAddr.v4MappedAddr(a))
                        : SockAddr.isIn6Any(a) ? "::" : hex(a, 8, 16);
                return "{sa_family=AF_INET6, sin6_port=htons(" + SockAddr.port(a) + "), sin6_flowinfo=htonl(0), "
                        + "inet_pton(AF_INET6, \"" + addr + "\", &sin6_addr)" + (len >= 28 ? ", sin6_scope_id=" + SockAddr.in6ScopeId(a) : "") + "}";
            }
            case Net.AF_UNIX -> {
                if (len == 2) return "{sa_family=AF_UNIX}";
                if (a[2] == 0) return "{sa_family=AF_UNIX, sun_path=@\"" + printable(a, 3, len - 3) + "\"}";
                int end = 2;
                while (end < len && a[end] != 0) end++;
                return "{sa_family=AF_UNIX, sun_path=\"" + printable(a, 2, end - 2) + "\"}";
            }
            default -> { }
        }
        return "{sa_family=" + Net.afName(fam) + ", sa_data=...}";
    }

    private static String hex(byte[] a, int off, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i += 2) {
            if (i > 0) sb.append(':');
            sb.append(Integer.toHexString((a[off + i] & 0xFF) << 8 | (a[off + i + 1] & 0xFF)));
        }
        return sb.toString();
    }

    static String printable(byte[] a, int off, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = a[off + i] & 0xFF;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\%o", c));
        }
        return sb.toString();
    }

    static String buf(byte[] b, int len) {
        if (b == null) return "NULL";
        int n = Math.max(0, Math.min(Math.min(len, b.length), 32));
        String s = "\"" + printable(b, 0, n) + "\"";
        return len > 32 && b.length > 32 ? s + "..." : s;
    }

    static String proto(int family, int p) {
        if (family == Net.AF_INET || family == Net.AF_INET6) {
            return switch (p) {
                case In.IPPROTO_IP -> "IPPROTO_IP";
                case In.IPPROTO_TCP -> "IPPROTO_TCP";
                case In.IPPROTO_UDP -> "IPPROTO_UDP";
                case In.IPPROTO_ICMP -> "IPPROTO_ICMP";
                case In.IPPROTO_RAW -> "IPPROTO_RAW";
                case In.IPPROTO_ICMPV6 -> "IPPROTO_ICMPV6";
                default -> Integer.toString(p);
            };
        }
        return Integer.toString(p);
    }

    static String level(int l) { return Names.level(l); }

    static String optname(int level, int o) { return Names.opt(level, o); }

    static String msgFlags(int f) { return Names.msgFlags(f); }

    static String how(int h) { return Names.how(h); }

    static String fcntlCmd(int c) { return Names.fcntlCmd(c); }

    static String ioctlReq(long r) { return Names.ioctlReq(r); }

    static String epollOp(int op) { return Names.epollOp(op); }

    static String pollEvents(int e) { return Names.epollBits(e); }

    static String ints(int[] a) { return a == null ? "NULL" : a.length == 0 ? "[]" : "[" + a[0] + "]"; }

    static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
