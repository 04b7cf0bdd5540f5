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
        WireConfig cfg = WireConfig.DEFAULT.withMtu(1500);
        SimPair p = SimPair.open(cfg);
        net = p.net();
        srv = p.srv();
        cli = p.cli();
        cfd = p.cfd();
        sfd = p.sfd();
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
