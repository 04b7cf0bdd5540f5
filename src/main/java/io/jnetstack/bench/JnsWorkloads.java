package io.jnetstack.bench;

import static io.jnetstack.uapi.Net.*;

import io.jnetstack.Jnetstack;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.Wire;
import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.TcpOpts;

/**
 * The workloads on jnetstack: two stacks joined by an in-memory {@link Wire} (bulk, rr, crr), or
 * one stack over its loopback (idle), all driven by the calling thread alone.
 *
 * <p><b>Why this scheduler.</b> The stacks run on a {@link SimScheduler} whose virtual clock is
 * slaved to the wall clock: before each step the driver lets virtual time catch up with the
 * wall time elapsed ({@link Pair#pump}), so timers (delayed ACK, RTO) fire at their real times,
 * while the wire adds no delay and no rate limit. One thread does all the work — the
 * application's system calls and the stack's softirq — with non-blocking sockets in an event
 * loop, exactly like the Linux side of the comparison ({@link LinuxWorkloads}): no thread
 * hand-offs, no sleeps, no idle time, so the wall time per byte is the stack's own cost per byte.
 * (A RealScheduler would add an event-loop thread and a wake-up per hand-off: it measures the
 * scheduler, not the stack.)
 */
public final class JnsWorkloads {
    private JnsWorkloads() {}

    static final int SERVER = 0x0a000001, CLIENT = 0x0a000002, PORT = 5001;
    static final byte[] ONE = {1, 0, 0, 0};
    /** Client ports per client address in the idle run (127.0.0.2, .3 ...). */
    static final int CLIENT_PORTS = 50_000;

    /** Two hosts on a wire of the given MTU, a connected non-blocking TCP pair between them. */
    static final class Pair implements AutoCloseable {
        final SimNet net = new SimNet(1);
        final SimScheduler sched = net.scheduler();
        final SimNet.Host server = net.host("server"), client = net.host("client");
        final SocketCalls srv = server.sys(), cli = client.sys();
        final Wire wire;
        final long wallStart = System.nanoTime(), virtStart = sched.nanos();
        int listenFd = -1, sfd = -1, cfd = -1;

        Pair(int mtu, int features) {
            WireConfig cfg = WireConfig.DEFAULT.withMtu(mtu).withFeatures(features).withLimit(1 << 20);
            wire = net.link(client, "10.0.0.2/24", server, "10.0.0.1/24", cfg, cfg, null);
            listenFd = check(srv.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
            check(srv.setsockopt(listenFd, SOL_SOCKET, SO_REUSEADDR, ONE, 4), "setsockopt");
            check(srv.bind(listenFd, SockAddr.in(SERVER, PORT), 16), "bind");
            check(srv.listen(listenFd, 4096), "listen");
        }

        /** Runs softirq work and every timer due, the virtual clock first catching up with the wall clock. */
        void pump() { sched.runUntilIdle(virtStart + (System.nanoTime() - wallStart)); }

        /** A non-blocking connect and accept; returns {clientFd, serverFd}. */
        int[] connect(boolean noDelay) {
            int c = check(cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
            if (noDelay) check(cli.setsockopt(c, In.IPPROTO_TCP, TcpOpts.TCP_NODELAY, ONE, 4), "setsockopt");
            int r = cli.connect(c, SockAddr.in(SERVER, PORT), 16);
            if (r != -Errno.EINPROGRESS && r != 0) check(r, "connect");
            int s;
            for (int spins = 0; (s = srv.accept4(listenFd, null, null, SOCK_NONBLOCK)) == -Errno.EAGAIN; spins++) {
                if (spins > 1_000_000) throw new IllegalStateException("accept: no connection arrived");
                pump();
            }
            check(s, "accept");
            if (noDelay) check(srv.setsockopt(s, In.IPPROTO_TCP, TcpOpts.TCP_NODELAY, ONE, 4), "setsockopt");
            return new int[] {c, s};
        }

        /** Packets the wire carried both ways so far. */
        long packets() { return wire.statsAb().delivered + wire.statsBa().delivered; }

        @Override public void close() { net.close(); }
    }

    static int check(int r, String what) {
        if (r < 0) throw new IllegalStateException(what + ": " + Errno.describe(r));
        return r;
    }

    /**
     * bulk: one flow client → server, 64 KiB sends, 256 KiB receives, for {@code warmNs} of
     * warm-up and then {@code runNs} measured. Also reports bytes allocated per packet by the
     * (only) thread during the measured window.
     */
    public static Bulk bulk(int mtu, int features, long warmNs, long runNs) {
        try (Pair p = new Pair(mtu, features)) {
            int[] fds = p.connect(false);
            byte[] out = new byte[64 * 1024], in = new byte[256 * 1024];
            Meter m = new Meter();
            long t0 = System.nanoTime(), measureFrom = t0 + warmNs, end = measureFrom + runNs;
            long received = 0;
            boolean measuring = false;
            for (long now = t0; now < end; now = System.nanoTime()) {
                if (!measuring && now >= measureFrom) {
                    measuring = true;
                    m.start(received, p.packets());
                }
                while (p.cli.send(fds[0], out, out.length, MSG_DONTWAIT) > 0) { /* fill the send buffer */ }
                p.pump();
                int n;
                while ((n = p.srv.recv(fds[1], in, in.length, MSG_DONTWAIT)) > 0) received += n;
                if (n < 0 && n != -Errno.EAGAIN) check(n, "recv");
                p.pump();
            }
            return m.stop(received, p.packets());
        }
    }

    /** What a bulk run measured over its window. */
    public record Bulk(long bytes, long nanos, double cpuSeconds, long packets, long allocatedBytes) {
        public double gbitPerSec() { return bytes * 8.0 / nanos; }

        public double cpuSecondsPerGB() { return bytes == 0 ? Double.NaN : cpuSeconds / (bytes / 1e9); }

        public double allocatedPerPacket() { return packets == 0 ? Double.NaN : (double) allocatedBytes / packets; }
    }

    /** Wall, process CPU and this thread's allocation over a window. */
    static final class Meter {
        long bytes0, packets0, wall0, cpu0, alloc0;

        void start(long bytes, long packets) {
            bytes0 = bytes;
            packets0 = packets;
            alloc0 = Jvm.threadAllocatedBytes();
            cpu0 = Jvm.processCpuNanos();
            wall0 = System.nanoTime();
        }

        Bulk stop(long bytes, long packets) {
            long wall = System.nanoTime() - wall0;
            long cpu = Jvm.processCpuNanos() - cpu0;
            long alloc = Jvm.threadAllocatedBytes() - alloc0;
            return new Bulk(bytes - bytes0, wall, cpu / 1e9, packets - packets0, alloc);
        }
    }

    /** rr: 1-byte request, 1-byte response on one connection (TCP_NODELAY both ends). */
    public static Latencies rr(long warmNs, long runNs) {
        try (Pair p = new Pair(1500, 0)) {
            int[] fds = p.connect(true);
            int c = fds[0], s = fds[1];
            byte[] b = new byte[1];
            Latencies lat = new Latencies();
            long t0 = System.nanoTime(), measureFrom = t0 + warmNs, end = measureFrom + runNs;
            for (long now = t0; now < end; ) {
                check(p.cli.send(c, b, 1, MSG_DONTWAIT), "send");
                p.pump();
                awaitByte(p, p.srv, s, b);
                check(p.srv.send(s, b, 1, MSG_DONTWAIT), "send");
                p.pump();
                awaitByte(p, p.cli, c, b);
                long after = System.nanoTime();
                if (now >= measureFrom) lat.add(after - now);
                now = after;
            }
            return lat;
        }
    }

    private static void awaitByte(Pair p, SocketCalls sys, int fd, byte[] b) {
        int n;
        while ((n = sys.recv(fd, b, 1, MSG_DONTWAIT)) == -Errno.EAGAIN) p.pump();
        if (n != 1) throw new IllegalStateException("recv: " + (n < 0 ? Errno.describe(n) : "end of stream"));
    }

    /**
     * crr: connect, 1-byte request and response, close, one connection after another. The client
     * closes with SO_LINGER 0 (an RST, as on the Linux side) so that no TIME_WAIT piles up and
     * ephemeral ports never run out, whatever the run's length.
     */
    public static Latencies crr(long warmNs, long runNs) {
        try (Pair p = new Pair(1500, 0)) {
            byte[] b = new byte[1];
            byte[] linger0 = new byte[8];
            linger0[0] = 1; // struct linger { l_onoff = 1, l_linger = 0 }
            Latencies lat = new Latencies();
            long t0 = System.nanoTime(), measureFrom = t0 + warmNs, end = measureFrom + runNs;
            for (long now = t0; now < end; ) {
                int[] fds = p.connect(true);
                int c = fds[0], s = fds[1];
                check(p.cli.send(c, b, 1, MSG_DONTWAIT), "send");
                p.pump();
                awaitByte(p, p.srv, s, b);
                check(p.srv.send(s, b, 1, MSG_DONTWAIT), "send");
                p.pump();
                awaitByte(p, p.cli, c, b);
                check(p.cli.setsockopt(c, SOL_SOCKET, SO_LINGER, linger0, 8), "setsockopt");
                check(p.cli.close(c), "close");
                p.pump();
                check(p.srv.close(s), "close");
                p.pump();
                long after = System.nanoTime();
                if (now >= measureFrom) lat.add(after - now);
                now = after;
            }
            return lat;
        }
    }

    /**
     * idle: heap retained per established socket with {@code conns} idle connections open over
     * one stack's loopback (both ends live in this heap: the figure is the heap growth divided by
     * the 2 × conns sockets, the per-socket cost a server pays per idle client).
     */
    public static Idle idle(int conns) {
        Stack stack = null;
        SimScheduler sched = new SimScheduler();
        long before = Jvm.heapUsedAfterGc();
        stack = Jnetstack.newStack("idle", sched, 7);
        SocketCalls sys = new SocketCalls(stack, new Task(100, Credentials.ROOT));
        check(sys.setRlimitNofile(2 * conns + 100), "setrlimit");
        int ports = 4;
        int[] listeners = new int[ports];
        int lo = 0x7f000001;
        for (int i = 0; i < ports; i++) {
            listeners[i] = check(sys.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
            check(sys.bind(listeners[i], SockAddr.in(lo, PORT + i), 16), "bind");
            check(sys.listen(listeners[i], 4096), "listen");
        }
        long baseline = Jvm.heapUsedAfterGc();
        int[] fds = new int[2 * conns];
        for (int i = 0; i < conns; i++) {
            int l = i % ports;
            int c = check(sys.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
            // Each client binds its own (address, port): connect()'s ephemeral port search walks the
            // range from one offset per destination, which is quadratic over 100 000 connections.
            check(sys.bind(c, SockAddr.in(lo + 1 + i / CLIENT_PORTS, 10_000 + i % CLIENT_PORTS), 16), "bind #" + i);
            int r = sys.connect(c, SockAddr.in(lo, PORT + l), 16);
            if (r != -Errno.EINPROGRESS && r != 0) check(r, "connect #" + i);
            sched.runUntilIdle(sched.nanos());
            fds[2 * i] = c;
            fds[2 * i + 1] = check(sys.accept4(listeners[l], null, null, SOCK_NONBLOCK), "accept #" + i);
        }
        sched.runUntilIdle(sched.nanos());
        long after = Jvm.heapUsedAfterGc();
        long perSocket = (after - baseline) / (2L * conns);
        // Keep everything reachable until after the measurement.
        java.lang.ref.Reference.reachabilityFence(stack);
        java.lang.ref.Reference.reachabilityFence(fds);
        return new Idle(conns, baseline - before, after - baseline, perSocket);
    }

    /** Heap figures of the idle run: the stack itself, all connections, and per socket. */
    public record Idle(int connections, long stackBytes, long connectionsBytes, long perSocketBytes) {}

    /** NETIF_F_* of a veth-like device at 64 KiB: segmentation and checksum offload. */
    static final int OFFLOAD = NetDevice.F_TSO | NetDevice.F_HW_CSUM | NetDevice.F_RXCSUM;
}
