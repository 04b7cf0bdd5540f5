package io.jnetstack.socket;

import static io.jnetstack.uapi.ErrQueue.*;
import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.Poll.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.Jnetstack;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.TcpOpts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * sk_error_queue over loopback: MSG_ZEROCOPY completions (acknowledged data, coalesced ranges,
 * the copied code), TCP transmit timestamps keyed to each send's last byte, POLLERR while the
 * queue holds something, EAGAIN when it is empty, and TCP_CM_INQ. The expectations are Linux
 * 6.18's over loopback (the syscall-diff cases errqueue/* check the same against the host).
 */
class ErrorQueueTest {
    final SimScheduler sched = new SimScheduler();
    final Stack stack = Jnetstack.newStack("t", sched, 7);
    final SocketCalls sys = new SocketCalls(stack, new Task(100, new Credentials(0, 0, false, false, false)));
    static final int LO = 0x7f000001;

    /** {client, accepted}, both non-blocking. */
    int[] pair() { return io.jnetstack.syscall.SysFixture.loopbackTcpPair(sys, sched, 20001); }

    int setInt(int fd, int level, int opt, int v) { return sys.setsockopt(fd, level, opt, SockOpts.intOpt(v), 4); }

    int send(int fd, String s, int flags) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return sys.sendto(fd, b, b.length, flags, null, 0);
    }

    /** One recvmsg(MSG_ERRQUEUE): the result, then the cmsgs as (level, type, data) in {@link #cmsgs}. */
    int errqueue(int fd, MsgHdr m) {
        m.control = new byte[256];
        m.controllen = 256;
        return sys.recvmsg(fd, m, MSG_ERRQUEUE);
    }

    /** The sock_extended_err of the IP_RECVERR cmsg: errno, origin, type, code, info, data. */
    static int[] extendedErr(MsgHdr m) {
        ByteBuffer b = ByteBuffer.wrap(m.control, 0, m.controllen).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 16) {
            int start = b.position();
            int len = (int) b.getLong();
            int level = b.getInt(), type = b.getInt();
            if (level == SOL_IP && type == In.IP_RECVERR) {
                int errno = b.getInt(), origin = b.get() & 0xff, eeType = b.get() & 0xff, code = b.get() & 0xff;
                b.get();                                    // ee_pad
                return new int[] {errno, origin, eeType, code, b.getInt(), b.getInt()};
            }
            b.position(start + ((len + 7) & ~7));
        }
        return null;
    }

    boolean pollErr(int fd) {
        PollFd[] p = {new PollFd(fd, POLLIN | POLLOUT)};
        sys.poll(p, 1, 0);
        return (p[0].revents & POLLERR) != 0;
    }

    @Test void anEmptyQueueIsEagainEvenOnABlockingOrListeningSocket() {
        int s = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(-EAGAIN, errqueue(s, MsgHdr.of(new byte[8], 8)));
        assertEquals(0, sys.bind(s, SockAddr.in(LO, 20002), 16));
        assertEquals(0, sys.listen(s, 1));
        assertEquals(-EAGAIN, errqueue(s, MsgHdr.of(new byte[8], 8)));
        assertEquals(-ENOTCONN, sys.recvmsg(s, MsgHdr.of(new byte[8], 8), 0));
    }

    @Test void zerocopyCompletesWhenAckedAndCoalescesConsecutiveSends() {
        int[] p = pair();
        assertEquals(5, send(p[0], "plain", 0));
        sched.runFor(0);
        assertEquals(0, setInt(p[0], SOL_SOCKET, SO_ZEROCOPY, 1));
        assertEquals(3, send(p[0], "one", MSG_ZEROCOPY));
        sched.runFor(0);
        assertEquals(3, send(p[0], "two", MSG_ZEROCOPY));
        sched.runFor(0);
        assertTrue(pollErr(p[0]));
        MsgHdr m = MsgHdr.of(new byte[8], 8);
        assertEquals(0, errqueue(p[0], m));
        assertEquals(MSG_ERRQUEUE, m.flags);
        assertArrayEquals(new int[] {0, SO_EE_ORIGIN_ZEROCOPY, 0, SO_EE_CODE_ZEROCOPY_COPIED, 0, 1}, extendedErr(m));
        assertFalse(pollErr(p[0]));
        assertEquals(-EAGAIN, errqueue(p[0], MsgHdr.of(new byte[8], 8)));
        // The normal read path never sees the notifications.
        assertEquals(-EAGAIN, sys.recvfrom(p[0], new byte[8], 8, 0, null, null));
    }

    @Test void zerocopyWithoutSoZerocopyIsAPlainSend() {
        int[] p = pair();
        assertEquals(5, send(p[0], "plain", MSG_ZEROCOPY));
        sched.runFor(0);
        assertEquals(-EAGAIN, errqueue(p[0], MsgHdr.of(new byte[8], 8)));
    }

    @Test void txTimestampsAreKeyedToTheLastByteOfEachSend() {
        int[] p = pair();
        int flags = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_TX_ACK
                | SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_SOFTWARE;
        assertEquals(0, setInt(p[0], SOL_SOCKET, SO_TIMESTAMPING_OLD, flags));
        assertEquals(3, send(p[0], "abc", 0));
        sched.runFor(0);
        assertEquals(5, send(p[0], "defgh", 0));
        sched.runFor(0);
        int[][] want = {{SCM_TSTAMP_SCHED, 2}, {SCM_TSTAMP_SND, 2}, {SCM_TSTAMP_ACK, 2},
                        {SCM_TSTAMP_SCHED, 7}, {SCM_TSTAMP_SND, 7}, {SCM_TSTAMP_ACK, 7}};
        for (int[] w : want) {
            MsgHdr m = MsgHdr.of(new byte[0], 0);
            assertEquals(0, errqueue(p[0], m));
            assertEquals(MSG_ERRQUEUE | MSG_TRUNC, m.flags, "the stamped packet comes back too");
            ByteBuffer b = ByteBuffer.wrap(m.control).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(SOL_SOCKET, b.getInt(8));
            assertEquals(SCM_TIMESTAMPING, b.getInt(12));
            long ns = b.getLong(16) * 1_000_000_000L + b.getLong(24);
            assertEquals(stack.realtime(), ns, "loopback: all at the same virtual instant");
            assertArrayEquals(new int[] {ENOMSG, SO_EE_ORIGIN_TIMESTAMPING, 0, 0, w[0], w[1]}, extendedErr(m));
        }
        assertEquals(-EAGAIN, errqueue(p[0], MsgHdr.of(new byte[8], 8)));
    }

    @Test void optIdOnAClosedTcpSocketIsEinval() {
        int s = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(-EINVAL, setInt(s, SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_OPT_ID));
        assertEquals(-EINVAL, setInt(s, SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_OPT_STATS));
        assertEquals(0, setInt(s, SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_TX_ACK));
    }

    @Test void tcpInqReportsWhatIsLeftAndOneForFin() {
        int[] p = pair();
        assertEquals(-EINVAL, setInt(p[1], SOL_TCP, TcpOpts.TCP_INQ, 2));
        assertEquals(0, setInt(p[1], SOL_TCP, TcpOpts.TCP_INQ, 1));
        assertEquals(11, send(p[0], "hello world", 0));
        assertEquals(0, sys.shutdown(p[0], SHUT_WR));
        sched.runFor(0);
        int[] inq = new int[2];
        for (int i = 0; i < 2; i++) {
            MsgHdr m = MsgHdr.of(new byte[6], 6);
            m.control = new byte[64];
            m.controllen = 64;
            assertTrue(sys.recvmsg(p[1], m, 0) > 0);
            ByteBuffer b = ByteBuffer.wrap(m.control).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(SOL_TCP, b.getInt(8));
            assertEquals(TcpOpts.TCP_CM_INQ, b.getInt(12));
            inq[i] = b.getInt(16);
        }
        assertArrayEquals(new int[] {5 + 1, 1}, inq);
    }
}
