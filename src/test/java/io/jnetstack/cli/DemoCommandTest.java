package io.jnetstack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.link.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's promises: data arrives intact, the pcap is clean for tshark, and a seed fixes the packets. */
class DemoCommandTest {
    @TempDir Path dir;

    @Test void movesDataIntactAndWritesACleanPcap() throws Exception {
        Path pcap = dir.resolve("demo.pcap");
        // The default demo (64 MiB over 20 ms RTT and 1 % loss), exactly as `./jns demo` runs it.
        CliRun r = CliRun.run("demo", "--pcap", pcap.toString(), "--quiet");
        assertEquals(0, r.exitCode, r.out + r.err);
        assertTrue(r.out.contains("demo: OK, every byte arrived intact"), r.out);
        assertTrue(r.out.contains("ESTAB") || r.out.contains("TIME-WAIT") || r.out.contains("CLOSE-WAIT"), r.out);
        assertTrue(r.out.contains(" cubic wscale:10,10"), "ss -ti style detail line: " + r.out);
        String[] digests = r.out.lines().filter(l -> l.startsWith("sha256")).map(l -> l.substring(16)).toArray(String[]::new);
        assertEquals(2, digests.length);
        assertEquals(digests[0], digests[1]);

        // The payload is random bytes: decoded as data, since a heuristic dissector (Thrift, say)
        // that takes a stretch of it for its protocol flags every legitimate retransmission inside
        // its would-be PDU as "New fragment overlaps old data" (malformed).
        Tshark.Result t = Tshark.check(pcap, "-d", "tcp.port==5001,data");
        assertTrue(t.packets() > 40_000, "packets: " + t.packets());
        assertEquals(0, t.malformed(), "malformed packets");
        assertEquals(0, t.badChecksums(), "bad checksums");
    }

    @Test void theSameSeedGivesTheSamePacketsByteForByte() throws Exception {
        Path a = dir.resolve("a.pcap"), b = dir.resolve("b.pcap"), c = dir.resolve("c.pcap");
        assertEquals(0, CliRun.run("demo", "--size", "1MiB", "--seed", "5", "--pcap", a.toString(), "--quiet").exitCode);
        assertEquals(0, CliRun.run("demo", "--size", "1MiB", "--seed", "5", "--pcap", b.toString(), "--quiet").exitCode);
        assertEquals(0, CliRun.run("demo", "--size", "1MiB", "--seed", "6", "--pcap", c.toString(), "--quiet").exitCode);
        assertEquals(-1, Files.mismatch(a, b), "same seed, same capture");
        assertNotEquals(-1, Files.mismatch(a, c), "another seed, another run");
    }

    @Test void badArgumentsGetOneClearLineAndNoStackTrace() {
        for (String[] args : new String[][] {
                {"demo", "--loss", "150%"}, {"demo", "--size", "lots"}, {"demo", "--rtt", "5parsecs"},
                {"demo", "--mtu", "100"}, {"demo", "--size", "0"}, {"demo", "--rate", "-3Mbit"}}) {
            CliRun r = CliRun.run(args);
            assertNotEquals(0, r.exitCode, String.join(" ", args));
            assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
            assertFalse(r.err.isBlank(), "an explanation for " + String.join(" ", args));
        }
    }
}
