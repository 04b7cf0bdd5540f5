package io.jnetstack.inet;

import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The port tables of one inet transport (tcp_hashinfo's bind hash, udp_table): who holds which
 * local port, the bind-conflict rules (SO_REUSEADDR, SO_REUSEPORT, TIME_WAIT and listeners), and
 * ephemeral port choice in net.ipv4.ip_local_port_range (RFC 6056, from the stack's seeded random).
 *
 * <p>TCP keeps its established and listening demultiplexing tables itself; this class answers only
 * "may this sock have this local address and port", and remembers who has which port.
 *
 * <p>The rules, as Linux applies them (inet_csk_bind_conflict, udp_lib_lport_inuse): two socks on
 * the same port conflict when their local addresses overlap (equal, or either is the wildcard; an
 * IPV6_V6ONLY socket never overlaps an IPv4 one) unless
 * <ul>
 *   <li>both set SO_REUSEADDR and, for TCP, neither is listening (a TIME_WAIT sock keeps the
 *       SO_REUSEADDR of the socket it came from), or</li>
 *   <li>both set SO_REUSEPORT and belong to the same user (TCP also lets a new sock share with a
 *       TIME_WAIT one whatever its owner).</li>
 * </ul>
 */
public final class InetHashTables {
    /** Decides whether a candidate 4-tuple is already taken by an established/TIME_WAIT connection. */
    @FunctionalInterface
    public interface TupleInUse {
        boolean test(int saddr, int sport, int daddr, int dport);
    }

    /** TCP_* state values the conflict rules look at (include/net/tcp_states.h). */
    private static final int TCP_TIME_WAIT = 6, TCP_LISTEN = 10;

    /** struct inet_bind_bucket: the owners of one port. */
    private static final class Bucket {
        final List<InetSock> owners = new ArrayList<>(2);
        /** Every owner got the port from connect()'s autobind: others may share it by 4-tuple. */
        boolean connectOnly = true;
    }

    private final Stack stack;
    private final int protocol;
    private final boolean tcp;
    private final Map<Integer, Bucket> ports = new HashMap<>();
    /** Per-table secret perturbing the ephemeral search start (RFC 6056 algorithm 3's F()). */
    private final long secret;
    /** RFC 6056 algorithm 4's table of increments (Linux's table_perturb), indexed by a hash of the destination. */
    private final int[] perturb = new int[256];

    public InetHashTables(Stack stack, int protocol) {
        this.stack = stack;
        this.protocol = protocol;
        this.tcp = protocol == In.IPPROTO_TCP;
        this.secret = stack.random().nextLong();
    }

    /** The table for {@code protocol} (IPPROTO_TCP, IPPROTO_UDP...) of a stack, created on first use. */
    public static InetHashTables of(Stack stack, int protocol) {
        Registry r = stack.module(Registry.class);
        if (r == null) {
            r = new Registry();
            stack.register(Registry.class, r);
        }
        return r.tables.computeIfAbsent(protocol, p -> new InetHashTables(stack, p));
    }

    /** The per-stack map of tables (one per protocol). */
    static final class Registry {
        final Map<Integer, InetHashTables> tables = new HashMap<>();
    }

    public int protocol() { return protocol; }

    /**
     * inet_csk_get_port / udp_lib_get_port: binds {@code sk} to ({@code addr}, {@code port});
     * port 0 picks a free ephemeral port. On success sets sk.rcvSaddr, sk.saddr, sk.sport.
     * Returns 0 or -EADDRINUSE.
     */
    public int bind(InetSock sk, int addr, int port) {
        Tracer tr = stack.trace();
        int savedRcv = sk.rcvSaddr;
        sk.rcvSaddr = addr; // the conflict rules look at the address being asked for
        if (port == 0) {
            int p = findOpenPort(sk);
            if (p < 0) {
                sk.rcvSaddr = savedRcv;
                if (tr.on) tr.note("inet_csk_find_open_port: every port in ip_local_port_range is taken");
                return -Errno.EADDRINUSE;
            }
            if (tr.on) tr.note("inet_csk_find_open_port: ephemeral port " + p);
            port = p;
        } else {
            InetSock other = conflictOn(sk, port);
            if (other != null) {
                sk.rcvSaddr = savedRcv;
                if (tr.on) tr.note("bind conflict on port " + port + " with a sock in state " + other.state
                        + (other.reuseAddr ? " (SO_REUSEADDR)" : "") + (other.reusePort ? " (SO_REUSEPORT)" : ""));
                return -Errno.EADDRINUSE;
            }
        }
        take(sk, port, false);
        sk.saddr = addr;
        return 0;
    }

    /**
     * Re-checks a bound sock that is about to listen (inet_csk_listen_start calls get_port again):
     * a port shared under SO_REUSEADDR with a sock that already listens is refused. Returns 0 or
     * -EADDRINUSE.
     */
    public int listenCheck(InetSock sk) {
        Bucket b = ports.get(sk.sport);
        if (b == null) return 0;
        for (InetSock o : b.owners) {
            if (o != sk && conflicts(sk, o, true)) return -Errno.EADDRINUSE;
        }
        return 0;
    }

    /** inet_put_port: releases the sock's port (close, or TIME_WAIT ending). */
    public void unbind(InetSock sk) {
        if (sk.sport == 0) return;
        Bucket b = ports.get(sk.sport);
        if (b == null) return;
        if (b.owners.remove(sk) && b.owners.isEmpty()) ports.remove(sk.sport);
    }

    /**
     * inet_hash_connect: for a connect() by an unbound sock, picks a source port so that the
     * 4-tuple (saddr, port, daddr, dport) is unique ({@code inUse} says which are taken) and binds
     * it. Ports somebody bound explicitly are never shared this way. Returns 0 or -EADDRNOTAVAIL
     * when the range is exhausted.
     */
    public int connectPort(InetSock sk, int saddr, int daddr, int dport, TupleInUse inUse) {
        int lo = stack.sysctl().ipLocalPortRange.value(0);
        int hi = stack.sysctl().ipLocalPortRange.value(1);
        int n = hi - lo + 1;
        if (n <= 0) return -Errno.EADDRNOTAVAIL;
        // RFC 6056 §3.3.4 (double-hash): a per-destination offset from a keyed hash, plus a counter
        // per hash bucket that moves on past each port handed out, so the next connect() to the
        // same destination starts where this one ended instead of walking the taken ports again.
        // Linux walks even ports first for connect(), leaving odd ones for bind(0); we do the same.
        long h = mix(secret ^ ((long) saddr << 32 | (daddr & 0xFFFFFFFFL)) ^ ((long) dport << 17));
        int bucket = (int) (mix(h) & (perturb.length - 1));
        int offset = (int) Long.remainderUnsigned(h + perturb[bucket], n);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                int port = lo + (offset + i) % n;
                if ((port & 1) != pass) continue;
                Bucket b = ports.get(port);
                if (b != null) {
                    if (!b.connectOnly) continue;
                    if (inUse.test(saddr, port, daddr, dport)) continue;
                }
                sk.rcvSaddr = saddr;
                sk.saddr = saddr;
                take(sk, port, true);
                perturb[bucket] += i + 2;
                return 0;
            }
        }
        return -Errno.EADDRNOTAVAIL;
    }

    /** True when {@code sk} holds a port in this table. */
    public boolean isBound(InetSock sk) {
        Bucket b = sk.sport == 0 ? null : ports.get(sk.sport);
        return b != null && b.owners.contains(sk);
    }

    /** Socks bound to {@code port} (any address), for demultiplexing (UDP). Do not modify. */
    public List<InetSock> owners(int port) {
        Bucket b = ports.get(port);
        return b == null ? Collections.emptyList() : Collections.unmodifiableList(b.owners);
    }

    /** Number of ports held (for tests and /proc-like listings). */
    public int portsInUse() { return ports.size(); }

    private void take(InetSock sk, int port, boolean byConnect) {
        Bucket b = ports.computeIfAbsent(port, p -> new Bucket());
        if (!byConnect) b.connectOnly = false;
        if (!b.owners.contains(sk)) b.owners.add(sk);
        sk.sport = port;
    }

    /** The first owner of {@code port} that {@code sk} may not share it with, or null. */
    private InetSock conflictOn(InetSock sk, int port) {
        Bucket b = ports.get(port);
        if (b == null) return null;
        for (InetSock o : b.owners) {
            if (o != sk && conflicts(sk, o, false)) return o;
        }
        return null;
    }

    /** inet_bind_conflict / udp_lib_lport_inuse for one pair. */
    private boolean conflicts(InetSock sk, InetSock o, boolean skListening) {
        if (sk.boundDevIf != 0 && o.boundDevIf != 0 && sk.boundDevIf != o.boundDevIf) return false;
        if (!addressesOverlap(sk, o)) return false;
        if (tcp) {
            // SO_REUSEADDR shares a port with any sock that is not listening: the second of two bound
            // socks may still listen (Linux checks the other sock's state, not its own).
            if (sk.reuseAddr && o.reuseAddr && o.state != TCP_LISTEN) return false;
            if (sk.reusePort && o.reusePort && (o.state == TCP_TIME_WAIT || sk.uid == o.uid)) return false;
            return true;
        }
        if (sk.reuseAddr && o.reuseAddr) return false;
        if (sk.reusePort && o.reusePort && sk.uid == o.uid) return false;
        return true;
    }

    /** inet_rcv_saddr_equal with wildcard matching, across IPv4 and dual-stack IPv6 socks. */
    private static boolean addressesOverlap(InetSock a, InetSock b) {
        // An IPV6_V6ONLY sock holds the port for IPv6 only; it never meets an IPv4 sock.
        if ((a.v6 && a.v6Only && !b.v6) || (b.v6 && b.v6Only && !a.v6)) return false;
        return a.rcvSaddr == 0 || b.rcvSaddr == 0 || a.rcvSaddr == b.rcvSaddr;
    }

    /** inet_csk_find_open_port / udp_lib_get_port(0): a port in range {@code sk} may have, or -1. */
    private int findOpenPort(InetSock sk) {
        int lo = stack.sysctl().ipLocalPortRange.value(0);
        int hi = stack.sysctl().ipLocalPortRange.value(1);
        int n = hi - lo + 1;
        if (n <= 0) return -1;
        int offset = stack.random().nextInt(n);
        // First look for a port nobody holds (odd ones first for TCP, as Linux leaves even ones to
        // connect()), then for one that can be shared under the reuse rules.
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < n; i++) {
                int port = lo + (offset + i) % n;
                if (tcp && pass < 2 && (port & 1) != (pass == 0 ? 1 : 0)) continue;
                if (!tcp && pass == 1) break;
                Bucket b = ports.get(port);
                if (pass < 2 ? b == null : conflictOn(sk, port) == null) return port;
            }
        }
        return -1;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93fe53e7b49L;
        return z ^ (z >>> 33);
    }
}
