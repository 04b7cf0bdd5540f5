package io.jnetstack.inet;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.NetProtoFamily;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import java.util.ArrayList;
import java.util.List;

/**
 * The inet address families (net/ipv4/af_inet.c inet_create, net/ipv6/af_inet6.c inet6_create):
 * the protocol switch table inetsw (one list per socket type) and socket creation.
 *
 * <p>One instance serves AF_INET ({@link #of}) and another AF_INET6 ({@link #of6}). AF_INET6
 * sockets here are dual-stack sockets that carry IPv4 through v4-mapped addresses (::ffff:a.b.c.d);
 * native IPv6 destinations answer ENETUNREACH until the IPv6 data path exists.
 *
 * <p>Lookup, as inet_create does it: walk inetsw[type]; an exact protocol match wins; protocol 0
 * from the caller takes the first entry's protocol (the type's default); a wildcard entry
 * (protocol 0, raw sockets) accepts any non-zero protocol. An empty list is ESOCKTNOSUPPORT, a list
 * without a match EPROTONOSUPPORT; then CAP_NET_RAW is checked for entries that need it (EPERM),
 * and finally the protocol's init may refuse (ping: EACCES).
 */
public final class InetFamily implements NetProtoFamily {
    private final Stack stack;
    private final int family;
    @SuppressWarnings("unchecked")
    private final List<InetProtosw>[] inetsw = new List[Net.SOCK_MAX];

    private InetFamily(Stack stack, int family) {
        this.stack = stack;
        this.family = family;
        for (int i = 0; i < inetsw.length; i++) inetsw[i] = new ArrayList<>();
    }

    /** The AF_INET family of a stack, created on first use (not yet registered with Families). */
    public static InetFamily of(Stack stack) {
        InetFamily f = stack.module(InetFamily.class);
        if (f == null) {
            f = new InetFamily(stack, Net.AF_INET);
            stack.register(InetFamily.class, f);
        }
        return f;
    }

    /** The AF_INET6 family of a stack (inet6_create), created on first use. */
    public static InetFamily of6(Stack stack) {
        Inet6Holder h = stack.module(Inet6Holder.class);
        if (h == null) {
            h = new Inet6Holder(new InetFamily(stack, Net.AF_INET6));
            stack.register(Inet6Holder.class, h);
        }
        return h.family;
    }

    private record Inet6Holder(InetFamily family) {}

    @Override public int family() { return family; }

    /**
     * inet_register_protosw: adds an entry to inetsw[type], after the existing ones (so the first
     * registered protocol of a type stays its default); an entry with the same (type, protocol)
     * replaces the old one in place. Returns 0 or -EINVAL for a type out of range.
     */
    public int register(InetProtosw p) {
        if (p.type() < 0 || p.type() >= Net.SOCK_MAX) return -Errno.EINVAL;
        List<InetProtosw> l = inetsw[p.type()];
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).protocol() == p.protocol()) {
                l.set(i, p);
                return 0;
            }
        }
        l.add(p);
        return 0;
    }

    /** The entries for a type, in lookup order (read-only view for tests and /proc/net/protocols). */
    public List<InetProtosw> entries(int type) { return java.util.Collections.unmodifiableList(inetsw[type]); }

    @Override
    public int create(Socket sock, int protocol, boolean kern, Credentials cred) {
        Tracer tr = stack.trace();
        String fn = family == Net.AF_INET6 ? "inet6_create" : "inet_create";
        if (tr.on) tr.enter(fn, "type=" + Net.typeName(sock.type) + " protocol=" + protocol);
        if (protocol < 0 || protocol >= InetStates.IPPROTO_MAX) return tr.exit(fn, -Errno.EINVAL);
        sock.state = Socket.SS_UNCONNECTED;
        int type = sock.type;
        InetProtosw answer = null;
        int err = -Errno.ESOCKTNOSUPPORT;
        if (type >= 0 && type < inetsw.length) {
            for (InetProtosw e : inetsw[type]) {
                err = 0;
                if (protocol == e.protocol()) {
                    if (protocol != In.IPPROTO_IP) { answer = e; break; }
                } else {
                    if (protocol == In.IPPROTO_IP) { protocol = e.protocol(); answer = e; break; }
                    if (e.protocol() == In.IPPROTO_IP) { answer = e; break; }
                }
                err = -Errno.EPROTONOSUPPORT;
            }
        }
        if (answer == null) {
            if (tr.on) tr.note(err == -Errno.ESOCKTNOSUPPORT ? "inetsw[" + Net.typeName(type) + "] is empty"
                    : "no inetsw[" + Net.typeName(type) + "] entry for protocol " + protocol);
            return tr.exit(fn, err);
        }
        if (answer.needsNetRaw() && !kern && (cred == null || !cred.netRaw())) {
            if (tr.on) tr.note("SOCK_RAW needs CAP_NET_RAW");
            return tr.exit(fn, -Errno.EPERM);
        }
        if (tr.on) tr.note("inetsw[" + Net.typeName(type) + "] → " + answer.prot().name() + ", protocol " + protocol);
        sock.ops = answer.ops();
        InetSock sk = answer.prot().create(stack, family, type, protocol);
        sk.prot = answer.prot();
        sk.v6 = family == Net.AF_INET6;
        sk.state = InetStates.TCP_CLOSE;
        if (cred != null) sk.uid = cred.uid();
        if (type == Net.SOCK_RAW) {
            // The raw socket's "port" is its protocol; IPPROTO_RAW implies IP_HDRINCL (raw(7)).
            sk.sport = protocol;
            if (protocol == In.IPPROTO_RAW) sk.hdrIncl = true;
        }
        sk.pmtudisc = stack.sysctl().ipNoPmtuDisc.value() != 0 ? In.IP_PMTUDISC_DONT : In.IP_PMTUDISC_WANT;
        if (sk.v6) sk.v6Only = stack.sysctl().define("net.ipv6.bindv6only", 0, 1, 0).value() != 0;
        sock.graft(sk);
        err = answer.prot().init(sk, cred);
        if (err < 0) {
            sock.sk = null;
            sk.socket = null;
            sock.ops = null;
            return tr.exit(fn, err);
        }
        tr.exit();
        return 0;
    }
}
