package io.jnetstack.syscall;

import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.stack.Stack;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.Net;
import io.jnetstack.unix.Unix;

/** A stack with AF_UNIX on a virtual clock, and an unprivileged process calling into it. */
public class SysFixture {
    public final SimScheduler sched = new SimScheduler();
    public final Stack stack = new Stack("t", sched, 42);
    /** Without stdio descriptors, so the first socket of a test is 0. */
    public final Task task = new Task(1000, io.jnetstack.socket.Credentials.USER, Task.DEFAULT_NOFILE, false);
    public final SocketCalls sys;

    public SysFixture() {
        Unix.install(stack);
        sys = new SocketCalls(stack, task);
    }

    public int[] pair(int type) {
        int[] sv = new int[2];
        int r = sys.socketpair(Net.AF_UNIX, type, 0, sv);
        if (r != 0) throw new AssertionError("socketpair " + r);
        return sv;
    }

    public static byte[] abs(String name) { return SockAddr.unAbstract(name); }

    /**
     * A TCP connection over loopback on {@code port}: {client, accepted}, both non-blocking (the
     * listener stays open). The handshake completes within the calls, on the virtual clock.
     */
    public static int[] loopbackTcpPair(SocketCalls sys, SimScheduler sched, int port) {
        int lo = SockAddr.parseIp("127.0.0.1");
        int l = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        if (sys.bind(l, SockAddr.in(lo, port), 16) != 0 || sys.listen(l, 4) != 0) throw new AssertionError("listen");
        int c = sys.socket(Net.AF_INET, Net.SOCK_STREAM | Net.SOCK_NONBLOCK, 0);
        sys.connect(c, SockAddr.in(lo, port), 16);
        sched.runFor(0);
        int a = sys.accept4(l, null, null, Net.SOCK_NONBLOCK);
        if (a < 0) throw new AssertionError("accept " + a);
        return new int[] {c, a};
    }

    public int setInt(int fd, int opt, int v) { return sys.setsockopt(fd, Net.SOL_SOCKET, opt, SockOpts.intOpt(v), 4); }

    public int getInt(int fd, int opt) {
        byte[] v = new byte[4];
        int[] len = {4};
        int r = sys.getsockopt(fd, Net.SOL_SOCKET, opt, v, len);
        if (r < 0) return r;
        return SockOpts.intAt(v, 0);
    }

    public static byte[] bytes(int n) { return new byte[n]; }
}
