package io.jnetstack.jmh;

import io.jnetstack.wire.Checksum;
import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.TcpHeader;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;

/** TCP/IPv4 header parse (wrap, checkLen, read every field) and emit (write every field, checksums). */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1) @Measurement(iterations = 5, time = 1) @Fork(1)
@State(Scope.Thread)
public class HeaderBench {
    final MemorySegment pkt = MemorySegment.ofArray(new byte[1500]);
    final MemorySegment ipPart = pkt.asSlice(0, 40), tcpPart = pkt.asSlice(20, 20);
    final Ipv4Header ip = new Ipv4Header();
    final TcpHeader tcp = new TcpHeader();
    int seq;

    @Setup public void setup() { emit(); }

    @Benchmark public int emit() {
        ip.wrap(ipPart);
        ip.headerLen(20).tos(0).totalLen(1500).id(0).fragWord(Ipv4Header.FLAG_DF).ttl(64).protocol(6)
          .src(0x0a000001).dst(0x0a000002).computeChecksum();
        tcp.wrap(tcpPart).srcPort(5001).dstPort(40000).seq(seq += 1460).ack(12345).headerLen(20)
           .flags(TcpHeader.ACK_FLAG | TcpHeader.PSH).window(65535).checksum(0).urgentPtr(0);
        long acc = Checksum.pseudoHeader(0x0a000001, 0x0a000002, 6, 20);
        tcp.checksum(Checksum.finish(Checksum.add(acc, tcpPart, 0, 20)));
        return tcp.checksum();
    }

    @Benchmark public void parse(Blackhole bh) {
        ip.wrap(ipPart);
        if (!ip.checkLen()) throw new IllegalStateException();
        bh.consume(ip.verifyChecksum());
        bh.consume(ip.src() ^ ip.dst() ^ ip.totalLen() ^ ip.protocol() ^ ip.ttl() ^ ip.fragWord());
        tcp.wrap(tcpPart);
        if (!tcp.checkLen()) throw new IllegalStateException();
        bh.consume(tcp.srcPort() ^ tcp.dstPort() ^ tcp.seq() ^ tcp.ack() ^ tcp.flags() ^ tcp.window() ^ tcp.headerLen());
    }
}
