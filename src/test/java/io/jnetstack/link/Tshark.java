package io.jnetstack.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs tshark over a capture and counts what matters to us: packets, malformed packets and bad
 * checksums (IP, TCP, UDP and ICMP checksums verified). Without tshark the calling test is
 * skipped, except on CI (environment variable CI set), where a missing tshark is a failure.
 *
 * <pre>{@code
 * Tshark.Result r = Tshark.check(pcap);
 * assertEquals(0, r.malformed(), r.output());
 * }</pre>
 */
public final class Tshark {
    /** Per-packet fields, tab-separated, in this order. */
    private static final List<String> FIELDS = List.of("_ws.malformed", "_ws.expert",
            "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "icmp.checksum.status");

    /**
     * @param packets      packets tshark decoded
     * @param malformed    packets with a malformed-packet marker
     * @param badChecksums checksums tshark found bad (status 0, PROTO_CHECKSUM_E_BAD)
     * @param output       tshark's field output, for assertion messages
     */
    public record Result(int packets, int malformed, int badChecksums, String output) {
        public boolean clean() { return malformed == 0 && badChecksums == 0; }
    }

    private Tshark() {}

    public static boolean available() {
        return findTshark() != null;
    }

    public static Result check(Path pcap) { return check(pcap, new String[0]); }

    /**
     * As {@link #check(Path)}, with more tshark options: e.g. {@code -d tcp.port==5001,data} for
     * a capture whose payload is opaque bytes, so no heuristic dissector takes random data for a
     * protocol of its own and then reports TCP retransmissions as overlapping PDU fragments.
     */
    public static Result check(Path pcap, String... tsharkOptions) {
        Path tshark = findTshark();
        if (tshark == null) {
            if (System.getenv("CI") != null) throw new AssertionError("tshark is not installed, and CI is set: install it (apt-get install tshark)");
            Assumptions.abort("tshark not installed");
        }
        try {
            var cmd = new java.util.ArrayList<>(List.of(tshark.toString(), "-r", pcap.toString(), "-n",
                    "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                    "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
            cmd.addAll(List.of(tsharkOptions));
            for (String f : FIELDS) {
                cmd.add("-e");
                cmd.add(f);
            }
            Path out = Files.createTempFile("tshark", ".txt");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("tshark timed out on " + pcap);
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) throw new AssertionError("tshark failed (" + p.exitValue() + ") on " + pcap + ":\n" + text);
                return parse(text);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("running tshark", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Result parse(String text) {
        int packets = 0, malformed = 0, bad = 0;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            packets++;
            String[] col = line.split("\t", -1);
            boolean isMalformed = !col[0].isEmpty()
                    || (col.length > 1 && col[1].toLowerCase(java.util.Locale.ROOT).contains("malformed"));
            if (isMalformed) malformed++;
            for (int i = 2; i < col.length; i++) {
                for (String v : col[i].split(",")) if (v.equals("0")) bad++;
            }
        }
        return new Result(packets, malformed, bad, text);
    }

    private static Path findTshark() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "tshark");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
