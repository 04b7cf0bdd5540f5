package io.jnetstack.packetdrill;

import io.jnetstack.packetdrill.Ast.*;
import io.jnetstack.packetdrill.Token.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recursive-descent parser for packetdrill's script grammar (what its yacc grammar accepts,
 * written from the scripts and the tool's documentation):
 *
 * <pre>
 * script    := option* command? event* command?
 * event     := time action
 * time      := ['+'] number | '*' | number '~' number | '+' number '~' '+' number
 * action    := packet | syscall | `command` | %{ code }%
 * packet    := ('<' | '>') [encap ...] [ip_info] (tcp | udp | icmp)
 * tcp       := [port '>' port] flags seq:end(len) [ack N] [win N] [urg N] [&lt;options&gt;]
 * syscall   := ['...' time] name '(' expr,* ')' '=' expr [ERRNO '(' words ')'] ['(' words ')']
 * </pre>
 *
 * Semantic checks that packetdrill makes at parse time are made here too (time ranges only on
 * outbound packets, seq arithmetic consistent, &lt;...&gt; only outbound).
 */
public final class Parser {
    private final List<Token> toks;
    private int p;

    private Parser(List<Token> toks) { this.toks = toks; }

    /**
     * The symbols packetdrill's wrappers define with {@code -D} when they run these scripts (the
     * Linux kernel selftest runner's IPv4 flags): the Fast Open cookie the default key gives for
     * 192.0.2.1, and names the zerocopy/timestamping scripts use for the IP error queue.
     */
    public static final Map<String, String> DEFAULT_DEFINES = Map.of(
            "TFO_COOKIE", "3021b9d889017eeb",
            "TFO_COOKIE_ZERO", "b7c12350a90dc8f5",
            "CMSG_LEVEL_IP", "SOL_IP",
            "CMSG_TYPE_RECVERR", "IP_RECVERR",
            "CODE", "host_unreachable");

    public static Script parse(Path path) throws IOException, ParseException {
        return parse(path, DEFAULT_DEFINES);
    }

    public static Script parse(Path path, Map<String, String> defines) throws IOException, ParseException {
        return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8), defines);
    }

    public static Script parse(String path, String text) throws ParseException {
        return parse(path, text, DEFAULT_DEFINES);
    }

    /** Parses {@code text}; a WORD named in {@code defines} is replaced by its value, as packetdrill's -D does. */
    public static Script parse(String path, String text, Map<String, String> defines) throws ParseException {
        List<Token> toks = Lexer.tokenize(text);
        if (!defines.isEmpty()) {
            List<Token> out = new ArrayList<>(toks.size());
            for (Token t : toks) {
                String v = t.kind() == Kind.WORD ? defines.get(t.text()) : null;
                if (v == null) { out.add(t); continue; }
                for (Token d : Lexer.tokenize(v))
                    if (d.kind() != Kind.EOF) out.add(new Token(d.kind(), d.text(), d.value(), t.line()));
            }
            toks = out;
        }
        return new Parser(toks).script(path);
    }

    // ------------------------------------------------------------------ token helpers

    private Token peek() { return toks.get(p); }

    private Token peek(int ahead) { return toks.get(Math.min(p + ahead, toks.size() - 1)); }

    private Token next() { return toks.get(p++); }

    private boolean accept(String punct) {
        if (peek().is(punct)) { p++; return true; }
        return false;
    }

    private boolean acceptWord(String w) {
        if (peek().isWord(w)) { p++; return true; }
        return false;
    }

    private Token expect(String punct) throws ParseException {
        Token t = next();
        if (!t.is(punct)) throw err(t, "expected '" + punct + "' but found " + t);
        return t;
    }

    private void expectWord(String w) throws ParseException {
        Token t = next();
        if (!t.isWord(w)) throw err(t, "expected '" + w + "' but found " + t);
    }

    private String word() throws ParseException {
        Token t = next();
        if (t.kind() != Kind.WORD) throw err(t, "expected a name but found " + t);
        return t.text();
    }

    private long integer() throws ParseException {
        Token t = next();
        return switch (t.kind()) {
            case INTEGER -> parseLong(t, t.text());
            case HEX_INTEGER -> parseHex(t);
            default -> throw err(t, "expected an integer but found " + t);
        };
    }

    private static long parseLong(Token t, String s) throws ParseException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw err(t, "integer out of range: " + s);
        }
    }

    private static long parseHex(Token t) throws ParseException {
        String s = t.text();
        boolean neg = s.startsWith("-");
        try {
            long v = Long.parseUnsignedLong(s.substring(neg ? 3 : 2), 16);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            throw err(t, "integer out of range: " + s);
        }
    }

    private static ParseException err(Token t, String msg) { return new ParseException(t.line(), msg); }

    // ------------------------------------------------------------------ script, options, events

    private Script script(String path) throws ParseException {
        List<Option> options = new ArrayList<>();
        while (peek().kind() == Kind.OPTION) {
            Token t = next();
            options.add(new Option(t.text(), t.value(), t.line()));
        }
        Command init = null;
        if (peek().kind() == Kind.BACK_QUOTED) {
            Token t = next();
            init = new Command(t.text(), t.line());
        }
        List<Event> events = new ArrayList<>();
        Command cleanup = null;
        while (peek().kind() != Kind.EOF) {
            if (peek().kind() == Kind.BACK_QUOTED) { // an untimed command can only be the last thing
                Token t = next();
                cleanup = new Command(t.text(), t.line());
                if (peek().kind() != Kind.EOF) throw err(peek(), "a command without a time must be the first or last item");
                break;
            }
            events.add(event());
        }
        return new Script(path, List.copyOf(options), init, List.copyOf(events), cleanup);
    }

    private Event event() throws ParseException {
        Token first = peek();
        EventTime time = eventTime();
        Action action = action(time);
        if (action instanceof Command c && time.type() == TimeType.ANY) throw err(first, "bad time for a command");
        boolean outbound = action instanceof Packet pk && pk.direction() == Direction.OUTBOUND;
        if (time.type() == TimeType.ANY && !outbound)
            throw err(first, "event time <star> can only be used with outbound packets");
        if ((time.type() == TimeType.ABSOLUTE_RANGE || time.type() == TimeType.RELATIVE_RANGE) && !outbound)
            throw err(first, "event time range can only be used with outbound packets");
        if ((time.type() == TimeType.ABSOLUTE_RANGE || time.type() == TimeType.RELATIVE_RANGE)
                && time.endUsecs() < time.usecs())
            throw err(first, "time range is backwards");
        return new Event(first.line(), time, action);
    }

    private EventTime eventTime() throws ParseException {
        if (accept("*")) return new EventTime(TimeType.ANY, 0, 0);
        if (accept("+")) {
            long t = time();
            if (accept("~")) {
                expect("+");
                return new EventTime(TimeType.RELATIVE_RANGE, t, time());
            }
            return new EventTime(TimeType.RELATIVE, t, 0);
        }
        long t = time();
        if (accept("~")) return new EventTime(TimeType.ABSOLUTE_RANGE, t, time());
        return new EventTime(TimeType.ABSOLUTE, t, 0);
    }

    /** Seconds (integer or decimal) to microseconds, exactly (no float rounding). */
    private long time() throws ParseException {
        Token t = next();
        if (t.kind() == Kind.INTEGER) {
            long v = parseLong(t, t.text());
            if (v < 0) throw err(t, "negative time");
            return v * 1_000_000L;
        }
        if (t.kind() == Kind.FLOAT) {
            String s = t.text();
            if (s.startsWith("-")) throw err(t, "negative time");
            int dot = s.indexOf('.');
            long whole = dot == 0 ? 0 : Long.parseLong(s.substring(0, dot));
            String frac = (s.substring(dot + 1) + "000000").substring(0, 6);
            return whole * 1_000_000L + Long.parseLong(frac);
        }
        throw err(t, "expected a time but found " + t);
    }

    private Action action(EventTime time) throws ParseException {
        Token t = peek();
        if (t.kind() == Kind.BACK_QUOTED) { next(); return new Command(t.text(), t.line()); }
        if (t.kind() == Kind.CODE) { next(); return new Code(t.text(), t.line()); }
        if (t.is("<") || t.is(">")) return packet();
        if (t.kind() == Kind.ELLIPSIS || t.kind() == Kind.WORD) return syscall();
        throw err(t, "expected a packet, system call, command or code but found " + t);
    }

    // ------------------------------------------------------------------ packets

    private Packet packet() throws ParseException {
        Direction dir = next().is("<") ? Direction.INBOUND : Direction.OUTBOUND;
        String encap = null;
        if (peek().isWord("encap")) encap = encapPrefix();
        IpInfo ip = optIpInfo(dir);
        if (acceptWord("udp")) return udp(dir, ip, encap);
        if (acceptWord("icmp")) return icmp(dir, ip, encap);
        return tcp(dir, ip, encap);
    }

    /** {@code encap psp spi 7}: everything up to the TCP flags. Kept as text: no test here uses encapsulation for TCP/IP. */
    private String encapPrefix() throws ParseException {
        StringBuilder sb = new StringBuilder();
        next();
        sb.append("encap");
        // encap <kind> [<key> <value>]* — stop at the flags word before the seq "N:N(N)".
        while (!(peek(1).kind() == Kind.INTEGER && peek(2).is(":")) && !peek().is(".")
                && peek().kind() != Kind.EOF) {
            sb.append(' ').append(next().text());
        }
        return sb.toString();
    }

    private IpInfo optIpInfo(Direction dir) throws ParseException {
        String close;
        if (peek().is("[") && isIpInfoWord(peek(1))) close = "]";
        else if (peek().is("(") && isIpInfoWord(peek(1))) close = ")";
        else return IpInfo.NONE;
        next();
        TosCheck check = TosCheck.NONE;
        int tos = 0, ttl = 0, flow = 0;
        while (!accept(close)) {
            Token t = next();
            switch (t.kind() == Kind.WORD ? t.text() : "") {
                case "noecn" -> { check = TosCheck.ECN; tos = 0; }
                case "ect0" -> { check = TosCheck.ECN; tos = 2; }
                case "ect1" -> { check = TosCheck.ECN; tos = 1; }
                case "ce" -> { check = TosCheck.ECN; tos = 3; }
                case "ect01" -> {
                    if (dir != Direction.OUTBOUND) throw err(t, "[ect01] can only be used with outbound packets");
                    check = TosCheck.ECT01;
                }
                case "tos" -> { check = TosCheck.TOS; tos = (int) integer(); if (tos > 255) throw err(t, "tos out of range for 8 bits"); }
                case "ttl" -> ttl = (int) integer();
                case "flowlabel" -> flow = (int) integer();
                default -> throw err(t, "unexpected " + t + " in IP fields");
            }
            accept(",");
        }
        return new IpInfo(check, tos, ttl, flow);
    }

    private static boolean isIpInfoWord(Token t) {
        return t.kind() == Kind.WORD && switch (t.text()) {
            case "noecn", "ect0", "ect1", "ce", "ect01", "tos", "ttl", "flowlabel" -> true;
            default -> false;
        };
    }

    private TcpPacket tcp(Direction dir, IpInfo ip, String encap) throws ParseException {
        int srcPort = 0, dstPort = 0;
        if (peek().kind() == Kind.INTEGER && peek(1).is(">")) {
            srcPort = (int) integer();
            expect(">");
            dstPort = (int) integer();
        }
        Token ft = peek();
        String flags;
        if (accept(".")) flags = ".";
        else if (accept("-")) flags = "";
        else if (ft.kind() == Kind.WORD) {
            flags = next().text();
            if (accept(".")) flags += ".";
            for (char c : flags.toCharArray())
                if ("SFRPEWUA.".indexOf(c) < 0) throw err(ft, "unknown TCP flag '" + c + "' in " + flags);
        } else throw err(ft, "expected TCP flags but found " + ft);
        Token st = peek();
        long start = integer();
        expect(":");
        long end = integer();
        expect("(");
        long len = integer();
        expect(")");
        if (start < 0 || start > 0xFFFFFFFFL) throw err(st, "TCP start sequence number out of range");
        if (end < 0 || end > 0xFFFFFFFFL) throw err(st, "TCP end sequence number out of range");
        if (len < 0 || len > 0xFFFF) throw err(st, "TCP payload size out of range");
        if (end != start + len) throw err(st, "inconsistent TCP sequence numbers and payload size");
        long ack = -1;
        int win = -1, urg = 0;
        if (acceptWord("ack")) ack = integer();
        if (acceptWord("win")) {
            Token wt = peek();
            win = (int) integer();
            if (win < 0 || win > 0xFFFF) throw err(wt, "TCP window value out of range");
        }
        if (acceptWord("urg")) urg = (int) integer();
        List<TcpOption> opts = List.of();
        if (peek().is("<")) {
            Token ot = next();
            if (peek().kind() == Kind.ELLIPSIS) {
                next();
                expect(">");
                if (dir != Direction.OUTBOUND) throw err(ot, "<...> for TCP options can only be used with outbound packets");
                opts = null;
            } else {
                opts = new ArrayList<>();
                do opts.add(tcpOption()); while (accept(","));
                expect(">");
                opts = List.copyOf(opts);
            }
        }
        return new TcpPacket(dir, ip, encap, srcPort, dstPort, flags, start, (int) len, ack, win, urg, opts);
    }

    private TcpOption tcpOption() throws ParseException {
        Token t = next();
        if (t.kind() != Kind.WORD) throw err(t, "expected a TCP option but found " + t);
        return switch (t.text()) {
            case "nop" -> new Nop();
            case "eol" -> new Eol();
            case "mss" -> peek().kind() == Kind.WORD ? new Mss(-1, next().text()) : new Mss((int) integer(), null);
            case "wscale" -> new WScale((int) integer());
            case "sackOK" -> new SackOk();
            case "sack" -> {
                List<long[]> blocks = new ArrayList<>();
                while (peek().kind() == Kind.INTEGER && peek(1).is(":")) {
                    long l = integer();
                    expect(":");
                    blocks.add(new long[] {l, integer()});
                }
                if (blocks.isEmpty()) throw err(t, "sack needs at least one block");
                yield new Sack(List.copyOf(blocks));
            }
            case "TS" -> {
                expectWord("val");
                long val = integer();
                expectWord("ecr");
                yield new Timestamp(val, integer());
            }
            case "FO", "FOEXP" -> {
                String cookie = "";
                Token c = peek();
                if (c.kind() == Kind.WORD && !c.text().equals("nop") || c.kind() == Kind.INTEGER) cookie = next().text();
                if (cookie.length() % 2 != 0 || !cookie.matches("[0-9a-fA-F]*"))
                    throw err(c, "TCP fast open cookie is not a valid hex string");
                yield new FastOpen(cookie, t.text().equals("FOEXP"));
            }
            case "md5" -> {
                Token c = next();
                yield new Md5(c.text());
            }
            default -> throw err(t, "unknown TCP option '" + t.text() + "'");
        };
    }

    private UdpPacket udp(Direction dir, IpInfo ip, String encap) throws ParseException {
        if (ip.tosCheck() == TosCheck.ECN) throw err(peek(), "ECN can only be used with TCP packets");
        int src = 0, dst = 0;
        if (peek().kind() == Kind.INTEGER && peek(1).is(">")) {
            src = (int) integer();
            expect(">");
            dst = (int) integer();
        }
        expect("(");
        int len = (int) integer();
        expect(")");
        return new UdpPacket(dir, ip, encap, src, dst, len);
    }

    private IcmpPacket icmp(Direction dir, IpInfo ip, String encap) throws ParseException {
        String type = word();
        String code = null;
        if (peek().kind() == Kind.WORD && !peek().isWord("mtu") && !peek().isWord("id")) code = word();
        int mtu = -1, id = 0;
        if (acceptWord("mtu")) mtu = (int) integer();
        if (acceptWord("id")) id = (int) integer();
        int proto = 6;
        long seq = 0;
        int len = 0;
        if (accept("[")) {
            if (acceptWord("udp")) {
                proto = 17;
                expect("(");
                len = (int) integer();
                expect(")");
            } else if (acceptWord("raw")) {
                proto = 255;
                expect("(");
                len = (int) integer();
                expect(")");
            } else {
                Token st = peek();
                seq = integer();
                expect(":");
                long end = integer();
                expect("(");
                len = (int) integer();
                expect(")");
                if (end != seq + len) throw err(st, "inconsistent TCP sequence numbers and payload size");
            }
            expect("]");
        }
        return new IcmpPacket(dir, ip, encap, type, code, mtu, id, proto, seq, len);
    }

    // ------------------------------------------------------------------ system calls

    private Syscall syscall() throws ParseException {
        long end = Syscall.NON_BLOCKING;
        if (peek().kind() == Kind.ELLIPSIS) {
            next();
            end = time();
        }
        String name = word();
        expect("(");
        List<Expr> args = new ArrayList<>();
        if (!accept(")")) {
            do args.add(expr()); while (accept(","));
            expect(")");
        }
        expect("=");
        Expr result = expr();
        String errno = null, strerror = null, note = null;
        if (peek().kind() == Kind.WORD) {
            errno = word();
            if (peek().is("(")) strerror = note();
        }
        if (peek().is("(")) note = note();
        return new Syscall(name, List.copyOf(args), result, errno, strerror, note, end);
    }

    /** {@code (words ...)}: free text such as a strerror string or "(flags O_RDWR)". */
    private String note() throws ParseException {
        Token open = expect("(");
        StringBuilder sb = new StringBuilder();
        int depth = 1;
        while (true) {
            Token t = next();
            if (t.kind() == Kind.EOF) throw err(open, "unterminated note");
            if (t.is("(")) depth++;
            if (t.is(")") && --depth == 0) break;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(t.text());
        }
        return sb.toString();
    }

    private Expr expr() throws ParseException {
        Expr e = primary();
        while (true) {
            if (accept("|")) e = new Binary("|", e, primary());
            else if (peek().kind() == Kind.STRING && e instanceof Str) e = new Binary(".", e, primary());
            else return e;
        }
    }

    private Expr primary() throws ParseException {
        Token t = next();
        switch (t.kind()) {
            case ELLIPSIS: return new Ellipsis();
            case INTEGER: return new Int(parseLong(t, t.text()), false);
            case HEX_INTEGER: return new Int(parseHex(t), true);
            case STRING:
                if (peek().kind() == Kind.ELLIPSIS) { next(); return new Str(t.text(), true); }
                return new Str(t.text(), false);
            case WORD: return wordExpr(t);
            case PUNCT:
                if (t.is("[")) {
                    List<Expr> items = new ArrayList<>();
                    if (!accept("]")) {
                        do items.add(expr()); while (accept(","));
                        expect("]");
                    }
                    return new ListExpr(List.copyOf(items));
                }
                if (t.is("{")) return struct(t);
                if (t.is("-") && peek().kind() == Kind.INTEGER) return new Int(-integer(), false);
                break;
            default:
        }
        throw err(t, "unexpected " + t + " in expression");
    }

    private Expr wordExpr(Token t) throws ParseException {
        String w = t.text();
        if (w.equals("htons") && peek().is("(")) {
            next();
            long v = integer();
            expect(")");
            return new Int(v, false); // htons is applied where the value is stored (sin_port)
        }
        if ((w.equals("inet_addr") || w.equals("inet6_addr")) && peek().is("(")) {
            next();
            Token s = next();
            if (s.kind() != Kind.STRING) throw err(s, "expected an address string");
            expect(")");
            return new InAddr(s.text(), w.equals("inet6_addr"));
        }
        if (peek().is("=") ) {
            next();
            return new Binary("=", new Word(w), expr());
        }
        return new Word(w);
    }

    /** A brace-enclosed struct; which one is told by its first field name, as in packetdrill's grammar. */
    private Expr struct(Token open) throws ParseException {
        Token first = peek();
        if (first.kind() == Kind.ELLIPSIS && peek(1).is(",")) { // iovec {..., len}
            next();
            next();
            Expr len = expr();
            expect("}");
            return new Iovec(new Ellipsis(), len);
        }
        if (first.kind() == Kind.WORD && first.text().equals("msg_name")) return msghdr();
        // Generic: a list of items, each "name=value" or a positional expression.
        List<Expr> items = new ArrayList<>();
        if (!accept("}")) {
            do items.add(expr()); while (accept(","));
            expect("}");
        }
        Map<String, Expr> f = new LinkedHashMap<>();
        boolean allNamed = !items.isEmpty();
        for (Expr e : items) {
            if (e instanceof Binary b && b.op().equals("=") && b.lhs() instanceof Word w) f.put(w.name(), b.rhs());
            else allNamed = false;
        }
        if (!allNamed) return new SubList(List.copyOf(items));
        if (f.containsKey("sa_family")) {
            String fam = f.get("sa_family") instanceof Word w ? w.name() : "?";
            int port = f.get("sin_port") instanceof Int i ? (int) i.value() : 0;
            String addr = f.get("sin_addr") instanceof InAddr a ? a.addr() : "0.0.0.0";
            return new Sockaddr(fam, port, addr);
        }
        if (f.containsKey("fd") && f.containsKey("events") && first.isWord("fd"))
            return new Pollfd(f.get("fd"), f.get("events"), f.getOrDefault("revents", new Int(0, false)));
        if (f.containsKey("events") && first.isWord("events")) {
            for (String k : new String[] {"fd", "ptr", "u32", "u64"})
                if (f.containsKey(k)) return new EpollEvent(f.get("events"), k, f.get(k));
        }
        if (f.containsKey("onoff")) return new Linger(f.get("onoff"), f.get("linger"));
        if (f.containsKey("cmsg_level")) return new Cmsg(f.get("cmsg_level"), f.get("cmsg_type"), f.get("cmsg_data"));
        if (f.containsKey("ee_errno"))
            return new ExtendedErr(f.get("ee_errno"), f.get("ee_origin"), f.get("ee_type"), f.get("ee_code"),
                    f.get("ee_info"), f.get("ee_data"));
        if (f.containsKey("scm_sec") && f.get("scm_sec") instanceof Int s && f.get("scm_nsec") instanceof Int n)
            return new ScmTimestamping(s.value(), n.value());
        return new SubList(List.copyOf(items));
    }

    private Msghdr msghdr() throws ParseException {
        expectWord("msg_name");
        expect("(");
        next(); // ...
        expect(")");
        expect("=");
        Expr name = expr();
        expect(",");
        expectWord("msg_iov");
        expect("(");
        int iovlen = (int) integer();
        expect(")");
        expect("=");
        Expr iov = expr();
        expect(",");
        expectWord("msg_flags");
        expect("=");
        Expr flags = expr();
        Expr control = new ListExpr(List.of());
        if (accept(",")) {
            expectWord("msg_control");
            expect("=");
            control = expr();
        }
        expect("}");
        return new Msghdr(name, iovlen, iov, flags, control);
    }
}
