package io.jnetstack.tcp;

import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.link.Wire;
import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.Syscalls;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo's transfer over lossy, reordering wires for several seeds: every byte arrives, in order,
 * and TCP retransmits no more than twice the segments the wire lost.
 *
 * <p>Reordering comes from jitter (10 ± 1 ms, frames may overtake each other), as on real paths
 * where parallel links have similar delays. netem's own "reorder" sends the chosen frames with no
 * delay at all: the minimum RTT then falls to about zero, and with it RACK's reordering window
 * (a quarter of min_RTT) — Linux retransmits spuriously there just the same.
 */
class LossyTransferTest {
    private static final int SERVER = 0x0a000001, PORT = 5001, SIZE = 2 << 20;

    @ParameterizedTest(name = "loss {0}, seed {1}")
    @CsvSource({"0.02,1", "0.02,2", "0.02,3", "0.05,1", "0.05,2", "0.05,3", "0.10,1", "0.10,2", "0.10,3"})
    void everyByteArrivesInOrderAndRetransmissionsStayBounded(double loss, long seed) throws Exception {
        WireConfig cfg = WireConfig.DEFAULT.withDelay(10_000_000).withLoss(loss)
                .withJitter(1_000_000, WireConfig.Jitter.UNIFORM).withJitterReorders(true);
        try (SimNet net = new SimNet(seed)) {
            SimNet.Host a = net.host("server"), b = net.host("client");
            Wire w = net.link(b, "10.0.0.2/24", a, "10.0.0.1/24", cfg, cfg, null);
            byte[] sent = new byte[SIZE];
            new SplittableRandom(seed).nextBytes(sent);
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long[] received = {0};
            net.spawn("server", () -> {
                Syscalls s = a.sys();
                int l = s.socket(AF_INET, SOCK_STREAM, 0);
                assertEquals(0, s.bind(l, SockAddr.in(SERVER, PORT), 16));
                assertEquals(0, s.listen(l, 1));
                int c = s.accept(l, null, null);
                assertTrue(c >= 0);
                byte[] buf = new byte[65536];
                int n;
                while ((n = s.recv(c, buf, buf.length, 0)) > 0) {
                    got.update(buf, 0, n);
                    received[0] += n;
                }
                assertEquals(0, n, "clean end of stream");
                s.close(c);
                s.close(l);
            });
            net.spawn("client", () -> {
                Syscalls s = b.sys();
                int c = s.socket(AF_INET, SOCK_STREAM, 0);
                assertEquals(0, s.connect(c, SockAddr.in(SERVER, PORT), 16));
                for (int off = 0; off < SIZE; ) {
                    int len = Math.min(65536, SIZE - off);
                    byte[] chunk = java.util.Arrays.copyOfRange(sent, off, off + len);
                    int r = s.send(c, chunk, len, 0);
                    assertTrue(r > 0, "send: " + r);
                    off += r;
                }
                assertEquals(0, s.close(c));
            });
            net.run();
            assertEquals(SIZE, received[0]);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(sent), got.digest(), "bytes in order");
            long lost = w.statsAb().lost;
            long retrans = b.stack().snmp().get("Tcp.RetransSegs");
            assertTrue(retrans <= 2 * lost, "retransmitted " + retrans + " for " + lost + " lost");
            System.out.printf("loss %.2f seed %d: %d data-direction losses, %d retransmissions%n", loss, seed, lost, retrans);
        }
    }
}
