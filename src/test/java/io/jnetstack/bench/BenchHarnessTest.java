package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own logic: ratios, JSON, chart, summary line, and a 0.2 s bulk run. No timing asserted. */
class BenchHarnessTest {
    static final List<BenchRow> ROWS = List.of(
            new BenchRow("bulk1500", "bulk 1500", "Gbit/s", 5, 20, true, "measured", ""),
            new BenchRow("bulk64k", "bulk 64k", "Gbit/s", 10, 20, true, "measured", "a \"quoted\" note"),
            new BenchRow("rr", "rr", "trans/s", 300, 100, true, "measured", ""),
            new BenchRow("crr", "crr", "conn/s", 50, 100, true, "measured", ""),
            new BenchRow("idle", "idle", "bytes", 1783.4, 3300, false, "published", ""),
            new BenchRow("cpu", "cpu", "CPU-s/GB", 0.5, Double.NaN, false, "measured", ""));

    @Test void ratioIsJnetstackOverLinuxAndNaNWithoutLinux() {
        assertEquals(0.25, ROWS.get(0).ratio(), 1e-12);
        assertEquals(3.0, ROWS.get(2).ratio(), 1e-12);
        assertTrue(Double.isNaN(ROWS.get(5).ratio()));
    }

    @Test void summaryLineHasTheAgreedShape() {
        BenchReport r = new BenchReport(ROWS, Map.of(), "how");
        assertEquals("bench: bulk1500=0.25 bulk64k=0.50 rr=3.00 crr=0.50 idle_bytes=1783", r.summaryLine());
    }

    @Test void jsonEscapesTextAndWritesNullForUnknown(@TempDir Path dir) throws Exception {
        BenchReport r = new BenchReport(ROWS, Map.of("alloc", 0.0), "one \"method\"");
        Path f = dir.resolve("sub/b.json");
        r.writeJson(f);
        String json = Files.readString(f);
        assertTrue(json.contains("\"method\": \"one \\\"method\\\"\""), json);
        assertTrue(json.contains("\"detail\": \"a \\\"quoted\\\" note\""), json);
        assertTrue(json.contains("\"linux\": null, \"ratio\": null"), json);
        assertTrue(json.contains("\"alloc\": 0"), json);
        assertTrue(json.contains("\"summary\": \"bench: bulk1500=0.25"), json);
    }

    @Test void chartIsAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("b.png");
        BenchChart.write(new BenchReport(ROWS, Map.of(), "how"), png);
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 1000);
        assertEquals((byte) 0x89, b[0]);
        assertEquals('P', b[1]);
    }

    @Test void shortBulkRunMovesBytes() {
        JnsWorkloads.Bulk b = JnsWorkloads.bulk(1500, 0, 20_000_000L, 200_000_000L);
        assertTrue(b.bytes() > 0, "bytes moved");
        assertTrue(b.packets() > 0, "packets counted");
    }

    @Test void latenciesPercentilesByNearestRank() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 1000; i++) l.add(i);
        assertEquals(500, l.percentile(0.5));
        assertEquals(990, l.percentile(0.99));
        assertEquals(999, l.percentile(0.999));
        assertEquals(1000, l.count());
    }
}
