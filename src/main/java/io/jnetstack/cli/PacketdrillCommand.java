package io.jnetstack.cli;

import io.jnetstack.packetdrill.HostArgs;
import io.jnetstack.packetdrill.Report;
import io.jnetstack.packetdrill.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jns packetdrill [--tsv F] [--verbose] [-D NAME=VALUE]... [--local_ip=A ...] PATH...}: runs packetdrill scripts (files, or
 * folders searched for *.pkt) against a fresh jnetstack each, on a virtual clock. Prints one line
 * per script and a total; with --tsv, a report with Linux 6.18's result and each script's class.
 */
@Command(name = "packetdrill", mixinStandardHelpOptions = true,
        description = "Run packetdrill scripts against jnetstack (virtual clock, remote host 192.0.2.1).")
public final class PacketdrillCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "scripts (.pkt) or folders holding them")
    List<Path> paths;

    @Option(names = "--tsv", paramLabel = "FILE", description = "write a TSV report (path, result, first error, Linux 6.18 result, class)")
    Path tsv;

    @Option(names = {"-v", "--verbose"}, description = "print the runner's notes for each script")
    boolean verbose;

    @Option(names = "--trace", description = "print the stack's path under the kernel's function names (tcp_v4_rcv, tcp_transmit_skb, tcp_enter_recovery...) while each script runs")
    boolean trace;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "20000", description = "wall-clock limit per script (default ${DEFAULT-VALUE} ms)")
    long timeoutMs;

    @Option(names = "-D", paramLabel = "NAME=VALUE", description = "define a symbol for the scripts, as packetdrill's -D")
    Map<String, String> defines;

    // The addresses wrappers such as the kernel selftests' ksft_runner.sh pass: accepted when they
    // restate the runner's fixed test link, refused otherwise.
    @Option(names = "--ip_version", paramLabel = "V", description = "ipv4 (the only one the test link has)")
    String ipVersion;
    @Option(names = "--local_ip", paramLabel = "A", description = "must be 192.168.0.1")
    String localIp;
    @Option(names = "--remote_ip", paramLabel = "A", description = "must be 192.0.2.1")
    String remoteIp;
    @Option(names = "--gateway_ip", paramLabel = "A", description = "must be 192.168.0.1")
    String gatewayIp;
    @Option(names = "--netmask_ip", paramLabel = "A", description = "must be 255.255.0.0")
    String netmaskIp;

    @Spec CommandSpec spec;

    @Override public Integer call() throws IOException {
        Map<String, String> addrs = new HashMap<>();
        addrs.put("ip_version", ipVersion);
        addrs.put("local_ip", localIp);
        addrs.put("remote_ip", remoteIp);
        addrs.put("gateway_ip", gatewayIp);
        addrs.put("netmask_ip", netmaskIp);
        Map<String, String> symbols;
        try {
            HostArgs.checkAll(addrs);
            symbols = HostArgs.defines(defines);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Path> scripts = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".pkt")).sorted().forEach(scripts::add);
                }
            } else if (Files.isRegularFile(p)) scripts.add(p);
            else throw new IllegalArgumentException("no such file or folder: " + p);
        }
        Path root = scripts.isEmpty() ? null : Report.findCorpusRoot(scripts.get(0));
        Report report = new Report(root);
        Runner.Options base = Runner.Options.defaults().withVerbose(verbose).withTrace(trace ? System.out : null);
        Runner.Options opts = base.withDefines(symbols).withWallLimit(timeoutMs);
        for (Path s : scripts) {
            Runner.Result r = Runner.run(s, opts);
            report.add(r);
            System.out.println(r.summaryLine());
            if (verbose) for (String n : r.notes()) System.out.println("    " + n);
        }
        if (tsv != null) {
            report.writeTsv(tsv);
            for (String line : report.summaryByClass()) System.out.println(line);
        }
        System.out.println(report.totals());
        return report.rows().stream().anyMatch(r -> r.result().status() == Runner.Status.FAIL) ? 1 : 0;
    }
}
