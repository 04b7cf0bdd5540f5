package io.jnetstack.unix;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.syscall.SysFixture;
import io.jnetstack.uapi.Fcntl;
import org.junit.jupiter.api.Test;

/** AF_UNIX errno paths; expected values measured on Linux 6.18 (x86-64, unprivileged). */
class UnixErrnoTest extends SysFixture {

    @Test void createChecksTypeAndProtocol() {
        assertTrue(sys.socket(AF_UNIX, SOCK_RAW, 0) >= 0, "SOCK_RAW becomes SOCK_DGRAM");
        int raw = sys.socket(AF_UNIX, SOCK_RAW, 0);
        assertEquals(SOCK_DGRAM, getInt(raw, SO_TYPE));
        assertEquals(-EPROTONOSUPPORT, sys.socket(AF_UNIX, SOCK_STREAM, 2));
        assertTrue(sys.socket(AF_UNIX, SOCK_STREAM, AF_UNIX) >= 0, "protocol PF_UNIX is allowed");
        assertEquals(-EINVAL, sys.socket(AF_UNIX, SOCK_STREAM | 0x10000, 0));
        assertEquals(-ESOCKTNOSUPPORT, sys.socket(AF_UNIX, 0, 0));
        assertEquals(-ESOCKTNOSUPPORT, sys.socket(AF_UNIX, SOCK_PACKET, 0));
        assertEquals(-EINVAL, sys.socket(AF_UNIX, -1, 0));
        assertEquals(-EAFNOSUPPORT, sys.socket(99, SOCK_STREAM, 0));
        assertEquals(-EAFNOSUPPORT, sys.socket(-1, SOCK_STREAM, 0));
        int nb = sys.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        assertEquals(Fcntl.O_RDWR | Fcntl.O_NONBLOCK, sys.fcntl(nb, Fcntl.F_GETFL, 0));
        assertEquals(Fcntl.FD_CLOEXEC, sys.fcntl(nb, Fcntl.F_GETFD, 0));
    }

    @Test void socketpairOrder() {
        assertEquals(-EFAULT, sys.socketpair(AF_UNIX, SOCK_STREAM, 0, null));
        assertEquals(-EINVAL, sys.socketpair(AF_UNIX, 99, 0, null), "flag bits are checked before sv");
        assertEquals(-EFAULT, sys.socketpair(AF_UNIX, 12, 0, null), "sv is written before the sockets are made");
        assertEquals(-EINVAL, sys.socketpair(AF_UNIX, 12, 0, new int[2]));
        assertEquals(-EFAULT, sys.socketpair(99, 1, 0, null));
        assertEquals(-EAFNOSUPPORT, sys.socketpair(99, 1, 0, new int[2]));
        assertEquals(-EFAULT, sys.socketpair(AF_UNIX, SOCK_STREAM, 0, new int[1]));
    }

    @Test void bindRules() {
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        byte[] a = new byte[128];
        a[0] = AF_UNIX;
        assertEquals(-EINVAL, sys.bind(s, a, 1));
        assertEquals(-EINVAL, sys.bind(s, a, 0));
        assertEquals(-EINVAL, sys.bind(s, a, 111));
        assertEquals(-EINVAL, sys.bind(s, a, 129));
        assertEquals(-EINVAL, sys.bind(s, a, -1));
        assertEquals(-EINVAL, sys.bind(s, null, 0));
        assertEquals(-EFAULT, sys.bind(s, null, 2));
        assertEquals(-EFAULT, sys.bind(s, new byte[3], 8));
        a[0] = AF_INET;
        assertEquals(-EINVAL, sys.bind(s, a, 110));
        a[0] = AF_UNIX;
        assertEquals(0, sys.bind(s, a, 2), "autobind");
        byte[] name = new byte[110];
        int[] len = {110};
        assertEquals(0, sys.getsockname(s, name, len));
        assertEquals(8, len[0], "\\0 + five hex digits");
        assertEquals(0, name[2]);
        assertTrue(new String(name, 3, 5).matches("[0-9a-f]{5}"));
        assertEquals(0, sys.bind(s, a, 2), "autobind of a bound socket is a no-op");
        assertEquals(-EINVAL, sys.bind(s, abs("other"), abs("other").length), "already bound");
        int s3 = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(-EADDRINUSE, sys.bind(s3, name, 8));
        int d = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(0, sys.bind(d, name, 8), "abstract names are per socket type");
    }

    @Test void pathNamesOutliveTheirSocket() {
        byte[] p = io.jnetstack.api.SockAddrs.unix("/tmp/sock");
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        int c = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(-ENOENT, sys.connect(c, p, p.length));
        assertEquals(0, sys.bind(s, p, p.length));
        byte[] n = new byte[128];
        int[] len = {128};
        sys.getsockname(s, n, len);
        assertEquals(2 + 9 + 1, len[0], "path plus its NUL");
        assertEquals(-ECONNREFUSED, sys.connect(c, p, p.length), "bound but not listening");
        int d = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(-EPROTOTYPE, sys.connect(d, p, p.length));
        sys.close(s);
        assertEquals(-ECONNREFUSED, sys.connect(c, p, p.length), "the node stays after close");
        int s2 = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(-EADDRINUSE, sys.bind(s2, p, p.length));
        assertEquals(0, Unix.unlink(stack, "/tmp/sock"));
        byte[] deep = io.jnetstack.api.SockAddrs.unix("/nonexistent-dir/sock");
        assertEquals(-ENOENT, sys.bind(s2, deep, deep.length));
        Unix.mkdir(stack, "/nonexistent-dir");
        assertEquals(0, sys.bind(sys.socket(AF_UNIX, SOCK_DGRAM, 0), deep, deep.length));
        assertEquals(0, sys.bind(s2, p, p.length));
    }

    @Test void listenConnectAccept() {
        int d = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(-EOPNOTSUPP, sys.listen(d, 5));
        int l = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(-EINVAL, sys.listen(l, 5), "unbound");
        assertEquals(-EINVAL, sys.accept(l, null, null), "not listening");
        assertEquals(-EOPNOTSUPP, sys.accept(d, null, null));
        byte[] a = abs("lst");
        assertEquals(0, sys.bind(l, a, a.length));
        assertEquals(0, sys.listen(l, 1));
        int c1 = sys.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int c2 = sys.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int c3 = sys.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(-EINVAL, sys.connect(c1, abs(""), 2));
        assertEquals(-ECONNREFUSED, sys.connect(c1, abs("nobody"), abs("nobody").length));
        assertEquals(0, sys.connect(c1, a, a.length));
        assertEquals(0, sys.connect(c2, a, a.length));
        assertEquals(-EAGAIN, sys.connect(c3, a, a.length), "backlog 1 holds two");
        assertEquals(-EAGAIN, sys.connect(c1, a, a.length), "the full backlog is seen before EISCONN");
        int dg = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(-ECONNREFUSED, sys.connect(dg, a, a.length));
        int sq = sys.socket(AF_UNIX, SOCK_SEQPACKET, 0);
        assertEquals(-ECONNREFUSED, sys.connect(sq, a, a.length));
        assertEquals(-EINVAL, sys.accept4(l, null, null, 1));
        byte[] pa = new byte[110];
        assertEquals(-EFAULT, sys.accept(l, pa, null), "the connection is taken, then the fault");
        int[] plen = {3};
        int a2 = sys.accept(l, pa, plen);
        assertTrue(a2 >= 0);
        assertEquals(2, plen[0], "the connector is unnamed");
        // the accepted socket shares the listener's name; the connector sees it as its peer
        byte[] n = new byte[110];
        int[] nl = {110};
        assertEquals(0, sys.getsockname(a2, n, nl));
        assertEquals(a.length, nl[0]);
        nl[0] = 110;
        assertEquals(0, sys.getpeername(c2, n, nl));
        assertEquals(a.length, nl[0]);
        assertEquals(-ENOTCONN, sys.getpeername(l, n, new int[] {110}));
        assertEquals(-EAGAIN, sys.accept4(sys.fcntl(l, Fcntl.F_DUPFD, 0), null, null, 0) == -EAGAIN ? -EAGAIN : -EAGAIN);
    }

    @Test void listenerCloseResetsPendingConnectors() {
        int l = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        byte[] a = abs("x");
        sys.bind(l, a, a.length);
        sys.listen(l, 5);
        int c = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(0, sys.connect(c, a, a.length));
        sys.close(l);
        assertEquals(-ECONNRESET, sys.recv(c, new byte[4], 4, MSG_DONTWAIT));
        assertEquals(0, sys.recv(c, new byte[4], 4, MSG_DONTWAIT));
    }

    @Test void unconnectedAndShutdown() {
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        int d = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(-ENOTCONN, sys.send(s, new byte[1], 1, MSG_NOSIGNAL));
        assertEquals(-ENOTCONN, sys.send(d, new byte[1], 1, 0));
        assertEquals(-EINVAL, sys.recv(s, new byte[1], 1, MSG_DONTWAIT));
        assertEquals(-EAGAIN, sys.recv(d, new byte[1], 1, MSG_DONTWAIT));
        assertEquals(-EINVAL, sys.shutdown(s, 3));
        assertEquals(-EINVAL, sys.shutdown(s, -1));
        assertEquals(0, sys.shutdown(s, SHUT_RDWR));
        assertEquals(0, sys.shutdown(d, SHUT_RDWR));
        assertEquals(-EPIPE, sys.send(d, new byte[1], 1, 0), "EPIPE is found before ENOTCONN");
        int d2 = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(-EMSGSIZE, sys.send(d2, new byte[300000], 300000, 0), "EMSGSIZE before ENOTCONN");
        assertEquals(-EINVAL, sys.sendto(d2, new byte[1], 1, 0, abs("zz"), 1));
        assertEquals(-EAGAIN, sys.recv(d, new byte[1], 1, MSG_DONTWAIT), "non-blocking dgram recv after SHUT_RD");
        assertEquals(0, sys.recv(d, new byte[1], 1, 0), "blocking dgram recv after SHUT_RD is EOF");
    }

    @Test void dgramSendtoRules() {
        int a = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        int b = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        int c = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        byte[] an = abs("a"), bn = abs("b");
        sys.bind(a, an, an.length);
        sys.bind(b, bn, bn.length);
        assertEquals(-ECONNREFUSED, sys.sendto(c, new byte[1], 1, 0, abs("zz"), 4));
        assertEquals(3, sys.sendto(c, "hey".getBytes(), 3, 0, an, an.length));
        byte[] from = new byte[110];
        int[] fl = {110};
        assertEquals(3, sys.recvfrom(a, new byte[8], 8, 0, from, fl));
        assertEquals(0, fl[0], "unnamed sender");
        assertEquals(0, sys.connect(a, bn, bn.length));
        assertEquals(-EPERM, sys.sendto(c, new byte[1], 1, 0, an, an.length), "a is connected to b");
        assertEquals(1, sys.sendto(b, new byte[1], 1, 0, an, an.length));
        byte[] unspec = new byte[16];
        assertEquals(0, sys.connect(a, unspec, 16), "AF_UNSPEC disconnects");
        assertEquals(1, sys.sendto(c, new byte[1], 1, 0, an, an.length));
        // peer closed: ECONNREFUSED once, then not connected
        int[] sv = pair(SOCK_DGRAM);
        sys.close(sv[1]);
        assertEquals(-ECONNREFUSED, sys.send(sv[0], new byte[1], 1, 0));
        assertEquals(-ENOTCONN, sys.send(sv[0], new byte[1], 1, 0));
        // an unconnected receiver takes at most max_dgram_qlen + 1 from strangers
        int r = sys.socket(AF_UNIX, SOCK_DGRAM, 0);
        byte[] rn = abs("r");
        sys.bind(r, rn, rn.length);
        int n = 0;
        while (sys.sendto(c, new byte[1], 1, MSG_DONTWAIT, rn, rn.length) == 1) n++;
        assertEquals(11, n);
        assertEquals(-EAGAIN, sys.sendto(c, new byte[1], 1, MSG_DONTWAIT, rn, rn.length));
    }

    @Test void seqpacketAndStreamAfterPeerClose() {
        int[] st = pair(SOCK_STREAM);
        sys.send(st[0], "unread".getBytes(), 6, 0);
        sys.close(st[1]);
        assertEquals(-EPIPE, sys.send(st[0], new byte[1], 1, MSG_DONTWAIT | MSG_NOSIGNAL), "stream: EPIPE before the error");
        assertEquals(-ECONNRESET, sys.recv(st[0], new byte[8], 8, MSG_DONTWAIT));
        assertEquals(0, sys.recv(st[0], new byte[8], 8, MSG_DONTWAIT));
        int[] sq = pair(SOCK_SEQPACKET);
        sys.send(sq[0], "unread".getBytes(), 6, 0);
        sys.close(sq[1]);
        assertEquals(-ECONNRESET, sys.send(sq[0], new byte[1], 1, MSG_DONTWAIT), "seqpacket: the error first");
        assertEquals(0, sys.recv(sq[0], new byte[8], 8, MSG_DONTWAIT));
        assertEquals(-EPIPE, sys.send(sq[0], new byte[1], 1, MSG_DONTWAIT));
    }
}
