package io.jnetstack.link;

import static io.jnetstack.link.ChecksumOffload.CHECKSUM_NONE;
import static io.jnetstack.link.ChecksumOffload.CHECKSUM_PARTIAL;
import static io.jnetstack.link.ChecksumOffload.CHECKSUM_UNNECESSARY;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.time.SimScheduler;
import io.jnetstack.wire.Checksum;
import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CHECKSUM_PARTIAL frames: finishing one gives exactly the checksum a full computation gives, and
 * the devices keep, pass on or finish the state as Linux's lo, veth and netem do.
 */
class ChecksumOffloadTest {
    static final String A = "10.0.0.1", B = "10.0.0.2";
    final SimScheduler sim = new SimScheduler();

    /** What TCP leaves for the device: the same packet with only the pseudo-header sum in the field. */
    static byte[] partialOf(byte[] complete) {
        byte[] p = complete.clone();
        MemorySegment s = MemorySegment.ofArray(p);
        Ipv4Header ip = new Ipv4Header().wrap(s);
        int ihl = ip.headerLen(), l4Len = ip.totalLen() - ihl;
        int field = ip.protocol() == Packets.PROTO_TCP ? 16 : 6;
        int partial = Checksum.fold(Checksum.pseudoHeader(ip.src(), ip.dst(), ip.protocol(), l4Len));
        p[ihl + field] = (byte) (partial >>> 8);
        p[ihl + field + 1] = (byte) partial;
        return p;
    }

    static byte[] tcp(int seq, byte[] payload) {
        return Packets.tcp(A, B, 40000, 80, seq, 1, TcpHeader.ACK_FLAG | TcpHeader.PSH, new TcpOptions(), payload);
    }

    static byte[] payload(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (seed * 31 + i * 7);
        return b;
    }

    @Property(tries = 300)
    void finishingAPartialChecksumGivesTheFullOne(@ForAll @IntRange(max = 3000) int len, @ForAll int seed,
                                                  @ForAll boolean udp) {
        byte[] complete = udp ? Packets.udp(A, B, 5353, 53, seed & 0xFFFF, payload(len, seed))
                              : tcp(seed, payload(len, seed));
        byte[] p = partialOf(complete);
        assertEquals(CHECKSUM_NONE, ChecksumOffload.help(MemorySegment.ofArray(p), 0));
        assertArrayEquals(complete, p);
    }

    @Test void anEthernetFrameIsFinishedBehindItsHeader() {
        byte[] complete = tcp(7, payload(333, 1));
        byte[] frame = new byte[14 + complete.length];
        System.arraycopy(partialOf(complete), 0, frame, 14, complete.length);
        ChecksumOffload.help(MemorySegment.ofArray(frame), ChecksumOffload.l3Offset(NetDevice.ARPHRD_ETHER));
        assertArrayEquals(complete, Arrays.copyOfRange(frame, 14, frame.length));
    }

    @Test void whatIsNotAPartialTcpOrUdpPacketIsLeftAlone() {
        byte[] frag = partialOf(tcp(1, payload(100, 2)));
        new Ipv4Header().wrap(MemorySegment.ofArray(frag)).moreFrags(true).computeChecksum();
        byte[] before = frag.clone();
        ChecksumOffload.help(MemorySegment.ofArray(frag), 0);
        assertArrayEquals(before, frag, "a fragment");
        byte[] junk = {0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        before = junk.clone();
        ChecksumOffload.help(MemorySegment.ofArray(junk), 0);
        assertArrayEquals(before, junk, "not IPv4");
        ChecksumOffload.help(MemorySegment.ofArray(new byte[5]), 0);   // too short: no exception
    }

    record Got(byte[] bytes, int ipSummed) {}

    static final class Recorder implements PacketReceiver {
        final List<Got> got = new ArrayList<>();
        @Override public void receive(NetDevice dev, MemorySegment frame) { receive(dev, frame, CHECKSUM_NONE); }
        @Override public void receive(NetDevice dev, MemorySegment frame, int ipSummed) {
            got.add(new Got(frame.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), ipSummed));
        }
    }

    @Test void anOffloadingWirePassesThePartialStateAndTheBytesUntouched() {
        WireConfig cfg = WireConfig.DEFAULT.withFeatures(NetDevice.F_HW_CSUM | NetDevice.F_RXCSUM);
        Wire w = Wire.create(sim, 1, cfg, cfg);
        Recorder r = new Recorder();
        w.b().open(r);
        byte[] partial = partialOf(tcp(1, payload(1000, 3)));
        w.a().transmit(MemorySegment.ofArray(partial), CHECKSUM_PARTIAL);
        w.a().transmit(MemorySegment.ofArray(tcp(2, payload(10, 4))));
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(2, r.got.size());
        assertArrayEquals(partial, r.got.get(0).bytes());
        assertEquals(CHECKSUM_PARTIAL, r.got.get(0).ipSummed());
        assertEquals(CHECKSUM_NONE, r.got.get(1).ipSummed(), "a complete frame is not upgraded to verified");
    }

    @Test void aCorruptingWireFinishesTheChecksumBeforeTheDamageAndNeverClaimsVerified() {
        WireConfig cfg = WireConfig.DEFAULT.withFeatures(NetDevice.F_HW_CSUM | NetDevice.F_RXCSUM).withCorrupt(1.0);
        Wire w = Wire.create(sim, 1, cfg, cfg);
        Recorder r = new Recorder();
        w.b().open(r);
        byte[] complete = tcp(1, payload(1000, 5));
        w.a().transmit(MemorySegment.ofArray(partialOf(complete)), CHECKSUM_PARTIAL);
        sim.runUntilIdle(Long.MAX_VALUE);
        Got g = r.got.getFirst();
        assertEquals(CHECKSUM_NONE, g.ipSummed());
        int bitsDiffering = 0;
        for (int i = 0; i < complete.length; i++) bitsDiffering += Integer.bitCount((complete[i] ^ g.bytes()[i]) & 0xFF);
        assertEquals(1, bitsDiffering, "the finished frame with one bit flipped");
    }

    @Test void aPlainReceiverGetsFinishedFrames() {
        Loopback lo = new Loopback(sim);
        List<byte[]> got = new ArrayList<>();
        lo.open((dev, f) -> got.add(f.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        byte[] complete = tcp(1, payload(99, 6));
        sim.enter();
        lo.transmit(MemorySegment.ofArray(partialOf(complete)), CHECKSUM_PARTIAL);
        sim.exit();
        assertArrayEquals(complete, got.getFirst());
    }

    @Test void aCaptureShowsFinishedChecksumsBothWaysAndTheStackStillTrustsThem(@TempDir Path dir) throws IOException {
        WireConfig cfg = WireConfig.DEFAULT.withFeatures(NetDevice.F_HW_CSUM);
        Wire w = Wire.create(sim, 1, cfg, cfg);
        Path pb = dir.resolve("b.pcap");
        byte[] toB = tcp(1, payload(500, 7)), fromB = tcp(9, payload(40, 8));
        Recorder atB = new Recorder(), atA = new Recorder();
        try (PcapWriter wb = PcapWriter.open(pb, w.b(), sim)) {
            PcapTap tb = new PcapTap(w.b(), wb);
            tb.open(atB);
            w.a().open(atA);
            w.a().transmit(MemorySegment.ofArray(partialOf(toB)), CHECKSUM_PARTIAL);
            tb.transmit(MemorySegment.ofArray(partialOf(fromB)), CHECKSUM_PARTIAL);
            sim.runUntilIdle(Long.MAX_VALUE);
        }
        List<PcapReader.Record> recs = PcapReader.read(pb).records();
        assertEquals(2, recs.size());
        assertArrayEquals(fromB, recs.get(0).data(), "sent: finished before recording");
        assertArrayEquals(toB, recs.get(1).data(), "received: finished before recording");
        assertEquals(CHECKSUM_UNNECESSARY, atB.got.getFirst().ipSummed(), "finished on the way up, still trusted");
        assertEquals(CHECKSUM_NONE, atA.got.getFirst().ipSummed(), "finished on the way out: a plain frame");
        assertArrayEquals(fromB, atA.got.getFirst().bytes());
    }
}
