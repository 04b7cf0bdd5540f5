package io.jnetstack.opts;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.In.*;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.TcpOpts.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.Jnetstack;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.udp.UdpSockopt;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Socket options on inet sockets and their effects, each expectation measured on Linux 6.18 (uid 0
 * without capabilities, fresh network namespace), as the syscall-diff cases also check.
 */
class InetOptionsTest {
    final SimScheduler sched = new SimScheduler();
    final Stack stack = Jnetstack.newStack("t", sched, 7);
    final SocketCalls sys = new SocketCalls(stack, new Task(100, new Credentials(0, 0, false, false, false)));
    static final int LO = 0x7f000001;

    int set(int fd, int level, int opt, int v) { return sys.setsockopt(fd, level, opt, SockOpts.intOpt(v), 4); }

    int get(int fd, int level, int opt) {
        byte[] v = new byte[4];
        int r = sys.getsockopt(fd, level, opt, v, new int[] {4});
        return r < 0 ? r : SockOpts.intAt(v, 0);
    }

    // ------------------------------------------------------------ copy-out rules

    @Test void aShortBufferGetsThePartThatFitsThenEfault() {
        int tcp = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, set(tcp, SOL_TCP, TCP_MAXSEG, 0x0218));
        for (int[] lvlOpt : new int[][] {{SOL_TCP, TCP_MAXSEG}, {SOL_IP, IP_TTL}, {SOL_SOCKET, SO_RCVLOWAT}}) {
            byte[] two = new byte[2];
            int[] len = {4};
            assertEquals(-EFAULT, sys.getsockopt(tcp, lvlOpt[0], lvlOpt[1], two, len), Arrays.toString(lvlOpt));
            assertEquals(4, len[0]);
        }
        byte[] two = new byte[2];
        sys.getsockopt(tcp, SOL_TCP, TCP_MAXSEG, two, new int[] {4});
        assertArrayEquals(new byte[] {0x18, 0x02}, two);
        sys.getsockopt(tcp, SOL_IP, IP_TTL, two, new int[] {4});
        assertArrayEquals(new byte[] {64, 0}, two);
    }

    @Test void getsocknameIntoAShortBufferCopiesTheFamilyAndPort() {
        int fd = sys.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, sys.bind(fd, SockAddr.in(LO, 20000), 16));
        byte[] four = new byte[4];
        int[] len = {16};
        assertEquals(-EFAULT, sys.getsockname(fd, four, len));
        assertArrayEquals(new byte[] {AF_INET, 0, (byte) (20000 >> 8), (byte) 20000}, four);
        assertEquals(16, len[0]);
    }

    @Test void unknownLevelsAnswerBeforeTheLengthIsRead() {
        int udp = sys.socket(AF_INET, SOCK_DGRAM, 0), tcp = sys.socket(AF_INET, SOCK_STREAM, 0);
        int udp6 = sys.socket(AF_INET6, SOCK_DGRAM, 0);
        assertEquals(-EOPNOTSUPP, sys.getsockopt(udp, SOL_TCP, TCP_NODELAY, new byte[4], null));
        assertEquals(-EOPNOTSUPP, sys.getsockopt(tcp, SOL_IPV6, IPV6_V6ONLY, new byte[4], new int[] {4}));
        assertEquals(-EOPNOTSUPP, sys.getsockopt(tcp, 12345, 1, new byte[4], new int[] {4}));
        assertEquals(-ENOPROTOOPT, set(tcp, 12345, 1, 1));
        assertEquals(-ENOPROTOOPT, sys.getsockopt(udp6, SOL_TCP, TCP_MAXSEG, new byte[4], new int[] {4}));
        assertEquals(-EOPNOTSUPP, get(udp, SOL_RAW, 1));
        assertEquals(-ENOPROTOOPT, set(udp, SOL_RAW, 1, 1));
        assertEquals(-EFAULT, sys.getsockopt(udp, SOL_SOCKET, SO_TYPE, new byte[4], null));
    }

    // ------------------------------------------------------------ SOL_SOCKET

    @Test void solSocketOptionsOfLinux618() {
        int tcp = sys.socket(AF_INET, SOCK_STREAM, 0), udp = sys.socket(AF_INET, SOCK_DGRAM, 0);
        for (int fd : new int[] {tcp, udp}) {
            assertEquals(-EOPNOTSUPP, set(fd, SOL_SOCKET, SO_PASSCRED, 1));
            assertEquals(-EOPNOTSUPP, get(fd, SOL_SOCKET, SO_PASSCRED));
            assertEquals(-1, get(fd, SOL_SOCKET, SO_PEEK_OFF));
            assertEquals(0, set(fd, SOL_SOCKET, SO_RXQ_OVFL, -1));
            assertEquals(1, get(fd, SOL_SOCKET, SO_RXQ_OVFL));
            assertEquals(0, set(fd, SOL_SOCKET, SO_ZEROCOPY, 1));
            assertEquals(-EINVAL, set(fd, SOL_SOCKET, SO_ZEROCOPY, 2));
            assertEquals(1, get(fd, SOL_SOCKET, SO_ZEROCOPY));
        }
        // tcp_set_rcvlowat: capped at half of tcp_rmem[2] (32 MiB) while rcvbuf is not locked.
        assertEquals(0, set(tcp, SOL_SOCKET, SO_RCVLOWAT, -1));
        assertEquals(16777216, get(tcp, SOL_SOCKET, SO_RCVLOWAT));
    }

    // ------------------------------------------------------------ SOL_TCP

    @ParameterizedTest(name = "TCP_QUICKACK {0} reads {1}")
    @CsvSource({"0, 0", "1, 1", "2, 1", "-1, 1", "-2147483648, 1"})
    void quickackOnlyZeroEntersPingpong(int val, int read) {
        int tcp = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(1, get(tcp, SOL_TCP, TCP_QUICKACK));
        assertEquals(0, set(tcp, SOL_TCP, TCP_QUICKACK, val));
        assertEquals(read, get(tcp, SOL_TCP, TCP_QUICKACK));
    }

    @Test void tcpOptionsStoredAsLinuxValidatesThem() {
        int tcp = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, set(tcp, SOL_TCP, TCP_FASTOPEN, 100000));
        assertEquals(4096, get(tcp, SOL_TCP, TCP_FASTOPEN));          // somaxconn
        assertEquals(-EINVAL, set(tcp, SOL_TCP, TCP_FASTOPEN, -1));
        assertEquals(-EINVAL, set(tcp, SOL_TCP, TCP_FASTOPEN_CONNECT, 2));
        assertEquals(0, set(tcp, SOL_TCP, TCP_FASTOPEN_CONNECT, 1));
        assertEquals(1, get(tcp, SOL_TCP, TCP_FASTOPEN_CONNECT));
        assertEquals(-EINVAL, set(tcp, SOL_TCP, TCP_THIN_LINEAR_TIMEOUTS, 7));
        assertEquals(0, set(tcp, SOL_TCP, TCP_THIN_LINEAR_TIMEOUTS, 1));
        assertEquals(1, get(tcp, SOL_TCP, TCP_THIN_LINEAR_TIMEOUTS));
        assertEquals(-EPERM, set(tcp, SOL_TCP, TCP_REPAIR, 1));        // no CAP_NET_ADMIN
        assertEquals(-EINVAL, sys.setsockopt(tcp, SOL_TCP, TCP_REPAIR, new byte[4], 2));
        assertEquals(0, get(tcp, SOL_TCP, TCP_REPAIR));
        assertEquals(-EPERM, set(tcp, SOL_TCP, TCP_TIMESTAMP, 5));     // only in repair mode
        byte[] ts = new byte[8];
        int[] len = {8};
        assertEquals(0, sys.getsockopt(tcp, SOL_TCP, TCP_TIMESTAMP, ts, len));
        assertEquals(4, len[0]);
    }

    // ------------------------------------------------------------ SOL_IP / SOL_IPV6

    @Test void ipTransparentChecksPrivilegeOnlyToTurnItOn() {
        int fd = sys.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, set(fd, SOL_IP, IP_TRANSPARENT, 0));
        assertEquals(-EPERM, set(fd, SOL_IP, IP_TRANSPARENT, 1));
        assertEquals(-EINVAL, sys.setsockopt(fd, SOL_IP, IP_TRANSPARENT, null, 0));
    }

    @Test void ipv6IntOptions() {
        int tcp6 = sys.socket(AF_INET6, SOCK_STREAM, 0), udp6 = sys.socket(AF_INET6, SOCK_DGRAM, 0);
        assertEquals(0, set(tcp6, SOL_IPV6, IPV6_V6ONLY, 1));
        assertEquals(1, get(tcp6, SOL_IPV6, IPV6_V6ONLY));
        assertEquals(0, sys.setsockopt(tcp6, SOL_IPV6, IPV6_V6ONLY, null, 4)); // NULL reads as 0
        assertEquals(0, get(tcp6, SOL_IPV6, IPV6_V6ONLY));
        assertEquals(-EINVAL, sys.setsockopt(tcp6, SOL_IPV6, IPV6_V6ONLY, new byte[4], 3));
        assertEquals(64, get(tcp6, SOL_IPV6, IPV6_UNICAST_HOPS));
        assertEquals(-EINVAL, set(tcp6, SOL_IPV6, IPV6_UNICAST_HOPS, 256));
        // TCP keeps the ECN bits of the traffic class for itself.
        assertEquals(0, set(tcp6, SOL_IPV6, IPV6_TCLASS, 127));
        assertEquals(124, get(tcp6, SOL_IPV6, IPV6_TCLASS));
        assertEquals(0, set(udp6, SOL_IPV6, IPV6_TCLASS, 127));
        assertEquals(127, get(udp6, SOL_IPV6, IPV6_TCLASS));
        // A negative length compares unsigned: a whole int is copied, into nothing.
        int[] len = {-1};
        assertEquals(-EFAULT, sys.getsockopt(udp6, SOL_IPV6, IPV6_RECVERR, new byte[0], len));
        assertEquals(4, len[0]);
    }

    // ------------------------------------------------------------ SOL_UDP

    @Test void udpOptionValues() {
        int udp = sys.socket(AF_INET, SOCK_DGRAM, 0), tcp = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, set(udp, SOL_UDP, UdpSockopt.UDP_CORK, 7));
        assertEquals(1, get(udp, SOL_UDP, UdpSockopt.UDP_CORK));
        assertEquals(-EINVAL, sys.setsockopt(udp, SOL_UDP, UdpSockopt.UDP_CORK, new byte[4], 3));
        assertEquals(0, set(udp, SOL_UDP, UdpSockopt.UDP_ENCAP, 2));
        assertEquals(-ENOPROTOOPT, set(udp, SOL_UDP, UdpSockopt.UDP_ENCAP, 1));
        assertEquals(2, get(udp, SOL_UDP, UdpSockopt.UDP_ENCAP));
        assertEquals(0, set(udp, SOL_UDP, UdpSockopt.UDP_SEGMENT, 1400));
        assertEquals(-EINVAL, set(udp, SOL_UDP, UdpSockopt.UDP_SEGMENT, 65536));
        assertEquals(1400, get(udp, SOL_UDP, UdpSockopt.UDP_SEGMENT));
        assertEquals(0, set(udp, SOL_UDP, UdpSockopt.UDP_GRO, 5));
        assertEquals(1, get(udp, SOL_UDP, UdpSockopt.UDP_GRO));
        assertEquals(-ENOPROTOOPT, set(udp, SOL_UDP, 105, 1));
        assertEquals(-ENOPROTOOPT, set(tcp, SOL_UDP, UdpSockopt.UDP_CORK, 1));
        assertEquals(-EOPNOTSUPP, get(tcp, SOL_UDP, UdpSockopt.UDP_CORK));
    }

    // ------------------------------------------------------------ effects

    int[] udpPair() {
        int rx = sys.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), tx = sys.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, sys.bind(rx, SockAddr.in(LO, 20000), 16));
        assertEquals(0, sys.connect(tx, SockAddr.in(LO, 20000), 16));
        return new int[] {rx, tx};
    }

    String recv(int fd, int n, int flags) {
        byte[] b = new byte[n];
        int r = sys.recvfrom(fd, b, n, flags, null, null);
        return r < 0 ? "errno " + -r : new String(b, 0, r, StandardCharsets.US_ASCII);
    }

    int send(int fd, String s, int flags) { return sys.sendto(fd, s.getBytes(StandardCharsets.US_ASCII), s.length(), flags, null, 0); }

    @Test void udpCorkJoinsSendsIntoOneDatagram() {
        int[] p = udpPair();
        assertEquals(0, set(p[1], SOL_UDP, UdpSockopt.UDP_CORK, 1));
        assertEquals(2, send(p[1], "ab", 0));
        assertEquals(2, send(p[1], "cd", 0));
        sched.runFor(0);
        assertEquals("errno " + EAGAIN, recv(p[0], 16, 0));
        assertEquals(0, set(p[1], SOL_UDP, UdpSockopt.UDP_CORK, 0));
        sched.runFor(0);
        assertEquals("abcd", recv(p[0], 16, 0));
    }

    @Test void msgMoreHoldsTheDatagramUntilASendWithoutIt() {
        int[] p = udpPair();
        assertEquals(3, send(p[1], "one", MSG_MORE));
        sched.runFor(0);
        assertEquals("errno " + EAGAIN, recv(p[0], 16, 0));
        assertEquals(3, send(p[1], "two", 0));
        sched.runFor(0);
        assertEquals("onetwo", recv(p[0], 16, 0));
    }

    @Test void udpPeekOffsetWalksTheQueue() {
        int[] p = udpPair();
        send(p[1], "abc", 0);
        send(p[1], "defg", 0);
        sched.runFor(0);
        assertEquals(0, set(p[0], SOL_SOCKET, SO_PEEK_OFF, 0));
        assertEquals("ab", recv(p[0], 2, MSG_PEEK));
        assertEquals("c", recv(p[0], 16, MSG_PEEK));     // the rest of the first datagram
        assertEquals("defg", recv(p[0], 16, MSG_PEEK));  // then the next one
        assertEquals(7, get(p[0], SOL_SOCKET, SO_PEEK_OFF));
        assertEquals("abc", recv(p[0], 16, 0));          // a read takes the offset back
        assertEquals(4, get(p[0], SOL_SOCKET, SO_PEEK_OFF));
    }

    /**
     * Loopback (MTU 65536): the MSS announced is capped at 65535 - 40, the SYN-ACK offers 65483,
     * and tcp_bound_to_half_wnd keeps each side's MSS at half the largest window its peer offered.
     * SO_SNDBUF is measured with cubic (bbr, the host default, triples it).
     */
    @Test void loopbackMssIsBoundToHalfThePeersWindow() {
        int l = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, sys.bind(l, SockAddr.in(LO, 20002), 16));
        assertEquals(0, sys.listen(l, 4));
        int c = sys.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        sys.connect(c, SockAddr.in(LO, 20002), 16);
        sched.runFor(0);
        int a = sys.accept4(l, null, null, SOCK_NONBLOCK);
        assertEquals(32741, get(c, SOL_TCP, TCP_MAXSEG));
        assertEquals(32768, get(a, SOL_TCP, TCP_MAXSEG));
        assertEquals(2626560, get(c, SOL_SOCKET, SO_SNDBUF));
        assertEquals(2626560, get(a, SOL_SOCKET, SO_SNDBUF));
    }

    @Test void tcpPeekOffsetPeeksFurtherEachTime() {
        int[] p = io.jnetstack.syscall.SysFixture.loopbackTcpPair(sys, sched, 20001);
        int c = p[0], a = p[1];
        assertEquals(6, send(c, "abcdef", 0));
        sched.runFor(0);
        assertEquals(0, set(a, SOL_SOCKET, SO_PEEK_OFF, 0));
        assertEquals("ab", recv(a, 2, MSG_PEEK));
        assertEquals("cd", recv(a, 2, MSG_PEEK));
        assertEquals("abc", recv(a, 3, 0));
        assertEquals(1, get(a, SOL_SOCKET, SO_PEEK_OFF));
        assertEquals("ef", recv(a, 8, MSG_PEEK));
        // MSG_ERRQUEUE on TCP: nothing was asked for (no SO_ZEROCOPY, no SO_TIMESTAMPING).
        assertEquals("errno " + EAGAIN, recv(a, 8, MSG_ERRQUEUE));
    }
}
