package io.jnetstack.inet;

import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;

/**
 * inet_bind / inet6_bind (__inet_bind, __inet6_bind) for sockets that use a port table: checks
 * the sockaddr, the address, the privileged-port rule, then asks the table for the port.
 *
 * <p>The checks run in Linux's order, which differs between the families:
 * AF_INET: length (EINVAL) → family (EAFNOSUPPORT; AF_UNSPEC is accepted with INADDR_ANY only, an
 * old compatibility rule) → address is local, broadcast or multicast, or freebind/transparent/
 * ip_nonlocal_bind (EADDRNOTAVAIL) → port below ip_unprivileged_port_start without
 * CAP_NET_BIND_SERVICE (EACCES) → already bound (EINVAL) → the port table (EADDRINUSE).
 * AF_INET6: length under 24 (EINVAL) → family (EAFNOSUPPORT) → EACCES → already bound (EINVAL) →
 * v4-mapped on an IPV6_V6ONLY socket (EINVAL) → address (EADDRNOTAVAIL) → the port table.
 */
public final class InetBind {
    private InetBind() {}

    /**
     * Binds {@code sk} as bind(2) asks; returns 0 or -errno. {@code addr} holds {@code addrlen}
     * bytes (a kernel copy). Chooses the family's rules from {@code sk.family}.
     */
    public static int bind(InetSock sk, byte[] addr, int addrlen, InetHashTables table) {
        return sk.family == Net.AF_INET6 ? bind6(sk, addr, addrlen, table) : bind4(sk, addr, addrlen, table);
    }

    private static int bind4(InetSock sk, byte[] addr, int addrlen, InetHashTables table) {
        Tracer tr = sk.stack.trace();
        if (tr.on) tr.enter("inet_bind", SockAddr.toString(addr, addrlen));
        if (addr == null || addrlen < In.SOCKADDR_IN_LEN) return tr.exit("inet_bind", -Errno.EINVAL);
        int fam = SockAddr.family(addr, addrlen);
        int a = SockAddr.inAddr(addr);
        if (fam != Net.AF_INET) {
            // Compatibility games: AF_UNSPEC is taken as AF_INET only with INADDR_ANY.
            if (fam != Net.AF_UNSPEC || a != In.INADDR_ANY) return tr.exit("inet_bind", -Errno.EAFNOSUPPORT);
        }
        Ipv4 ip = Ipv4.of(sk.stack);
        int type = ip.addrType(a);
        if (!validOrNonlocal(sk, a, type)) {
            if (tr.on) tr.note(SockAddr.ipString(a) + " is not a local address");
            return tr.exit("inet_bind", -Errno.EADDRNOTAVAIL);
        }
        int port = SockAddr.port(addr);
        if (port != 0 && needsBindService(sk, port)) {
            if (tr.on) tr.note("port " + port + " < ip_unprivileged_port_start without CAP_NET_BIND_SERVICE");
            return tr.exit("inet_bind", -Errno.EACCES);
        }
        return tr.exit("inet_bind", commit(sk, a, port, type, table, tr));
    }

    private static int bind6(InetSock sk, byte[] addr, int addrlen, InetHashTables table) {
        Tracer tr = sk.stack.trace();
        if (tr.on) tr.enter("inet6_bind", SockAddr.toString(addr, addrlen));
        if (addr == null || addrlen < In.SIN6_LEN_RFC2133) return tr.exit("inet6_bind", -Errno.EINVAL);
        if (SockAddr.family(addr, addrlen) != Net.AF_INET6) return tr.exit("inet6_bind", -Errno.EAFNOSUPPORT);
        int addrType = In6AddrType.of(addr, 8);
        if ((addrType & In6AddrType.MULTICAST) != 0 && sk.type == Net.SOCK_STREAM) {
            if (tr.on) tr.note("a stream socket cannot bind to a multicast address");
            return tr.exit("inet6_bind", -Errno.EINVAL);
        }
        int port = SockAddr.port(addr);
        if (port != 0 && needsBindService(sk, port)) return tr.exit("inet6_bind", -Errno.EACCES);
        if (sk.state != InetStates.TCP_CLOSE || sk.sport != 0 || isBound(sk, table))
            return tr.exit("inet6_bind", -Errno.EINVAL);
        int a;
        int type;
        if (SockAddr.isV4Mapped(addr)) {
            if (sk.v6Only) {
                if (tr.on) tr.note("v4-mapped address on an IPV6_V6ONLY socket");
                return tr.exit("inet6_bind", -Errno.EINVAL);
            }
            a = SockAddr.v4MappedAddr(addr);
            type = Ipv4.of(sk.stack).addrType(a);
            if (!validOrNonlocal(sk, a, type)) return tr.exit("inet6_bind", -Errno.EADDRNOTAVAIL);
        } else if (SockAddr.isIn6Any(addr)) {
            a = 0;
            type = Route.RTN_UNICAST; // "::": nothing to check
        } else {
            if (In6AddrType.needsScopeId(addrType)) {
                // Linux takes a supplied scope id as the bound device before any further check,
                // and keeps it even when the bind then fails.
                int scope = addrlen >= In.SOCKADDR_IN6_LEN ? SockAddr.in6ScopeId(addr) : 0;
                if (scope != 0) sk.boundDevIf = scope;
                if (sk.boundDevIf == 0) {
                    if (tr.on) tr.note("link-local address without an interface (sin6_scope_id 0)");
                    return tr.exit("inet6_bind", -Errno.EINVAL);
                }
            }
            if (sk.boundDevIf != 0 && sk.boundDevIf > sk.stack.devices().size())
                return tr.exit("inet6_bind", -Errno.ENODEV);
            if (tr.on) tr.note("native IPv6 address: no IPv6 addresses on this stack (IPv6 data path not implemented)");
            return tr.exit("inet6_bind", -Errno.EADDRNOTAVAIL);
        }
        int err = commit(sk, a, port, type, table, tr);
        // Bound to ::ffff:0.0.0.0: an IPv4-only wildcard, and getsockname says so (sk_v6_rcv_saddr).
        if (err == 0) sk.v4MappedAny = a == 0 && addrType == In6AddrType.MAPPED;
        return tr.exit("inet6_bind", err);
    }

    /** The common tail: already-bound check, the port table, the user locks. */
    private static int commit(InetSock sk, int a, int port, int type, InetHashTables table, Tracer tr) {
        if (sk.state != InetStates.TCP_CLOSE || sk.sport != 0 || isBound(sk, table)) {
            if (tr.on) tr.note("already bound (port " + sk.sport + ")");
            return -Errno.EINVAL;
        }
        sk.rcvSaddr = sk.saddr = a;
        if (port != 0 || !sk.bindAddressNoPort) {
            int err = table.bind(sk, a, port);
            if (err < 0) {
                sk.rcvSaddr = sk.saddr = 0;
                if (tr.on) tr.note("port " + port + " is taken");
                return err;
            }
            sk.rcvSaddr = a;
        }
        // Bound to a broadcast or multicast address: the source comes from the device.
        sk.saddr = type == Route.RTN_MULTICAST || type == Route.RTN_BROADCAST ? 0 : a;
        if (a != 0) sk.userLocks |= Sock.BINDADDR_LOCK;
        if (port != 0) sk.userLocks |= Sock.BINDPORT_LOCK;
        sk.daddr = 0;
        sk.dport = 0;
        if (tr.on) tr.note("bound to " + SockAddr.ipString(sk.rcvSaddr) + ":" + sk.sport);
        return 0;
    }

    private static boolean isBound(InetSock sk, InetHashTables table) {
        try {
            return table.isBound(sk);
        } catch (UnsupportedOperationException e) {
            return sk.sport != 0;
        }
    }

    /** inet_addr_valid_or_nonlocal. */
    public static boolean validOrNonlocal(InetSock sk, int addr, int type) {
        boolean nonlocal = sk.freebind || sk.transparent
                || sk.stack.sysctl().define("net.ipv4.ip_nonlocal_bind", 0, 1, 0).value() != 0;
        return nonlocal || addr == 0 || type == Route.RTN_LOCAL || type == Route.RTN_MULTICAST
                || type == Route.RTN_BROADCAST;
    }

    /** inet_port_requires_bind_service + the capability check. */
    public static boolean needsBindService(InetSock sk, int port) {
        if (port >= sk.stack.sysctl().ipUnprivilegedPortStart.value()) return false;
        Credentials c = sk.socket != null ? sk.socket.cred : Credentials.ROOT;
        return c == null || !c.netBindService();
    }
}
