package io.jnetstack.diff;

import io.jnetstack.uapi.Names;

import static io.jnetstack.diff.Catalogue.*;
import static io.jnetstack.diff.Recorder.*;
import static io.jnetstack.uapi.In.*;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.TcpOpts.*;

import java.util.Arrays;
import java.util.List;

/** setsockopt/getsockopt: defaults, value ranges and clamps, lengths, NULL pointers, wrong levels. */
final class OptCases {
    private OptCases() {}

    /** An option, the size of its value, and the socket kinds it is tried on. */
    record Opt(int level, int name, int size, String... kinds) {
        String label() { return Names.level(level) + "/" + Names.opt(level, name); }
    }

    static final String[] INET = {"tcp", "udp"};
    static final String[] ALL = {"tcp", "udp", "unix-stream"};
    static final String[] TCPS = {"tcp", "tcp6", "udp", "unix-stream"};
    static final String[] V6 = {"tcp6", "udp6", "tcp"};

    static final List<Opt> OPTS = List.of(
            new Opt(SOL_SOCKET, SO_REUSEADDR, 4, ALL), new Opt(SOL_SOCKET, SO_REUSEPORT, 4, ALL),
            new Opt(SOL_SOCKET, SO_KEEPALIVE, 4, ALL), new Opt(SOL_SOCKET, SO_LINGER, 8, ALL),
            new Opt(SOL_SOCKET, SO_SNDBUF, 4, ALL), new Opt(SOL_SOCKET, SO_RCVBUF, 4, ALL),
            new Opt(SOL_SOCKET, SO_SNDBUFFORCE, 4, INET), new Opt(SOL_SOCKET, SO_RCVBUFFORCE, 4, INET),
            new Opt(SOL_SOCKET, SO_RCVLOWAT, 4, ALL), new Opt(SOL_SOCKET, SO_SNDLOWAT, 4, ALL),
            new Opt(SOL_SOCKET, SO_ERROR, 4, ALL), new Opt(SOL_SOCKET, SO_TYPE, 4, ALL),
            new Opt(SOL_SOCKET, SO_DOMAIN, 4, ALL), new Opt(SOL_SOCKET, SO_PROTOCOL, 4, ALL),
            new Opt(SOL_SOCKET, SO_ACCEPTCONN, 4, ALL), new Opt(SOL_SOCKET, SO_BROADCAST, 4, ALL),
            new Opt(SOL_SOCKET, SO_RCVTIMEO, 16, ALL), new Opt(SOL_SOCKET, SO_SNDTIMEO, 16, ALL),
            new Opt(SOL_SOCKET, SO_DEBUG, 4, INET), new Opt(SOL_SOCKET, SO_DONTROUTE, 4, INET),
            new Opt(SOL_SOCKET, SO_OOBINLINE, 4, INET), new Opt(SOL_SOCKET, SO_PRIORITY, 4, INET),
            new Opt(SOL_SOCKET, SO_PASSCRED, 4, ALL), new Opt(SOL_SOCKET, SO_PEERCRED, 12, ALL),
            new Opt(SOL_SOCKET, SO_NO_CHECK, 4, INET), new Opt(SOL_SOCKET, SO_BSDCOMPAT, 4, INET),
            new Opt(SOL_SOCKET, SO_MARK, 4, INET), new Opt(SOL_SOCKET, SO_PEEK_OFF, 4, ALL),
            new Opt(SOL_SOCKET, SO_ZEROCOPY, 4, INET), new Opt(SOL_SOCKET, SO_TIMESTAMP_OLD, 4, INET),
            new Opt(SOL_SOCKET, SO_RXQ_OVFL, 4, INET), new Opt(SOL_SOCKET, 9999, 4, INET),
            new Opt(SOL_IP, IP_TTL, 4, INET), new Opt(SOL_IP, IP_TOS, 4, INET), new Opt(SOL_IP, IP_RECVERR, 4, INET),
            new Opt(SOL_IP, IP_HDRINCL, 4, INET), new Opt(SOL_IP, IP_MTU_DISCOVER, 4, INET),
            new Opt(SOL_IP, IP_MTU, 4, INET), new Opt(SOL_IP, IP_RECVTTL, 4, INET), new Opt(SOL_IP, IP_RECVTOS, 4, INET),
            new Opt(SOL_IP, IP_PKTINFO, 4, INET), new Opt(SOL_IP, IP_FREEBIND, 4, INET),
            new Opt(SOL_IP, IP_TRANSPARENT, 4, INET), new Opt(SOL_IP, IP_BIND_ADDRESS_NO_PORT, 4, INET),
            new Opt(SOL_IP, IP_MULTICAST_TTL, 4, INET), new Opt(SOL_IP, IP_MULTICAST_LOOP, 4, INET),
            new Opt(SOL_IP, IP_OPTIONS, 40, INET), new Opt(SOL_IP, 9999, 4, INET),
            new Opt(SOL_TCP, TCP_NODELAY, 4, TCPS), new Opt(SOL_TCP, TCP_MAXSEG, 4, TCPS),
            new Opt(SOL_TCP, TCP_CORK, 4, TCPS), new Opt(SOL_TCP, TCP_KEEPIDLE, 4, TCPS),
            new Opt(SOL_TCP, TCP_KEEPINTVL, 4, TCPS), new Opt(SOL_TCP, TCP_KEEPCNT, 4, TCPS),
            new Opt(SOL_TCP, TCP_SYNCNT, 4, TCPS), new Opt(SOL_TCP, TCP_LINGER2, 4, TCPS),
            new Opt(SOL_TCP, TCP_DEFER_ACCEPT, 4, TCPS), new Opt(SOL_TCP, TCP_WINDOW_CLAMP, 4, TCPS),
            new Opt(SOL_TCP, TCP_QUICKACK, 4, TCPS), new Opt(SOL_TCP, TCP_USER_TIMEOUT, 4, TCPS),
            new Opt(SOL_TCP, TCP_NOTSENT_LOWAT, 4, TCPS), new Opt(SOL_TCP, TCP_FASTOPEN, 4, TCPS),
            new Opt(SOL_TCP, TCP_THIN_LINEAR_TIMEOUTS, 4, TCPS), new Opt(SOL_TCP, TCP_REPAIR, 4, TCPS),
            new Opt(SOL_TCP, TCP_TIMESTAMP, 4, TCPS), new Opt(SOL_TCP, TCP_FASTOPEN_CONNECT, 4, TCPS),
            new Opt(SOL_TCP, TCP_INFO, 232, TCPS), new Opt(SOL_TCP, TCP_CONGESTION, 16, TCPS),
            new Opt(SOL_TCP, 9999, 4, TCPS),
            new Opt(SOL_IPV6, IPV6_V6ONLY, 4, V6), new Opt(SOL_IPV6, IPV6_UNICAST_HOPS, 4, V6),
            new Opt(SOL_IPV6, IPV6_TCLASS, 4, V6), new Opt(SOL_IPV6, IPV6_RECVERR, 4, V6),
            new Opt(SOL_UDP, 1 /* UDP_CORK */, 4, new String[] {"udp", "tcp"}),
            new Opt(SOL_RAW, 1, 4, new String[] {"udp"}), new Opt(12345, 1, 4, new String[] {"tcp", "udp"}));

    /** Values tried for an int option, each set and read back. */
    static final int[] VALUES = {0, 1, -1, 2, 7, 88, 127, 128, 255, 256, 1000, 2304, 4608, 32767, 32768, 65535, 65536,
        1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE};

    static void add(List<Case> l) {
        for (Opt o : OPTS) {
            for (String kind : o.kinds()) {
                String base = "opt/" + kind + "/" + o.label();
                def(l, base + "/values", c -> values(c, sock(c, kind), o));
                def(l, base + "/lengths", c -> lengths(c, sock(c, kind), o));
            }
        }
        addHand(l);
    }

    static void values(Recorder c, int fd, Opt o) {
        c.getsockopt(fd, o.level(), o.name(), o.size());
        if (o.level() == SOL_SOCKET && o.name() == SO_LINGER) {
            int[][] ls = {{0, 0}, {1, 0}, {1, 5}, {1, -1}, {0, 99}, {2, 1}, {1, Integer.MAX_VALUE}};
            for (int[] v : ls) {
                c.setsockopt(fd, o.level(), o.name(), linger(v[0], v[1]), 8);
                c.getsockopt(fd, o.level(), o.name(), 8);
            }
            return;
        }
        if (o.level() == SOL_SOCKET && (o.name() == SO_RCVTIMEO || o.name() == SO_SNDTIMEO)) {
            long[][] tv = {{0, 0}, {1, 0}, {0, 1}, {0, 999_999}, {0, 1_000_000}, {0, -1}, {-1, 0}, {5, 500_000},
                {Long.MAX_VALUE, 0}, {100_000_000L, 0}};
            for (long[] v : tv) {
                c.setsockopt(fd, o.level(), o.name(), timeval(v[0], v[1]), 16);
                c.getsockopt(fd, o.level(), o.name(), 16);
            }
            return;
        }
        if (o.level() == SOL_TCP && o.name() == TCP_CONGESTION) {
            for (String s : new String[] {"reno", "cubic", "reno\0", "bogus", "", "cubic-long-name-xx"}) {
                byte[] v = bytes(s);
                c.setsockopt(fd, o.level(), o.name(), v, v.length);
                c.getsockopt(fd, o.level(), o.name(), 16);
            }
            return;
        }
        if (o.size() != 4) return;
        for (int v : VALUES) {
            c.setInt(fd, o.level(), o.name(), v);
            c.getInt(fd, o.level(), o.name());
        }
    }

    static void lengths(Recorder c, int fd, Opt o) {
        byte[] one = Arrays.copyOf(i32(1), 8);
        for (int len : new int[] {0, 1, 2, 3, 8, -1}) {
            c.setsockopt(fd, o.level(), o.name(), one.clone(), len);
            c.getsockopt(fd, o.level(), o.name(), new byte[Math.max(len, 0)], new int[] {len});
        }
        c.setsockopt(fd, o.level(), o.name(), null, 4);
        c.setsockopt(fd, o.level(), o.name(), null, 0);
        c.setsockopt(fd, o.level(), o.name(), new byte[2], 4);
        c.getsockopt(fd, o.level(), o.name(), null, new int[] {4});
        c.getsockopt(fd, o.level(), o.name(), new byte[4], null);
        c.getsockopt(fd, o.level(), o.name(), new byte[2], new int[] {4});
        c.getsockopt(fd, o.level(), o.name(), 100);
        c.getsockopt(fd, o.level(), o.name(), o.size());
    }

    static void addHand(List<Case> l) {
        def(l, "opt/buf/sndbuf-rcvbuf-clamps", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            for (int v : new int[] {1, 1152, 2304, 4607, 4608, 100000, 1 << 30}) {
                c.setInt(fd, SOL_SOCKET, SO_SNDBUF, v);
                c.getInt(fd, SOL_SOCKET, SO_SNDBUF);
                c.setInt(fd, SOL_SOCKET, SO_RCVBUF, v);
                c.getInt(fd, SOL_SOCKET, SO_RCVBUF);
            }
        });
        for (String kind : new String[] {"tcp", "udp", "tcp6", "udp6", "unix-stream", "unix-dgram", "unix-seqpacket"}) {
            def(l, "opt/defaults/" + kind, c -> {
                int fd = sock(c, kind);
                for (int o : new int[] {SO_SNDBUF, SO_RCVBUF, SO_RCVLOWAT, SO_SNDLOWAT, SO_KEEPALIVE, SO_REUSEADDR,
                    SO_PRIORITY, SO_ERROR, SO_TYPE, SO_PROTOCOL, SO_DOMAIN, SO_PEEK_OFF}) {
                    c.getInt(fd, SOL_SOCKET, o);
                }
                c.getsockopt(fd, SOL_SOCKET, SO_LINGER, 8);
                c.getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, 16);
                c.getInt(fd, SOL_IP, IP_TTL);
                c.getInt(fd, SOL_IP, IP_TOS);
                c.getInt(fd, SOL_IPV6, IPV6_UNICAST_HOPS);
                c.getInt(fd, SOL_IPV6, IPV6_V6ONLY);
                c.getInt(fd, SOL_TCP, TCP_MAXSEG);
                c.getsockopt(fd, SOL_TCP, TCP_CONGESTION, 16);
            });
        }
        def(l, "opt/connected/tcp", c -> {
            int[] p = tcpPair(c);
            for (int fd : new int[] {p[0], p[1], p[2]}) {
                c.getInt(fd, SOL_TCP, TCP_MAXSEG);
                c.getInt(fd, SOL_SOCKET, SO_SNDBUF);
                c.getInt(fd, SOL_SOCKET, SO_RCVBUF);
                c.getInt(fd, SOL_SOCKET, SO_ERROR);
                c.getInt(fd, SOL_IP, IP_MTU);
                c.getsockopt(fd, SOL_TCP, TCP_INFO, 8);
                c.getsockopt(fd, SOL_TCP, TCP_CONGESTION, 16);
            }
            c.setInt(p[1], SOL_TCP, TCP_MAXSEG, 100);
            c.getInt(p[1], SOL_TCP, TCP_MAXSEG);
        });
        def(l, "opt/connected/tcp6", c -> {
            int[] p = tcp6Pair(c);
            c.getInt(p[1], SOL_TCP, TCP_MAXSEG);
            c.getInt(p[1], SOL_IPV6, 24 /* IPV6_MTU */);
            c.getsockopt(p[2], SOL_TCP, TCP_INFO, 1);
        });
        def(l, "opt/tcp-info/lengths", c -> {
            int[] p = tcpPair(c);
            for (int len : new int[] {0, 1, 7, 8, 100, 104, 200, 232, 240, 256, 300, 1000}) {
                c.getsockopt(p[1], SOL_TCP, TCP_INFO, new byte[len], new int[] {len});
            }
        });
        def(l, "opt/ttl/reset-and-range", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            for (int v : new int[] {1, 255, -1, 0, 256, 64, -2}) {
                c.setInt(fd, SOL_IP, IP_TTL, v);
                c.getInt(fd, SOL_IP, IP_TTL);
            }
            c.setsockopt(fd, SOL_IP, IP_TTL, new byte[] {9}, 1);
            c.getInt(fd, SOL_IP, IP_TTL);
            c.getsockopt(fd, SOL_IP, IP_TTL, new byte[1], new int[] {1});
        });
        def(l, "opt/tos/byte-forms", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.setsockopt(fd, SOL_IP, IP_TOS, new byte[] {(byte) 0xb8}, 1);
            c.getInt(fd, SOL_IP, IP_TOS);
            c.getsockopt(fd, SOL_IP, IP_TOS, new byte[1], new int[] {1});
            c.setInt(fd, SOL_IP, IP_TOS, 0x1ff);
            c.getInt(fd, SOL_IP, IP_TOS);
        });
        def(l, "opt/keepalive-ranges", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            for (int o : new int[] {TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_USER_TIMEOUT, TCP_LINGER2}) {
                for (int v : new int[] {0, 1, 126, 127, 128, 255, 32767, 32768, -1}) {
                    c.setInt(fd, SOL_TCP, o, v);
                    c.getInt(fd, SOL_TCP, o);
                }
            }
        });
        def(l, "opt/so-error-after-refused-udp", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.connect(fd, sin(LO, PORT));
            c.send(fd, "x", 0);
            c.settle();
            c.getInt(fd, SOL_SOCKET, SO_ERROR);
            c.getInt(fd, SOL_SOCKET, SO_ERROR);
            c.send(fd, "y", 0);
            c.settle();
            c.recv(fd, 4, 0);
            c.recv(fd, 4, 0);
        });
        def(l, "opt/bindtodevice", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, bytes("lo\0"), 3);
            c.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, bytes(""), 0);
            c.getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, 16);
        });
        def(l, "opt/timeo-new-forms", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO_NEW, timeval(2, 5), 16);
            c.getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO_NEW, 16);
            c.getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, 16);
            c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval(3, 0), 8);
            c.getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, 8);
        });
        def(l, "opt/acceptconn-states", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN);
            c.bind(fd, sin(LO, PORT));
            c.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN);
            c.listen(fd, 1);
            c.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN);
            c.shutdown(fd, SHUT_RD);
            c.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN);
        });
        def(l, "opt/v6only-after-bind", c -> {
            int fd = c.socket(AF_INET6, SOCK_STREAM, 0);
            c.bind(fd, sin6("::", PORT));
            c.setInt(fd, SOL_IPV6, IPV6_V6ONLY, 1);
            c.getInt(fd, SOL_IPV6, IPV6_V6ONLY);
        });
    }
}
