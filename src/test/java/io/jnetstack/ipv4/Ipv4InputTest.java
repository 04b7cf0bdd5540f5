package io.jnetstack.ipv4;

import io.jnetstack.inet.InetKit;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.jnetstack.inet.InetKit.LOCAL;
import static io.jnetstack.inet.InetKit.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** ip_rcv's validation: each malformed packet increments exactly Linux's counter, nothing throws. */
class Ipv4InputTest {
    static byte[] good() { return Pkt.udp(PEER, 1000, LOCAL, 2000, new byte[] {1, 2, 3, 4}); }

    static Stream<Arguments> malformed() {
        return Stream.of(
            arguments("empty", (Supplier<byte[]>) () -> new byte[0], "Ip.InHdrErrors"),
            arguments("19 bytes", (Supplier<byte[]>) () -> Arrays.copyOf(good(), 19), "Ip.InHdrErrors"),
            arguments("version 6", (Supplier<byte[]>) () -> { byte[] p = good(); p[0] = 0x65; return Pkt.fix(p); }, "Ip.InHdrErrors"),
            arguments("ihl 4", (Supplier<byte[]>) () -> { byte[] p = good(); p[0] = 0x44; return p; }, "Ip.InHdrErrors"),
            arguments("ihl 15 > frame", (Supplier<byte[]>) () -> { byte[] p = good(); p[0] = 0x4f; return p; }, "Ip.InHdrErrors"),
            arguments("bad checksum", (Supplier<byte[]>) () -> { byte[] p = good(); p[10] ^= 1; return p; }, "IpExt.InCsumErrors"),
            arguments("total length > frame", (Supplier<byte[]>) () -> { byte[] p = good(); Pkt.view(p).totalLen(200); return Pkt.fix(p); }, "IpExt.InTruncatedPkts"),
            arguments("total length < ihl", (Supplier<byte[]>) () -> { byte[] p = good(); Pkt.view(p).totalLen(19); return Pkt.fix(p); }, "Ip.InHdrErrors"),
            arguments("not ours (no forwarding)", (Supplier<byte[]>) () -> Pkt.udp(PEER, 1, InetKit.PEER, 2, new byte[0]), "Ip.InAddrErrors"),
            arguments("unknown protocol", (Supplier<byte[]>) () -> Pkt.ipv4(PEER, LOCAL, 99, 7, 0, new byte[8]), "Ip.InUnknownProtos"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource
    void malformed(String why, Supplier<byte[]> packet, String counter) {
        InetKit k = new InetKit();
        long before = k.counter(counter);
        k.eth.inject(packet.get());
        k.sched.runFor(0);
        assertEquals(before + 1, k.counter(counter), why);
        assertEquals(0, k.counter("Ip.InDelivers"), why);
        assertEquals(1, k.counter("Ip.InReceives"), why);
    }

    @Test void checksumErrorIsAlsoAHeaderError() {
        InetKit k = new InetKit();
        byte[] p = good();
        p[10] ^= 1;
        k.eth.inject(p);
        assertEquals(1, k.counter("Ip.InHdrErrors"));
        assertEquals(1, k.counter("IpExt.InCsumErrors"));
    }

    @Test void unknownProtocolGetsProtocolUnreachable() {
        InetKit k = new InetKit();
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 99, 7, 0, new byte[8]));
        byte[] icmp = k.eth.next();
        assertEquals(1, icmp[9]);                       // protocol ICMP
        assertEquals(3, icmp[20]);                      // destination unreachable
        assertEquals(2, icmp[21]);                      // protocol unreachable
        assertEquals(1, k.counter("Icmp.OutDestUnreachs"));
    }

    @Test void ethernetPaddingIsTrimmed() {
        InetKit k = new InetKit();
        byte[] p = Arrays.copyOf(good(), good().length + 10);
        k.eth.inject(p);
        assertEquals(1, k.counter("Ip.InDelivers"));
        assertEquals(0, k.counter("Udp.InErrors"));
    }

    @Test void garbageNeverThrows() {
        InetKit k = new InetKit();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            byte[] p = new byte[r.nextInt(0, 120)];
            for (int j = 0; j < p.length; j++) p[j] = (byte) r.nextInt();
            if (p.length > 0 && r.nextBoolean()) p[0] = (byte) (0x45 + r.nextInt(0, 3));
            if (p.length >= 20 && r.nextBoolean()) {
                Pkt.view(p).headerLen(20).totalLen(Math.min(p.length, 20 + r.nextInt(0, 100))).src(PEER).dst(LOCAL)
                        .fragWord(r.nextInt() & 0x3fff);
                Pkt.fix(p);
            }
            k.eth.inject(p);
            k.sched.runFor(1_000_000);
        }
        assertEquals(5000, k.counter("Ip.InReceives"));
    }
}
