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
    public final Task task = new Task(1000, io.jnetstack.socket.Credentials.USER);
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
