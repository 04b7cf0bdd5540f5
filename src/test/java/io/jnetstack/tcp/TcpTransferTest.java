package io.jnetstack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.ipv4.Ip;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.time.Timer;
import io.jnetstack.uapi.Net;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two TCP stacks joined in-process by a lossy link on the virtual clock: a bulk transfer must
 * arrive complete and in order, with retransmissions in proportion to the losses.
 */
class TcpTransferTest {
    static final int A = SockAddr.parseIp("10.0.0.1"), B = SockAddr.parseIp("10.0.0.2");
    static final long MS = 1_000_000L;

    /** A one-way link with a fixed delay and random loss (both directions use one). */
    static final class Link {
        final SimScheduler sched;
        final SplittableRandom rnd;
        final double loss;
        final long delay;
        long dataDrops, drops, delivered;

        Link(SimScheduler sched, long seed, double loss, long delay) {
            this.sched = sched;
            this.rnd = new SplittableRandom(seed);
            this.loss = loss;
            this.delay = delay;
        }

        void join(FakeIp from, FakeIp to) {
            from.link = p -> {
                if (rnd.nextDouble() < loss) {
                    drops++;
                    if (p.bytes().length > 32 + 20 - 20 && p.len() > 0) dataDrops++;
                    return;
                }
                delivered++;
                sched.arm(new Timer("wire", () -> to.inject(p.saddr(), p.bytes())), sched.now() + delay);
            };
        }
    }

    @ParameterizedTest(name = "{0} bytes at {1} loss, seed {2}")
    @CsvSource({"4194304, 0.01, 1", "4194304, 0.03, 2", "4194304, 0.05, 3", "1048576, 0.0, 4", "67108864, 0.01, 5"})
    void bulkTransferSurvivesLoss(int size, double loss, long seed) {
        SimScheduler sched = new SimScheduler();
        Stack sa = new Stack("a", sched, seed), sb = new Stack("b", sched, seed + 100);
        FakeIp ia = new FakeIp(A), ib = new FakeIp(B);
        sa.register(Ip.class, ia);
        sb.register(Ip.class, ib);
        Tcp.install(sa);
        Tcp.install(sb);
        Link ab = new Link(sched, seed * 31, loss, 10 * MS), ba = new Link(sched, seed * 17, loss, 10 * MS);
        ab.join(ia, ib);
        ba.join(ib, ia);

        TcpSock l = (TcpSock) TcpProt.INSTANCE.create(sb, Net.AF_INET, Net.SOCK_STREAM, 6);
        l.sport = 80;
        assertEquals(0, TcpProt.listen(l, 16));
        TcpSock c = (TcpSock) TcpProt.INSTANCE.create(sa, Net.AF_INET, Net.SOCK_STREAM, 6);
        c.sport = 40000;
        Socket cs = new Socket(sa, Net.SOCK_STREAM);
        cs.graft(c);

        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        byte[] got = new byte[size];
        int[] received = {0};
        long[] finishedAt = {0};

        sched.spawn("server", () -> {
            Socket ns = new Socket(sb, Net.SOCK_STREAM);
            assertEquals(0, TcpProt.accept(l, ns, false));
            TcpSock s = (TcpSock) ns.sk;
            byte[] buf = new byte[65536];
            for (;;) {
                int n = TcpProt.recvmsg(s, MsgHdr.of(buf, buf.length), 0, false);
                assertTrue(n >= 0, "recv " + n);
                if (n == 0) break;
                System.arraycopy(buf, 0, got, received[0], n);
                received[0] += n;
            }
            finishedAt[0] = sched.now();
            TcpProt.close(s, 0);
        });
        sched.spawn("client", () -> {
            assertEquals(0, TcpProt.connect(c, B, 80));
            int off = 0;
            while (off < size) {
                int chunk = Math.min(100_000, size - off);
                byte[] b = java.util.Arrays.copyOfRange(data, off, off + chunk);
                int n = TcpProt.sendmsg(c, MsgHdr.of(b, chunk), 0, false);
                assertTrue(n > 0, "send " + n);
                off += n;
            }
            TcpProt.close(c, 0);
        });
        sched.run();
        assertEquals(size, received[0]);
        assertArrayEquals(data, got);
        Tcp ta = Tcp.of(sa);
        long rtx = ta.mib.get(TcpMib.RetransSegs);
        System.out.printf("size %d loss %.2f: %.2f s virtual, data drops %d, retrans %d (fast %d, rto %d), cwnd %d%n",
                size, loss, finishedAt[0] / 1e9, ab.dataDrops, rtx, ta.ext.get(TcpExtMib.TCPFastRetrans),
                ta.ext.get(TcpExtMib.TCPTimeouts), c.sndCwnd);
        assertTrue(rtx <= 2 * ab.dataDrops + 10, "retransmissions " + rtx + " for " + ab.dataDrops + " data losses");
    }
}
