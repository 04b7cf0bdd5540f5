package io.jnetstack.icmp;

import io.jnetstack.inet.InetStates;
import io.jnetstack.inet.Proto;
import io.jnetstack.inet.InetSock;
import io.jnetstack.ipv4.IpRx;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Stack;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.wire.IcmpHeader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ping sockets (net/ipv4/ping.c): socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) for unprivileged
 * echo. The socket's "port" is the ICMP echo identifier; the kernel writes it into every request
 * and delivers replies carrying it. This class is ping_prot plus ping_table.
 *
 * <p>Creation is allowed only to groups in net.ipv4.ping_group_range (default "1 0": nobody), so
 * out of the box every caller, root included, gets EACCES, as on Linux.
 */
public final class Ping implements Proto {
    private final Icmp icmp;
    private final Map<Integer, List<PingSock>> table = new HashMap<>();
    private int rover;
    private final IcmpHeader q = new IcmpHeader();

    Ping(Icmp icmp) { this.icmp = icmp; }

    Icmp icmp() { return icmp; }

    @Override public String name() { return "PING"; }

    @Override public InetSock create(Stack stack, int family, int type, int protocol) {
        return new PingSock(this, family, type, protocol);
    }

    /** ping_init_sock: the caller's group must be within ping_group_range. */
    @Override public int init(InetSock sk, Credentials cred) {
        var range = icmp.stack().sysctl().pingGroupRange;
        long lo = Integer.toUnsignedLong(range.value(0)), hi = Integer.toUnsignedLong(range.value(1));
        long gid = cred == null ? 0 : Integer.toUnsignedLong(cred.gid());
        if (gid < lo || gid > hi) {
            if (icmp.stack().trace().on) icmp.stack().trace().note("ping_init_sock: gid " + gid
                    + " outside ping_group_range " + range.text());
            return -Errno.EACCES;
        }
        return 0;
    }

    /**
     * ping_get_port: {@code ident} 0 takes the next free identifier after the rover; a given one
     * conflicts with any socket holding it unless both allow reuse (ping sockets do by default).
     */
    int getPort(PingSock sk, int ident) {
        if (ident == 0) {
            for (int i = 0; i < 0x10000; i++) {
                int cand = (rover + 1 + i) & 0xFFFF;
                if (cand == 0) continue;
                List<PingSock> l = table.get(cand);
                if (l == null || l.isEmpty()) {
                    rover = cand;
                    ident = cand;
                    break;
                }
            }
            if (ident == 0) return -Errno.EADDRINUSE;
        } else {
            List<PingSock> l = table.get(ident);
            if (l != null) for (PingSock o : l) if (o != sk && (!o.reuseAddr || !sk.reuseAddr)) return -Errno.EADDRINUSE;
        }
        table.computeIfAbsent(ident, k -> new ArrayList<>()).add(sk);
        sk.sport = ident;
        return 0;
    }

    void unhash(PingSock sk) {
        List<PingSock> l = table.get(sk.sport);
        if (l != null) l.remove(sk);
    }

    /** ping_lookup: the socket with this identifier bound to this (or any) address. */
    PingSock lookup(int ident, int daddr, int ifindex) {
        List<PingSock> l = table.get(ident);
        if (l == null) return null;
        for (PingSock s : l) {
            if (s.v6) continue;
            if (s.rcvSaddr != 0 && s.rcvSaddr != daddr) continue;
            if (s.boundDevIf != 0 && s.boundDevIf != ifindex) continue;
            return s;
        }
        return null;
    }

    /** ping_rcv: an echo reply goes to the socket whose identifier it carries, header and all. */
    void rcv(IpRx rx, MemorySegment msg) {
        int ident = q.wrap(msg).echoId();
        PingSock sk = lookup(ident, rx.daddr, rx.ifindex);
        if (sk == null) {
            if (icmp.stack().trace().on) icmp.stack().trace().event("ping_rcv", "no socket for id " + ident);
            return;
        }
        if (!sk.enqueue(msg, rx.saddr, 0, rx.daddr, rx.ttl, rx.tos, rx.ifindex)) {
            if (icmp.stack().trace().on) icmp.stack().trace().event("ping_rcv", "rcvbuf full, reply dropped");
        }
    }

    /** ping_err: an error quoting one of our echo requests. */
    void err(int type, int code, int info, int qs, int qd, MemorySegment quotedL4) {
        IcmpHeader h = q.wrap(quotedL4);
        if (h.type() != IcmpHeader.ECHO_REQUEST) return;
        PingSock sk = lookup(h.echoId(), qs, 0);
        if (sk == null) return;
        int err;
        boolean hard = false;
        switch (type) {
            case IcmpHeader.TIME_EXCEEDED -> err = Errno.EHOSTUNREACH;
            case IcmpHeader.SOURCE_QUENCH -> { return; }
            case IcmpHeader.PARAMETER_PROB -> { err = Errno.EPROTO; hard = true; }
            case IcmpHeader.DEST_UNREACH -> {
                if (code == IcmpHeader.FRAG_NEEDED) {
                    err = Errno.EMSGSIZE;
                    hard = sk.pmtudisc != In.IP_PMTUDISC_DONT;
                } else {
                    err = IcmpErr.errno(code);
                    hard = IcmpErr.fatal(code);
                }
            }
            case IcmpHeader.REDIRECT -> err = 121; // EREMOTEIO
            default -> { return; }
        }
        if (icmp.stack().trace().on) icmp.stack().trace().event("ping_err", "ICMP " + type + "/" + code
                + " for id " + sk.sport + " → " + Errno.name(err) + " from " + SockAddr.ipString(qd));
        MemorySegment payload = quotedL4.byteSize() > IcmpHeader.LEN ? quotedL4.asSlice(IcmpHeader.LEN) : null;
        sk.icmpError(err, hard, type, code, info, qd, qd, 0, payload);
    }
}
