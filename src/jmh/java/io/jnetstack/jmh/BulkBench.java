package io.jnetstack.jmh;

import static io.jnetstack.uapi.Net.*;

import io.jnetstack.link.NetDevice;
import io.jnetstack.link.Wire;
import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.uapi.Errno;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Steady-state bulk TCP, the bench's bulk rows without the wall clock: per operation one 64 KiB
 * send() on the client, the softirq work it causes on both stacks (data segments one way, ACKs the
 * other, over a Wire at MTU 1500, or at 65535 with TSO and checksum offload), and recv() of all that
 * arrived. The "packets" counter is the frames the wire delivered per operation, so with
 * {@code -prof gc} gc.alloc.rate.norm / packets is the bytes allocated per packet.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2) @Measurement(iterations = 5, time = 2) @Fork(1)
@State(Scope.Thread)
public class BulkBench {
    @Param({"1500", "65535"}) int mtu;

    SimNet net;
    Wire wire;
    SocketCalls srv, cli;
    int cfd, sfd;
    final byte[] out = new byte[64 * 1024], in = new byte[256 * 1024];

    /** Frames delivered per operation, both directions. */
    @State(Scope.Thread) @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Packets {
        public long packets;
    }

    @Setup public void setup() {
        int features = mtu > 1500 ? NetDevice.F_TSO | NetDevice.F_HW_CSUM | NetDevice.F_RXCSUM : 0;
        WireConfig cfg = WireConfig.DEFAULT.withMtu(mtu).withFeatures(features).withLimit(1 << 20);
        SimPair p = SimPair.open(cfg);
        net = p.net();
        wire = p.wire();
        srv = p.srv();
        cli = p.cli();
        cfd = p.cfd();
        sfd = p.sfd();
    }

    void pump() { net.scheduler().runFor(100_000); }

    long delivered() { return wire.statsAb().delivered + wire.statsBa().delivered; }

    @Benchmark public long bulk(Packets p) {
        long before = delivered();
        long moved = cli.send(cfd, out, out.length, MSG_DONTWAIT);
        pump();
        int n;
        while ((n = srv.recv(sfd, in, in.length, MSG_DONTWAIT)) > 0) moved += n;
        pump();
        p.packets += delivered() - before;
        return moved;
    }
}
