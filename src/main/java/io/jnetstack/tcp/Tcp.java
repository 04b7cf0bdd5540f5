package io.jnetstack.tcp;

import io.jnetstack.inet.InetHashTables;
import io.jnetstack.inet.InetSock;
import io.jnetstack.ipv4.Ip;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Stack;
import io.jnetstack.uapi.In;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP module of one stack: the demultiplexing tables (tcp_hashinfo's ehash and listening
 * hash), the MIB counters, the ISN and timestamp-offset secrets, and the per-stack scratch state
 * of input and output. {@link #install} wires it into a Stack.
 */
public final class Tcp {
    final Stack stack;
    final Ip ip;
    final Counters<TcpMib> mib;
    final Counters<TcpExtMib> ext;
    final TcpInput input;
    final TcpOutput output;
    final TcpSyncookies syncookies;
    final TcpFastOpen fastopen;
    private InetHashTables ports;
    /** RFC 6528 secret (F's key) and the timestamp-offset secret, from the stack's seeded random. */
    private final long isnKey0, isnKey1, tsKey0, tsKey1;

    // ehash: chained buckets of connections (any state but LISTEN), keyed by the 4-tuple.
    private TcpSock[] ehash = new TcpSock[256];
    private int ehashCount;
    // Listeners by local port.
    private final Map<Integer, List<TcpSock>> listeners = new HashMap<>();

    Tcp(Stack stack, Ip ip) {
        this.stack = stack;
        this.ip = ip;
        this.mib = stack.snmp().group("Tcp", TcpMib.class);
        this.ext = stack.snmp().group("TcpExt", TcpExtMib.class);
        // Constants that /proc/net/snmp shows: RFC 6298 algorithm (1 = "other"), min/max RTO ms, MaxConn -1.
        mib.add(TcpMib.RtoAlgorithm, 1);
        mib.add(TcpMib.RtoMin, 200);
        mib.add(TcpMib.RtoMax, 120000);
        mib.add(TcpMib.MaxConn, -1);
        // tcp_tso_win_divisor (Linux default 3) bounds how long tcp_tso_should_defer may hold data
        // to build a bigger TSO packet. jnetstack never defers, which is Linux's behaviour with a
        // large divisor; the knob exists so configurations that set it apply unchanged.
        stack.sysctl().define("net.ipv4.tcp_tso_win_divisor", 0, Integer.MAX_VALUE, 3);
        var rnd = stack.random();
        this.isnKey0 = rnd.nextLong();
        this.isnKey1 = rnd.nextLong();
        this.tsKey0 = rnd.nextLong();
        this.tsKey1 = rnd.nextLong();
        this.syncookies = new TcpSyncookies(stack);
        this.input = new TcpInput(this);
        this.output = new TcpOutput(this);
        this.fastopen = new TcpFastOpen(this);
    }

    /**
     * Installs TCP into {@code stack}: registers IPPROTO_TCP with the stack's {@link Ip} module and
     * returns the module (also available as {@code stack.module(Tcp.class)}). The inet family
     * registration of SOCK_STREAM (tcp_prot + inet_stream_ops) is done by
     * {@code io.jnetstack.inet.InetStreamOps.install}.
     */
    public static Tcp install(Stack stack) {
        Tcp t = stack.module(Tcp.class);
        if (t != null) return t;
        Ip ip = stack.module(Ip.class);
        if (ip == null) throw new IllegalStateException("install the Ip module before TCP");
        t = new Tcp(stack, ip);
        stack.register(Tcp.class, t);
        ip.register(In.IPPROTO_TCP, t.input);
        return t;
    }

    public static Tcp of(Stack stack) { return stack.module(Tcp.class); }

    public Stack stack() { return stack; }

    /** tcp_prot as the inet family sees it. */
    public TcpProt prot() { return TcpProt.INSTANCE; }

    /** The bind table (tcp_hashinfo's bhash), created by the inet module on first use. */
    public InetHashTables ports() {
        if (ports == null) ports = InetHashTables.of(stack, In.IPPROTO_TCP);
        return ports;
    }

    /** Lets a test or an embedding use a specific bind table. */
    public void ports(InetHashTables table) { this.ports = table; }

    public Counters<TcpMib> mib() { return mib; }

    public Counters<TcpExtMib> ext() { return ext; }

    // ------------------------------------------------------------------ tcp_metrics

    /** {@code ip tcp_metrics flush all}: forget what was learnt per destination (Fast Open cookies, MSS). */
    public void metricsFlush() { fastopen.cache.flush(); }

    /**
     * {@code ip tcp_metrics flush PREFIX} or {@code delete ADDRESS}: forget the destinations in
     * {@code addr/prefixLen}; returns how many there were.
     */
    public int metricsFlush(int addr, int prefixLen) { return fastopen.cache.flush(addr, prefixLen); }

    // ------------------------------------------------------------------ ISN and timestamps

    /**
     * secure_tcp_seq (RFC 6528 §3): ISN = M + F(localip, localport, remoteip, remoteport, key),
     * M a 4 µs-ish clock (Linux: ns >> 6), F SipHash-2-4 under a per-stack secret (the PRF RFC 6528
     * asks for; the same one SYN and Fast Open cookies use), so that ISNs of different 4-tuples are
     * unrelated and unpredictable.
     */
    int isn(int saddr, int sport, int daddr, int dport) {
        long h = SipHash.hash(isnKey0, isnKey1, (long) saddr << 32 | (daddr & 0xFFFFFFFFL), (long) sport << 16 | dport);
        return (int) h + (int) (stack.now() >>> 6);
    }

    /** secure_tcp_ts_off: a per-address-pair offset so TSval leaks neither uptime nor other flows. */
    int tsOffset(int saddr, int daddr) {
        return (int) SipHash.hash(tsKey0, tsKey1, (long) saddr << 32 | (daddr & 0xFFFFFFFFL));
    }

    // ------------------------------------------------------------------ ehash

    private static int hash(int laddr, int lport, int raddr, int rport) {
        int h = laddr * 0x9E3779B1 ^ raddr * 0x85EBCA77 ^ (lport << 16 | rport) * 0xC2B2AE3D;
        return h ^ (h >>> 15);
    }

    /** __inet_lookup_established: the connection (any state but LISTEN) for a 4-tuple, or null. */
    TcpSock lookupEstablished(int laddr, int lport, int raddr, int rport) {
        TcpSock s = ehash[hash(laddr, lport, raddr, rport) & (ehash.length - 1)];
        for (; s != null; s = s.ehNext)
            if (s.sport == lport && s.dport == rport && s.daddr == raddr && s.saddr == laddr) return s;
        return null;
    }

    /** inet_ehash_insert. */
    void hashEstablished(TcpSock sk) {
        if (sk.hashed) return;
        if (ehashCount + 1 > ehash.length * 3 / 4) rehash();
        int b = hash(sk.saddr, sk.sport, sk.daddr, sk.dport) & (ehash.length - 1);
        sk.ehNext = ehash[b];
        ehash[b] = sk;
        sk.hashed = true;
        ehashCount++;
    }

    /** inet_unhash for a connection. */
    void unhashEstablished(TcpSock sk) {
        if (!sk.hashed) return;
        int b = hash(sk.saddr, sk.sport, sk.daddr, sk.dport) & (ehash.length - 1);
        TcpSock prev = null;
        for (TcpSock s = ehash[b]; s != null; prev = s, s = s.ehNext) {
            if (s == sk) {
                if (prev == null) ehash[b] = s.ehNext; else prev.ehNext = s.ehNext;
                break;
            }
        }
        sk.ehNext = null;
        sk.hashed = false;
        ehashCount--;
    }

    private void rehash() {
        TcpSock[] old = ehash;
        ehash = new TcpSock[old.length * 2];
        for (TcpSock head : old) {
            for (TcpSock s = head; s != null; ) {
                TcpSock next = s.ehNext;
                int b = hash(s.saddr, s.sport, s.daddr, s.dport) & (ehash.length - 1);
                s.ehNext = ehash[b];
                ehash[b] = s;
                s = next;
            }
        }
    }

    /** For InetHashTables.connectPort: is this 4-tuple taken (TIME_WAIT included)? */
    boolean tupleInUse(int saddr, int sport, int daddr, int dport) {
        return lookupEstablished(saddr, sport, daddr, dport) != null;
    }

    /** All connections in ehash (for /proc/net/tcp and tests). */
    public List<TcpSock> connections() {
        List<TcpSock> out = new ArrayList<>();
        for (TcpSock head : ehash) for (TcpSock s = head; s != null; s = s.ehNext) out.add(s);
        return out;
    }

    // ------------------------------------------------------------------ listeners

    void hashListener(TcpSock sk) {
        listeners.computeIfAbsent(sk.sport, p -> new ArrayList<>(2)).add(sk);
    }

    void unhashListener(TcpSock sk) {
        List<TcpSock> l = listeners.get(sk.sport);
        if (l != null) {
            l.remove(sk);
            if (l.isEmpty()) listeners.remove(sk.sport);
        }
    }

    /** __inet_lookup_listener: an exact local-address match beats a wildcard one (compute_score). */
    TcpSock lookupListener(int laddr, int lport) {
        List<TcpSock> l = listeners.get(lport);
        if (l == null) return null;
        TcpSock wild = null;
        for (TcpSock s : l) {
            if (s.rcvSaddr == laddr) return s;
            if (s.rcvSaddr == 0 && wild == null) wild = s;
        }
        return wild;
    }

    /** Every listener, by port (for /proc/net/tcp). */
    public List<TcpSock> allListeners() {
        List<TcpSock> out = new ArrayList<>();
        listeners.keySet().stream().sorted().forEach(p -> out.addAll(listeners.get(p)));
        return out;
    }

    /** For the inet module's bind-conflict rules and tests: the listeners on a port. */
    public List<? extends InetSock> listenersOn(int port) {
        List<TcpSock> l = listeners.get(port);
        return l == null ? List.of() : l;
    }
}
