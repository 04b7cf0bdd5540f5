package io.jnetstack.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs every workload on jnetstack and on Linux, one after the other in this JVM, and collects the
 * rows of the report. {@code progress} hears one line as each workload starts and ends.
 */
public final class BenchSuite {
    /** Linux's kernel memory per idle TCP socket (tcp_sock, inode, dentry, file), as published. */
    public static final double LINUX_IDLE_BYTES = 3300;

    /** How long each part runs. */
    public record Plan(long bulkWarmNs, long bulkNs, long rrWarmNs, long rrNs, int idleConnections) {
        public static final Plan FULL = new Plan(2_000_000_000L, 30_000_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000);
        public static final Plan QUICK = new Plan(1_000_000_000L, 5_000_000_000L, 500_000_000L, 2_000_000_000L, 100_000);
        /** For the harness's own test: fractions of a second. */
        public static final Plan SMOKE = new Plan(50_000_000L, 200_000_000L, 20_000_000L, 100_000_000L, 200);
    }

    private final Plan plan;
    private final Consumer<String> progress;
    /** Extra facts for the JSON (allocation per packet, idle breakdown...). */
    public final Map<String, Object> facts = new LinkedHashMap<>();

    public BenchSuite(Plan plan, Consumer<String> progress) {
        this.plan = plan;
        this.progress = progress;
    }

    public List<BenchRow> run() {
        List<BenchRow> rows = new ArrayList<>();
        JnsWorkloads.Bulk j1500 = step("bulk jnetstack MTU 1500", () -> JnsWorkloads.bulk(1500, 0, plan.bulkWarmNs, plan.bulkNs),
                b -> String.format("%.2f Gbit/s, %.1f B allocated/packet", b.gbitPerSec(), b.allocatedPerPacket()));
        JnsWorkloads.Bulk j64k = step("bulk jnetstack MTU 65535 + TSO",
                () -> JnsWorkloads.bulk(65535, JnsWorkloads.OFFLOAD, plan.bulkWarmNs, plan.bulkNs),
                b -> String.format("%.2f Gbit/s, %.1f B allocated/packet", b.gbitPerSec(), b.allocatedPerPacket()));
        JnsWorkloads.Bulk lin = step("bulk Linux loopback (NIO)", () -> LinuxWorkloads.bulk(plan.bulkWarmNs, plan.bulkNs),
                b -> String.format("%.2f Gbit/s", b.gbitPerSec()));
        rows.add(new BenchRow("bulk1500", "bulk, MTU 1500 (Linux: lo)", "Gbit/s", j1500.gbitPerSec(), lin.gbitPerSec(), true,
                "measured", String.format("%d packets, %.1f B alloc/pkt", j1500.packets(), j1500.allocatedPerPacket())));
        rows.add(new BenchRow("bulk64k", "bulk, MTU 65535 + TSO", "Gbit/s", j64k.gbitPerSec(), lin.gbitPerSec(), true,
                "measured", String.format("%d packets, %.1f B alloc/pkt", j64k.packets(), j64k.allocatedPerPacket())));
        facts.put("alloc_bytes_per_packet_bulk1500", j1500.allocatedPerPacket());
        facts.put("alloc_bytes_per_packet_bulk64k", j64k.allocatedPerPacket());

        Latencies jrr = step("rr jnetstack", () -> JnsWorkloads.rr(plan.rrWarmNs, plan.rrNs), BenchSuite::rate);
        Latencies lrr = step("rr Linux", () -> LinuxWorkloads.rr(plan.rrWarmNs, plan.rrNs), BenchSuite::rate);
        rows.add(new BenchRow("rr", "rr, 1-byte request/response", "trans/s", jrr.perSecond(), lrr.perSecond(), true,
                "measured", "p50/p99/p999 µs: jns " + pct(jrr) + ", Linux " + pct(lrr)));
        Latencies jcrr = step("crr jnetstack", () -> JnsWorkloads.crr(plan.rrWarmNs, plan.rrNs), BenchSuite::rate);
        Latencies lcrr = step("crr Linux", () -> LinuxWorkloads.crr(plan.rrWarmNs, plan.rrNs), BenchSuite::rate);
        rows.add(new BenchRow("crr", "crr, connect+rr+close", "conn/s", jcrr.perSecond(), lcrr.perSecond(), true,
                "measured", "p50/p99/p999 µs: jns " + pct(jcrr) + ", Linux " + pct(lcrr)));

        JnsWorkloads.Idle idle = step("idle jnetstack, " + plan.idleConnections + " connections",
                () -> JnsWorkloads.idle(plan.idleConnections), i -> i.perSocketBytes() + " B/socket");
        rows.add(new BenchRow("idle", "idle, heap per established socket", "bytes", idle.perSocketBytes(), LINUX_IDLE_BYTES,
                false, "published (kernel slab, not measured)",
                String.format("%d connections, %d sockets, %.1f MB", idle.connections(), 2L * idle.connections(),
                        idle.connectionsBytes() / 1e6)));
        facts.put("idle_stack_bytes", idle.stackBytes());
        facts.put("idle_connections_bytes", idle.connectionsBytes());

        rows.add(new BenchRow("cpu", "CPU per GB moved (bulk 64k)", "CPU-s/GB", j64k.cpuSecondsPerGB(), lin.cpuSecondsPerGB(),
                false, "measured", String.format("MTU 1500: %.3f CPU-s/GB", j1500.cpuSecondsPerGB())));
        return rows;
    }

    private <T> T step(String name, Supplier<T> body, java.util.function.Function<T, String> summary) {
        progress.accept("bench: " + name + " ...");
        long t0 = System.nanoTime();
        T r = body.get();
        progress.accept(String.format("bench: %s: %s (%.1f s)", name, summary.apply(r), (System.nanoTime() - t0) / 1e9));
        return r;
    }

    private static String rate(Latencies l) { return String.format("%.0f/s, p50 %s", l.perSecond(), us(l.percentile(0.5))); }

    private static String pct(Latencies l) {
        return us(l.percentile(0.5)) + "/" + us(l.percentile(0.99)) + "/" + us(l.percentile(0.999));
    }

    private static String us(long ns) { return String.format("%.1f", ns / 1e3); }
}
