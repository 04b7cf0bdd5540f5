package io.jnetstack.jmh;

import static io.jnetstack.uapi.Net.*;

import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.uapi.Errno;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One in-order data segment through the whole path: send(1448 bytes) on one stack, TCP output,
 * IPv4 output, the Wire, IPv4 input and the TCP receive fast path (tcp_rcv_established) on the
 * other, the ACK back, and recv() — two stacks on a SimScheduler driven by this thread. With
 * {@code -prof gc}, gc.alloc.rate.norm is the bytes allocated per segment.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1) @Measurement(iterations = 5, time = 1) @Fork(1)
@State(Scope.Thread)
public class SegmentPathBench {
    SimNet net;
    SocketCalls srv, cli;
    int cfd, sfd;
    final byte[] out = new byte[1448], in = new byte[65536];

    @Setup public void setup() {
        net = new SimNet(1);
        SimNet.Host a = net.host("server"), b = net.host("client");
        WireConfig cfg = WireConfig.DEFAULT.withMtu(1500);
        net.link(b, "10.0.0.2/24", a, "10.0.0.1/24", cfg, cfg, null);
        srv = a.sys();
        cli = b.sys();
        int l = srv.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        srv.bind(l, SockAddr.in(0x0a000001, 5001), 16);
        srv.listen(l, 16);
        cfd = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        cli.connect(cfd, SockAddr.in(0x0a000001, 5001), 16);
        pump();
        sfd = srv.accept4(l, null, null, SOCK_NONBLOCK);
        if (sfd < 0) throw new IllegalStateException("accept: " + Errno.describe(sfd));
    }

    void pump() { net.scheduler().runUntilIdle(net.scheduler().nanos()); }

    @Benchmark public int segment() {
        int n = cli.send(cfd, out, out.length, MSG_DONTWAIT);
        pump();
        int r = srv.recv(sfd, in, in.length, MSG_DONTWAIT);
        pump();
        return n + r;
    }
}
