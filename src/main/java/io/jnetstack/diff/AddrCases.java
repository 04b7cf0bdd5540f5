package io.jnetstack.diff;

import static io.jnetstack.diff.Catalogue.*;
import static io.jnetstack.diff.Recorder.*;
import static io.jnetstack.uapi.In.*;
import static io.jnetstack.uapi.Net.*;

import io.jnetstack.uapi.Poll;
import io.jnetstack.uapi.TcpOpts;
import java.util.Arrays;
import java.util.List;

/** bind, listen, accept, connect, getsockname, getpeername: addresses and every error they give. */
final class AddrCases {
    private AddrCases() {}

    record A(String label, byte[] addr, int len) {}

    static A a(String label, byte[] addr) { return new A(label, addr, addr == null ? 16 : addr.length); }

    static A a(String label, byte[] addr, int len) { return new A(label, addr, len); }

    static byte[] fam(byte[] addr, int family) {
        byte[] b = addr.clone();
        b[0] = (byte) family;
        b[1] = (byte) (family >> 8);
        return b;
    }

    static byte[] scoped(byte[] sin6, int scope) {
        byte[] b = sin6.clone();
        b[24] = (byte) scope;
        return b;
    }

    static final List<A> INET = List.of(
            a("lo", sin(LO, PORT)), a("lo-port0", sin(LO, 0)), a("any", sin("0.0.0.0", PORT)),
            a("any-port0", sin("0.0.0.0", 0)), a("127.0.0.2", sin("127.0.0.2", PORT)),
            a("127.255.255.254", sin("127.255.255.254", PORT)), a("nonlocal", sin("10.9.8.7", PORT)),
            a("broadcast", sin("255.255.255.255", PORT)), a("multicast", sin("224.0.0.1", PORT)),
            a("port-80", sin(LO, 80)), a("port-1023", sin(LO, 1023)), a("port-1024", sin(LO, 1024)),
            a("any-port-22", sin("0.0.0.0", 22)), a("port-65535", sin(LO, 65535)), a("port-eph", sin(LO, 40000)),
            a("len-0", sin(LO, PORT), 0), a("len-2", sin(LO, PORT), 2), a("len-8", sin(LO, PORT), 8),
            a("len-15", sin(LO, PORT), 15), a("len-17", Arrays.copyOf(sin(LO, PORT), 17)),
            a("len-28", Arrays.copyOf(sin(LO, PORT), 28)), a("len-128", Arrays.copyOf(sin(LO, PORT), 128)),
            a("len-129", Arrays.copyOf(sin(LO, PORT), 129)), a("len-neg", sin(LO, PORT), -1),
            a("unspec-any", fam(sin("0.0.0.0", PORT), AF_UNSPEC)), a("unspec-lo", fam(sin(LO, PORT), AF_UNSPEC)),
            a("family-inet6", fam(sin(LO, PORT), AF_INET6)), a("family-unix", fam(sin(LO, PORT), AF_UNIX)),
            a("family-ffff", fam(sin(LO, PORT), 0xffff)), a("sin6", sin6("::1", PORT)),
            a("null", null, 16), a("null-len0", null, 0), a("short-8-of-16", Arrays.copyOf(sin(LO, PORT), 8), 16),
            a("short-0-of-16", new byte[0], 16));

    static final List<A> INET6 = List.of(
            a("lo", sin6("::1", PORT)), a("any", sin6("::", PORT)), a("any-port0", sin6("::", 0)),
            a("lo-port0", sin6("::1", 0)), a("v4mapped-lo", sin6("::ffff:127.0.0.1", PORT)),
            a("v4mapped-any", sin6("::ffff:0.0.0.0", PORT)), a("v4mapped-nonlocal", sin6("::ffff:10.9.8.7", PORT)),
            a("nonlocal", sin6("2001:db8::1", PORT)), a("linklocal-noscope", sin6("fe80::1", PORT)),
            a("linklocal-scope-lo", scoped(sin6("fe80::1", PORT), 1)), a("lo-scope-99", scoped(sin6("::1", PORT), 99)),
            a("multicast", sin6("ff02::1", PORT)), a("port-80", sin6("::1", 80)), a("len-24", sin6("::1", PORT), 24),
            a("len-23", sin6("::1", PORT), 23), a("len-16", sin6("::1", PORT), 16), a("len-0", sin6("::1", PORT), 0),
            a("sin", sin(LO, PORT)), a("family-inet", fam(sin6("::1", PORT), AF_INET)),
            a("unspec", fam(sin6("::", PORT), AF_UNSPEC)), a("null", null, 28),
            a("short-20-of-28", Arrays.copyOf(sin6("::1", PORT), 20), 28));

    static final List<A> UNIX = List.of(
            a("abstract", sunAbstract("diff-a")), a("autobind-len2", sunAbstract("x"), 2),
            a("abstract-empty-len3", sunAbstract("")), a("len-110", Arrays.copyOf(sunAbstract("diff-b"), 110)),
            a("len-111", Arrays.copyOf(sunAbstract("diff-b"), 111)), a("len-1", sunAbstract("x"), 1),
            a("len-0", sunAbstract("x"), 0), a("family-inet", fam(sunAbstract("diff-c"), AF_INET)),
            a("family-unspec", fam(sunAbstract("diff-c"), AF_UNSPEC)), a("null", null, 10),
            a("short", new byte[4], 10), a("path-nonexistent-dir", pathAddr("/nonexistent-jnetstack-dir/sock")));

    static byte[] pathAddr(String path) {
        byte[] p = bytes(path);
        byte[] a = new byte[2 + p.length + 1];
        a[0] = AF_UNIX;
        System.arraycopy(p, 0, a, 2, p.length);
        return a;
    }

    static final String[][] KINDS = {{"inet-stream", "tcp"}, {"inet-dgram", "udp"}, {"inet6-stream", "tcp6"},
        {"inet6-dgram", "udp6"}, {"unix-stream", "unix-stream"}, {"unix-dgram", "unix-dgram"},
        {"unix-seqpacket", "unix-seqpacket"}};

    static void add(List<Case> l) {
        for (String[] k : KINDS) {
            List<A> addrs = k[0].startsWith("inet6") ? INET6 : k[0].startsWith("inet") ? INET : UNIX;
            for (A x : addrs) {
                def(l, "bind/" + k[0] + "/" + x.label(), c -> {
                    int fd = sock(c, k[1]);
                    c.bind(fd, x.addr() == null ? null : x.addr().clone(), x.len());
                    c.getsockname(fd);
                    c.bind(fd, x.addr() == null ? null : x.addr().clone(), x.len());
                    if (k[1].startsWith("tcp") || k[1].equals("unix-stream") || k[1].equals("unix-seqpacket")) {
                        c.listen(fd, 4);
                        c.getsockname(fd);
                    }
                });
                if (!k[0].endsWith("stream") || k[0].startsWith("unix")) continue;
                def(l, "connect/" + k[0] + "/" + x.label(), c -> {
                    int fd = sock(c, k[1]);
                    c.connect(fd, x.addr() == null ? null : x.addr().clone(), x.len());
                    c.getInt(fd, SOL_SOCKET, SO_ERROR);
                    c.getpeername(fd);
                });
            }
        }
        addInUse(l);
        addListenAccept(l);
        addConnect(l);
        addUnix(l);
    }

    /** EADDRINUSE matrix: socket A bound (and maybe listening), then B on the same port, with reuse options. */
    static void addInUse(List<Case> l) {
        String[] opts = {"none", "reuseaddr", "reuseport", "both"};
        String[][] addrs = {{LO, LO}, {"0.0.0.0", LO}, {LO, "0.0.0.0"}, {"0.0.0.0", "0.0.0.0"}, {LO, "127.0.0.2"}};
        for (int type : new int[] {SOCK_STREAM, SOCK_DGRAM}) {
            for (boolean listen : type == SOCK_STREAM ? new boolean[] {true, false} : new boolean[] {false}) {
                for (String oa : opts) {
                    for (String ob : opts) {
                        for (String[] ad : addrs) {
                            String name = "inuse/" + (type == SOCK_STREAM ? "tcp" : "udp") + (listen ? "-listen" : "")
                                    + "/" + oa + "+" + ob + "/" + ad[0] + "+" + ad[1];
                            def(l, name, c -> {
                                int a = c.socket(AF_INET, type, 0);
                                reuse(c, a, oa);
                                c.bind(a, sin(ad[0], PORT));
                                if (listen) c.listen(a, 4);
                                int b = c.socket(AF_INET, type, 0);
                                reuse(c, b, ob);
                                if (c.bind(b, sin(ad[1], PORT)) == 0 && type == SOCK_STREAM) c.listen(b, 4);
                            });
                        }
                    }
                }
            }
        }
        def(l, "inuse/v6-any-vs-v4", c -> {
            int a = c.socket(AF_INET6, SOCK_STREAM, 0);
            c.bind(a, sin6("::", PORT));
            c.listen(a, 4);
            int b = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(b, sin(LO, PORT));
        });
        def(l, "inuse/v6only-any-vs-v4", c -> {
            int a = c.socket(AF_INET6, SOCK_STREAM, 0);
            c.setInt(a, SOL_IPV6, IPV6_V6ONLY, 1);
            c.bind(a, sin6("::", PORT));
            c.listen(a, 4);
            int b = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(b, sin(LO, PORT));
        });
        def(l, "inuse/after-close-listener", c -> {
            int a = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(a, sin(LO, PORT));
            c.listen(a, 4);
            c.close(a);
            int b = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(b, sin(LO, PORT));
        });
        def(l, "inuse/time-wait-without-reuseaddr", c -> {
            int[] p = tcpPair(c);
            c.close(p[1]); // active close: the client side goes to TIME_WAIT after the server closes too
            c.close(p[2]);
            c.close(p[0]);
            int b = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(b, sin(LO, PORT));
            c.setInt(b, SOL_SOCKET, SO_REUSEADDR, 1);
            c.bind(b, sin(LO, PORT));
        });
        def(l, "inuse/udp-connected-then-bind-same", c -> {
            int a = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.bind(a, sin(LO, PORT));
            c.connect(a, sin(LO, PORT2));
            int b = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.bind(b, sin(LO, PORT));
        });
    }

    static void reuse(Recorder c, int fd, String o) {
        if (o.equals("reuseaddr") || o.equals("both")) c.setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        if (o.equals("reuseport") || o.equals("both")) c.setInt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
    }

    static void addListenAccept(List<Case> l) {
        for (int backlog : new int[] {-1, 0, 1, 5, 4096, 65536, Integer.MAX_VALUE}) {
            def(l, "listen/backlog-" + backlog, c -> {
                int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                c.bind(fd, sin(LO, PORT));
                c.listen(fd, backlog);
                c.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN);
                c.poll(fd, Poll.POLLIN | Poll.POLLOUT);
                c.accept(fd);
            });
        }
        def(l, "listen/unbound-autobinds", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.listen(fd, 4);
            c.getsockname(fd);
            c.listen(fd, 8);
            c.bind(fd, sin(LO, PORT));
        });
        def(l, "listen/unbound-inet6", c -> {
            int fd = c.socket(AF_INET6, SOCK_STREAM, 0);
            c.listen(fd, 4);
            c.getsockname(fd);
        });
        for (String k : new String[] {"udp", "udp6", "unix-dgram"}) {
            def(l, "listen/" + k + "-eopnotsupp", c -> {
                int fd = sock(c, k);
                c.listen(fd, 4);
                c.accept(fd);
                c.accept4(fd, 0);
            });
        }
        def(l, "listen/unix-unbound", c -> {
            int fd = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.listen(fd, 4);
            c.getsockname(fd);
        });
        def(l, "listen/after-connect", c -> {
            int[] p = tcpPair(c);
            c.listen(p[1], 4);
            c.listen(p[2], 4);
        });
        def(l, "listen/after-shutdown", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.bind(fd, sin(LO, PORT));
            c.listen(fd, 4);
            c.shutdown(fd, SHUT_RDWR);
            c.accept(fd);
            c.listen(fd, 4);
            c.accept(fd);
        });
        def(l, "accept/not-listening", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.accept(fd);
            c.bind(fd, sin(LO, PORT));
            c.accept(fd);
        });
        def(l, "accept/nonblocking-empty", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.bind(fd, sin(LO, PORT));
            c.listen(fd, 4);
            c.accept(fd);
            c.accept4(fd, SOCK_CLOEXEC);
        });
        def(l, "accept/dontwait-not-a-flag", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(fd, sin(LO, PORT));
            c.listen(fd, 4);
            c.fcntl(fd, io.jnetstack.uapi.Fcntl.F_SETFL, io.jnetstack.uapi.Fcntl.O_NONBLOCK);
            c.accept(fd);
        });
        int[] accFlags = {0, SOCK_NONBLOCK, SOCK_CLOEXEC, SOCK_NONBLOCK | SOCK_CLOEXEC, 0x100, 1, -1};
        for (int f : accFlags) {
            def(l, "accept4/flags-" + Integer.toHexString(f), c -> {
                int ls = c.socket(AF_INET, SOCK_STREAM, 0);
                c.bind(ls, sin(LO, PORT));
                c.listen(ls, 4);
                int a = c.socket(AF_INET, SOCK_STREAM, 0);
                c.connect(a, sin(LO, PORT));
                int b = c.accept4(ls, f);
                if (b >= 0) Catalogue.flags(c, b);
            });
        }
        // accept's address arguments
        Object[][] addrArgs = {{"null-addr-null-len", null, null}, {"null-addr-len16", null, new int[] {16}},
            {"addr-null-len", new byte[16], null}, {"len-0", new byte[16], new int[] {0}},
            {"len-4", new byte[16], new int[] {4}}, {"len-16", new byte[16], new int[] {16}},
            {"len-128", new byte[128], new int[] {128}}, {"len-neg", new byte[16], new int[] {-1}},
            {"short-addr", new byte[4], new int[] {16}}, {"short-len", new byte[16], new int[0]}};
        for (Object[] x : addrArgs) {
            def(l, "accept/addr-" + x[0], c -> {
                int ls = c.socket(AF_INET, SOCK_STREAM, 0);
                c.bind(ls, sin(LO, PORT));
                c.listen(ls, 4);
                int a = c.socket(AF_INET, SOCK_STREAM, 0);
                c.connect(a, sin(LO, PORT));
                c.setInt(ls, SOL_SOCKET, SO_RCVTIMEO, 0);
                c.fcntl(ls, io.jnetstack.uapi.Fcntl.F_SETFL, io.jnetstack.uapi.Fcntl.O_NONBLOCK);
                byte[] addr = x[1] == null ? null : ((byte[]) x[1]).clone();
                int[] len = x[2] == null ? null : ((int[]) x[2]).clone();
                c.accept(ls, addr, len);
                c.accept(ls);
            });
        }
        def(l, "accept/backlog-queue-order", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int a1 = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(a1, sin(LO, 21001));
            c.connect(a1, sin(LO, PORT));
            int a2 = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(a2, sin(LO, 21002));
            c.connect(a2, sin(LO, PORT));
            c.poll(ls, Poll.POLLIN);
            c.accept(ls);
            c.accept(ls);
            c.accept(ls);
        });
        def(l, "accept/inherits-options", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.setInt(ls, SOL_SOCKET, SO_KEEPALIVE, 1);
            c.setInt(ls, SOL_TCP, TcpOpts.TCP_NODELAY, 1);
            c.setInt(ls, SOL_SOCKET, SO_RCVLOWAT, 7);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int a = c.socket(AF_INET, SOCK_STREAM, 0);
            c.connect(a, sin(LO, PORT));
            int b = c.accept(ls);
            c.getInt(b, SOL_SOCKET, SO_KEEPALIVE);
            c.getInt(b, SOL_TCP, TcpOpts.TCP_NODELAY);
            c.getInt(b, SOL_SOCKET, SO_RCVLOWAT);
            c.getInt(b, SOL_SOCKET, SO_ACCEPTCONN);
            Catalogue.flags(c, b);
        });
        def(l, "accept/nonblocking-listener-blocking-child", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int a = c.socket(AF_INET, SOCK_STREAM, 0);
            c.connect(a, sin(LO, PORT));
            int b = c.accept(ls);
            Catalogue.flags(c, b);
        });
    }

    static void addConnect(List<Case> l) {
        def(l, "connect/refused", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.connect(fd, sin(LO, PORT));
            c.getInt(fd, SOL_SOCKET, SO_ERROR);
            c.connect(fd, sin(LO, PORT));
            c.getsockname(fd);
            c.getpeername(fd);
        });
        def(l, "connect/refused-nonblocking", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.connect(fd, sin(LO, PORT));
            c.settle();
            c.poll(fd, Poll.POLLIN | Poll.POLLOUT | Poll.POLLRDHUP);
            c.getInt(fd, SOL_SOCKET, SO_ERROR);
            c.getInt(fd, SOL_SOCKET, SO_ERROR);
            c.connect(fd, sin(LO, PORT));
        });
        def(l, "connect/established", c -> {
            int[] p = tcpPair(c, SOCK_STREAM);
            c.getsockname(p[1]);
            c.getpeername(p[1]);
            c.getsockname(p[2]);
            c.getpeername(p[2]);
            c.getpeername(p[0]);
            c.connect(p[1], sin(LO, PORT));
            c.connect(p[1], sin(LO, PORT2));
        });
        def(l, "connect/nonblocking-einprogress-then-again", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.connect(fd, sin(LO, PORT));
            c.settle();
            c.poll(fd, Poll.POLLIN | Poll.POLLOUT);
            c.getInt(fd, SOL_SOCKET, SO_ERROR);
            c.connect(fd, sin(LO, PORT));
            c.connect(fd, sin(LO, PORT));
            c.getsockopt(fd, SOL_TCP, TcpOpts.TCP_INFO, 8);
        });
        def(l, "connect/nonblocking-no-listener-backlog-full", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 0);
            for (int i = 0; i < 3; i++) {
                int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                c.connect(fd, sin(LO, PORT));
                c.settle();
                c.getsockopt(fd, SOL_TCP, TcpOpts.TCP_INFO, 1);
            }
        });
        def(l, "connect/on-listener", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            c.connect(ls, sin(LO, PORT));
        });
        def(l, "connect/self", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(fd, sin(LO, PORT));
            c.connect(fd, sin(LO, PORT));
            c.getpeername(fd);
            c.send(fd, "self", MSG_DONTWAIT);
            c.recv(fd, 16, MSG_DONTWAIT);
        });
        def(l, "connect/any-address-means-loopback", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.connect(fd, sin("0.0.0.0", PORT));
            c.getpeername(fd);
        });
        def(l, "connect/unspec-disconnects-tcp", c -> {
            int[] p = tcpPair(c);
            c.connect(p[1], fam(sin("0.0.0.0", 0), AF_UNSPEC));
            c.getpeername(p[1]);
            c.getInt(p[1], SOL_SOCKET, SO_ERROR);
            c.poll(p[1], Poll.POLLIN | Poll.POLLOUT);
            c.recv(p[2], 16, 0);
        });
        def(l, "connect/unspec-short-len", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.connect(fd, fam(sin(LO, 0), AF_UNSPEC), 2);
            c.connect(fd, fam(sin(LO, 0), AF_UNSPEC), 1);
        });
        def(l, "connect/after-bind-specific", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(ls, sin("0.0.0.0", PORT));
            c.listen(ls, 4);
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(fd, sin("127.0.0.5", PORT2));
            c.connect(fd, sin(LO, PORT));
            c.getsockname(fd);
            int b = c.accept(ls);
            c.getpeername(b);
            c.getsockname(b);
        });
        def(l, "connect/inet6-v4mapped", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int fd = c.socket(AF_INET6, SOCK_STREAM, 0);
            c.connect(fd, sin6("::ffff:127.0.0.1", PORT));
            c.getsockname(fd);
            c.getpeername(fd);
            int b = c.accept(ls);
            c.getpeername(b);
        });
        def(l, "connect/inet6-v6only-v4mapped", c -> {
            int fd = c.socket(AF_INET6, SOCK_STREAM, 0);
            c.setInt(fd, SOL_IPV6, IPV6_V6ONLY, 1);
            c.connect(fd, sin6("::ffff:127.0.0.1", PORT));
        });
        def(l, "connect/inet6-listener-v4-client", c -> {
            int ls = c.socket(AF_INET6, SOCK_STREAM, 0);
            c.bind(ls, sin6("::", PORT));
            c.listen(ls, 4);
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.connect(fd, sin(LO, PORT));
            int b = c.accept(ls);
            c.getsockname(b);
            c.getpeername(b);
        });
        def(l, "connect/inet6-established", c -> {
            int[] p = tcp6Pair(c);
            c.getsockname(p[1]);
            c.getpeername(p[2]);
        });
        def(l, "connect/unreachable-nonlocal", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.connect(fd, sin("10.9.8.7", PORT));
            c.getInt(fd, SOL_SOCKET, SO_ERROR);
        });
        def(l, "connect/unreachable-nonlocal-udp", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.connect(fd, sin("10.9.8.7", PORT));
            c.connect(fd, sin6("2001:db8::1", PORT));
        });
        def(l, "connect/inet6-unreachable", c -> {
            int fd = c.socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.connect(fd, sin6("2001:db8::1", PORT));
        });
        def(l, "connect/broadcast-tcp", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.connect(fd, sin("255.255.255.255", PORT));
            c.connect(fd, sin("224.0.0.1", PORT));
        });
        def(l, "connect/udp-broadcast-needs-so-broadcast", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.connect(fd, sin("255.255.255.255", PORT));
            c.setInt(fd, SOL_SOCKET, SO_BROADCAST, 1);
            c.connect(fd, sin("255.255.255.255", PORT));
        });
        def(l, "connect/port-0", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.connect(fd, sin(LO, 0));
            int u = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.connect(u, sin(LO, 0));
            c.getpeername(u);
        });
        def(l, "connect/udp-reconnect-and-unspec", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.connect(fd, sin(LO, PORT));
            c.getsockname(fd);
            c.getpeername(fd);
            c.connect(fd, sin(LO, PORT2));
            c.getpeername(fd);
            c.connect(fd, fam(sin("0.0.0.0", 0), AF_UNSPEC));
            c.getpeername(fd);
            c.getsockname(fd);
        });
        def(l, "names/getpeername-unconnected", c -> {
            for (String k : new String[] {"tcp", "udp", "tcp6", "udp6", "unix-stream", "unix-dgram"}) {
                int fd = sock(c, k);
                c.getpeername(fd);
                c.getsockname(fd);
            }
        });
        Object[][] nameArgs = {{"null-addr", null, new int[] {16}}, {"null-len", new byte[16], null},
            {"len-0", new byte[16], new int[] {0}}, {"len-2", new byte[16], new int[] {2}},
            {"len-7", new byte[16], new int[] {7}}, {"len-neg", new byte[16], new int[] {-1}},
            {"len-1000", new byte[1000], new int[] {1000}}, {"short-addr", new byte[4], new int[] {16}}};
        for (Object[] x : nameArgs) {
            def(l, "names/getsockname-" + x[0], c -> {
                int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
                c.bind(fd, sin(LO, PORT));
                c.getsockname(fd, x[1] == null ? null : ((byte[]) x[1]).clone(), x[2] == null ? null : ((int[]) x[2]).clone());
            });
            def(l, "names/getpeername-" + x[0], c -> {
                int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
                c.connect(fd, sin(LO, PORT));
                c.getpeername(fd, x[1] == null ? null : ((byte[]) x[1]).clone(), x[2] == null ? null : ((int[]) x[2]).clone());
            });
        }
    }

    static void addUnix(List<Case> l) {
        def(l, "unix/stream-abstract-roundtrip", c -> {
            int s = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.bind(s, sunAbstract("diff-srv"));
            c.listen(s, 4);
            int cl = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.connect(cl, sunAbstract("diff-srv"));
            int a = c.accept(s);
            c.getsockname(cl);
            c.getpeername(cl);
            c.getsockname(a);
            c.getpeername(a);
            c.send(cl, "hello", 0);
            c.ioctlInt(a, io.jnetstack.uapi.Fcntl.FIONREAD);
            c.recv(a, 3, 0);
            c.recv(a, 16, 0);
            c.recv(a, 16, MSG_DONTWAIT);
            c.getsockopt(a, SOL_SOCKET, SO_PEERCRED, 12);
            c.close(cl);
            c.recv(a, 16, MSG_DONTWAIT);
            c.send(a, "x", MSG_NOSIGNAL);
        });
        def(l, "unix/stream-connect-refused", c -> {
            int cl = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.connect(cl, sunAbstract("diff-nobody"));
            c.connect(cl, AddrCases.pathAddr("/nonexistent-jnetstack-dir/sock"));
        });
        def(l, "unix/stream-connect-to-dgram", c -> {
            int s = c.socket(AF_UNIX, SOCK_DGRAM, 0);
            c.bind(s, sunAbstract("diff-dg"));
            int cl = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.connect(cl, sunAbstract("diff-dg"));
            int sq = c.socket(AF_UNIX, SOCK_SEQPACKET, 0);
            c.connect(sq, sunAbstract("diff-dg"));
        });
        def(l, "unix/stream-connect-bound-not-listening", c -> {
            int s = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.bind(s, sunAbstract("diff-nl"));
            int cl = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.connect(cl, sunAbstract("diff-nl"));
        });
        def(l, "unix/name-in-use", c -> {
            int s = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.bind(s, sunAbstract("diff-dup"));
            int t = c.socket(AF_UNIX, SOCK_DGRAM, 0);
            c.bind(t, sunAbstract("diff-dup"));
            c.close(s);
            c.bind(t, sunAbstract("diff-dup"));
        });
        def(l, "unix/dgram-abstract-sendto", c -> {
            int s = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.bind(s, sunAbstract("diff-d1"));
            int t = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.bind(t, sunAbstract("diff-d2"));
            c.sendto(t, "one", 0, sunAbstract("diff-d1"));
            c.sendto(t, "", 0, sunAbstract("diff-d1"));
            c.recvfrom(s, 16, 0);
            c.recvfrom(s, 16, 0);
            c.recvfrom(s, 16, 0);
            c.sendto(t, "two", 0, sunAbstract("diff-none"));
            c.send(t, "three", 0);
            c.connect(t, sunAbstract("diff-d1"));
            c.send(t, "four", 0);
            c.recvfrom(s, 2, 0);
            c.recvfrom(s, 16, 0);
        });
        def(l, "unix/dgram-unbound-sender-autobinds", c -> {
            int s = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.bind(s, sunAbstract("diff-r"));
            int t = c.socket(AF_UNIX, SOCK_DGRAM, 0);
            c.sendto(t, "hi", 0, sunAbstract("diff-r"));
            c.recvfrom(s, 16, 0);
            c.getsockname(t);
        });
        def(l, "unix/seqpacket-boundaries", c -> {
            int[] sv = c.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
            c.send(sv[0], "abc", 0);
            c.send(sv[0], "defgh", 0);
            c.recv(sv[1], 2, 0);
            c.recvmsg(sv[1], io.jnetstack.syscall.MsgHdr.of(new byte[3], 3), 0);
            c.recv(sv[1], 16, 0);
            c.send(sv[0], "", 0);
            c.recv(sv[1], 16, 0);
        });
        def(l, "unix/stream-socketpair-shutdown", c -> {
            int[] sv = c.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.shutdown(sv[0], SHUT_WR);
            c.poll(sv[1], Poll.POLLIN | Poll.POLLOUT | Poll.POLLRDHUP);
            c.recv(sv[1], 4, 0);
            c.send(sv[0], "x", MSG_NOSIGNAL);
            c.send(sv[1], "y", MSG_NOSIGNAL);
            c.recv(sv[0], 4, 0);
            c.shutdown(sv[0], SHUT_RD);
            c.poll(sv[0], Poll.POLLIN | Poll.POLLOUT | Poll.POLLRDHUP);
            c.poll(sv[1], Poll.POLLIN | Poll.POLLOUT | Poll.POLLRDHUP);
        });
        def(l, "unix/bind-after-autobind", c -> {
            int fd = c.socket(AF_UNIX, SOCK_DGRAM, 0);
            c.bind(fd, sunAbstract("x"), 2);
            c.bind(fd, sunAbstract("diff-late"));
        });
    }
}
