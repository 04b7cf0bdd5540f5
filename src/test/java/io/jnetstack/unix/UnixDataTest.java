package io.jnetstack.unix;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.syscall.Cmsg;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.SysFixture;
import io.jnetstack.uapi.Fcntl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Data transfer on AF_UNIX; the counts are what Linux 6.18 gives with the default 212992-byte sndbuf. */
class UnixDataTest extends SysFixture {

    /** Non-blocking writes of {@code size} until EAGAIN: number of writes, bytes, and SIOCOUTQ then. */
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({
        "1, 1, 278, 278, 213504", "1, 100, 278, 27800, 213504", "1, 1000, 93, 93000, 214272",
        "1, 4096, 44, 180224, 214016", "1, 65536, 4, 233152, 238336",
        "2, 1, 278, 278, 213504", "2, 1000, 93, 93000, 214272", "2, 4096, 26, 106496, 219648",
        "2, 65536, 4, 262144, 279552",
        "5, 100, 278, 27800, 213504", "5, 4096, 26, 106496, 219648", "5, 65536, 4, 262144, 279552"})
    void sendBufferFillsAsOnLinux(int type, int size, int writes, long bytes, int outq) {
        int[] sv = pair(type | SOCK_NONBLOCK);
        byte[] buf = new byte[size];
        int n = 0, r;
        long tot = 0;
        while ((r = sys.send(sv[0], buf, size, 0)) > 0) { n++; tot += r; }
        assertEquals(-EAGAIN, r);
        assertEquals(writes, n);
        assertEquals(bytes, tot);
        int[] q = new int[1];
        assertEquals(0, sys.ioctl(sv[0], Fcntl.SIOCOUTQ, q));
        assertEquals(outq, q[0]);
        assertEquals(0, sys.ioctl(sv[1], Fcntl.FIONREAD, q));
        assertEquals(type == SOCK_DGRAM ? size : (int) bytes, q[0]);
    }

    @Test void bigWritesAndDatagramLimits() {
        int[] st = pair(SOCK_STREAM | SOCK_NONBLOCK);
        assertEquals(219264, sys.send(st[0], new byte[300000], 300000, 0));
        int[] dg = pair(SOCK_DGRAM | SOCK_NONBLOCK);
        assertEquals(-EMSGSIZE, sys.send(dg[0], new byte[300000], 300000, 0));
        assertEquals(-EMSGSIZE, sys.send(dg[0], new byte[212992], 212992, 0));
        assertEquals(212000, sys.send(dg[0], new byte[212000], 212000, 0));
        assertEquals(-EAGAIN, sys.send(dg[0], new byte[200000], 200000, 0));
    }

    @Test void truncationAndZeroLength() {
        for (int type : new int[] {SOCK_DGRAM, SOCK_SEQPACKET}) {
            int[] sv = pair(type);
            sys.send(sv[0], "hello world".getBytes(), 11, 0);
            sys.send(sv[0], "hello world".getBytes(), 11, 0);
            sys.send(sv[0], new byte[0], 0, 0);
            MsgHdr m = MsgHdr.of(new byte[5], 5);
            assertEquals(5, sys.recvmsg(sv[1], m, 0));
            assertEquals(MSG_TRUNC, m.flags);
            assertEquals(11, sys.recv(sv[1], new byte[5], 5, MSG_TRUNC));
            assertEquals(0, sys.recv(sv[1], new byte[5], 5, MSG_DONTWAIT), "a zero-length message");
            assertEquals(-EAGAIN, sys.recv(sv[1], new byte[5], 5, MSG_DONTWAIT));
        }
        int[] st = pair(SOCK_STREAM);
        assertEquals(0, sys.send(st[0], new byte[0], 0, 0));
        assertEquals(-EAGAIN, sys.recv(st[1], new byte[0], 0, MSG_DONTWAIT));
        sys.send(st[0], "abc".getBytes(), 3, 0);
        assertEquals(0, sys.recv(st[1], new byte[0], 0, 0));
        assertEquals(-EFAULT, sys.recv(st[1], null, 2, MSG_TRUNC | MSG_DONTWAIT), "stream has no MSG_TRUNC discard");
        assertEquals(-EOPNOTSUPP, sys.send(pair(SOCK_DGRAM)[0], new byte[1], 1, MSG_OOB));
    }

    @Test void peekAndWaitallAndMerge() {
        int[] sv = pair(SOCK_STREAM);
        sys.send(sv[0], "abc".getBytes(), 3, 0);
        sys.send(sv[0], "def".getBytes(), 3, 0);
        byte[] b = new byte[10];
        assertEquals(6, sys.recv(sv[1], b, 10, MSG_PEEK), "peek crosses messages");
        assertEquals("abcdef", new String(b, 0, 6));
        assertEquals(2, sys.recv(sv[1], b, 2, 0));
        assertEquals(4, sys.recv(sv[1], b, 10, 0));
        assertEquals("cdef", new String(b, 0, 4));
        assertEquals(0, setInt(sv[1], SO_PEEK_OFF, 0));
        sys.send(sv[0], "xyz".getBytes(), 3, 0);
        assertEquals(1, sys.recv(sv[1], b, 1, MSG_PEEK));
        assertEquals(1, sys.recv(sv[1], b, 1, MSG_PEEK));
        assertEquals('y', b[0], "SO_PEEK_OFF advances");
    }

    @Test void faultsAtCopyTime() {
        int[] sv = pair(SOCK_STREAM);
        assertEquals(-EFAULT, sys.send(sv[0], null, 5, 0));
        assertEquals(0, sys.send(sv[0], null, 0, 0));
        assertEquals(-EFAULT, sys.send(sv[0], new byte[2], 5, 0));
        assertEquals(-EFAULT, sys.send(sv[0], new byte[8], -1, 0));
        assertEquals(-EAGAIN, sys.recv(sv[1], null, 5, MSG_DONTWAIT), "nothing to copy, no fault");
        sys.send(sv[0], "x".getBytes(), 1, 0);
        assertEquals(-EFAULT, sys.recv(sv[1], null, 5, 0));
        assertEquals(-EFAULT, sys.send(999, null, -1, 0), "the buffer range is checked before the descriptor");
        assertEquals(-EBADF, sys.send(999, null, 0, 0));
    }

    @Test void msghdrValidation() {
        int[] sv = pair(SOCK_STREAM);
        MsgHdr m = new MsgHdr();
        m.iov = new byte[1025][];
        m.iovLen = new int[1025];
        for (int i = 0; i < 1025; i++) { m.iov[i] = new byte[1]; m.iovLen[i] = 1; }
        assertEquals(-EMSGSIZE, sys.sendmsg(sv[0], m, 0));
        assertEquals(-EMSGSIZE, sys.recvmsg(sv[1], m, MSG_DONTWAIT));
        m.iov = java.util.Arrays.copyOf(m.iov, 1024);
        m.iovLen = java.util.Arrays.copyOf(m.iovLen, 1024);
        assertEquals(1024, sys.sendmsg(sv[0], m, 0));
        MsgHdr one = MsgHdr.of(new byte[1], 1);
        one.name = new byte[200];
        one.namelen = -1;
        assertEquals(-EINVAL, sys.sendmsg(sv[0], one, 0));
        assertEquals(-EINVAL, sys.recvmsg(sv[1], one, 0));
        one.namelen = 200;
        assertEquals(-EISCONN, sys.sendmsg(sv[0], one, 0), "namelen is clamped to 128, then the stream says EISCONN");
        one.name = null;
        one.namelen = 0;
        one.controllen = 10;
        assertEquals(-EFAULT, sys.sendmsg(sv[0], one, 0));
        one.control = new byte[8];
        one.controllen = 8;
        assertEquals(1, sys.sendmsg(sv[0], one, 0), "less than a cmsghdr: no messages");
        one.iovLen[0] = -1;
        one.controllen = 0;
        assertEquals(-EINVAL, sys.sendmsg(sv[0], one, 0));
        assertEquals(-EFAULT, sys.sendmsg(sv[0], null, 0));
    }

    @Test void scmRightsPassesFiles() {
        int[] sv = pair(SOCK_DGRAM);
        int[] other = pair(SOCK_STREAM);
        byte[] fds = new byte[8];
        Cmsg.intAt(fds, 0, other[0]);
        Cmsg.intAt(fds, 4, other[1]);
        MsgHdr m = MsgHdr.of("f".getBytes(), 1);
        m.control = Cmsg.build(SOL_SOCKET, SCM_RIGHTS, fds);
        m.controllen = m.control.length;
        assertEquals(1, sys.sendmsg(sv[0], m, 0));
        sys.close(other[0]);
        sys.close(other[1]); // the files live on in flight
        MsgHdr r = MsgHdr.of(new byte[4], 4);
        r.control = new byte[Cmsg.len(4)]; // room for one descriptor only (CMSG_SPACE(4) would hold two)
        r.controllen = r.control.length;
        assertEquals(1, sys.recvmsg(sv[1], r, MSG_CMSG_CLOEXEC));
        assertEquals(MSG_CTRUNC, r.flags);
        assertEquals(Cmsg.len(4), r.controllen);
        assertEquals(SCM_RIGHTS, Cmsg.intAt(r.control, 12));
        int got = Cmsg.intAt(r.control, 16);
        assertEquals(Fcntl.FD_CLOEXEC, sys.fcntl(got, Fcntl.F_GETFD, 0));
        assertEquals(SOCK_STREAM, getInt(got, SO_TYPE));
        // bad descriptors and malformed messages
        Cmsg.intAt(fds, 0, 999);
        m.control = Cmsg.build(SOL_SOCKET, SCM_RIGHTS, fds);
        assertEquals(-EBADF, sys.sendmsg(sv[0], m, 0));
        m.control = Cmsg.build(SOL_SOCKET, 99, fds);
        assertEquals(-EINVAL, sys.sendmsg(sv[0], m, 0));
        m.control = Cmsg.build(SOL_SOCKET, SCM_RIGHTS, fds);
        Cmsg.intAt(m.control, 0, 100); // cmsg_len beyond the buffer
        assertEquals(-EINVAL, sys.sendmsg(sv[0], m, 0));
    }

    @Test void peerCredentials() {
        int[] sv = pair(SOCK_STREAM);
        byte[] v = new byte[12];
        int[] len = {12};
        assertEquals(0, sys.getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, v, len));
        assertEquals(12, len[0]);
        assertEquals(task.pid, Cmsg.intAt(v, 0));
        assertEquals(1000, Cmsg.intAt(v, 4));
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        len[0] = 20;
        assertEquals(0, sys.getsockopt(s, SOL_SOCKET, SO_PEERCRED, v, len));
        assertEquals(12, len[0]);
        assertEquals(0, Cmsg.intAt(v, 0));
        assertEquals(-1, Cmsg.intAt(v, 4));
        assertEquals(0, setInt(sv[1], SO_PASSCRED, 1));
        sys.send(sv[0], "x".getBytes(), 1, 0);
        MsgHdr r = MsgHdr.of(new byte[4], 4);
        r.control = new byte[64];
        r.controllen = 64;
        assertEquals(1, sys.recvmsg(sv[1], r, 0));
        assertEquals(Cmsg.space(12), r.controllen);
        assertEquals(SCM_CREDENTIALS, Cmsg.intAt(r.control, 12));
        assertEquals(task.pid, Cmsg.intAt(r.control, 16));
    }
}
