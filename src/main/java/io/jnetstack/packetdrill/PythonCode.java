package io.jnetstack.packetdrill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code %{ ... }%} blocks of a script: each is recorded with the TCP_INFO snapshot taken at
 * its time, and all of them run at the end of the script in one python3 process, in order, as
 * packetdrill does: each fragment is preceded by the tcpi_* values of its snapshot, and variables
 * the code sets carry over to later fragments. A failing assertion fails the script at the line of
 * its fragment, with Python's message.
 */
final class PythonCode {
    /** One fragment and the snapshot it sees. */
    record Fragment(int line, String code, Map<String, Long> vars) {}

    /** Why the code failed, or null. */
    record Failure(int line, String message) {}

    private final List<Fragment> fragments = new ArrayList<>();

    void add(int line, String code, Map<String, Long> vars) { fragments.add(new Fragment(line, code, vars)); }

    boolean isEmpty() { return fragments.isEmpty(); }

    /** The program handed to python3 (public for tests and --verbose). */
    String program() {
        StringBuilder sb = new StringBuilder();
        sb.append("import sys, traceback\n_line = 0\n");
        sb.append("def _hook(t, v, tb):\n");
        sb.append("    sys.stderr.write('PACKETDRILL-LINE %d\\n' % _line)\n");
        sb.append("    sys.stderr.write(''.join(traceback.format_exception_only(t, v)))\n");
        sb.append("    sys.exit(1)\n");
        sb.append("sys.excepthook = _hook\n");
        for (var e : TcpInfo.SYMBOLS.entrySet()) sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        for (Fragment f : fragments) {
            sb.append('\n');
            for (var e : f.vars().entrySet()) sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
            sb.append("_line = ").append(f.line()).append('\n');
            sb.append(dedent(f.code())).append('\n');
        }
        return sb.toString();
    }

    /**
     * Code is written inline ({@code %{ assert x }%}) or as a block; strip the indentation every
     * line shares so Python sees it at the top level.
     */
    static String dedent(String code) {
        List<String> lines = new ArrayList<>(List.of(code.split("\n", -1)));
        while (!lines.isEmpty() && lines.get(0).isBlank()) lines.remove(0);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        if (lines.isEmpty()) return "pass";
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) continue;
            int ind = 0;
            while (ind < l.length() && (l.charAt(ind) == ' ' || l.charAt(ind) == '\t')) ind++;
            if (i == 0 && lines.size() > 1) continue; // an inline first line may be indented differently
            min = Math.min(min, ind);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String s = i == 0 ? l.stripLeading() : l.length() >= min ? l.substring(min) : l.stripLeading();
            sb.append(s).append('\n');
        }
        return sb.toString();
    }

    private static final Pattern LINE = Pattern.compile("PACKETDRILL-LINE (\\d+)");

    /** Runs every fragment; null when all assertions held. */
    Failure run(String python, long timeoutSeconds) throws IOException, InterruptedException {
        if (fragments.isEmpty()) return null;
        Process p = new ProcessBuilder(python, "-").redirectErrorStream(false).start();
        p.getOutputStream().write(program().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Failure(fragments.get(0).line(), "python code did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() == 0) return null;
        String e = new String(err, StandardCharsets.UTF_8).trim();
        Matcher m = LINE.matcher(e);
        int line = fragments.get(0).line();
        if (m.find()) {
            line = Integer.parseInt(m.group(1));
            e = e.substring(m.end()).trim();
        }
        if (e.isEmpty()) e = new String(out, StandardCharsets.UTF_8).trim();
        return new Failure(line, "error in Python code: " + e.replace('\n', ' '));
    }
}
