package io.jnetstack.syscall;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.socket.SockOpts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Blocking calls on the virtual clock: timeouts expire exactly, wake-ups come from the peer. */
class BlockingTest extends SysFixture {

    private void timeo(int fd, int opt, long sec, long usec) {
        byte[] tv = new byte[16];
        SockOpts.putLong(tv, 0, sec);
        SockOpts.putLong(tv, 8, usec);
        assertEquals(0, sys.setsockopt(fd, SOL_SOCKET, opt, tv, 16));
    }

    @Test void recvTimesOutAfterSoRcvtimeo() {
        int[] sv = pair(SOCK_STREAM);
        timeo(sv[0], SO_RCVTIMEO, 1, 500_000);
        long t0 = stack.now();
        assertEquals(-EAGAIN, sys.recv(sv[0], new byte[4], 4, 0));
        assertEquals(1_500_000_000L, stack.now() - t0);
        timeo(sv[0], SO_RCVTIMEO, -1, 0);
        t0 = stack.now();
        assertEquals(-EAGAIN, sys.recv(sv[0], new byte[4], 4, 0), "a negative timeout never waits");
        assertEquals(0, stack.now() - t0);
    }

    @Test void blockedReaderIsWokenByWriter() {
        int[] sv = pair(SOCK_STREAM);
        int[] got = new int[1];
        long[] at = new long[1];
        sched.spawn("reader", () -> { got[0] = sys.recv(sv[0], new byte[8], 8, MSG_WAITALL); at[0] = stack.now(); });
        sched.spawn("writer", () -> {
            sys.send(sv[1], "abcd".getBytes(), 4, 0);
            sys.poll(new PollFd[] {new PollFd(sv[1], io.jnetstack.uapi.Poll.POLLIN)}, 1, 20);
            sys.send(sv[1], "efgh".getBytes(), 4, 0);
            sys.close(sv[1]);
        });
        sched.run();
        assertEquals(8, got[0], "MSG_WAITALL gathers both writes");
        assertEquals(20_000_000L, at[0]);
    }

    @Test void blockedWriterIsWokenByReader() {
        int[] sv = pair(SOCK_STREAM);
        int[] wrote = new int[1];
        sched.spawn("writer", () -> wrote[0] = sys.send(sv[0], new byte[400000], 400000, 0));
        sched.spawn("reader", () -> {
            byte[] b = new byte[65536];
            int total = 0, r;
            while ((r = sys.recv(sv[1], b, b.length, 0)) > 0) { total += r; if (total == 400000) break; }
        });
        sched.run();
        assertEquals(400000, wrote[0]);
    }

    @Test void sndtimeoBoundsABlockedWrite() {
        int[] sv = pair(SOCK_STREAM);
        timeo(sv[0], SO_SNDTIMEO, 0, 100_000);
        long t0 = stack.now();
        assertEquals(219264, sys.send(sv[0], new byte[300000], 300000, 0), "what fitted before the timeout");
        assertEquals(100_000_000L, stack.now() - t0);
        assertEquals(-EAGAIN, sys.send(sv[0], new byte[10], 10, 0));
    }

    @Test void connectWaitsForBacklogAndAcceptWaitsForConnect() {
        int l = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        byte[] a = abs("srv");
        sys.bind(l, a, a.length);
        sys.listen(l, 0);
        int[] res = new int[3];
        sched.spawn("c1", () -> res[0] = sys.connect(sys.socket(AF_UNIX, SOCK_STREAM, 0), a, a.length));
        sched.spawn("c2", () -> res[1] = sys.connect(sys.socket(AF_UNIX, SOCK_STREAM, 0), a, a.length));
        sched.spawn("acceptor", () -> {
            sys.poll(new PollFd[0], 0, 50);
            res[2] = sys.accept(l, null, null) >= 0 && sys.accept(l, null, null) >= 0 ? 2 : -1;
        });
        sched.run();
        assertArrayEquals(new int[] {0, 0, 2}, res, "the second connector waited for accept()");
    }

    @Test void sleepingForeverIsInterruptedWhenTheSimulationEnds() {
        int[] sv = pair(SOCK_STREAM);
        assertEquals(-EINTR, sys.recv(sv[0], new byte[1], 1, 0));
    }

    @Test void traceReadsLikeStrace() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stack.trace().enable(new PrintStream(out, true));
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        sys.bind(s, abs("t"), 4);
        int s2 = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        sys.bind(s2, abs("t"), 4);
        stack.trace().disable();
        String t = out.toString();
        assertTrue(t.contains("socket(AF_UNIX, SOCK_STREAM, 0)"), t);
        assertTrue(t.contains("→ sock_map_fd"), t);
        assertTrue(t.contains("bind(" + s + ", {sa_family=AF_UNIX, sun_path=@\"t\"}, 4)"), t);
        assertTrue(t.contains("= -1 EADDRINUSE (Address already in use)"), t);
    }
}
