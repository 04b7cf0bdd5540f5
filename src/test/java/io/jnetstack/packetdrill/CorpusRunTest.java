package io.jnetstack.packetdrill;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole corpus against jnetstack. Scripts failing is information, not a build failure: this
 * prints the counts (and the report by class) and asserts only that the runner finished every
 * script itself, within the wall-clock limit, without crashing.
 */
@Tag("packetdrill")
class CorpusRunTest {
    @Test void wholeCorpusRunsToCompletion() throws Exception {
        assumeTrue(Corpus.present(), "packetdrill corpus not found at " + Corpus.root());
        Report report = new Report(Corpus.root());
        List<String> broken = new ArrayList<>();
        for (Path p : Corpus.scripts()) {
            Runner.Result r = Runner.run(p, Runner.Options.defaults());
            report.add(r);
            System.out.println(r.summaryLine());
            if (r.message() != null && (r.message().startsWith("timed out") || r.message().startsWith("internal error in runner")))
                broken.add(r.summaryLine());
        }
        report.summaryByClass().forEach(System.out::println);
        System.out.println(report.totals());
        String out = System.getProperty("packetdrill.tsv");
        if (out != null) report.writeTsv(Path.of(out));
        assertEquals(List.of(), broken);
    }
}
