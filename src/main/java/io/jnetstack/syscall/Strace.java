package io.jnetstack.syscall;

import io.jnetstack.socket.SockAddr;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
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

    static String level(int l) {
        return switch (l) {
            case Net.SOL_SOCKET -> "SOL_SOCKET";
            case Net.SOL_IP -> "SOL_IP";
            case Net.SOL_TCP -> "SOL_TCP";
            case Net.SOL_UDP -> "SOL_UDP";
            case Net.SOL_IPV6 -> "SOL_IPV6";
            default -> Integer.toString(l);
        };
    }

    private static final String[] SO = new String[70];

    static {
        String[] names = {"", "SO_DEBUG", "SO_REUSEADDR", "SO_TYPE", "SO_ERROR", "SO_DONTROUTE", "SO_BROADCAST",
            "SO_SNDBUF", "SO_RCVBUF", "SO_KEEPALIVE", "SO_OOBINLINE", "SO_NO_CHECK", "SO_PRIORITY", "SO_LINGER",
            "SO_BSDCOMPAT", "SO_REUSEPORT", "SO_PASSCRED", "SO_PEERCRED", "SO_RCVLOWAT", "SO_SNDLOWAT",
            "SO_RCVTIMEO_OLD", "SO_SNDTIMEO_OLD"};
        System.arraycopy(names, 0, SO, 0, names.length);
        SO[Net.SO_BINDTODEVICE] = "SO_BINDTODEVICE";
        SO[Net.SO_TIMESTAMP_OLD] = "SO_TIMESTAMP_OLD";
        SO[Net.SO_ACCEPTCONN] = "SO_ACCEPTCONN";
        SO[Net.SO_SNDBUFFORCE] = "SO_SNDBUFFORCE";
        SO[Net.SO_RCVBUFFORCE] = "SO_RCVBUFFORCE";
        SO[Net.SO_MARK] = "SO_MARK";
        SO[Net.SO_PROTOCOL] = "SO_PROTOCOL";
        SO[Net.SO_DOMAIN] = "SO_DOMAIN";
        SO[Net.SO_PEEK_OFF] = "SO_PEEK_OFF";
        SO[Net.SO_BUSY_POLL] = "SO_BUSY_POLL";
        SO[Net.SO_INCOMING_CPU] = "SO_INCOMING_CPU";
        SO[Net.SO_RCVTIMEO_NEW] = "SO_RCVTIMEO_NEW";
        SO[Net.SO_SNDTIMEO_NEW] = "SO_SNDTIMEO_NEW";
    }

    static String optname(int level, int o) {
        if (level == Net.SOL_SOCKET && o > 0 && o < SO.length && SO[o] != null) return SO[o];
        return Integer.toString(o);
    }

    private static final String[] MSG = {"MSG_OOB", "MSG_PEEK", "MSG_DONTROUTE", "MSG_CTRUNC", "MSG_PROXY",
        "MSG_TRUNC", "MSG_DONTWAIT", "MSG_EOR", "MSG_WAITALL", "MSG_FIN", "MSG_SYN", "MSG_CONFIRM", "MSG_RST",
        "MSG_ERRQUEUE", "MSG_NOSIGNAL", "MSG_MORE", "MSG_WAITFORONE"};

    static String msgFlags(int f) {
        if (f == 0) return "0";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < MSG.length; i++) {
            if ((f & (1 << i)) != 0) {
                if (sb.length() > 0) sb.append('|');
                sb.append(MSG[i]);
                f &= ~(1 << i);
            }
        }
        if ((f & Net.MSG_CMSG_CLOEXEC) != 0) { if (sb.length() > 0) sb.append('|'); sb.append("MSG_CMSG_CLOEXEC"); f &= ~Net.MSG_CMSG_CLOEXEC; }
        if (f != 0) { if (sb.length() > 0) sb.append('|'); sb.append("0x").append(Integer.toHexString(f)); }
        return sb.toString();
    }

    static String how(int h) {
        return switch (h) {
            case Net.SHUT_RD -> "SHUT_RD";
            case Net.SHUT_WR -> "SHUT_WR";
            case Net.SHUT_RDWR -> "SHUT_RDWR";
            default -> Integer.toString(h);
        };
    }

    static String fcntlCmd(int c) {
        return switch (c) {
            case Fcntl.F_DUPFD -> "F_DUPFD";
            case Fcntl.F_GETFD -> "F_GETFD";
            case Fcntl.F_SETFD -> "F_SETFD";
            case Fcntl.F_GETFL -> "F_GETFL";
            case Fcntl.F_SETFL -> "F_SETFL";
            case Fcntl.F_DUPFD_CLOEXEC -> "F_DUPFD_CLOEXEC";
            default -> Integer.toString(c);
        };
    }

    static String ioctlReq(long r) {
        if (r == Fcntl.FIONREAD) return "FIONREAD";
        if (r == Fcntl.FIONBIO) return "FIONBIO";
        if (r == Fcntl.SIOCOUTQ) return "TIOCOUTQ";
        if (r == Fcntl.SIOCOUTQNSD) return "SIOCOUTQNSD";
        if (r == Fcntl.SIOCATMARK) return "SIOCATMARK";
        if (r == Fcntl.FIOCLEX) return "FIOCLEX";
        if (r == Fcntl.FIONCLEX) return "FIONCLEX";
        if (r == Fcntl.FIOASYNC) return "FIOASYNC";
        return "0x" + Long.toHexString(r);
    }

    static String epollOp(int op) {
        return switch (op) {
            case Poll.EPOLL_CTL_ADD -> "EPOLL_CTL_ADD";
            case Poll.EPOLL_CTL_DEL -> "EPOLL_CTL_DEL";
            case Poll.EPOLL_CTL_MOD -> "EPOLL_CTL_MOD";
            default -> Integer.toString(op);
        };
    }

    static String pollEvents(int e) {
        String[] n = {"POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL", "POLLRDNORM", "POLLRDBAND",
            "POLLWRNORM", "POLLWRBAND", "POLLMSG", "", "", "POLLRDHUP"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n.length; i++) {
            if ((e & (1 << i)) != 0 && !n[i].isEmpty()) {
                if (sb.length() > 0) sb.append('|');
                sb.append(n[i]);
                e &= ~(1 << i);
            }
        }
        String[] hi = {"EPOLLEXCLUSIVE", "EPOLLWAKEUP", "EPOLLONESHOT", "EPOLLET"};
        for (int i = 0; i < 4; i++) {
            int bit = 1 << (28 + i);
            if ((e & bit) != 0) { if (sb.length() > 0) sb.append('|'); sb.append(hi[i]); e &= ~bit; }
        }
        if (e != 0) { if (sb.length() > 0) sb.append('|'); sb.append("0x").append(Integer.toHexString(e)); }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    static String ints(int[] a) { return a == null ? "NULL" : a.length == 0 ? "[]" : "[" + a[0] + "]"; }

    static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
