package io.jnetstack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results of a run as a table, as JSON, and as the closing summary line. */
public final class BenchReport {
    private final List<BenchRow> rows;
    private final Map<String, Object> facts;
    private final String method;

    public BenchReport(List<BenchRow> rows, Map<String, Object> facts, String method) {
        this.rows = List.copyOf(rows);
        this.facts = Map.copyOf(facts);
        this.method = method;
    }

    public List<BenchRow> rows() { return rows; }

    public BenchRow row(String key) {
        for (BenchRow r : rows) if (r.key().equals(key)) return r;
        throw new IllegalArgumentException("no row " + key);
    }

    public void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "%-32s %-9s %12s %12s %8s  %s%n", "workload", "unit", "jnetstack", "Linux", "ratio", "notes");
        for (BenchRow r : rows) {
            out.printf(Locale.ROOT, "%-32s %-9s %12s %12s %8s  %s%s%n", r.title(), r.unit(), num(r.jnetstack()), num(r.linux()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio()), r.detail(),
                    r.linuxSource().equals("measured") ? "" : "; Linux " + r.linuxSource());
        }
    }

    /** The last line: {@code bench: bulk1500=R1 bulk64k=R2 rr=R3 crr=R4 idle_bytes=N}. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "bench: bulk1500=%.2f bulk64k=%.2f rr=%.2f crr=%.2f idle_bytes=%d",
                row("bulk1500").ratio(), row("bulk64k").ratio(), row("rr").ratio(), row("crr").ratio(),
                Math.round(row("idle").jnetstack()));
    }

    public String json() {
        StringBuilder sb = new StringBuilder("{\n  \"method\": ").append(str(method)).append(",\n  \"workloads\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            BenchRow r = rows.get(i);
            sb.append("    {\"key\": ").append(str(r.key())).append(", \"title\": ").append(str(r.title()))
                    .append(", \"unit\": ").append(str(r.unit())).append(", \"jnetstack\": ").append(jnum(r.jnetstack()))
                    .append(", \"linux\": ").append(jnum(r.linux())).append(", \"ratio\": ").append(jnum(r.ratio()))
                    .append(", \"higher_is_better\": ").append(r.higherBetter())
                    .append(", \"linux_source\": ").append(str(r.linuxSource()))
                    .append(", \"detail\": ").append(str(r.detail())).append('}')
                    .append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"facts\": {");
        int i = 0;
        for (var e : new java.util.TreeMap<>(facts).entrySet()) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    ").append(str(e.getKey())).append(": ")
                    .append(e.getValue() instanceof Number n ? jnum(n.doubleValue()) : str(String.valueOf(e.getValue())));
        }
        sb.append("\n  },\n  \"summary\": ").append(str(summaryLine())).append("\n}\n");
        return sb.toString();
    }

    public void writeJson(Path file) throws IOException {
        mkdirs(file);
        Files.writeString(file, json());
    }

    static void mkdirs(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) return "-";
        if (v >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** JSON has no NaN: unknown figures are null. */
    static String jnum(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
