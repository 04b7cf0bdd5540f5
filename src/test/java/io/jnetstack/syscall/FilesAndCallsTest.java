package io.jnetstack.syscall;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.NetProtoFamily;
import io.jnetstack.socket.ProtoOps;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.socket.Socket;
import io.jnetstack.uapi.Fcntl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Descriptors, fcntl, ioctl, limits, the socketcall multiplexer, SIGPIPE and mmsg batching. */
class FilesAndCallsTest extends SysFixture {

    /** A family whose every op throws: the syscall layer must answer -EIO and count a bug. */
    static final class Broken implements NetProtoFamily, ProtoOps {
        @Override public int family() { return AF_APPLETALK; }
        @Override public int create(Socket sock, int protocol, boolean kern, Credentials cred) {
            sock.ops = this;
            sock.graft(new Sock(sock.stack, AF_APPLETALK, sock.type, protocol) { });
            return 0;
        }
        @Override public int release(Socket sock) { return 0; }
        @Override public int bind(Socket sock, byte[] addr, int addrlen) { throw new IllegalStateException("boom"); }
        @Override public int connect(Socket sock, byte[] addr, int addrlen, int fileFlags) { return -EOPNOTSUPP; }
        @Override public int getname(Socket sock, byte[] out, boolean peer) { return -EOPNOTSUPP; }
        @Override public int poll(Socket sock) { return 0; }
        @Override public int shutdown(Socket sock, int how) { return 0; }
        @Override public int sendmsg(Socket sock, MsgHdr msg, int flags) { return -EOPNOTSUPP; }
        @Override public int recvmsg(Socket sock, MsgHdr msg, int flags) { return -EOPNOTSUPP; }
    }

    @Test void unexpectedExceptionsBecomeEio() {
        Families.of(stack).register(new Broken());
        int fd = sys.socket(AF_APPLETALK, SOCK_DGRAM, 0);
        assertTrue(fd >= 0);
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(-EIO, sys.bind(fd, new byte[16], 16));
            assertEquals(-EIO, sys.bind(fd, new byte[16], 16));
        } finally {
            System.setErr(err);
        }
        assertEquals(2, sys.bugs());
        assertEquals(-ENOTTY, sys.ioctl(fd, Fcntl.FIONREAD, new int[1]), "ENOIOCTLCMD becomes ENOTTY");
        assertEquals(-ENOPROTOOPT, sys.setsockopt(fd, SOL_IP, 1, SockOpts.intOpt(1), 4));
    }

    @Test void badDescriptors() {
        assertEquals(-EBADF, sys.close(999));
        assertEquals(-EBADF, sys.close(-1));
        assertEquals(-EBADF, sys.bind(-1, null, 0));
        assertEquals(-EBADF, sys.listen(5, 1));
        assertEquals(-EBADF, sys.fcntl(5, Fcntl.F_GETFL, 0));
        assertEquals(-EBADF, sys.ioctl(5, Fcntl.FIONREAD, new int[1]));
        int ep = sys.epollCreate1(0);
        assertEquals(-ENOTSOCK, sys.listen(ep, 1));
        assertEquals(-ENOTSOCK, sys.send(ep, new byte[1], 1, 0));
        assertEquals(-ENOTSOCK, sys.shutdown(ep, 9));
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(0, sys.close(s));
        assertEquals(-EBADF, sys.close(s));
    }

    @Test void emfileAndEnfile() {
        assertEquals(0, sys.setRlimitNofile(5));
        for (int i = 0; i < 5; i++) assertEquals(i, sys.socket(AF_UNIX, SOCK_STREAM, 0));
        assertEquals(-EMFILE, sys.socket(AF_UNIX, SOCK_STREAM, 0));
        assertEquals(-EINVAL, sys.socket(AF_UNIX, 99, 0), "the type is checked before a descriptor is taken");
        assertEquals(-EMFILE, sys.socketpair(AF_UNIX, SOCK_STREAM, 0, new int[2]));
        assertEquals(-EMFILE, sys.socketpair(AF_UNIX, SOCK_STREAM, 0, null), "descriptors before sv");
        assertEquals(-EINVAL, sys.socketpair(AF_UNIX, 99, 0, new int[2]));
        assertEquals(-EMFILE, sys.epollCreate1(0));
        sys.close(4);
        assertEquals(-EMFILE, sys.socketpair(AF_UNIX, SOCK_STREAM, 0, new int[2]), "needs two");
        assertEquals(-EINVAL, sys.setRlimitNofile(-1));
        assertEquals(0, sys.setRlimitNofile(1024));
        long open = stack.openFiles;
        stack.sysctl().fileMax.set(open + 1);
        assertTrue(sys.socket(AF_UNIX, SOCK_STREAM, 0) >= 0);
        assertEquals(-ENFILE, sys.socket(AF_UNIX, SOCK_STREAM, 0));
        assertEquals(0, sys.setRlimitNofile(5));
        assertEquals(-EMFILE, sys.socket(AF_UNIX, SOCK_STREAM, 0), "EMFILE is found before ENFILE");
        task.cred = Credentials.ROOT;
        assertEquals(0, sys.setRlimitNofile(1024));
        assertTrue(sys.socket(AF_UNIX, SOCK_STREAM, 0) >= 0, "CAP_SYS_ADMIN ignores fs.file-max");
    }

    @Test void fcntl() {
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Fcntl.O_RDWR, sys.fcntl(s, Fcntl.F_GETFL, 0));
        assertEquals(-EINVAL, sys.fcntl(s, Fcntl.F_SETFL, ~0), "O_DIRECT");
        assertEquals(0, sys.fcntl(s, Fcntl.F_SETFL, Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.O_ASYNC | Fcntl.O_NOATIME));
        assertEquals(273410, sys.fcntl(s, Fcntl.F_GETFL, 0));
        assertEquals(0, sys.fcntl(s, Fcntl.F_SETFL, Fcntl.O_WRONLY | 0x40 | 0x200));
        assertEquals(Fcntl.O_RDWR, sys.fcntl(s, Fcntl.F_GETFL, 0));
        assertEquals(0, sys.fcntl(s, Fcntl.F_SETFD, 3));
        assertEquals(1, sys.fcntl(s, Fcntl.F_GETFD, 0));
        assertEquals(100, sys.fcntl(s, Fcntl.F_DUPFD, 100));
        assertEquals(-EINVAL, sys.fcntl(s, Fcntl.F_DUPFD, -1));
        assertEquals(-EINVAL, sys.fcntl(s, Fcntl.F_DUPFD, 1024));
        assertEquals(1023, sys.fcntl(s, Fcntl.F_DUPFD, 1023));
        int d = sys.fcntl(s, Fcntl.F_DUPFD_CLOEXEC, 0);
        assertEquals(1, d);
        assertEquals(1, sys.fcntl(d, Fcntl.F_GETFD, 0));
        assertEquals(-EINVAL, sys.fcntl(s, 9999, 0));
        // the duplicate keeps the socket alive after the original closes
        sys.close(s);
        assertEquals(SOCK_STREAM, getInt(d, SO_TYPE));
    }

    @Test void ioctl() {
        int[] sv = pair(SOCK_STREAM);
        sys.send(sv[0], new byte[1030], 1030, 0);
        int[] q = new int[1];
        assertEquals(0, sys.ioctl(sv[1], Fcntl.FIONREAD, q));
        assertEquals(1030, q[0]);
        assertEquals(0, sys.ioctl(sv[0], Fcntl.SIOCOUTQ, q));
        assertEquals(2304, q[0]);
        assertEquals(-EFAULT, sys.ioctl(sv[1], Fcntl.FIONREAD, null));
        assertEquals(-ENOTTY, sys.ioctl(sv[1], 0x1234, q));
        assertEquals(0, sys.ioctl(sv[1], Fcntl.SIOCATMARK, q));
        assertEquals(-EFAULT, sys.ioctl(sv[1], Fcntl.FIONBIO, null));
        assertEquals(0, sys.ioctl(sv[1], Fcntl.FIONBIO, new int[] {5}));
        assertEquals(Fcntl.O_RDWR | Fcntl.O_NONBLOCK, sys.fcntl(sv[1], Fcntl.F_GETFL, 0));
        assertEquals(0, sys.ioctl(sv[1], Fcntl.FIOCLEX, null));
        assertEquals(1, sys.fcntl(sv[1], Fcntl.F_GETFD, 0));
        int l = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        sys.bind(l, abs("l"), 3);
        sys.listen(l, 1);
        assertEquals(-EINVAL, sys.ioctl(l, Fcntl.FIONREAD, q));
    }

    @Test void sigpipeOnlyForStreams() {
        int[] st = pair(SOCK_STREAM);
        sys.close(st[1]);
        assertEquals(-EPIPE, sys.send(st[0], new byte[1], 1, 0));
        assertTrue(task.takeSignal(Task.SIGPIPE));
        assertEquals(-EPIPE, sys.send(st[0], new byte[1], 1, MSG_NOSIGNAL));
        assertFalse(task.takeSignal(Task.SIGPIPE));
        int[] sq = pair(SOCK_SEQPACKET);
        sys.shutdown(sq[0], SHUT_WR);
        assertEquals(-EPIPE, sys.send(sq[0], new byte[1], 1, 0));
        int[] dg = pair(SOCK_DGRAM);
        sys.shutdown(dg[0], SHUT_WR);
        assertEquals(-EPIPE, sys.send(dg[0], new byte[1], 1, 0));
        assertEquals(0, task.pendingSignals());
        assertEquals(1, task.raisedCount(Task.SIGPIPE));
    }

    @Test void socketcallMultiplexes() {
        int fd = sys.socketcall(SYS_SOCKET, AF_UNIX, SOCK_DGRAM, 0);
        assertTrue(fd >= 0);
        byte[] a = abs("sc");
        assertEquals(0, sys.socketcall(SYS_BIND, fd, a, a.length));
        int c = sys.socketcall(SYS_SOCKET, AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(2, sys.socketcall(SYS_SENDTO, c, "hi".getBytes(), 2, 0, a, a.length));
        byte[] b = new byte[4];
        assertEquals(2, sys.socketcall(SYS_RECV, fd, b, 4, 0));
        int[] sv = new int[2];
        assertEquals(0, sys.socketcall(SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM, 0, sv));
        assertEquals(0, sys.socketcall(SYS_SHUTDOWN, sv[0], SHUT_WR));
        assertEquals(0, sys.socketcall(SYS_SETSOCKOPT, fd, SOL_SOCKET, SO_RCVBUF, SockOpts.intOpt(5000), 4));
        int[] len = {4};
        assertEquals(0, sys.socketcall(SYS_GETSOCKOPT, fd, SOL_SOCKET, SO_RCVBUF, b, len));
        assertEquals(10000, SockOpts.intAt(b, 0));
        assertEquals(-EOPNOTSUPP, sys.socketcall(SYS_LISTEN, fd, 1));
        assertEquals(1, sys.socketcall(SYS_SENDMMSG, sv[1], new MMsgHdr[] {new MMsgHdr(MsgHdr.of(b, 1))}, 1, 0));
        assertEquals(-EINVAL, sys.socketcall(0));
        assertEquals(-EINVAL, sys.socketcall(21, 1, 2, 3));
        assertEquals(-EFAULT, sys.socketcall(SYS_SOCKET, AF_UNIX, SOCK_DGRAM), "too few arguments");
        assertEquals(-EFAULT, sys.socketcall(SYS_BIND, fd, "not bytes", 3));
        assertEquals(-EFAULT, sys.socketcall(SYS_SOCKET, null, 1, 0));
        assertEquals(-EOPNOTSUPP, sys.socketcall(SYS_ACCEPT4, fd, null, null, 0));
        assertEquals(-ENOTCONN, sys.socketcall(SYS_GETPEERNAME, fd, new byte[16], new int[] {16}));
    }

    @Test void mmsgBatches() {
        int[] sv = pair(SOCK_DGRAM);
        MMsgHdr[] mm = new MMsgHdr[3];
        for (int i = 0; i < 3; i++) mm[i] = new MMsgHdr(MsgHdr.of(new byte[10], 10));
        assertEquals(3, sys.sendmmsg(sv[0], mm, 3, 0));
        assertEquals(10, mm[2].len);
        mm[1].hdr.iov = new byte[2000][];
        mm[1].hdr.iovLen = new int[2000];
        assertEquals(1, sys.sendmmsg(sv[0], mm, 3, 0), "partial success");
        assertEquals(-EMSGSIZE, sys.sendmmsg(sv[0], java.util.Arrays.copyOfRange(mm, 1, 3), 2, 0));
        assertEquals(0, sys.sendmmsg(sv[0], mm, 0, 0));
        assertEquals(-EFAULT, sys.sendmmsg(sv[0], null, 1, 0));
        assertEquals(-EBADF, sys.sendmmsg(99, mm, 0, 0));
        for (int i = 0; i < 3; i++) mm[i] = new MMsgHdr(MsgHdr.of(new byte[10], 10));
        assertEquals(3, sys.recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, -1));
        assertEquals(1, sys.recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, -1));
        assertEquals(-EAGAIN, sys.recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, -1));
        assertEquals(0, sys.recvmmsg(sv[1], mm, 0, MSG_DONTWAIT, -1));
        sys.send(sv[0], "x".getBytes(), 1, 0);
        sys.send(sv[0], "y".getBytes(), 1, 0);
        assertEquals(2, sys.recvmmsg(sv[1], mm, 3, MSG_WAITFORONE, -1), "MSG_WAITFORONE stops at an empty queue");
    }
}
