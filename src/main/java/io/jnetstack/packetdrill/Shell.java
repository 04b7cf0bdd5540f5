package io.jnetstack.packetdrill;

import io.jnetstack.stack.Counters;
import io.jnetstack.stack.ModuleParams;
import io.jnetstack.stack.Stack;
import io.jnetstack.tcp.ProcNetTcp;
import io.jnetstack.tcp.Tcp;
import io.jnetstack.stack.Sysctl;
import io.jnetstack.stack.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands packetdrill scripts run ({@code `...`}), interpreted against the stack under
 * test instead of the host: there is no host here, only the simulated network namespace.
 *
 * <p>What is understood:
 * <ul>
 *   <li>{@code sysctl [-q] [-e] [-w] name=value ...}: set in the stack's own {@link Sysctls}.
 *   <li>{@code ./defaults.sh}, {@code ../common/defaults.sh} (any shell file, also through
 *       {@code .}, {@code source}, {@code bash} or {@code sh}; relative paths from the script's own
 *       folder, so both the kernel selftests' and packetdrill's gtests layouts work): read and run
 *       line by line. Like bash without
 *       {@code set -e}, a failing line inside a sourced file does not stop the file, but an
 *       unsupported sysctl is still reported.
 *   <li>{@code .../set_sysctls.py /proc/sys/net/ipv4/X=V ...} and the restore script it writes,
 *       {@code /tmp/sysctl_restore_${PPID}.sh}.
 *   <li>{@code rm -f FILE} and {@code dd if=/dev/zero of=FILE bs=N count=M}: scratch files for
 *       sendfile scripts, under /tmp only.
 *   <li>{@code echo VALUE > /proc/sys/...} (a sysctl) and {@code echo VALUE >
 *       /sys/module/MODULE/parameters/NAME} (a {@link ModuleParams module parameter}, such as
 *       tcp_cubic's hystart_detect).
 *   <li>{@code tc qdisc add|replace|change dev tun0 root pfifo limit N}: tun0's packet limit, of
 *       which only 0 (drop everything, as tests emulate local congestion) is observable on the
 *       virtual clock; {@code tc qdisc del dev tun0 root} lifts it.
 *   <li>{@code ip tcp_metrics flush [all|PREFIX]} and {@code ip tcp_metrics delete ADDRESS}: the
 *       stack's per-destination cache (Fast Open cookies and MSS) is emptied.
 *   <li>{@code nstat}: the MIB counters that changed since the previous nstat, as nstat prints them
 *       ("TcpExtOutOfWindowIcmps 1"), also as the first command of a grep pipeline.
 *   <li>Other {@code tc ...}, {@code ethtool ...}: no-ops with a note (other qdiscs and offload
 *       settings do not exist on the simulated tun0).
 * </ul>
 * Commands chain with {@code ;}, {@code &&} and {@code ||}. Anything else fails the script with a
 * clear message. {@code $((arithmetic))}, {@code $PPID},
 * quotes, {@code #} comments, backslash continuations and redirections are handled.
 */
final class Shell {
    /** A failed command: the script fails with this message. */
    static final class ShellError extends Exception {
        ShellError(String msg) { super(msg); }
    }

    /**
     * Linux sysctls jnetstack does not model, with Linux 6.18's default: setting one to its default
     * changes nothing and is accepted with a note; any other value fails.
     */
    private static final Map<String, String> UNMODELLED_DEFAULTS = Map.of(
            "net.ipv4.tcp_tso_win_divisor", "3",
            "net.ipv4.tcp_ecn_option", "2",
            "net.ipv4.tcp_fastopen_cookies", "0");
    /** Sysctls Linux 6.18 does not have either: its sysctl(8) fails and defaults.sh goes on. */
    private static final List<String> ABSENT_IN_LINUX = List.of("net.ipv4.tcp_fack");

    private final Stack stack;
    /** nstat's history: each counter's value at the previous nstat. */
    private final Map<String, Long> nstatSeen = new HashMap<>();
    private final Sysctls sysctls;
    private final ModuleParams params;
    private final Path scriptDir;
    private final List<String> notes;
    /** Values saved by set_sysctls.py, restored by the restore script. */
    private final Map<String, String> saved = new LinkedHashMap<>();

    /** Where {@code tc qdisc ... pfifo limit N} goes: tun0's packet limit (-1: none). */
    private final IntConsumer tunQdiscLimit;

    Shell(Stack stack, Path scriptDir, List<String> notes, IntConsumer tunQdiscLimit) {
        this.stack = stack;
        this.tunQdiscLimit = tunQdiscLimit;
        this.sysctls = stack.sysctl();
        this.params = stack.moduleParams();
        this.scriptDir = scriptDir;
        this.notes = notes;
    }


    /** Runs one {@code `...`} command text (possibly several lines). */
    void run(String text) throws ShellError { runLines(text, null); }

    private void runLines(String text, String sourcedFrom) throws ShellError {
        String joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
        for (String raw : joined.split("\n")) {
            String line = stripComment(raw).trim();
            if (line.isEmpty() || line.startsWith("#!")) continue;
            for (String statement : line.split(";")) {
                try {
                    andOr(statement);
                } catch (ShellError e) {
                    if (sourcedFrom == null) throw e;
                    throw new ShellError(e.getMessage() + " (in " + sourcedFrom + ")");
                }
            }
        }
    }

    /**
     * {@code tc qdisc add|replace|change dev tun0 root pfifo limit N} and {@code tc qdisc del dev
     * tun0 root}: tun0's packet limit. Returns false for any other tc command.
     */
    private boolean qdisc(List<String> w) {
        if (w.size() >= 6 && w.get(1).equals("qdisc") && w.get(3).equals("dev") && w.get(4).equals("tun0")
                && w.get(5).equals("root")) {
            String op = w.get(2);
            if (op.equals("del") && w.size() == 6) {
                tunQdiscLimit.accept(-1);
                return true;
            }
            if (List.of("add", "replace", "change").contains(op) && w.size() == 9 && w.get(6).equals("pfifo")
                    && w.get(7).equals("limit") && w.get(8).matches("\\d{1,9}")) {
                tunQdiscLimit.accept(Integer.parseInt(w.get(8)));
                return true;
            }
        }
        return false;
    }

    /**
     * An and-or list, {@code a && b || c}: each command runs or not by the status of the one before
     * (a failure is a ShellError); the list fails when the last command run failed.
     */
    private void andOr(String statement) throws ShellError {
        Matcher m = AND_OR.matcher(statement);
        ShellError last = null;
        int start = 0;
        String op = null;
        while (true) {
            boolean found = m.find();
            String cmd = statement.substring(start, found ? m.start() : statement.length()).trim();
            boolean run = op == null || op.equals("&&") == (last == null);
            if (run && !cmd.isEmpty()) {
                try {
                    if (cmd.contains("|")) pipeline(cmd);
                    else command(cmd);
                    last = null;
                } catch (ShellError e) {
                    last = e;
                }
            }
            if (!found) break;
            op = m.group();
            start = m.end();
        }
        if (last != null) throw last;
    }

    private static final Pattern AND_OR = Pattern.compile("&&|\\|\\|");

    private static String stripComment(String s) {
        boolean sq = false, dq = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && !dq) sq = !sq;
            else if (c == '"' && !sq) dq = !dq;
            else if (c == '#' && !sq && !dq && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) return s.substring(0, i);
        }
        return s;
    }

    private void command(String cmd) throws ShellError {
        Matcher echo = ECHO_TO_FILE.matcher(expand(cmd).trim());
        if (echo.matches()) {
            List<String> value = words(echo.group(1));
            write(echo.group(2), String.join(" ", value));
            return;
        }
        List<String> w = words(expand(cmd));
        if (w.isEmpty()) return;
        // `. ./x.sh`, `source x.sh`, `bash ./x.sh`, `sh x.sh`: the same as running x.sh here, since
        // only its effect on the namespace (sysctls) is observable.
        if (w.size() > 1 && List.of(".", "source", "sh", "bash").contains(w.get(0))) w = w.subList(1, w.size());
        String prog = w.get(0);
        String base = prog.substring(prog.lastIndexOf('/') + 1);
        switch (base) {
            case "sysctl" -> sysctl(w);
            case "rm" -> removeFiles(cmd, w);
            case "dd" -> zeroFile(cmd, w);
            case "tc" -> {
                if (!qdisc(w)) notes.add("shell: ignored `" + cmd + "` (no such qdisc setting on the simulated tun0)");
            }
            case "ethtool" -> notes.add("shell: ignored `" + cmd + "` (no offload settings on the simulated tun0)");
            case "ip" -> {
                if (w.size() > 1 && w.get(1).equals("tcp_metrics")) tcpMetrics(cmd, w.subList(2, w.size()));
                else throw new ShellError("unsupported shell command `" + cmd + "`");
            }
            case "nstat" -> nstat(w);
            case "set_sysctls.py" -> {
                for (String a : w.subList(1, w.size())) {
                    int eq = a.indexOf('=');
                    if (!a.startsWith("/proc/sys/") || eq < 0) throw new ShellError("set_sysctls.py: bad argument " + a);
                    String name = a.substring("/proc/sys/".length(), eq).replace('/', '.');
                    saved.putIfAbsent(name, current(name));
                    set(name, a.substring(eq + 1));
                }
            }
            default -> {
                if (base.startsWith("sysctl_restore_") && base.endsWith(".sh")) {
                    for (var e : saved.entrySet()) if (e.getValue() != null) set(e.getKey(), e.getValue());
                    saved.clear();
                } else if (base.endsWith(".sh")) {
                    source(prog);
                } else {
                    throw new ShellError("unsupported shell command `" + cmd + "`");
                }
            }
        }
    }

    /**
     * Runs a shell file. A relative path resolves against the script's own folder, as the script's
     * shell lines see it when packetdrill runs in that folder: {@code ./defaults.sh} (the kernel
     * selftests' layout), {@code ../common/defaults.sh} (packetdrill's gtests layout). A file it
     * runs in turn resolves the same way, as bash's working directory stays the same.
     */
    private void source(String prog) throws ShellError {
        Path f = scriptDir.resolve(prog).normalize();
        if (!Files.isRegularFile(f))
            throw new ShellError("shell file " + prog + " not found (looked for " + f + ", relative to the script's folder)");
        String text;
        try {
            text = Files.readString(f);
        } catch (IOException e) {
            throw new ShellError("cannot read shell file " + f + ": " + e.getMessage());
        }
        runLines(text, prog);
    }

    private void sysctl(List<String> w) throws ShellError {
        boolean ignoreUnknown = false;
        for (String a : w.subList(1, w.size())) {
            if (a.startsWith("-")) {
                if (a.contains("e")) ignoreUnknown = true;
                continue;
            }
            int eq = a.indexOf('=');
            if (eq < 0) throw new ShellError("sysctl: reading values is not supported: " + a);
            String name = a.substring(0, eq).replace('/', '.');
            if (ignoreUnknown && sysctls.get(name) == null && !UNMODELLED_DEFAULTS.containsKey(name)) {
                notes.add("shell: sysctl -e: unknown " + name + " ignored");
                continue;
            }
            set(name, a.substring(eq + 1));
        }
    }

    /**
     * A pipeline of greps over the stack's /proc files ({@code grep " 0A " /proc/net/tcp | grep
     * ":1F90"}): its status is the last grep's, 1 (a failed command) when nothing matched.
     */
    private void pipeline(String cmd) throws ShellError {
        String text = null;
        for (String part : cmd.split("\\|")) {
            List<String> w = words(expand(part.trim()));
            if (text == null && !w.isEmpty() && w.get(0).equals("nstat")) {
                text = nstat(w);
                continue;
            }
            if (w.isEmpty() || !w.get(0).equals("grep") || w.size() < 2)
                throw new ShellError("unsupported shell command `" + cmd + "`");
            boolean quiet = false;
            int i = 1;
            for (; i < w.size() && w.get(i).startsWith("-") && w.get(i).length() > 1; i++) {
                if (w.get(i).equals("-q")) quiet = true;
                else throw new ShellError("grep: option " + w.get(i) + " is not supported");
            }
            if (i >= w.size()) throw new ShellError("grep: no pattern in `" + cmd + "`");
            Pattern pat = Pattern.compile(w.get(i));
            List<String> files = w.subList(i + 1, w.size());
            StringBuilder out = new StringBuilder();
            if (files.isEmpty()) {
                if (text == null) throw new ShellError("grep: reads no input in `" + cmd + "`");
                for (String l : text.lines().toList()) if (pat.matcher(l).find()) out.append(l).append('\n');
            } else {
                for (String f : files) {
                    for (String l : procFile(f).lines().toList())
                        if (pat.matcher(l).find()) out.append(files.size() > 1 ? f + ":" : "").append(l).append('\n');
                }
            }
            text = quiet ? "" : out.toString();
            if (out.isEmpty()) throw new ShellError("`" + cmd + "` failed: grep matched nothing");
        }
        notes.add("shell: `" + cmd + "` printed:\n" + text.stripTrailing());
    }

    /** {@code ip tcp_metrics flush [all|PREFIX]}, {@code ip tcp_metrics delete ADDRESS}. */
    private void tcpMetrics(String cmd, List<String> args) throws ShellError {
        Tcp tcp = Tcp.of(stack);
        if (tcp == null || args.isEmpty()) throw new ShellError("unsupported shell command `" + cmd + "`");
        String verb = args.get(0);
        if (verb.equals("flush") && (args.size() == 1 || args.get(1).equals("all"))) {
            tcp.metricsFlush();
            return;
        }
        if ((verb.equals("flush") || verb.equals("delete") || verb.equals("del")) && args.size() == 2) {
            String a = args.get(1);
            int slash = a.indexOf('/');
            Integer addr = ipv4(slash < 0 ? a : a.substring(0, slash));
            int prefix = slash < 0 ? 32 : Integer.parseInt(a.substring(slash + 1));
            if (addr == null || prefix < 0 || prefix > 32) throw new ShellError("ip tcp_metrics: bad address " + a);
            int n = tcp.metricsFlush(addr, prefix);
            if (n == 0 && !verb.equals("flush")) throw new ShellError("ip tcp_metrics: no entry for " + a);
            return;
        }
        throw new ShellError("unsupported shell command `" + cmd + "`");
    }

    private static Integer ipv4(String s) {
        String[] p = s.split("\\.");
        if (p.length != 4) return null;
        int v = 0;
        for (String x : p) {
            if (!x.matches("[0-9]{1,3}") || Integer.parseInt(x) > 255) return null;
            v = v << 8 | Integer.parseInt(x);
        }
        return v;
    }

    /**
     * {@code nstat}: the counters that changed since the previous call, one "Name delta" line
     * each, as its output; the new values are remembered. {@code -a}: absolute values, {@code -z}:
     * zero ones too.
     */
    private String nstat(List<String> w) {
        boolean absolute = w.contains("-a"), zeros = w.contains("-z");
        StringBuilder out = new StringBuilder("#kernel\n");
        for (Counters<?> g : stack.snmp().groups()) {
            for (String name : g.names()) {
                String key = g.group() + name;
                long v = g.get(name);
                long shown = absolute ? v : v - nstatSeen.getOrDefault(key, 0L);
                if (shown != 0 || zeros) out.append(key).append(' ').append(shown).append('\n');
                nstatSeen.put(key, v);
            }
        }
        return out.toString();
    }

    /** The files of the stack's /proc that scripts read. */
    private String procFile(String f) throws ShellError {
        Tcp tcp = Tcp.of(stack);
        return switch (f) {
            case "/proc/net/tcp" -> ProcNetTcp.show(tcp, false);
            case "/proc/net/tcp6" -> ProcNetTcp.show(tcp, true);
            default -> throw new ShellError("grep: " + f + ": jnetstack has no such file");
        };
    }

    /** Scratch files scripts make for sendfile(2) live in the host's /tmp; nothing else is touched. */
    private static Path scratch(String cmd, String file) throws ShellError {
        Path p = Path.of(file).normalize();
        if (!p.startsWith("/tmp/") || p.getNameCount() < 2) throw new ShellError("`" + cmd + "`: only files under /tmp may be written");
        return p;
    }

    /** {@code rm [-f] FILE...} */
    private void removeFiles(String cmd, List<String> w) throws ShellError {
        boolean force = false;
        for (String a : w.subList(1, w.size())) {
            if (a.startsWith("-")) { force |= a.contains("f"); continue; }
            try {
                if (!Files.deleteIfExists(scratch(cmd, a)) && !force) throw new ShellError("rm: cannot remove '" + a + "': No such file or directory");
            } catch (IOException e) {
                throw new ShellError("rm: cannot remove '" + a + "': " + e.getMessage());
            }
        }
    }

    /** {@code dd bs=N count=M if=/dev/zero of=FILE [status=none]}: N·M zero bytes. */
    private void zeroFile(String cmd, List<String> w) throws ShellError {
        long bs = 512, count = -1;
        String in = null, out = null;
        for (String a : w.subList(1, w.size())) {
            int eq = a.indexOf('=');
            if (eq < 0) throw new ShellError("dd: bad operand " + a);
            String k = a.substring(0, eq), v = a.substring(eq + 1);
            try {
                switch (k) {
                    case "bs" -> bs = Long.parseLong(v);
                    case "count" -> count = Long.parseLong(v);
                    case "if" -> in = v;
                    case "of" -> out = v;
                    case "status" -> { }
                    default -> throw new ShellError("dd: operand " + k + " is not supported");
                }
            } catch (NumberFormatException e) {
                throw new ShellError("dd: bad number in " + a);
            }
        }
        if (!"/dev/zero".equals(in) || out == null || count < 0 || bs < 0 || bs * count > (64L << 20))
            throw new ShellError("`" + cmd + "`: only dd if=/dev/zero of=FILE with bs and count (up to 64 MiB) is supported");
        try {
            Files.write(scratch(cmd, out), new byte[(int) (bs * count)]);
        } catch (IOException e) {
            throw new ShellError("dd: " + e.getMessage());
        }
    }

    /** {@code echo VALUE > FILE}: the one shell write scripts make to kernel files. */
    private static final Pattern ECHO_TO_FILE = Pattern.compile("echo\\s+(.*?)\\s*>\\s*(\\S+)");
    private static final Pattern MODULE_PARAM = Pattern.compile("/sys/module/([^/]+)/parameters/([^/]+)");

    /**
     * Writes a kernel file: {@code /proc/sys/...} is a sysctl, {@code /sys/module/M/parameters/P}
     * a module parameter of the stack's kernel ({@link ModuleParams}); nothing else is writable.
     */
    private void write(String file, String value) throws ShellError {
        if (file.startsWith("/proc/sys/")) {
            set(file.substring("/proc/sys/".length()), value);
            return;
        }
        Matcher m = MODULE_PARAM.matcher(file);
        if (!m.matches()) throw new ShellError("unsupported shell command `echo " + value + " > " + file + "`");
        Sysctl p = params.get(m.group(1), m.group(2));
        if (p == null) throw new ShellError(file + ": jnetstack's " + m.group(1) + " has no parameter " + m.group(2));
        if (p.set(decimal(value)) != 0) throw new ShellError(file + ": invalid value " + value);
    }

    private String current(String name) {
        String v = sysctls.read(name);
        return v != null ? v : UNMODELLED_DEFAULTS.get(name);
    }

    /** Writes one value, as {@code echo value > /proc/sys/...} would. */
    void set(String name, String value) throws ShellError {
        name = name.replace('/', '.');
        String v = value.trim();
        if (name.equals("net.ipv4.tcp_congestion_control")) {
            if (sysctls.set(name, v) != 0) throw new ShellError("sysctl " + name + "=" + v + ": unsupported congestion control");
            return;
        }
        if (sysctls.isText(name)) {
            if (sysctls.set(name, v) != 0) throw new ShellError("sysctl " + name + "=" + v + ": invalid value");
            return;
        }
        Sysctl s = sysctls.get(name);
        if (s == null) {
            if (ABSENT_IN_LINUX.contains(name)) {
                notes.add("shell: " + name + " does not exist in Linux 6.18 either; ignored as Linux's sysctl(8) fails");
                return;
            }
            String def = UNMODELLED_DEFAULTS.get(name);
            if (def != null && def.equals(decimal(v))) {
                notes.add("shell: " + name + "=" + v + " is Linux's default; not modelled by jnetstack");
                return;
            }
            throw new ShellError("sysctl " + name + "=" + v + ": not supported by jnetstack");
        }
        int r = s.set(decimal(v));
        if (r != 0) throw new ShellError("sysctl " + name + "=" + v + ": invalid value (" + r + ")");
    }

    /** proc_dointvec reads numbers in any base (strtoul base 0): hex becomes decimal here. */
    private static String decimal(String v) {
        StringBuilder sb = new StringBuilder();
        for (String part : v.trim().split("\\s+")) {
            if (!sb.isEmpty()) sb.append(' ');
            if (part.matches("0[xX][0-9a-fA-F]+")) sb.append(Long.parseLong(part.substring(2), 16));
            else sb.append(part);
        }
        return sb.toString();
    }

    private static final Pattern ARITH = Pattern.compile("\\$\\(\\(([^()]*)\\)\\)");

    /** Expands {@code $((...))} (integer + - * /) and {@code $PPID}/{@code ${PPID}}. */
    private static String expand(String s) throws ShellError {
        s = s.replace("${PPID}", "1").replace("$PPID", "1");
        Matcher m = ARITH.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Long.toString(arith(m.group(1))));
        m.appendTail(sb);
        if (sb.indexOf("$") >= 0) throw new ShellError("unsupported shell expansion in `" + s + "`");
        return sb.toString();
    }

    private static long arith(String e) throws ShellError {
        // Left to right with * and / before + and -: enough for $((15*1024*1024)).
        try {
            long sum = 0;
            for (String term : e.replace(" ", "").split("(?=[+-])")) {
                if (term.isEmpty()) continue;
                int sign = 1;
                if (term.startsWith("+")) term = term.substring(1);
                else if (term.startsWith("-")) { sign = -1; term = term.substring(1); }
                String[] f = term.split("(?=[*/])");
                long v = Long.decode(f[0]);
                for (int i = 1; i < f.length; i++) {
                    long x = Long.decode(f[i].substring(1));
                    v = f[i].charAt(0) == '*' ? v * x : v / x;
                }
                sum += sign * v;
            }
            return sum;
        } catch (RuntimeException ex) {
            throw new ShellError("unsupported shell arithmetic $((" + e + "))");
        }
    }

    /** Splits into words with quotes removed; redirections ({@code > /dev/null 2>&1}) are dropped. */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean sq = false, dq = false, any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && !dq) { sq = !sq; any = true; }
            else if (c == '"' && !sq) { dq = !dq; any = true; }
            else if (Character.isWhitespace(c) && !sq && !dq) {
                if (any || !cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else cur.append(c);
        }
        if (any || !cur.isEmpty()) out.add(cur.toString());
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            String x = out.get(i);
            if (x.matches("[0-9]*>&[0-9]+")) continue;
            if (x.matches("([0-9]*|&)>>?")) { i++; continue; }
            if (x.matches("([0-9]*|&)>>?\\S+")) continue;
            clean.add(x);
        }
        return clean;
    }
}
