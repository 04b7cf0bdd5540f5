package io.jnetstack.tcp;

import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.link.Wire;
import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.Syscalls;
import org.junit.jupiter.api.Test;

/**
 * RFC 5681 §4.2 / Linux: a bulk receiver ACKs at least every second full-sized segment. A regression
 * test for stretch ACKs: the ACK that input defers while unread data holds the window down must go
 * out when the application reads (tcp_cleanup_rbuf). The wire has a rate, so segments arrive spaced
 * as on a real link; a burst that arrives all at once is ACKed once after the read, as Linux does
 * with a GRO batch.
 */
class AckEverySecondSegmentTest {
    @Test void bulkReceiverAcksAboutEverySecondSegment() {
        try (SimNet net = new SimNet(3)) {
            SimNet.Host a = net.host("a"), b = net.host("b");
            Wire w = net.link(a, "10.0.0.1/24", b, "10.0.0.2/24", WireConfig.DEFAULT.withDelay(5_000_000).withRate(100_000_000L));
            int size = 4 << 20;
            long[] got = {0};
            net.spawn("receiver", () -> {
                Syscalls s = b.sys();
                int l = s.socket(AF_INET, SOCK_STREAM, 0);
                assertEquals(0, s.bind(l, SockAddr.in(0x0a000002, 9000), 16));
                assertEquals(0, s.listen(l, 1));
                int c = s.accept(l, null, null);
                byte[] buf = new byte[16384];
                int n;
                while ((n = s.recv(c, buf, buf.length, 0)) > 0) got[0] += n;
                s.close(c);
                s.close(l);
            });
            net.spawn("sender", () -> {
                Syscalls s = a.sys();
                int c = s.socket(AF_INET, SOCK_STREAM, 0);
                assertEquals(0, s.connect(c, SockAddr.in(0x0a000002, 9000), 16));
                byte[] chunk = new byte[65536];
                for (int sent = 0; sent < size; ) sent += s.send(c, chunk, Math.min(chunk.length, size - sent), 0);
                s.close(c);
            });
            net.run();
            assertEquals(size, got[0]);
            double dataSegments = w.statsAb().sent, acks = w.statsBa().sent;
            assertTrue(dataSegments / acks <= 2.5,
                    "segments per ACK: " + dataSegments / acks + " (" + dataSegments + " data, " + acks + " ACKs)");
        }
    }
}
