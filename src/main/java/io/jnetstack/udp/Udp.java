package io.jnetstack.udp;

import io.jnetstack.icmp.IcmpErr;
import io.jnetstack.inet.InetHashTables;
import io.jnetstack.inet.InetSock;
import io.jnetstack.inet.InetStates;
import io.jnetstack.ipv4.IcmpSender;
import io.jnetstack.ipv4.IpRx;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.ipv4.NetProtocol;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.wire.Checksum;
import io.jnetstack.wire.IcmpHeader;
import io.jnetstack.wire.UdpHeader;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * UDP (RFC 768) and UDP-Lite (RFC 3828) for one stack: udp_rcv with socket lookup and delivery,
 * udp_err, and the port table ({@link InetHashTables} for IPPROTO_UDP / IPPROTO_UDPLITE).
 *
 * <p>Lookup (udp4_lib_lookup2): sockets bound to the packet's destination address are tried
 * before wildcard ones; among them the highest compute_score wins (AF_INET 2, AF_INET6 1, +4 for
 * each of a matching connected peer address, peer port and bound device). If the winner is in a
 * SO_REUSEPORT group with no connected member, the group member is chosen by a hash of the
 * 4-tuple (seeded from the stack, so runs are reproducible). Among equals the socket bound last
 * wins, as Linux puts new AF_INET sockets at the head of the chain.
 */
public final class Udp implements NetProtocol {
    private final Stack stack;
    private final int protocol;
    private final Tracer tr;
    private final Counters<UdpMib> mib;
    private final Ipv4 ip;
    private final int hashSeed;
    private final UdpHeader uh = new UdpHeader(), quoted = new UdpHeader();
    private final UdpProt prot;

    private Udp(Stack stack, int protocol) {
        this.stack = stack;
        this.protocol = protocol;
        this.tr = stack.trace();
        this.mib = stack.snmp().group(protocol == In.IPPROTO_UDPLITE ? "UdpLite" : "Udp", UdpMib.class);
        this.ip = Ipv4.of(stack);
        this.hashSeed = stack.random().nextInt();
        this.prot = new UdpProt(this);
    }

    /** UDP of a stack: created, registered with IPv4 (inet_add_protocol) on first use. */
    public static Udp of(Stack stack) { return get(stack, In.IPPROTO_UDP); }

    /** UDP-Lite of a stack (Linux 6.x still offers it: socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE)). */
    public static Udp lite(Stack stack) { return get(stack, In.IPPROTO_UDPLITE); }

    private record LiteHolder(Udp udp) {}

    private static Udp get(Stack stack, int protocol) {
        if (protocol == In.IPPROTO_UDP) {
            Udp u = stack.module(Udp.class);
            if (u == null) {
                u = new Udp(stack, protocol);
                stack.register(Udp.class, u);
                Ipv4.of(stack).register(protocol, u);
            }
            return u;
        }
        LiteHolder h = stack.module(LiteHolder.class);
        if (h == null) {
            h = new LiteHolder(new Udp(stack, protocol));
            stack.register(LiteHolder.class, h);
            Ipv4.of(stack).register(protocol, h.udp);
        }
        return h.udp;
    }

    public Stack stack() { return stack; }

    public int protocol() { return protocol; }

    public boolean isLite() { return protocol == In.IPPROTO_UDPLITE; }

    public Counters<UdpMib> mib() { return mib; }

    /** udp_prot / udplite_prot. */
    public UdpProt prot() { return prot; }

    /** udp_table / udplite_table. */
    public InetHashTables table() { return InetHashTables.of(stack, protocol); }

    IcmpSender icmp() { return stack.module(IcmpSender.class); }

    // ------------------------------------------------------------------ receive

    /** __udp4_lib_rcv. */
    @Override public void receive(IpRx rx, MemorySegment pkt, int off, int n) {
        if (n < UdpHeader.LEN) { inError("shorter than a UDP header"); return; }
        UdpHeader h = uh.wrap(pkt.asSlice(off, n));
        int ulen = h.length();
        if (ulen > n) { inError("length " + ulen + " > " + n + " bytes received"); return; }
        if (isLite()) {
            // RFC 3828 §3.1: Checksum Coverage 0 means the whole datagram; 1..7 is illegal.
            if (ulen != 0 && ulen < UdpHeader.LEN) { inError("UDP-Lite coverage " + ulen); return; }
        } else if (ulen < UdpHeader.LEN) { inError("length " + ulen + " < 8"); return; }
        int dgLen = isLite() ? (int) n : ulen;
        MemorySegment dg = dgLen == n ? h.segment() : pkt.asSlice(off, dgLen);
        int sport = h.srcPort(), dport = h.dstPort();
        if (rx.routeType == Route.RTN_BROADCAST || rx.routeType == Route.RTN_MULTICAST) {
            mcastDeliver(rx, dg, sport, dport);
            return;
        }
        UdpSock sk = lookup(rx.saddr, sport, rx.daddr, dport, rx.ifindex);
        if (!checksumOk(rx, dg)) {
            mib.inc(UdpMib.InCsumErrors);
            inError("bad checksum");
            return;
        }
        if (sk == null) {
            mib.inc(UdpMib.NoPorts);
            if (tr.on) tr.event("udp_rcv", "no socket on port " + dport + " → NoPorts, ICMP port unreachable");
            IcmpSender icmp = icmp();
            if (icmp != null) icmp.send(rx.packet, rx.routeType, IcmpHeader.DEST_UNREACH, IcmpHeader.PORT_UNREACH, 0);
            return;
        }
        deliver(sk, rx, dg, sport);
    }

    private void deliver(UdpSock sk, IpRx rx, MemorySegment dg, int sport) {
        MemorySegment payload = dg.asSlice(UdpHeader.LEN);
        if (!sk.enqueue(payload, rx.saddr, sport, rx.daddr, rx.ttl, rx.tos, rx.ifindex)) {
            mib.inc(UdpMib.RcvbufErrors);
            mib.inc(UdpMib.InErrors);
            if (tr.on) tr.event("udp_queue_rcv_skb", "rcvbuf full (" + sk.rmemAlloc + " > " + sk.rcvBuf + ") → RcvbufErrors");
            return;
        }
        if (tr.on) tr.event("udp_queue_rcv_skb", payload.byteSize() + " bytes from " + SockAddr.ipString(rx.saddr)
                + ":" + sport + " queued on port " + sk.sport);
    }

    private boolean checksumOk(IpRx rx, MemorySegment dg) {
        UdpHeader h = uh.wrap(dg);
        // udp4_csum_init: UDP-Lite's partial coverage is always checked in software.
        if (!isLite()) return rx.csumUnnecessary() || h.verifyChecksum(rx.saddr, rx.daddr);
        int cov = h.length() == 0 ? (int) dg.byteSize() : h.length();
        long s = Checksum.pseudoHeader(rx.saddr, rx.daddr, protocol, (int) dg.byteSize());
        return Checksum.fold(Checksum.add(s, dg, 0, cov)) == 0xFFFF;
    }

    private void inError(String why) {
        mib.inc(UdpMib.InErrors);
        if (tr.on) tr.event("udp_rcv", why + " → InErrors, dropped");
    }

    /** __udp4_lib_mcast_deliver: every matching socket gets its own copy. */
    private void mcastDeliver(IpRx rx, MemorySegment dg, int sport, int dport) {
        if (!checksumOk(rx, dg)) {
            mib.inc(UdpMib.InCsumErrors);
            inError("bad checksum");
            return;
        }
        boolean any = false;
        for (InetSock s : owners(dport)) {
            if (!(s instanceof UdpSock u) || u.v6Only) continue;
            if (u.rcvSaddr != 0 && u.rcvSaddr != rx.daddr) continue;
            if (u.daddr != 0 && u.daddr != rx.saddr) continue;
            if (u.dport != 0 && u.dport != sport) continue;
            if (u.boundDevIf != 0 && u.boundDevIf != rx.ifindex) continue;
            any = true;
            deliver(u, rx, dg, sport);
        }
        if (!any) mib.inc(UdpMib.IgnoredMulti);
    }

    private List<InetSock> owners(int port) {
        List<InetSock> l = table().owners(port);
        return l == null ? List.of() : l;
    }

    /** udp4_lib_lookup: bound-to-this-address sockets first, then wildcards. */
    public UdpSock lookup(int saddr, int sport, int daddr, int dport, int ifindex) {
        List<InetSock> socks = owners(dport);
        UdpSock r = lookup2(socks, saddr, sport, daddr, dport, ifindex, daddr);
        if (r == null) r = lookup2(socks, saddr, sport, daddr, dport, ifindex, 0);
        return r;
    }

    private UdpSock lookup2(List<InetSock> socks, int saddr, int sport, int daddr, int dport, int ifindex, int bound) {
        UdpSock best = null;
        int bestScore = -1;
        for (int i = 0, n = socks.size(); i < n; i++) {
            if (!(socks.get(i) instanceof UdpSock u)) continue;
            int sc = score(u, saddr, sport, ifindex, bound);
            if (sc >= 0 && sc >= bestScore) {
                best = u;
                bestScore = sc;
            }
        }
        if (best != null && best.reusePort) {
            UdpSock pick = reuseportSelect(socks, best, saddr, sport, daddr, dport);
            if (pick != null) return pick;
        }
        return best;
    }

    /** compute_score. */
    private static int score(UdpSock u, int saddr, int sport, int ifindex, int bound) {
        if (u.v6Only || u.rcvSaddr != bound) return -1;
        int score = u.v6 ? 1 : 2;
        if (u.daddr != 0) {
            if (u.daddr != saddr) return -1;
            score += 4;
        }
        if (u.dport != 0) {
            if (u.dport != sport) return -1;
            score += 4;
        }
        if (u.boundDevIf != 0) {
            if (u.boundDevIf != ifindex) return -1;
            score += 4;
        }
        return score;
    }

    /** reuseport_select_sock: the group of {@code first}; null (score decides) if a member is connected. */
    private UdpSock reuseportSelect(List<InetSock> socks, UdpSock first, int saddr, int sport, int daddr, int dport) {
        int count = 0;
        for (InetSock s : socks) {
            if (s instanceof UdpSock u && inGroup(u, first)) {
                if (u.state == InetStates.TCP_ESTABLISHED) return null;
                count++;
            }
        }
        if (count <= 1) return null;
        int hash = ehash(daddr, dport, saddr, sport);
        int idx = (int) ((Integer.toUnsignedLong(hash) * count) >>> 32); // reciprocal_scale
        for (InetSock s : socks) {
            if (s instanceof UdpSock u && inGroup(u, first) && idx-- == 0) return u;
        }
        return null;
    }

    private static boolean inGroup(UdpSock u, UdpSock first) {
        return u.reusePort && u.rcvSaddr == first.rcvSaddr && u.uid == first.uid && u.v6 == first.v6;
    }

    /** udp_ehashfn: a keyed mix of the 4-tuple (jhash in Linux; the key is the stack's seed here). */
    private int ehash(int laddr, int lport, int faddr, int fport) {
        int h = hashSeed ^ laddr * 0x9E3779B1;
        h = Integer.rotateLeft(h ^ faddr * 0x85EBCA6B, 13);
        h = h * 5 + 0xE6546B64 ^ (lport << 16 | fport);
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    // ------------------------------------------------------------------ errors

    /** __udp4_lib_err: find the socket that sent the quoted datagram and report. */
    @Override
    public void error(int type, int code, int info, int quotedSaddr, int quotedDaddr, MemorySegment quotedL4) {
        if (quotedL4.byteSize() < 8) return;
        UdpHeader q = quoted.wrap(quotedL4);
        int sport = q.srcPort(), dport = q.dstPort();
        UdpSock sk = lookup(quotedDaddr, dport, quotedSaddr, sport, 0);
        if (sk == null) {
            stack.snmp().group("Icmp", io.jnetstack.icmp.IcmpMib.class).inc(io.jnetstack.icmp.IcmpMib.InErrors);
            return;
        }
        int err;
        boolean hard = false;
        switch (type) {
            case IcmpHeader.TIME_EXCEEDED -> err = Errno.EHOSTUNREACH;
            case IcmpHeader.SOURCE_QUENCH, IcmpHeader.REDIRECT -> { return; }
            case IcmpHeader.PARAMETER_PROB -> { err = Errno.EPROTO; hard = true; }
            case IcmpHeader.DEST_UNREACH -> {
                if (code == IcmpHeader.FRAG_NEEDED) {
                    if (sk.pmtudisc == In.IP_PMTUDISC_DONT) return;
                    err = Errno.EMSGSIZE;
                    hard = true;
                } else {
                    err = IcmpErr.errno(code);
                    hard = IcmpErr.fatal(code);
                }
            }
            default -> { return; }
        }
        if (tr.on) tr.event("udp_err", "ICMP " + type + "/" + code + " for port " + sport + " → " + Errno.name(err)
                + (hard ? " (hard)" : " (soft)"));
        MemorySegment payload = quotedL4.byteSize() > 8 ? quotedL4.asSlice(8) : null;
        sk.icmpError(err, hard, type, code, info, quotedDaddr, quotedDaddr, dport, payload);
    }
}
