package io.jnetstack.inet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.tcp.TcpSock;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import io.jnetstack.uapi.TcpOpts;
import org.junit.jupiter.api.Test;

/**
 * inet_stream_ops against what Linux 6.18 answered for the same calls (measured with a C probe in
 * a private network namespace; the expected values below are those results).
 */
class InetStreamOpsTest {
    final InetKit k = new InetKit();
    static final int LO = InetKit.LO;

    InetStreamOpsTest() { InetStreamOps.install(k.stack); }

    Socket tcp() { return k.socket(Net.AF_INET, Net.SOCK_STREAM, 0, Credentials.ROOT); }

    final java.util.Set<Socket> nb = new java.util.HashSet<>();

    Socket nonBlocking() {
        Socket s = tcp();
        nb.add(s);
        return s;
    }

    int send(Socket s, int n) { return s.ops.sendmsg(s, MsgHdr.of(new byte[n], n), Net.MSG_DONTWAIT); }

    int recv(Socket s, byte[] b, int flags) { return s.ops.recvmsg(s, MsgHdr.of(b, b.length), flags | Net.MSG_DONTWAIT); }

    int connect(Socket s, int port) {
        int flags = nb.contains(s) ? Fcntl.O_NONBLOCK : 0;
        int r = s.ops.connect(s, SockAddr.in(LO, port), 16, flags);
        k.sched.runFor(0);
        return r;
    }

    static byte[] intBytes(int v) { return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)}; }

    int setInt(Socket s, int opt, int v) { return s.ops.setsockopt(s, 6, opt, intBytes(v), 4); }

    int getInt(Socket s, int opt) {
        byte[] b = new byte[4];
        int[] len = {4};
        int r = s.ops.getsockopt(s, 6, opt, b, len);
        return r < 0 ? r : InetSockopt.readInt(b);
    }

    @Test void freshSocket() {
        Socket s = tcp();
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLHUP, s.ops.poll(s));
        assertEquals(-Errno.EPIPE, send(s, 1));
        assertEquals(-Errno.ENOTCONN, recv(s, new byte[1], 0));
        assertEquals(-Errno.EINVAL, recv(s, new byte[1], Net.MSG_OOB));
        int[] v = {0};
        assertEquals(0, s.ops.ioctl(s, Fcntl.SIOCINQ, v));
        assertEquals(0, s.ops.ioctl(s, Fcntl.SIOCOUTQ, v));
        assertEquals(-Errno.ENOTCONN, s.ops.shutdown(s, Net.SHUT_WR));
        assertEquals(-Errno.EINVAL, s.ops.shutdown(s, 3));
        assertEquals(-Errno.ENOTCONN, s.ops.getname(s, new byte[128], true));
    }

    @Test void listeningSocket() {
        Socket s = tcp();
        assertEquals(0, s.ops.listen(s, 0));
        assertEquals(0, s.ops.poll(s));
        int[] v = {0};
        assertEquals(-Errno.EINVAL, s.ops.ioctl(s, Fcntl.SIOCINQ, v));
        assertEquals(-Errno.EINVAL, s.ops.ioctl(s, Fcntl.SIOCOUTQ, v));
        assertEquals(0, s.ops.ioctl(s, Fcntl.SIOCATMARK, v));
        assertEquals(-Errno.ENOTCONN, recv(s, new byte[1], 0));
        assertEquals(-Errno.EPIPE, send(s, 1));
        assertEquals(0, s.ops.shutdown(s, Net.SHUT_WR));
        assertEquals(0, s.ops.poll(s));
        assertEquals(0, s.ops.shutdown(s, Net.SHUT_RD));
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLHUP, s.ops.poll(s));
        assertEquals(-Errno.EINVAL, s.ops.accept(s, new Socket(k.stack, Net.SOCK_STREAM), Fcntl.O_NONBLOCK));
    }

    @Test void connectAddressChecksAndRefusal() {
        Socket c = tcp();
        assertEquals(-Errno.EINVAL, c.ops.connect(c, SockAddr.in(LO, 9), 15, 0));
        assertEquals(-Errno.EINVAL, c.ops.connect(c, SockAddr.in(LO, 9), 1, 0));
        byte[] bad = SockAddr.in(LO, 9);
        bad[0] = 99;
        assertEquals(-Errno.EAFNOSUPPORT, c.ops.connect(c, bad, 16, 0));
        assertEquals(-Errno.ECONNREFUSED, connect(c, 9));
        assertEquals(-Errno.ECONNREFUSED, connect(c, 9));      // a failed connect can be retried
    }

    @Test void connectToAnyMeansThisHost() {
        Socket n = nonBlocking();
        assertEquals(-Errno.EINPROGRESS, n.ops.connect(n, SockAddr.in(0, 20000), 16, Fcntl.O_NONBLOCK));
        k.sched.runFor(0);
        assertEquals(Errno.ECONNREFUSED, n.sk.takeErrorForSoError());
        Socket u = tcp();
        assertEquals(-Errno.ENETUNREACH, u.ops.connect(u, SockAddr.in(SockAddr.parseIp("224.0.0.1"), 1), 16, 0));
    }

    @Test void inet6StreamListensAndConnectsV4Mapped() {
        Socket l = k.socket(Net.AF_INET6, Net.SOCK_STREAM, 0, Credentials.ROOT);
        assertEquals(0, l.ops.listen(l, 4));
        byte[] name = new byte[128];
        assertEquals(28, l.ops.getname(l, name, false));
        int port = SockAddr.port(name);
        Socket c = k.socket(Net.AF_INET6, Net.SOCK_STREAM, 0, Credentials.ROOT);
        byte[] sin6 = new byte[28];
        SockAddr.writeIn6Mapped(sin6, LO, port, false);
        assertEquals(0, c.ops.connect(c, sin6, 28, 0));
        assertEquals(28, c.ops.getname(c, name, true));
        assertEquals(port, SockAddr.port(name));
    }

    @Test void nonBlockingRefusalSequence() {
        Socket n = nonBlocking();
        assertEquals(-Errno.EINPROGRESS, connect(n, 9));
        assertEquals(-Errno.ECONNREFUSED, connect(n, 9));
        assertEquals(-Errno.EINPROGRESS, connect(n, 9));
        assertEquals(Errno.ECONNREFUSED, n.sk.takeErrorForSoError());
        n = nonBlocking();
        assertEquals(-Errno.EINPROGRESS, connect(n, 9));
        assertEquals(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLERR | Poll.POLLHUP
                | Poll.POLLRDHUP, n.ops.poll(n));
        assertEquals(-Errno.ECONNREFUSED, send(n, 1));
        assertEquals(-Errno.EPIPE, send(n, 1));
        assertEquals(0, recv(n, new byte[1], 0));
        assertEquals(-Errno.ECONNABORTED, connect(n, 9));
        assertEquals(-Errno.EINPROGRESS, connect(n, 9));
        assertEquals(-Errno.ECONNREFUSED, connect(n, 9));
    }

    @Test void loopbackConnectionEndToEnd() {
        Socket l = tcp();
        assertEquals(0, k.bind(l, LO, 5000));
        assertEquals(0, l.ops.listen(l, 8));
        Socket c = nonBlocking();
        assertEquals(-Errno.EINPROGRESS, connect(c, 5000));
        assertEquals(0, connect(c, 5000));                      // established meanwhile: 0 once
        assertEquals(-Errno.EISCONN, connect(c, 5000));
        Socket a = new Socket(k.stack, Net.SOCK_STREAM);
        assertEquals(0, l.ops.accept(l, a, Fcntl.O_NONBLOCK));
        byte[] name = new byte[128];
        assertEquals(16, a.ops.getname(a, name, true));
        assertEquals(LO, SockAddr.inAddr(name));
        assertEquals(k.port(c), SockAddr.port(name));
        byte[] msg = "hello, world".getBytes();
        assertEquals(msg.length, c.ops.sendmsg(c, MsgHdr.of(msg, msg.length), 0));
        k.sched.runFor(0);
        int[] inq = {0};
        assertEquals(0, a.ops.ioctl(a, Fcntl.SIOCINQ, inq));
        assertEquals(msg.length, inq[0]);
        byte[] b = new byte[64];
        assertEquals(5, a.ops.recvmsg(a, MsgHdr.of(b, 5), Net.MSG_PEEK));
        assertEquals(msg.length, a.ops.recvmsg(a, MsgHdr.of(b, 64), 0));
        assertArrayEquals(msg, java.util.Arrays.copyOf(b, msg.length));
        assertEquals(-Errno.EAGAIN, recv(a, b, 0));
        assertEquals(0, c.ops.shutdown(c, Net.SHUT_WR));
        k.sched.runFor(0);
        assertEquals(0, recv(a, b, 0));
        assertEquals(-Errno.EPIPE, send(c, 1));
        assertEquals(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDHUP | Poll.POLLOUT | Poll.POLLWRNORM, a.ops.poll(a));
        assertEquals(0, a.ops.release(a));
        assertEquals(0, c.ops.release(c));
        k.sched.runFor(1_000_000_000L);
    }

    @Test void blockingAcceptHonoursRcvtimeo() {
        Socket l = tcp();
        assertEquals(0, l.ops.listen(l, 8));
        l.sk.rcvTimeo = 500_000_000L;
        long t0 = k.sched.now();
        assertEquals(-Errno.EAGAIN, l.ops.accept(l, new Socket(k.stack, Net.SOCK_STREAM), 0));
        assertEquals(500_000_000L, k.sched.now() - t0);
    }

    @Test void tcpOptionsAsLinux() {
        Socket s = tcp();
        assertEquals(536, getInt(s, TcpOpts.TCP_MAXSEG));
        assertEquals(7200, getInt(s, TcpOpts.TCP_KEEPIDLE));
        assertEquals(75, getInt(s, TcpOpts.TCP_KEEPINTVL));
        assertEquals(9, getInt(s, TcpOpts.TCP_KEEPCNT));
        assertEquals(6, getInt(s, TcpOpts.TCP_SYNCNT));
        assertEquals(60, getInt(s, TcpOpts.TCP_LINGER2));
        assertEquals(1, getInt(s, TcpOpts.TCP_QUICKACK));
        assertEquals(-Errno.EINVAL, setInt(s, TcpOpts.TCP_MAXSEG, 87));
        assertEquals(0, setInt(s, TcpOpts.TCP_MAXSEG, 88));
        assertEquals(88, getInt(s, TcpOpts.TCP_MAXSEG));
        assertEquals(-Errno.EINVAL, setInt(s, TcpOpts.TCP_MAXSEG, 32768));
        assertEquals(-Errno.EINVAL, setInt(s, TcpOpts.TCP_KEEPIDLE, 0));
        assertEquals(-Errno.EINVAL, setInt(s, TcpOpts.TCP_KEEPCNT, 128));
        assertEquals(-Errno.EINVAL, s.ops.setsockopt(s, 6, TcpOpts.TCP_NODELAY, intBytes(1), 2));
        assertEquals(-Errno.ENOPROTOOPT, setInt(s, 999, 1));
        assertEquals(-Errno.EINVAL, s.ops.setsockopt(s, 6, 999, intBytes(1), 2));
        assertEquals(-Errno.ENOENT, s.ops.setsockopt(s, 6, TcpOpts.TCP_CONGESTION, "foo".getBytes(), 3));
        assertEquals(0, s.ops.setsockopt(s, 6, TcpOpts.TCP_CONGESTION, "reno".getBytes(), 4));
        byte[] cc = new byte[32];
        int[] len = {32};
        assertEquals(0, s.ops.getsockopt(s, 6, TcpOpts.TCP_CONGESTION, cc, len));
        assertEquals(16, len[0]);
        assertEquals("reno", new String(cc, 0, 4));
        len[0] = 3;
        assertEquals(0, s.ops.getsockopt(s, 6, TcpOpts.TCP_CONGESTION, cc, len));
        assertEquals(3, len[0]);
        assertEquals(0, setInt(s, TcpOpts.TCP_WINDOW_CLAMP, 0));
        assertEquals(0, setInt(s, TcpOpts.TCP_WINDOW_CLAMP, 5));
        assertEquals(1152, getInt(s, TcpOpts.TCP_WINDOW_CLAMP));
        assertEquals(0, setInt(s, TcpOpts.TCP_DEFER_ACCEPT, 3));
        assertEquals(3, getInt(s, TcpOpts.TCP_DEFER_ACCEPT));
        assertEquals(-Errno.EINVAL, setInt(s, TcpOpts.TCP_USER_TIMEOUT, -1));
        assertEquals(0, setInt(s, TcpOpts.TCP_LINGER2, 200));
        assertEquals(120, getInt(s, TcpOpts.TCP_LINGER2));
        assertEquals(0, setInt(s, TcpOpts.TCP_LINGER2, 0));
        assertEquals(60, getInt(s, TcpOpts.TCP_LINGER2));
        assertEquals(0, setInt(s, TcpOpts.TCP_LINGER2, -5));
        assertEquals(-1, getInt(s, TcpOpts.TCP_LINGER2));
        assertEquals(0, setInt(s, TcpOpts.TCP_QUICKACK, 0));
        assertEquals(0, getInt(s, TcpOpts.TCP_QUICKACK));
        byte[] b = new byte[4];
        len[0] = 2;
        assertEquals(0, s.ops.getsockopt(s, 6, TcpOpts.TCP_MAXSEG, b, len));
        assertEquals(2, len[0]);
        len[0] = -1;
        assertEquals(-Errno.EINVAL, s.ops.getsockopt(s, 6, TcpOpts.TCP_MAXSEG, b, len));
        len[0] = 4;
        assertEquals(-Errno.ENOPROTOOPT, s.ops.getsockopt(s, 6, 999, b, len));
        byte[] info = new byte[1000];
        len[0] = 1000;
        assertEquals(0, s.ops.getsockopt(s, 6, TcpOpts.TCP_INFO, info, len));
        assertEquals(280, len[0]);
        assertEquals(7, info[0]);
    }

    @Test void sendBufferFullIsEagainAndPartial() {
        Socket l = tcp();
        assertEquals(0, k.bind(l, LO, 5001));
        assertEquals(0, l.ops.listen(l, 8));
        Socket c = tcp();
        assertEquals(0, connect(c, 5001));
        int total = 0;
        for (int i = 0; i < 1000; i++) {
            int r = send(c, 65536);
            if (r == -Errno.EAGAIN) break;
            total += r;
            k.sched.runFor(0);
        }
        TcpSock tp = (TcpSock) c.sk;
        assertEquals(-Errno.EAGAIN, send(c, 1));
        assertEquals(0, c.ops.poll(c) & Poll.POLLOUT);
        System.out.println("loopback: accepted " + total + " bytes before EAGAIN, sndbuf " + tp.sndBuf);
    }
}
