package io.jnetstack.syscall;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockOpts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SOL_SOCKET options; expected values measured on Linux 6.18 with rmem_max = wmem_max = 4194304. */
class SockOptsTest extends SysFixture {
    final int fd;

    SockOptsTest() {
        stack.sysctl().rmemMax.set(4194304);
        stack.sysctl().wmemMax.set(4194304);
        fd = sys.socket(AF_UNIX, SOCK_STREAM, 0);
    }

    @ParameterizedTest(name = "{0} -> rcv {1} snd {2}")
    @CsvSource({"0, 2304, 4608", "1, 2304, 4608", "1000, 2304, 4608", "2303, 4606, 4608", "2304, 4608, 4608",
        "4608, 9216, 9216", "100000, 200000, 200000", "212992, 425984, 425984", "300000, 600000, 600000",
        "-1, 8388608, 8388608", "-100, 8388608, 8388608", "2147483647, 8388608, 8388608"})
    void buffersAreDoubledAndClamped(int val, int rcv, int snd) {
        assertEquals(0, setInt(fd, SO_RCVBUF, val));
        assertEquals(0, setInt(fd, SO_SNDBUF, val));
        assertEquals(rcv, getInt(fd, SO_RCVBUF));
        assertEquals(snd, getInt(fd, SO_SNDBUF));
    }

    @Test void privilegedOptions() {
        assertEquals(-EPERM, setInt(fd, SO_RCVBUFFORCE, 1000));
        assertEquals(-EPERM, setInt(fd, SO_SNDBUFFORCE, 1000));
        assertEquals(-EPERM, setInt(fd, SO_MARK, 5));
        assertEquals(0, setInt(fd, SO_PRIORITY, 6));
        assertEquals(-EPERM, setInt(fd, SO_PRIORITY, 7));
        assertEquals(-EPERM, setInt(fd, SO_PRIORITY, -1));
        assertEquals(6, getInt(fd, SO_PRIORITY));
        task.cred = Credentials.ROOT;
        assertEquals(0, setInt(fd, SO_RCVBUFFORCE, 1000));
        assertEquals(2304, getInt(fd, SO_RCVBUF));
        assertEquals(0, setInt(fd, SO_RCVBUFFORCE, 1000000));
        assertEquals(2000000, getInt(fd, SO_RCVBUF));
        assertEquals(0, setInt(fd, SO_SNDBUFFORCE, -5));
        assertEquals(4608, getInt(fd, SO_SNDBUF));
        assertEquals(0, setInt(fd, SO_PRIORITY, 100));
        assertEquals(100, getInt(fd, SO_PRIORITY));
        assertEquals(0, setInt(fd, SO_MARK, 5));
        assertEquals(5, getInt(fd, SO_MARK));
    }

    @Test void readOnlyAndUnknown() {
        for (int o : new int[] {SO_TYPE, SO_ERROR, SO_ACCEPTCONN, SO_SNDLOWAT, 999})
            assertEquals(-ENOPROTOOPT, setInt(fd, o, 1), "set " + o);
        assertEquals(-ENOPROTOOPT, getInt(fd, 999));
        assertEquals(1, getInt(fd, SO_SNDLOWAT));
        assertEquals(0, getInt(fd, SO_ACCEPTCONN));
        assertEquals(AF_UNIX, getInt(fd, SO_DOMAIN));
        assertEquals(0, getInt(fd, SO_PROTOCOL));
        assertEquals(-1, getInt(fd, SO_INCOMING_CPU));
        assertEquals(0, getInt(fd, SO_BUSY_POLL));
        assertEquals(-EOPNOTSUPP, sys.setsockopt(fd, SOL_TCP, 1, SockOpts.intOpt(1), 4));
        assertEquals(-EOPNOTSUPP, sys.getsockopt(fd, SOL_IP, 1, new byte[4], new int[] {4}));
    }

    @Test void lengthRules() {
        byte[] v = {0x44, 0x33, 0x22, 0x11, 0, 0, 0, 0};
        int[] len = {0};
        assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, v, len));
        assertEquals(0, len[0]);
        assertEquals(0x11223344, SockOpts.intAt(v, 0), "len 0 copies nothing");
        len[0] = 2;
        assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, v, len));
        assertEquals(2, len[0]);
        assertEquals(0x11220001, SockOpts.intAt(v, 0), "two bytes copied");
        len[0] = 8;
        assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, v, len));
        assertEquals(4, len[0]);
        len[0] = -1;
        assertEquals(-EINVAL, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, v, len));
        assertEquals(-EFAULT, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, v, null));
        assertEquals(-EFAULT, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, null, new int[] {4}));
        assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, null, new int[] {0}));
        byte[] shortBuf = new byte[2];
        assertEquals(-EFAULT, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, shortBuf, new int[] {4}));
        assertEquals(1, shortBuf[0], "the bytes before the fault are copied");
        assertEquals(-EOPNOTSUPP, sys.getsockopt(fd, SOL_TCP, 1, v, null), "AF_UNIX: no getsockopt op, length never read");
        assertEquals(-EINVAL, sys.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, SockOpts.intOpt(1), 3));
        assertEquals(-EINVAL, sys.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, SockOpts.intOpt(1), -1));
        assertEquals(-EFAULT, sys.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, null, 4));
        assertEquals(0, sys.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8));
        assertEquals(-EINVAL, sys.setsockopt(fd, SOL_SOCKET, 999, SockOpts.intOpt(1), 0), "length before the name");
        assertEquals(-EBADF, sys.setsockopt(99, SOL_SOCKET, SO_REUSEADDR, null, -1), "descriptor before length");
    }

    @Test void flagsAndLowat() {
        assertEquals(0, setInt(fd, SO_KEEPALIVE, 5));
        assertEquals(1, getInt(fd, SO_KEEPALIVE));
        assertEquals(0, setInt(fd, SO_RCVLOWAT, 0));
        assertEquals(1, getInt(fd, SO_RCVLOWAT));
        assertEquals(0, setInt(fd, SO_RCVLOWAT, -3));
        assertEquals(Integer.MAX_VALUE, getInt(fd, SO_RCVLOWAT));
        assertEquals(-EACCES, setInt(fd, SO_DEBUG, 1));
        assertEquals(-EOPNOTSUPP, setInt(fd, SO_REUSEPORT, 1), "AF_UNIX has no SO_REUSEPORT");
        assertEquals(0, setInt(fd, SO_PEEK_OFF, -1));
        assertEquals(-1, getInt(fd, SO_PEEK_OFF));
        assertEquals(0, setInt(fd, SO_NO_CHECK, 1));
        assertEquals(1, getInt(fd, SO_NO_CHECK));
    }

    @Test void linger() {
        byte[] l = new byte[8];
        SockOpts.putInt(l, 0, 1);
        SockOpts.putInt(l, 4, 5);
        assertEquals(-EINVAL, sys.setsockopt(fd, SOL_SOCKET, SO_LINGER, l, 4));
        assertEquals(0, sys.setsockopt(fd, SOL_SOCKET, SO_LINGER, l, 8));
        byte[] o = new byte[12];
        int[] len = {12};
        assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, SO_LINGER, o, len));
        assertEquals(8, len[0]);
        assertEquals(1, SockOpts.intAt(o, 0));
        assertEquals(5, SockOpts.intAt(o, 4));
        SockOpts.putInt(l, 0, 7);
        SockOpts.putInt(l, 4, -4);
        sys.setsockopt(fd, SOL_SOCKET, SO_LINGER, l, 8);
        len[0] = 8;
        sys.getsockopt(fd, SOL_SOCKET, SO_LINGER, o, len);
        assertEquals(1, SockOpts.intAt(o, 0));
        assertEquals(-1752346657, SockOpts.intAt(o, 4), "MAX_SCHEDULE_TIMEOUT / HZ, truncated to int");
    }

    private byte[] tv(long sec, long usec) {
        byte[] b = new byte[16];
        SockOpts.putLong(b, 0, sec);
        SockOpts.putLong(b, 8, usec);
        return b;
    }

    private String readTimeo(int opt) {
        byte[] o = new byte[16];
        int[] len = {16};
        assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, opt, o, len));
        assertEquals(16, len[0]);
        return SockOpts.longAt(o, 0) + "." + String.format("%06d", SockOpts.longAt(o, 8));
    }

    @Test void timeoutsRoundToJiffies() {
        assertEquals(0, sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv(0, 1), 16));
        assertEquals("0.004000", readTimeo(SO_RCVTIMEO));
        sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv(1, 1500), 16);
        assertEquals("1.004000", readTimeo(SO_RCVTIMEO));
        sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv(2, 3), 16);
        assertEquals("2.004000", readTimeo(SO_RCVTIMEO));
        assertEquals(-EDOM, sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv(0, 1000000), 16));
        assertEquals(-EDOM, sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv(0, -1), 16));
        assertEquals(0, sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv(-1, 0), 16));
        assertEquals("0.000000", readTimeo(SO_RCVTIMEO));
        assertEquals(-EINVAL, sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv(5, 0), 8));
        int[] len = {8};
        assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, new byte[8], len));
        assertEquals(8, len[0]);
        sys.setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, tv(0, 0), 16);
        assertEquals("0.000000", readTimeo(SO_SNDTIMEO));
    }

    @Test void soErrorReadClears() {
        int[] sv = pair(SOCK_STREAM);
        sys.send(sv[1], "x".getBytes(), 1, 0);
        sys.close(sv[1]);
        assertEquals(0, getInt(sv[0], SO_ERROR), "the closer had nothing unread");
        int[] p = pair(SOCK_STREAM);
        sys.send(p[1], "x".getBytes(), 1, 0);
        sys.close(p[0]);
        assertEquals(ECONNRESET, getInt(p[1], SO_ERROR));
        assertEquals(0, getInt(p[1], SO_ERROR));
    }
}
