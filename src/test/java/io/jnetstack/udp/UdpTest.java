package io.jnetstack.udp;

import io.jnetstack.inet.InetKit;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static io.jnetstack.inet.InetKit.LO;
import static io.jnetstack.uapi.Errno.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP over loopback through ProtoOps, each expectation measured on Linux 6.18 (see the report). */
class UdpTest {
    final InetKit k = new InetKit();
    final Socket a = k.udp(), b = k.udp();

    { assertEquals(0, k.bind(b, LO, 5000)); }

    @Test void sendAndReceiveWithName() {
        assertEquals(5, k.sendto(a, "hello".getBytes(), LO, 5000));
        int aport = k.port(a);
        assertTrue(aport >= 32768 && aport <= 60999, "autobind in ip_local_port_range");
        MsgHdr m = InetKit.msg(100);
        assertEquals(5, k.recv(b, m, 0));
        assertArrayEquals("hello".getBytes(), Arrays.copyOf(m.iov[0], 5));
        assertEquals(16, m.namelen);
        assertEquals(LO, SockAddr.inAddr(m.name));
        assertEquals(aport, SockAddr.port(m.name));
        assertEquals(1, k.counter("Udp.OutDatagrams"));
        assertEquals(1, k.counter("Udp.InDatagrams"));
    }

    @Test void peekTruncAndFionread() {
        k.sendto(a, "hello".getBytes(), LO, 5000);
        k.sendto(a, "world!!".getBytes(), LO, 5000);
        int[] n = new int[1];
        assertEquals(0, b.ops.ioctl(b, Fcntl.FIONREAD, n));
        assertEquals(5, n[0]);                                 // the first datagram, not the total
        MsgHdr m = InetKit.msg(2);
        assertEquals(5, k.recv(b, m, Net.MSG_PEEK | Net.MSG_TRUNC)); // real length asked for
        assertEquals(Net.MSG_TRUNC, m.flags);
        assertEquals(0, k.counter("Udp.InDatagrams"));         // peeking does not consume
        m = InetKit.msg(2);
        assertEquals(2, k.recv(b, m, 0));
        assertEquals(Net.MSG_TRUNC, m.flags);                  // the rest of "hello" is gone
        m = InetKit.msg(100);
        assertEquals(7, k.recv(b, m, 0));
        assertEquals(0, m.flags);
        assertEquals(-EAGAIN, k.recv(b, InetKit.msg(10), 0));
        assertEquals(0, b.ops.ioctl(b, Fcntl.SIOCOUTQ, n));
        assertEquals(0, n[0]);
    }

    @Test void sendErrors() {
        assertEquals(-EDESTADDRREQ, k.send(a, new byte[1]));
        assertEquals(65507, k.sendto(a, new byte[65507], LO, 5000));
        assertEquals(-EMSGSIZE, k.sendto(a, new byte[65508], LO, 5000));
        assertEquals(-EACCES, k.sendto(a, new byte[1], 0xFFFFFFFF, 5000));
        assertEquals(-EINVAL, k.sendto(a, new byte[1], LO, 0));
        k.ip.removeRoute(0, 0);
        assertEquals(-ENETUNREACH, k.sendto(a, new byte[1], SockAddr.parseIp("8.8.8.8"), 53));
    }

    @Test void connectedSocketMaySendtoElsewhere() {
        assertEquals(0, k.connect(a, LO, 5000));
        Socket c = k.udp();
        assertEquals(0, k.bind(c, LO, 5001));
        assertEquals(1, k.sendto(a, new byte[] {9}, LO, 5001));
        assertEquals(1, k.recv(c, InetKit.msg(10), 0));
        byte[] out = new byte[128];
        assertEquals(16, a.ops.getname(a, out, true));
        assertEquals(5000, SockAddr.port(out));
        assertEquals(16, a.ops.getname(a, out, false));
        assertEquals(LO, SockAddr.inAddr(out));
    }

    @Test void portUnreachableBecomesEconnrefusedOnTheNextCall() {
        assertEquals(0, k.connect(a, LO, 5002));             // nobody there
        assertEquals(2, k.send(a, new byte[2]));
        assertEquals(1, k.counter("Udp.NoPorts"));
        assertEquals(1, k.counter("Icmp.OutDestUnreachs"));
        assertEquals(1, k.counter("Icmp.InDestUnreachs"));
        assertTrue((a.ops.poll(a) & Poll.POLLERR) != 0);
        assertEquals(-ECONNREFUSED, k.send(a, new byte[2]));
        assertEquals(-EAGAIN, k.recv(a, InetKit.msg(10), 0)); // reported once
    }

    @Test void unconnectedSocketIgnoresPortUnreachable() {
        assertEquals(2, k.sendto(a, new byte[2], LO, 5002));
        assertEquals(0, a.sk.err);
        assertEquals(2, k.sendto(a, new byte[2], LO, 5002));
    }

    @Test void recverrQueuesTheErrorForUnconnectedSockets() {
        assertEquals(0, a.ops.setsockopt(a, 0, 11, new byte[] {1, 0, 0, 0}, 4)); // IP_RECVERR
        assertEquals(3, k.sendto(a, "abc".getBytes(), LO, 5002));
        MsgHdr m = InetKit.msg(10);
        m.control = new byte[64];
        m.controllen = 64;
        assertEquals(-ECONNREFUSED, k.recv(a, InetKit.msg(10), 0)); // sk_err first
        assertEquals(3, k.recv(a, m, Net.MSG_ERRQUEUE));
        assertEquals(Net.MSG_ERRQUEUE, m.flags);
        assertEquals(5002, SockAddr.port(m.name));
        assertEquals(48, m.controllen);                              // CMSG_SPACE(32)
        assertEquals(111, m.control[16]);                            // ee_errno ECONNREFUSED
        assertEquals(2, m.control[20]);                              // SO_EE_ORIGIN_ICMP
        assertEquals(3, m.control[21]);
        assertEquals(3, m.control[22]);
    }

    @Test void disconnectReleasesAnAutoboundPortButKeepsABoundAddress() {
        Socket c = k.udp();
        assertEquals(0, k.bind(c, LO, 0));
        assertEquals(0, k.connect(c, LO, 5000));
        assertEquals(0, c.ops.connect(c, new byte[16], 16, 0));       // AF_UNSPEC
        byte[] out = new byte[128];
        c.ops.getname(c, out, false);
        assertEquals(LO, SockAddr.inAddr(out));
        assertEquals(0, SockAddr.port(out));
        assertEquals(-ENOTCONN, c.ops.getname(c, out, true));
        assertEquals(-EINVAL, c.ops.connect(c, new byte[16], 1, 0));
        byte[] in = SockAddr.in(LO, 5000);
        assertEquals(-EINVAL, c.ops.connect(c, in, 15, 0));
    }

    @Test void shutdownAsLinux() {
        assertEquals(-ENOTCONN, a.ops.shutdown(a, Net.SHUT_RD));      // unconnected, but recorded
        assertTrue((a.ops.poll(a) & Poll.POLLRDHUP) != 0);
        assertEquals(-EINVAL, b.ops.shutdown(b, 3));
        Socket c = k.udp();
        k.connect(c, LO, 5000);
        assertEquals(0, c.ops.shutdown(c, Net.SHUT_WR));
        assertEquals(-EPIPE, k.send(c, new byte[1]));
        assertEquals(0, c.ops.shutdown(c, Net.SHUT_RD));
        assertEquals(0, c.ops.recvmsg(c, InetKit.msg(10), 0));        // blocking read sees EOF
        assertEquals(-EAGAIN, k.recv(c, InetKit.msg(10), 0));
        assertEquals(Poll.POLLIN | Poll.POLLOUT | Poll.POLLHUP | Poll.POLLRDNORM | Poll.POLLWRNORM
                | Poll.POLLWRBAND | Poll.POLLRDHUP, c.ops.poll(c));
    }

    @Test void rcvtimeoGivesEagainOnTheVirtualClock() {
        b.sk.rcvTimeo = 100_000_000L;
        long t0 = k.sched.now();
        assertEquals(-EAGAIN, b.ops.recvmsg(b, InetKit.msg(10), 0));
        assertEquals(100_000_000L, k.sched.now() - t0);
    }

    @Test void receiveBufferOverflowIsCounted() {
        b.sk.rcvBuf = 4096;
        int sent = 0;
        for (int i = 0; i < 20; i++) sent += k.sendto(a, new byte[1000], LO, 5000) > 0 ? 1 : 0;
        assertEquals(20, sent);
        long queued = 0;
        while (k.recv(b, InetKit.msg(2000), 0) == 1000) queued++;
        assertEquals(20, queued + k.counter("Udp.RcvbufErrors"));
        assertTrue(k.counter("Udp.RcvbufErrors") > 0);
        assertEquals(k.counter("Udp.RcvbufErrors"), k.counter("Udp.InErrors"));
    }

    @Test void reuseportSpreadsByHashAndDeterministically() {
        Socket[] g = new Socket[4];
        for (int i = 0; i < 4; i++) {
            g[i] = k.udp();
            g[i].sk.reusePort = true;
            assertEquals(0, k.bind(g[i], LO, 6000));
        }
        int[] got = new int[4];
        for (int i = 0; i < 64; i++) {
            Socket s = k.udp();
            k.sendto(s, new byte[1], LO, 6000);
            for (int j = 0; j < 4; j++) while (k.recv(g[j], InetKit.msg(4), 0) == 1) got[j]++;
        }
        int total = 0, used = 0;
        for (int n : got) { total += n; if (n > 0) used++; }
        assertEquals(64, total);
        assertTrue(used >= 3, Arrays.toString(got));
    }

    @Test void checksumErrorsAreCounted() {
        byte[] p = io.jnetstack.ipv4.Pkt.udp(InetKit.PEER, 9, InetKit.LOCAL, 5003, "x".getBytes());
        p[26] ^= 0x55;
        k.eth.inject(p);
        assertEquals(1, k.counter("Udp.InCsumErrors"));
        assertEquals(1, k.counter("Udp.InErrors"));
        assertEquals(0, k.counter("Udp.NoPorts"));
    }

    @Test void cmsgsTtlTosPktinfo() {
        assertEquals(0, b.ops.setsockopt(b, 0, 8, new byte[] {1, 0, 0, 0}, 4));  // IP_PKTINFO
        assertEquals(0, b.ops.setsockopt(b, 0, 12, new byte[] {1, 0, 0, 0}, 4)); // IP_RECVTTL
        assertEquals(0, a.ops.setsockopt(a, 0, 2, new byte[] {9, 0, 0, 0}, 4));  // IP_TTL 9
        k.sendto(a, new byte[3], LO, 5000);
        MsgHdr m = InetKit.msg(10);
        m.control = new byte[128];
        m.controllen = 128;
        assertEquals(3, k.recv(b, m, 0));
        assertEquals(32 + 24, m.controllen);      // CMSG_SPACE(12) + CMSG_SPACE(4)
        assertEquals(8, m.control[12]);           // IP_PKTINFO
        assertEquals(1, m.control[16]);           // ifindex of lo
        assertEquals(2, m.control[32 + 12]);      // IP_TTL
        assertEquals(9, m.control[32 + 16]);
    }
}
