package io.jnetstack.packetdrill;

import io.jnetstack.inet.Inet;
import io.jnetstack.ipv4.Fib;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.packetdrill.Ast.*;
import io.jnetstack.packetdrill.Runner.Result;
import io.jnetstack.packetdrill.Runner.Status;
import io.jnetstack.packetdrill.ScriptPackets.BuildError;
import io.jnetstack.time.SimScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of one script: packetdrill's main loop (run_script) on a virtual clock.
 *
 * <p>The driver (this thread) plays packetdrill's main thread: it waits for each event's time by
 * running the simulation up to it, injects inbound packets, sniffs outbound ones from tun0, runs
 * shell commands and records TCP_INFO for code blocks. System calls run on simulated application
 * threads; a call the script marks as blocking ({@code ...}) keeps its thread asleep while script
 * time advances, and its return time is checked when it returns.
 *
 * <p>Times: packetdrill's relative times are relative to when the previous event finished
 * ({@code now}), except that consecutive inbound packets are anchored to each other's script time.
 */
final class ScriptRun {
    /** A mismatch or error that fails the script at a line. */
    static final class Failure extends RuntimeException {
        final int line;

        Failure(int line, String msg) {
            super(msg);
            this.line = line;
        }
    }

    /** A script that needs a feature outside TCP/IP. */
    static final class Skip extends RuntimeException {
        Skip(String msg) { super(msg); }
    }

    private static final long NO_TIME = Long.MIN_VALUE;

    final Path path;
    final Runner.Options opts;
    final List<String> notes = new ArrayList<>();
    // Configuration from the script's option lines (packetdrill's struct config).
    long toleranceUsecs = 4000;
    double tolerancePercent = 12.5;
    long tsTickUsecs = 0;
    boolean tsEcrScaled, strictSegments;
    int localIp = ip("192.168.0.1"), remoteIp = ip("192.0.2.1"), gatewayIp = ip("192.168.0.1");
    int prefixLen = 16, remotePrefixLen = 24, mtu = 1500, bindPort = 8080, connectPort = 8080;
    int nextRemotePort = 48_000;

    SimScheduler sched;
    Runner.Target target;
    TunDevice tun;
    Shell shell;
    final PythonCode code = new PythonCode();
    SyscallExec sys;
    long startNs;
    /** The realtime clock at the script's start: timestamps the stack reports are read against it. */
    long startRealNs;

    /** packetdrill's socket under test, and every socket by script fd. */
    ScriptSocket sut;
    final Map<Integer, ScriptSocket> socketsByFd = new HashMap<>();
    /** Script fd → live fd, for every descriptor the script has opened. */
    final Map<Integer, Integer> fds = new HashMap<>();

    // The blocking system call in progress, if any.
    private BlockingCall blocking;
    /** A failure found on an application thread (a blocking call that returned wrongly). */
    Failure asyncFailure;

    private Event lastEvent;
    private long lastEventUsecs = NO_TIME;
    private int eventsRun;

    ScriptRun(Path path, Runner.Options opts) {
        this.path = path;
        this.opts = opts;
    }

    static int ip(String s) {
        String[] p = s.split("\\.");
        if (p.length != 4) throw new IllegalArgumentException("bad IPv4 address " + s);
        int v = 0;
        for (String x : p) v = (v << 8) | Integer.parseInt(x);
        return v;
    }

    static String ipString(int a) {
        return (a >>> 24) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    Result execute() {
        long t0 = System.nanoTime();
        Status status = Status.PASS;
        int line = 0;
        String msg = null;
        try {
            Script s = Parser.parse(path, opts.defines());
            run(s);
        } catch (ParseException e) {
            status = Status.FAIL;
            line = e.line();
            msg = "parse error: " + e.getMessage().substring(e.getMessage().indexOf(':') + 2);
        } catch (IOException e) {
            status = Status.FAIL;
            msg = "cannot read script: " + e.getMessage();
        } catch (Skip e) {
            status = Status.SKIP;
            msg = e.getMessage();
        } catch (Failure e) {
            status = Status.FAIL;
            line = e.line;
            msg = e.getMessage();
        } catch (RuntimeException | Error e) {
            status = Status.FAIL;
            line = lastEvent == null ? 0 : lastEvent.line();
            StackTraceElement[] st = e.getStackTrace();
            boolean ours = st.length > 0 && st[0].getClassName().startsWith("io.jnetstack.packetdrill.");
            msg = (ours ? "internal error in runner: " : "the stack threw: ") + e
                    + (st.length > 0 ? " at " + st[0] : "");
            if (opts.verbose()) e.printStackTrace();
        }
        return new Result(path, status, line, msg, List.copyOf(notes), (System.nanoTime() - t0) / 1_000_000);
    }

    // ------------------------------------------------------------------ setup

    private void configure(Script s) {
        for (Option o : s.options()) {
            String v = o.value();
            try {
                switch (o.name()) {
                    case "tolerance_usecs" -> toleranceUsecs = Long.parseLong(v);
                    case "tolerance_percent" -> tolerancePercent = Double.parseDouble(v);
                    case "tcp_ts_tick_usecs" -> tsTickUsecs = Long.parseLong(v);
                    case "tcp_ts_ecr_scaled" -> tsEcrScaled = true;
                    case "strict_segments" -> strictSegments = true;
                    case "local_ip" -> localIp = parseAddr(o, v);
                    case "remote_ip" -> {
                        String a = v.contains("/") ? v.substring(0, v.indexOf('/')) : v;
                        if (v.contains("/")) remotePrefixLen = Integer.parseInt(v.substring(v.indexOf('/') + 1));
                        remoteIp = parseAddr(o, a);
                    }
                    case "gateway_ip" -> gatewayIp = parseAddr(o, v);
                    case "netmask_ip" -> prefixLen = Integer.bitCount(parseAddr(o, v));
                    case "mtu" -> mtu = Integer.parseInt(v);
                    case "bind_port" -> bindPort = Integer.parseInt(v);
                    case "connect_port" -> connectPort = Integer.parseInt(v);
                    case "mss" -> notes.add("--mss=" + v + ": inbound GSO packets are injected whole");
                    case "ip_version" -> {
                        if (!v.equals("ipv4")) throw new Failure(o.line(), "--ip_version=" + v + " is not supported (IPv4 only)");
                    }
                    case "psp_udp_port" -> throw new Skip("PSP encryption (--psp_udp_port)");
                    case "wire_client", "wire_server", "wire_server_ip", "wire_server_at", "wire_server_port" ->
                            throw new Skip("wire-server mode (--" + o.name() + ")");
                    case "speed", "init_scripts", "non_fatal", "dry_run", "is_anyip", "send_omit_free", "debug",
                         "verbose", "code_command", "code_format", "code_sockopt", "so_filename", "so_flags" ->
                            notes.add("option --" + o.name() + " ignored");
                    default -> throw new Failure(o.line(), "unknown option --" + o.name());
                }
            } catch (NumberFormatException e) {
                throw new Failure(o.line(), "bad value for --" + o.name() + ": " + v);
            }
        }
    }

    private static int parseAddr(Option o, String v) {
        try {
            return ip(v);
        } catch (RuntimeException e) {
            throw new Failure(o.line(), "--" + o.name() + "=" + v + ": not an IPv4 address (IPv6 is not supported)");
        }
    }

    /** Finds features outside TCP/IP before anything runs. */
    private static void checkSkips(Script s) {
        for (Event e : s.events()) {
            if (e.action() instanceof Packet p && p.encap() != null)
                throw new Skip(p.encap().contains("psp") ? "PSP encryption (encapsulated packets)" : "encapsulated packets (" + p.encap() + ")");
            if (e.action() instanceof Syscall c && c.name().startsWith("psp_"))
                throw new Skip("PSP encryption (" + c.name() + ")");
        }
    }

    private void setUp() {
        sched = new SimScheduler();
        startNs = sched.now();
        startRealNs = sched.realtimeNanos();
        target = opts.targets().create(sched, opts.seed());
        var stack = target.stack();
        if (opts.trace() != null) stack.trace().enable(opts.trace());
        Ipv4 ip4 = Inet.install(stack);
        tun = new TunDevice(sched, mtu);
        ip4.attach(tun);
        ip4.addAddress(tun, localIp, prefixLen);
        // The remote network sits behind the gateway, as packetdrill's route add does; on a
        // point-to-point tun the next hop makes no difference to what goes out.
        int rnet = remoteIp & Fib.mask(remotePrefixLen);
        if (!ipOnLink(remoteIp)) ip4.addRoute(rnet, remotePrefixLen, 0, tun);
        shell = new Shell(stack, path.toAbsolutePath().getParent(), notes, tun::qdiscLimit);
        sys = new SyscallExec(this);
    }

    private boolean ipOnLink(int a) { return (a & Fib.mask(prefixLen)) == (localIp & Fib.mask(prefixLen)); }

    // ------------------------------------------------------------------ the main loop

    private void run(Script s) {
        configure(s);
        checkSkips(s);
        setUp();
        if (s.init() != null) runCommand(s.init().line(), s.init().text());
        if (s.events().isEmpty()) return;
        EventTime first = s.events().get(0).time();
        if (first.type() == TimeType.ANY || first.usecs() != 0)
            throw new Failure(s.events().get(0).line(), "first event should be at time 0");
        for (Event e : s.events()) {
            checkDeadline(e.line());
            runEvent(e);
            eventsRun++;
            checkAsync();
        }
        finish(s);
    }

    private void checkDeadline(int line) {
        // The wall-clock limit is the caller's; the clock here is virtual.
        if (Thread.currentThread().isInterrupted()) throw new Failure(line, "interrupted");
    }

    void checkAsync() {
        if (asyncFailure != null) throw asyncFailure;
    }

    long nowUs() { return (sched.now() - startNs) / 1000; }

    /** The script time of an event: relative times start from now, or from the previous inbound packet. */
    private long[] resolveTime(Event e) {
        EventTime t = e.time();
        long offset = 0;
        if (t.type() == TimeType.RELATIVE || t.type() == TimeType.RELATIVE_RANGE || t.type() == TimeType.ANY) {
            boolean anchored = lastEvent != null && isInbound(lastEvent) && isInbound(e);
            offset = anchored ? lastEventUsecs : nowUs();
        } else if (lastEvent != null && isAbsolute(lastEvent) && t.usecs() < lastEventUsecs) {
            throw new Failure(e.line(), "time goes backward in script from " + lastEventUsecs + " usec to " + t.usecs() + " usec");
        }
        long start = t.type() == TimeType.ANY ? offset : t.usecs() + (isAbs(t) ? 0 : offset);
        long end = switch (t.type()) {
            case ABSOLUTE_RANGE -> t.endUsecs();
            case RELATIVE_RANGE -> t.endUsecs() + offset;
            default -> start;
        };
        return new long[] {start, end, offset};
    }

    private static boolean isAbs(EventTime t) { return t.type() == TimeType.ABSOLUTE || t.type() == TimeType.ABSOLUTE_RANGE; }

    private static boolean isAbsolute(Event e) { return isAbs(e.time()); }

    private static boolean isInbound(Event e) { return e.action() instanceof Packet p && p.direction() == Direction.INBOUND; }

    private void runEvent(Event e) {
        long[] t = resolveTime(e);
        long prevEventUsecs = lastEventUsecs;
        switch (e.action()) {
            case Packet p when p.direction() == Direction.INBOUND -> {
                waitForEvent(e, t[0], prevEventUsecs);
                inbound(e, p);
            }
            case Packet p -> outbound(e, p, t, prevEventUsecs);
            case Syscall c -> {
                long end = c.blocking() ? (e.time().type() == TimeType.RELATIVE ? c.endUsecs() + t[2] : c.endUsecs()) : 0;
                awaitIdle(e, c);
                waitForEvent(e, t[0], prevEventUsecs);
                sys.start(e, c, t[0], end);
            }
            case Command c -> {
                waitForEvent(e, t[0], prevEventUsecs);
                runCommand(e.line(), c.text());
            }
            case Code c -> {
                waitForEvent(e, t[0], prevEventUsecs);
                code.add(e.line(), c.text(), sys.tcpInfoSnapshot(e.line()));
            }
        }
        lastEvent = e;
        lastEventUsecs = t[0];
    }

    private void runCommand(int line, String text) {
        try {
            shell.run(text);
        } catch (Shell.ShellError ex) {
            throw new Failure(line, ex.getMessage());
        }
    }

    /** Runs the simulation until the event's time, then checks we are not late (wait_for_event). */
    private void waitForEvent(Event e, long usecs, long prevUsecs) {
        long target = startNs + usecs * 1000;
        if (sched.now() < target) sched.runUntilIdle(target);
        checkAsync();
        if (eventsRun > 0) {
            String err = verifyTime(e.time().type(), usecs, usecs, nowUs(), prevUsecs, describe(e));
            if (err != null) throw new Failure(e.line(), err);
        }
    }

    private static String describe(Event e) {
        return switch (e.action()) {
            case Packet p -> p.direction() == Direction.INBOUND ? "inbound packet" : "outbound packet";
            case Syscall s -> "system call start";
            case Command c -> "command";
            case Code c -> "data collection for code";
        };
    }

    /** packetdrill's verify_time: the fixed tolerance, or 12.5% of the gap since the previous event when larger. */
    String verifyTime(TimeType type, long expected, long expectedEnd, long actual, long lastUsecs, String what) {
        if (type == TimeType.ANY) return null;
        long tol = tolerance(expected, lastUsecs);
        if (type == TimeType.ABSOLUTE_RANGE || type == TimeType.RELATIVE_RANGE) {
            if (actual < expected - tol || actual > expectedEnd + tol)
                return String.format(Locale.ROOT, "timing error: expected %s in time range %.6f~%.6f sec but happened at %.6f sec",
                        what, expected / 1e6, expectedEnd / 1e6, actual / 1e6);
            return null;
        }
        if (actual < expected - tol || actual > expected + tol)
            return String.format(Locale.ROOT, "timing error: expected %s at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
                    what, expected / 1e6, actual / 1e6, tol / 1e6);
        return null;
    }

    long tolerance(long expected, long lastUsecs) {
        long tol = toleranceUsecs;
        if (lastUsecs != NO_TIME) tol = Math.max(tol, (long) (tolerancePercent / 100.0 * (expected - lastUsecs)));
        return tol;
    }

    // ------------------------------------------------------------------ blocking system calls

    /** A blocking call in flight on its application thread. */
    static final class BlockingCall {
        final Event event;
        boolean done;

        BlockingCall(Event event) { this.event = event; }
    }

    void setBlocking(BlockingCall c) { blocking = c; }

    /** await_idle_thread: gives a blocking call up to one second to return before the next call. */
    private void awaitIdle(Event e, Syscall c) {
        if (blocking == null || blocking.done) { blocking = null; return; }
        sched.runUntil(() -> blocking.done || asyncFailure != null, sched.now() + 1_000_000_000L);
        checkAsync();
        if (blocking.done) { blocking = null; return; }
        if (c.blocking())
            throw new Failure(e.line(), "runtime error in " + c.name()
                    + " call: blocking system call while another blocking system call is already in progress");
    }

    private void finish(Script s) {
        if (blocking != null && !blocking.done) {
            sched.runUntil(() -> blocking.done || asyncFailure != null, sched.now() + 1_000_000_000L);
            checkAsync();
            if (!blocking.done)
                throw new Failure(blocking.event.line(), "runtime error: exiting while a blocking system call is in progress");
        }
        if (s.cleanup() != null) runCommand(s.cleanup().line(), s.cleanup().text());
        try {
            PythonCode.Failure f = code.run(opts.python(), 30);
            if (f != null) throw new Failure(f.line(), f.message());
        } catch (IOException ex) {
            throw new Failure(0, "cannot run " + opts.python() + " for %{ }% code: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new Failure(0, "interrupted while running python code");
        }
    }

    // ------------------------------------------------------------------ inbound packets

    private ScriptSocket socketForScriptPacket(Event e, Packet p) {
        if (p instanceof TcpPacket tp) {
            if (p.direction() == Direction.INBOUND && (sut == null || sut.state == ScriptSocket.State.PASSIVE_LISTENING)) {
                // handle_listen: a child for this incoming packet becomes the socket under test.
                ScriptSocket child = new ScriptSocket();
                child.state = ScriptSocket.State.PASSIVE_PACKET_RECEIVED;
                child.remoteIsn = tp.startSeq();
                child.localIp = localIp;
                child.localPort = sut != null && sut.localPort != 0 ? sut.localPort : bindPort;
                child.remoteIp = remoteIp;
                child.remotePort = nextRemotePort++;
                sut = child;
                return child;
            }
            if (p.direction() == Direction.OUTBOUND && tp.has('S') && !tp.ackFlag() && sut != null
                    && sut.state == ScriptSocket.State.ACTIVE_CONNECTING) {
                sut.state = ScriptSocket.State.ACTIVE_SYN_SENT;
                sut.scriptLocalIsn = tp.startSeq();
                return sut;
            }
        }
        if (sut != null) return sut;
        throw new Failure(e.line(), "error handling packet: no matching socket for script packet");
    }

    private void inbound(Event e, Packet p) {
        ScriptSocket s = socketForScriptPacket(e, p);
        byte[] bytes;
        try {
            bytes = switch (p) {
                case TcpPacket tp -> inboundTcp(s, tp);
                case UdpPacket up -> ScriptPackets.ipv4(ScriptPackets.tosByte(up.ip()), up.ip().ttl(), 17, s.remoteIp, s.localIp,
                        udp(up.srcPort() != 0 ? up.srcPort() : s.remotePort, up.dstPort() != 0 ? up.dstPort() : s.localPort, up.payloadLen()), 6);
                case IcmpPacket ip -> inboundIcmp(s, ip);
            };
        } catch (BuildError ex) {
            throw new Failure(e.line(), "error handling packet: " + ex.getMessage());
        }
        if (opts.verbose()) notes.add(String.format(Locale.ROOT, "%.6f inbound injected %d bytes (line %d)", nowUs() / 1e6, bytes.length, e.line()));
        tun.inject(bytes);
        sched.runUntil(() -> false, sched.now()); // softirq: the stack takes it now
    }

    private static byte[] udp(int sport, int dport, int len) {
        byte[] u = new byte[8 + len];
        ScriptPackets.w16(u, 0, sport);
        ScriptPackets.w16(u, 2, dport);
        ScriptPackets.w16(u, 4, 8 + len);
        return u;
    }

    private byte[] inboundTcp(ScriptSocket s, TcpPacket tp) throws BuildError {
        if (s.state == ScriptSocket.State.PASSIVE_SYNACK_SENT && tp.ackFlag()) s.state = ScriptSocket.State.PASSIVE_SYNACK_ACKED;
        else if (s.state == ScriptSocket.State.ACTIVE_SYN_SENT && tp.has('S') && tp.ackFlag()) {
            s.state = ScriptSocket.State.ACTIVE_SYN_ACKED;
            s.remoteIsn = tp.startSeq();
        }
        boolean syn = tp.has('S');
        long seq = (tp.startSeq() + s.remoteScriptToLive(syn)) & 0xFFFFFFFFL;
        long ackOff = s.localScriptToLive(syn);
        long ack = tp.ackFlag() || tp.ack() >= 0 ? ((Math.max(tp.ack(), 0) + (tp.ackFlag() ? ackOff : 0)) & 0xFFFFFFFFL) : 0;
        java.util.function.LongUnaryOperator ecr = null;
        if (tp.ackFlag()) {
            ecr = scriptEcr -> {
                Long live = s.tsValMap.get(scriptEcr);
                if (live != null) return live;
                if (tsEcrScaled && s.foundFirstTs) return (scriptEcr - s.firstScriptTsVal + s.firstActualTsVal) & 0xFFFFFFFFL;
                throw new EcrError(scriptEcr);
            };
        }
        byte[] opts;
        try {
            opts = ScriptPackets.encodeOptions(tp.options() == null ? List.of() : tp.options(), ackOff, ecr);
        } catch (EcrError ex) {
            throw new BuildError("unable to infer live TS ecr for script TS ecr " + ex.ecr + ";  no matching or preceding outbound TS val");
        }
        int flags = ScriptPackets.tcpFlagBits(tp.flags());
        int win = tp.window() < 0 ? 0 : tp.window();
        int sport = tp.srcPort() != 0 ? tp.srcPort() : s.remotePort, dport = tp.dstPort() != 0 ? tp.dstPort() : s.localPort;
        byte[] tcp = ScriptPackets.tcp(sport, dport, seq, ack, flags, win, tp.urgPtr(), opts, tp.payloadLen());
        s.injectedAny = true;
        s.lastInjectedSeq = seq;
        s.lastInjectedAck = ack;
        s.lastInjectedFlags = flags;
        s.lastInjectedLen = tp.payloadLen();
        s.lastInjectedWin = win;
        return ScriptPackets.ipv4(ScriptPackets.tosByte(tp.ip()), tp.ip().ttl(), 6, s.remoteIp, s.localIp, tcp, 16);
    }

    private static final class EcrError extends RuntimeException {
        final long ecr;

        EcrError(long ecr) {
            super(null, null, false, false);
            this.ecr = ecr;
        }
    }

    /** An ICMP error quoting a packet the stack sent: its IP header and the first 8 bytes of TCP/UDP. */
    private byte[] inboundIcmp(ScriptSocket s, IcmpPacket ip) throws BuildError {
        int type = ScriptPackets.icmpType(ip.type());
        int icode = ScriptPackets.icmpCode(type, ip.code());
        int quotedL4 = ip.echoedProtocol() == 6 ? 20 : 8;
        byte[] inner = new byte[20];
        inner[0] = 0x45;
        ScriptPackets.w16(inner, 2, 20 + quotedL4 + ip.echoedLen());
        inner[6] = 0x40; // DF, as the stack's own TCP packets carry it
        inner[8] = 64;
        inner[9] = (byte) (ip.echoedProtocol() == 255 ? 255 : ip.echoedProtocol());
        ScriptPackets.w32(inner, 12, s.localIp);
        ScriptPackets.w32(inner, 16, s.remoteIp);
        int c = io.jnetstack.wire.Checksum.compute(java.lang.foreign.MemorySegment.ofArray(inner), 0, 20);
        ScriptPackets.w16(inner, 10, c);
        byte[] l4 = new byte[8];
        ScriptPackets.w16(l4, 0, s.localPort);
        ScriptPackets.w16(l4, 2, s.remotePort);
        if (ip.echoedProtocol() == 6) ScriptPackets.w32(l4, 4, (ip.echoedSeq() + s.localScriptToLive(false)) & 0xFFFFFFFFL);
        else ScriptPackets.w16(l4, 4, 8 + ip.echoedLen());
        byte[] icmp = new byte[8 + 20 + 8];
        icmp[0] = (byte) type;
        icmp[1] = (byte) icode;
        if (ip.mtu() >= 0) ScriptPackets.w16(icmp, 6, ip.mtu());
        if (ip.echoId() != 0) ScriptPackets.w16(icmp, 4, ip.echoId());
        System.arraycopy(inner, 0, icmp, 8, 20);
        System.arraycopy(l4, 0, icmp, 28, 8);
        return ScriptPackets.ipv4(ScriptPackets.tosByte(ip.ip()), ip.ip().ttl(), 1, s.remoteIp, s.localIp, icmp, 2);
    }

    // ------------------------------------------------------------------ outbound packets

    private void outbound(Event e, Packet p, long[] t, long prevUsecs) {
        ScriptSocket s = socketForScriptPacket(e, p);
        TcpPacket tp = p instanceof TcpPacket x ? x : null;
        if (tp != null && s.state == ScriptSocket.State.PASSIVE_PACKET_RECEIVED && tp.has('S') && tp.ackFlag())
            s.scriptLocalIsn = tp.startSeq();
        int expectedLen = switch (p) {
            case TcpPacket x -> x.payloadLen();
            case UdpPacket x -> x.payloadLen();
            case IcmpPacket x -> 0;
        };
        long tol = tolerance(t[0], prevUsecs);
        long deadlineUs = e.time().type() == TimeType.ANY ? nowUs() + 600_000_000L : t[1] + tol;
        List<LivePacket> got = new ArrayList<>();
        int sniffed = 0;
        do {
            LivePacket lp = sniff(s, deadlineUs);
            if (lp == null) {
                // Nothing in time: look a while further so the report can say when it did go out.
                LivePacket late = got.isEmpty() ? sniff(s, deadlineUs + 10_000_000L) : null;
                if (late != null) {
                    String err = verifyTime(e.time().type(), t[0], t[1], (late.timeNs - startNs) / 1000, prevUsecs, "outbound packet");
                    throw new Failure(e.line(), "error handling packet: " + err + " script packet: " + render(p, t[0])
                            + " actual packet: " + renderLive(s, late));
                }
                if (got.isEmpty())
                    throw new Failure(e.line(), String.format(Locale.ROOT,
                            "error handling packet: timing error: expected outbound packet at %.6f sec but no packet was sent "
                                    + "(waited until %.6f sec) script packet: %s", t[0] / 1e6, nowUs() / 1e6, render(p, t[0])));
                break;
            }
            if (tp != null && lp.isTcp() && s.state == ScriptSocket.State.PASSIVE_PACKET_RECEIVED && tp.has('S') && tp.ackFlag()
                    && (lp.flags & LivePacket.SYN) != 0) {
                s.state = ScriptSocket.State.PASSIVE_SYNACK_SENT;
                s.liveLocalIsn = lp.seq;
            }
            if (opts.verbose()) notes.add("sniffed " + renderLive(s, lp));
            got.add(lp);
            sniffed += lp.payloadLen;
        } while (sniffed < expectedLen && !strictSegments);
        if (sniffed != expectedLen)
            throw new Failure(e.line(), "error handling packet: live packet payload: expected " + expectedLen + " bytes vs actual "
                    + sniffed + " bytes script packet: " + render(p, t[0]) + " actual packet: " + renderLive(s, got.get(0)));
        LivePacket live = got.size() == 1 ? got.get(0) : aggregate(got);
        String err = OutboundCheck.verify(this, s, p, live);
        if (err == null) {
            long actualUs = (live.timeNs - startNs) / 1000;
            err = verifyTime(e.time().type(), t[0], t[1], actualUs, prevUsecs, "outbound packet");
        }
        if (err != null)
            throw new Failure(e.line(), "error handling packet: " + err + " script packet: " + render(p, t[0])
                    + " actual packet: " + renderLive(s, live));
    }

    /**
     * The next packet the stack sent for the socket under test, running the simulation until one
     * appears or {@code deadlineUs}. Packets of other connections are dropped, as packetdrill
     * ignores traffic of sockets it is not testing.
     */
    private LivePacket sniff(ScriptSocket s, long deadlineUs) {
        while (true) {
            TunDevice.Sent sent = tun.poll();
            if (sent == null) {
                long dl = startNs + deadlineUs * 1000;
                if (sched.now() >= dl) return null;
                sched.runUntil(() -> tun.hasSent() || asyncFailure != null, dl);
                checkAsync();
                sent = tun.poll();
                if (sent == null) return null;
            }
            LivePacket lp = new LivePacket(sent.bytes(), sent.timeNs());
            if (lp.malformed != null) {
                notes.add("sniffed a malformed packet: " + lp.malformed);
                continue;
            }
            if (matchesSocket(s, lp)) return lp;
            if (opts.verbose()) notes.add("ignored outbound packet for another socket: " + renderLive(s, lp));
        }
    }

    private static boolean matchesSocket(ScriptSocket s, LivePacket lp) {
        boolean portsMatter = lp.protocol == 6 || lp.protocol == 17;
        if (lp.src == s.localIp && lp.dst == s.remoteIp && (!portsMatter || (lp.srcPort == s.localPort && lp.dstPort == s.remotePort)))
            return true;
        if (lp.protocol == 1 && lp.dst == s.remoteIp) return true;
        // find_connect_for_live_packet: the SYN of a connect() tells us the local port and ISN.
        if (lp.isTcp() && (lp.flags & LivePacket.SYN) != 0 && (lp.flags & LivePacket.ACK) == 0
                && s.state == ScriptSocket.State.ACTIVE_SYN_SENT && lp.dst == s.remoteIp && lp.dstPort == s.remotePort) {
            s.localIp = lp.src;
            s.localPort = lp.srcPort;
            s.liveLocalIsn = lp.seq;
            return true;
        }
        if (lp.protocol == 17 && s.protocol == 17 && s.state == ScriptSocket.State.ACTIVE_CONNECTING
                && lp.dst == s.remoteIp && lp.dstPort == s.remotePort) {
            s.localIp = lp.src;
            s.localPort = lp.srcPort;
            return true;
        }
        return false;
    }

    /** Several segments the script expects as one (TSO/GSO on the real tun): one packet with all the payload. */
    private static LivePacket aggregate(List<LivePacket> ps) {
        LivePacket first = ps.get(0), last = ps.get(ps.size() - 1);
        int total = 0;
        for (LivePacket p : ps) total += p.payloadLen;
        byte[] b = Arrays.copyOf(first.bytes, first.payloadOff + total);
        int off = first.payloadOff;
        for (LivePacket p : ps) {
            System.arraycopy(p.bytes, p.payloadOff, b, off, p.payloadLen);
            off += p.payloadLen;
        }
        ScriptPackets.w16(b, 2, b.length);
        int l4 = first.ihl;
        // Flags that end a burst (PSH, FIN) come from the last segment; ack and window too.
        b[l4 + 13] = (byte) ((first.flags & ~(LivePacket.PSH | LivePacket.FIN)) | (last.flags & (LivePacket.PSH | LivePacket.FIN)));
        ScriptPackets.w32(b, l4 + 8, last.ack);
        ScriptPackets.w16(b, l4 + 14, last.window);
        LivePacket agg = new LivePacket(b, first.timeNs);
        agg.ipChecksumOk = first.ipChecksumOk;
        agg.l4ChecksumOk = true;
        for (LivePacket p : ps) agg.l4ChecksumOk &= p.l4ChecksumOk;
        return agg;
    }

    // ------------------------------------------------------------------ rendering for messages

    static String render(Packet p, long usecs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.6f ", usecs / 1e6));
        switch (p) {
            case TcpPacket t -> {
                sb.append(t.flags().isEmpty() ? "-" : t.flags()).append(' ')
                        .append(t.startSeq()).append(':').append(t.endSeq()).append('(').append(t.payloadLen()).append(')');
                if (t.ack() >= 0) sb.append(" ack ").append(t.ack());
                if (t.window() >= 0) sb.append(" win ").append(t.window());
                if (t.options() == null) sb.append(" <...>");
                else if (!t.options().isEmpty()) sb.append(' ').append(OutboundCheck.renderScriptOptions(t.options()));
            }
            case UdpPacket u -> sb.append("udp (").append(u.payloadLen()).append(')');
            case IcmpPacket i -> sb.append("icmp ").append(i.type()).append(i.code() == null ? "" : " " + i.code());
        }
        return sb.toString();
    }

    String renderLive(ScriptSocket s, LivePacket lp) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.6f ", (lp.timeNs - startNs) / 1e9));
        if (lp.isTcp()) {
            boolean syn = (lp.flags & LivePacket.SYN) != 0;
            long seq = (lp.seq - s.localScriptToLive(syn)) & 0xFFFFFFFFL;
            sb.append(lp.flagString()).append(' ').append(seq).append(':').append((seq + lp.payloadLen) & 0xFFFFFFFFL)
                    .append('(').append(lp.payloadLen).append(')');
            if ((lp.flags & LivePacket.ACK) != 0) sb.append(" ack ").append((lp.ack - s.remoteScriptToLive(syn)) & 0xFFFFFFFFL);
            sb.append(" win ").append(lp.window);
            if (!lp.options.isEmpty()) sb.append(' ').append(OutboundCheck.renderLiveOptions(s, lp));
        } else if (lp.protocol == 17) {
            sb.append("udp (").append(lp.payloadLen).append(')');
        } else if (lp.protocol == 1) {
            sb.append("icmp type ").append(lp.icmpType).append(" code ").append(lp.icmpCode);
        } else sb.append("protocol ").append(lp.protocol);
        return sb.toString();
    }
}
