package io.jnetstack.packetdrill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Results of a corpus run set against the corpus's own tables: CATEGORIES.tsv (each script's
 * class: A1 core, A2 core + sysctl/shell, B1/B2 with TCP_INFO python, C advanced) and
 * LINUX-6.18.tsv (what Linux 6.18 gives for the same script). Writes the TSV report and a summary
 * by class, counting also among the scripts Linux itself passes.
 */
public final class Report {
    /** One script's row. */
    public record Row(String path, Runner.Result result, String linux, String cls) {}

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> classes = new HashMap<>();
    private final Map<String, String> linux = new HashMap<>();
    private final Path corpusRoot;

    /** {@code corpusRoot} holds CATEGORIES.tsv and LINUX-6.18.tsv (missing tables leave columns empty). */
    public Report(Path corpusRoot) throws IOException {
        this.corpusRoot = corpusRoot;
        if (corpusRoot != null) {
            load(corpusRoot.resolve("CATEGORIES.tsv"), classes, 1);
            load(corpusRoot.resolve("LINUX-6.18.tsv"), linux, 1);
        }
    }

    /** The folder above {@code p} that holds CATEGORIES.tsv, or null. */
    public static Path findCorpusRoot(Path p) {
        for (Path d = p.toAbsolutePath().normalize(); d != null; d = d.getParent())
            if (Files.isRegularFile(d.resolve("CATEGORIES.tsv"))) return d;
        return null;
    }

    private static void load(Path f, Map<String, String> into, int col) throws IOException {
        if (!Files.isRegularFile(f)) return;
        for (String line : Files.readAllLines(f)) {
            String[] c = line.split("\t", -1);
            if (c.length > col && !c[0].equals("path")) into.put(c[0], c[col]);
        }
    }

    public void add(Runner.Result r) {
        String key = corpusRoot == null ? r.script().toString()
                : corpusRoot.relativize(r.script().toAbsolutePath().normalize()).toString();
        rows.add(new Row(key, r, linux.getOrDefault(key, ""), classes.getOrDefault(key, "")));
    }

    public List<Row> rows() { return rows; }

    public void writeTsv(Path out) throws IOException {
        StringBuilder sb = new StringBuilder("path\tresult\tfirst_error\tlinux_6.18\tclass\n");
        for (Row r : rows) {
            String err = r.result().status() == Runner.Status.PASS ? ""
                    : (r.result().line() > 0 ? r.result().line() + ": " : "") + r.result().message();
            sb.append(r.path()).append('\t').append(r.result().status().name().toLowerCase()).append('\t')
                    .append(err.replace('\t', ' ').replace('\n', ' ')).append('\t').append(r.linux()).append('\t')
                    .append(r.cls()).append('\n');
        }
        Files.writeString(out, sb.toString());
    }

    /** Per class: "A1-core: 20/39 passed; 18/30 among scripts Linux 6.18 passes". */
    public List<String> summaryByClass() {
        Map<String, int[]> m = new TreeMap<>();
        for (Row r : rows) {
            int[] c = m.computeIfAbsent(r.cls().isEmpty() ? "(unclassified)" : r.cls(), k -> new int[4]);
            boolean pass = r.result().status() == Runner.Status.PASS;
            c[1]++;
            if (pass) c[0]++;
            if (r.linux().equals("pass")) {
                c[3]++;
                if (pass) c[2]++;
            }
        }
        List<String> out = new ArrayList<>();
        for (var e : m.entrySet())
            out.add(e.getKey() + ": " + e.getValue()[0] + "/" + e.getValue()[1] + " passed; " + e.getValue()[2] + "/"
                    + e.getValue()[3] + " among scripts Linux 6.18 passes");
        return out;
    }

    public String totals() {
        int p = 0, f = 0, s = 0;
        for (Row r : rows) {
            switch (r.result().status()) {
                case PASS -> p++;
                case FAIL -> f++;
                case SKIP -> s++;
            }
        }
        return "packetdrill: " + p + " passed, " + f + " failed, " + s + " skipped";
    }
}
