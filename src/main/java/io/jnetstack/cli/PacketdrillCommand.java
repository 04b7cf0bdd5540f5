package io.jnetstack.cli;

import io.jnetstack.packetdrill.Report;
import io.jnetstack.packetdrill.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jns packetdrill [--tsv F] [--verbose] PATH...}: runs packetdrill scripts (files, or
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

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "20000", description = "wall-clock limit per script (default ${DEFAULT-VALUE} ms)")
    long timeoutMs;

    @Override public Integer call() throws IOException {
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
        Runner.Options base = Runner.Options.defaults().withVerbose(verbose);
        Runner.Options opts = new Runner.Options(base.defines(), verbose, base.python(), timeoutMs, base.seed(), base.targets());
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
