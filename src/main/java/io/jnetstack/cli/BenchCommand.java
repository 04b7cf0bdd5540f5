package io.jnetstack.cli;

import io.jnetstack.bench.BenchChart;
import io.jnetstack.bench.BenchReport;
import io.jnetstack.bench.BenchRow;
import io.jnetstack.bench.BenchSuite;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jns bench}: every workload on jnetstack and on the host's Linux kernel in one run, with
 * the ratio per workload, as a table, JSON and a chart.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures jnetstack beside the host Linux kernel (Java NIO over loopback) in one run:",
            "bulk (Gbit/s), rr and crr (per second), idle heap per socket, CPU per GB."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Short runs (5 s bulk, 2 s rr/crr): under a minute in all.")
    boolean quick;

    @Option(names = "--json", defaultValue = "target/bench.json", description = "JSON results. Default: ${DEFAULT-VALUE}.")
    Path json;

    @Option(names = "--png", defaultValue = "target/bench.png", description = "Chart of the ratios. Default: ${DEFAULT-VALUE}.")
    Path png;

    static final String METHOD = """
            One thread drives both ends of each connection with non-blocking sockets in an event loop, on both \
            stacks, with the same message sizes (bulk: 64 KiB sends, 256 KiB reads; rr/crr: 1 byte each way, \
            TCP_NODELAY; crr closes with SO_LINGER 0). jnetstack: two stacks joined by an in-memory Wire with no \
            delay and no rate limit (at MTU 65535 with TSO and checksum offload, as veth has: TCP checksums \
            stay partial and are never computed, as on Linux's lo; at MTU 1500 none), on a SimScheduler whose virtual clock follows the wall clock, so the wall \
            time is the stack's own cost (no thread hand-offs, no sleeps). Linux: Java NIO over 127.0.0.1 \
            (MTU 65536, GSO), the same Linux figure for both bulk rows. idle: jnetstack heap growth after \
            System.gc() divided by the sockets open (both ends of each connection are in this heap); Linux's \
            figure is the published kernel cost per socket, not measured. cpu: process CPU time (all threads, \
            JIT and GC included) over the bulk 64k window.""";

    @Override public Integer call() throws Exception {
        PrintStream out = System.out;
        BenchSuite.Plan plan = quick ? BenchSuite.Plan.QUICK : BenchSuite.Plan.FULL;
        out.println("jns bench" + (quick ? " --quick" : "") + ": jnetstack vs Linux " + System.getProperty("os.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version());
        BenchSuite suite = new BenchSuite(plan, line -> { out.println(line); out.flush(); });
        List<BenchRow> rows = suite.run();
        BenchReport report = new BenchReport(rows, suite.facts, METHOD.replaceAll("\\s+", " "));
        out.println();
        report.printTable(out);
        out.println();
        out.println("how: " + METHOD.replaceAll("\\s+", " "));
        report.writeJson(json);
        BenchChart.write(report, png);
        out.println("wrote " + json + " and " + png);
        out.println(report.summaryLine());
        return 0;
    }
}
