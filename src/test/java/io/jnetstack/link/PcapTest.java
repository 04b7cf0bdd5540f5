package io.jnetstack.link;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.time.Clock;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapTest {
    static final long MS = 1_000_000L;
    @TempDir Path dir;
    final SimScheduler sim = new SimScheduler();

    record Step(boolean fromA, byte[] bytes) {}

    /** A TCP handshake, a request, a response with FIN, its ACK, and a UDP datagram each way. */
    static List<Step> conversation() {
        String a = "10.0.0.1", b = "10.0.0.2";
        TcpOptions none = new TcpOptions();
        int ack = TcpHeader.ACK_FLAG;
        byte[] response = "HTTP/1.0 200 OK\r\n\r\nhello".getBytes();
        return List.of(
                new Step(true, Packets.tcp(a, b, 40000, 80, 1000, 0, TcpHeader.SYN, new TcpOptions().mss(1460).sackPermitted(true).wscale(7), new byte[0])),
                new Step(false, Packets.tcp(b, a, 80, 40000, 5000, 1001, TcpHeader.SYN | ack, new TcpOptions().mss(1460).sackPermitted(true).wscale(7), new byte[0])),
                new Step(true, Packets.tcp(a, b, 40000, 80, 1001, 5001, ack, none, new byte[0])),
                new Step(true, Packets.tcp(a, b, 40000, 80, 1001, 5001, ack | TcpHeader.PSH, none, "GET / HTTP/1.0\r\n\r\n".getBytes())),
                new Step(false, Packets.tcp(b, a, 80, 40000, 5001, 1019, ack | TcpHeader.PSH | TcpHeader.FIN, none, response)),
                new Step(true, Packets.tcp(a, b, 40000, 80, 1019, 5001 + response.length + 1, ack, none, new byte[0])),
                new Step(true, Packets.udp(a, b, 33333, 44444, 7, "query".getBytes())),
                new Step(false, Packets.udp(b, a, 44444, 33333, 8, "answer".getBytes())));
    }

    /** Runs the conversation over a wire, 3 ms per step, with a tap on each end; returns the two captures. */
    Path[] captureConversation(WireConfig cfg) throws IOException {
        Wire w = Wire.create(sim, 1, cfg, cfg);
        Path pa = dir.resolve("a.pcap"), pb = dir.resolve("b.pcap");
        try (PcapWriter wa = PcapWriter.open(pa, w.a(), sim); PcapWriter wb = PcapWriter.open(pb, w.b(), sim)) {
            PcapTap ta = new PcapTap(w.a(), wa), tb = new PcapTap(w.b(), wb);
            List<NetDevice> seenBy = new ArrayList<>();
            ta.open((dev, f) -> seenBy.add(dev));
            tb.open((dev, f) -> seenBy.add(dev));
            for (Step s : conversation()) {
                (s.fromA() ? ta : tb).transmit(MemorySegment.ofArray(s.bytes()));
                sim.runFor(3 * MS);
            }
            sim.runUntilIdle(Long.MAX_VALUE);
            assertEquals(8, seenBy.size());
            assertTrue(seenBy.stream().allMatch(d -> d == ta || d == tb), "the stack sees the tap as the device");
        }
        return new Path[] {pa, pb};
    }

    @Test void captureParsesWithVirtualTimestampsFrom2026() throws IOException {
        Path[] files = captureConversation(WireConfig.DEFAULT.withDelay(MS));
        PcapReader.Capture c = PcapReader.read(files[0]);
        assertEquals(0xa1b2c3d4, c.header().magic());
        assertEquals(2, c.header().major());
        assertEquals(4, c.header().minor());
        assertEquals(0, c.header().thiszone());
        assertEquals(262144, c.header().snaplen());
        assertEquals(PcapWriter.LINKTYPE_RAW, c.header().linktype());
        assertEquals(8, c.records().size(), "5 sent by a + 3 received by a");
        long epoch = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
        PcapReader.Record first = c.records().get(0);
        assertEquals(epoch, first.nanos(), "first packet sent at virtual time 0");
        assertArrayEquals(conversation().get(0).bytes(), first.data());
        PcapReader.Record second = c.records().get(1);      // SYN-ACK sent by b at 3 ms, arrives 1 ms later
        assertEquals(epoch + 4 * MS, second.nanos());
        assertArrayEquals(conversation().get(1).bytes(), second.data());
        for (int i = 1; i < c.records().size(); i++) assertTrue(c.records().get(i).nanos() >= c.records().get(i - 1).nanos());
        assertEquals(8, PcapReader.read(files[1]).records().size());
    }

    @Test void captureIsCleanForTshark() throws IOException {
        Path[] files = captureConversation(WireConfig.DEFAULT.withDelay(MS));
        for (Path f : files) {
            Tshark.Result r = Tshark.check(f);
            assertEquals(8, r.packets(), r.output());
            assertFalse(r.output().contains("Warning"), r.output());
            assertEquals(0, r.malformed(), r.output());
            assertEquals(0, r.badChecksums(), r.output());
        }
    }

    @Test void tsharkSeesABadChecksum() throws IOException {
        Path f = dir.resolve("bad.pcap");
        byte[] p = Packets.udp("10.0.0.1", "10.0.0.2", 1, 2, 3, "payload".getBytes());
        p[p.length - 1] ^= 0x10;   // a flipped payload bit: the UDP checksum no longer matches
        try (PcapWriter w = PcapWriter.open(f, PcapWriter.LINKTYPE_RAW, sim)) {
            w.write(MemorySegment.ofArray(Packets.udp("10.0.0.1", "10.0.0.2", 1, 2, 3, "payload".getBytes())));
            w.write(MemorySegment.ofArray(p));
        }
        Tshark.Result r = Tshark.check(f);
        assertEquals(2, r.packets(), r.output());
        assertEquals(1, r.badChecksums(), r.output());
    }

    @Test void corruptingWireShowsUpInTheReceiversCapture() throws IOException {
        Wire w = Wire.create(sim, 3, WireConfig.DEFAULT.withCorrupt(1.0), WireConfig.DEFAULT);
        Path f = dir.resolve("rx.pcap");
        try (PcapWriter pw = PcapWriter.open(f, w.b(), sim)) {
            new PcapTap(w.b(), pw).open((dev, fr) -> {});
            for (int i = 0; i < 20; i++) w.a().transmit(MemorySegment.ofArray(Packets.udp("10.0.0.1", "10.0.0.2", 1, 2, i, new byte[100])));
            sim.runUntilIdle(Long.MAX_VALUE);
        }
        Tshark.Result r = Tshark.check(f);
        assertEquals(20, r.packets());
        assertFalse(r.clean(), r.output());
    }

    @Test void loopbackPacketsAreRecordedOnceAsTcpdumpOnLoShowsThem() throws IOException {
        Loopback lo = new Loopback(sim);
        Path f = dir.resolve("lo.pcap");
        List<byte[]> delivered = new ArrayList<>();
        try (PcapWriter pw = PcapWriter.open(f, lo, sim)) {
            PcapTap tap = new PcapTap(lo, pw);
            tap.open((dev, fr) -> delivered.add(fr.toArray(JAVA_BYTE)));
            sim.enter();
            tap.transmit(MemorySegment.ofArray(Packets.udp("127.0.0.1", "127.0.0.1", 1, 2, 1, new byte[4])));
            sim.exit();
        }
        assertEquals(1, delivered.size());
        PcapReader.Capture c = PcapReader.read(f);
        assertEquals(PcapWriter.LINKTYPE_RAW, c.header().linktype());
        assertEquals(1, c.records().size());
        assertEquals(1, Tshark.check(f).packets());
    }

    @Test void linktypeFollowsTheDeviceType() {
        assertEquals(PcapWriter.LINKTYPE_ETHERNET, PcapWriter.linktypeOf(NetDevice.ARPHRD_ETHER));
        assertEquals(PcapWriter.LINKTYPE_RAW, PcapWriter.linktypeOf(NetDevice.ARPHRD_NONE));
        assertEquals(PcapWriter.LINKTYPE_RAW, PcapWriter.linktypeOf(NetDevice.ARPHRD_LOOPBACK));
    }

    @Test void framesBeyondTheSnaplenAreTruncatedWithTheirOriginalLength() throws IOException {
        Path f = dir.resolve("big.pcap");
        try (PcapWriter w = PcapWriter.open(f, PcapWriter.LINKTYPE_RAW, sim)) {
            w.write(MemorySegment.ofArray(new byte[300_000]));
            w.write(MemorySegment.ofArray(new byte[70_000]));   // bigger than the writer's buffer
        }
        var recs = PcapReader.read(f).records();
        assertEquals(262144, recs.get(0).inclLen());
        assertEquals(300_000, recs.get(0).origLen());
        assertEquals(70_000, recs.get(1).inclLen());
    }

    @Test void closeTwiceIsSafeAndWritesAfterCloseAreIgnored() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(bytes, PcapWriter.LINKTYPE_RAW, sim, 0);
        w.write(MemorySegment.ofArray(new byte[10]));
        assertEquals(0, bytes.size(), "buffered");
        w.close();
        assertEquals(24 + 16 + 10, bytes.size(), "flushed on close");
        w.close();
        w.write(MemorySegment.ofArray(new byte[10]));
        assertEquals(24 + 16 + 10, bytes.size());
    }

    @Test void ioErrorsNeverReachTheStackButSurfaceAtClose() {
        OutputStream broken = new OutputStream() {
            @Override public void write(int b) throws IOException { throw new IOException("disk full"); }
            @Override public void write(byte[] b, int off, int len) throws IOException { throw new IOException("disk full"); }
        };
        PcapWriter w = new PcapWriter(broken, PcapWriter.LINKTYPE_RAW, sim, 0);
        for (int i = 0; i < 1000; i++) w.write(MemorySegment.ofArray(new byte[1500]));   // overflows the buffer: flush fails
        assertNotNull(w.error());
        IOException e = assertThrows(IOException.class, w::close);
        assertEquals("disk full", e.getMessage());
        assertDoesNotThrow(() -> w.close());
    }

    @Test void monotonicClockMapsToWallClockTime() {
        long offset = PcapWriter.epochOffset(Clock.MONOTONIC);
        long wall = System.currentTimeMillis() * 1_000_000L;
        assertEquals(wall, Clock.MONOTONIC.nanos() + offset, 5_000 * MS);
        assertEquals(PcapWriter.VIRTUAL_EPOCH_NANOS, PcapWriter.epochOffset(sim));
    }

    @Test void tsharkOutputParsing() {
        Tshark.Result r = Tshark.parse("\t\t2\t2\t\t\n\t\t0\t\t2\t\nmalformed\tMalformed Packet\t2\t\t\t\n");
        assertEquals(3, r.packets());
        assertEquals(1, r.badChecksums());
        assertEquals(1, r.malformed());
    }

    @Test void existingFilesAreTruncated() throws IOException {
        Path f = dir.resolve("x.pcap");
        Files.write(f, new byte[1000]);
        PcapWriter.open(f, PcapWriter.LINKTYPE_RAW, sim).close();
        assertEquals(24, Files.size(f));
    }
}
