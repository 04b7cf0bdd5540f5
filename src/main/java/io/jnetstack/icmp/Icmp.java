package io.jnetstack.icmp;

import io.jnetstack.inet.InetSock;
import io.jnetstack.ipv4.IcmpSender;
import io.jnetstack.ipv4.Ip;
import io.jnetstack.ipv4.IpRx;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.ipv4.NetProtocol;
import io.jnetstack.ipv4.RawDeliver;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Sysctl;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.In;
import io.jnetstack.wire.IcmpHeader;
import io.jnetstack.wire.Ipv4Header;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * ICMP for IPv4 (RFC 792, RFC 1122 §3.2.2; net/ipv4/icmp.c): icmp_rcv (echo replies to requests,
 * errors to the transports' err handlers by the quoted header, echo replies to ping sockets) and
 * icmp_send (errors about received packets, with Linux's two rate limits).
 *
 * <p>Never sent: an error about an ICMP error, about a broadcast or multicast, about a fragment other
 * than the first, or to a source that cannot be a host (RFC 1122 §3.2.2).
 *
 * <p>Rate limits, as Linux: types in net.ipv4.icmp_ratemask (default: dest unreachable, source
 * quench, time exceeded, parameter problem; never "fragmentation needed") draw from a global token
 * bucket refilled at icmp_msgs_per_sec up to icmp_msgs_burst (each message costs 0 to 2 tokens,
 * chosen from the stack's seeded random, as icmp_global_consume does); then a per-destination
 * bucket allows one message per icmp_ratelimit ms with a burst of 6 — except towards the loopback
 * device, which is never limited per host.
 */
public final class Icmp implements NetProtocol, IcmpSender {
    private static final int XRLIM_BURST_FACTOR = 6, NR_ICMP_TYPES = 18, ROOM = 576;
    private static final long NS_PER_MS = 1_000_000L;

    private final Stack stack;
    private final Tracer tr;
    private final Ipv4 ip;
    private final Counters<IcmpMib> mib;
    private final Sysctl echoIgnoreAll, echoIgnoreBroadcasts, ratelimit, ratemask, msgsPerSec, msgsBurst;
    private final Ping ping;
    private final IcmpHeader ih = new IcmpHeader(), oh = new IcmpHeader();
    private final Ipv4Header qh = new Ipv4Header(), rh = new Ipv4Header();
    private final MemorySegment buf = MemorySegment.ofArray(new byte[Ip.HEADROOM + 0x10000]);
    /** Global bucket: credit and the time it was last refilled. */
    private int globalCredit;
    private long globalStamp = Long.MIN_VALUE;
    /** inet_peer rate tokens per destination: {tokens (ns), last (ns)}. */
    private final Map<Integer, long[]> peers = new HashMap<>();

    private Icmp(Stack stack) {
        this.stack = stack;
        this.tr = stack.trace();
        this.ip = Ipv4.of(stack);
        this.mib = stack.snmp().group("Icmp", IcmpMib.class);
        var s = stack.sysctl();
        this.echoIgnoreAll = s.icmpEchoIgnoreAll;
        this.echoIgnoreBroadcasts = s.define("net.ipv4.icmp_echo_ignore_broadcasts", 0, 1, 1);
        this.ratelimit = s.icmpRatelimit;
        this.ratemask = s.define("net.ipv4.icmp_ratemask", 0, Integer.MAX_VALUE, 6168);
        this.msgsPerSec = s.define("net.ipv4.icmp_msgs_per_sec", 0, Integer.MAX_VALUE, 1000);
        this.msgsBurst = s.define("net.ipv4.icmp_msgs_burst", 0, Integer.MAX_VALUE, 50);
        this.globalCredit = msgsBurst.value();
        this.ping = new Ping(this);
    }

    /** ICMP of a stack, registered with IPv4 (protocol 1 and as its icmp_send) on first use. */
    public static Icmp of(Stack stack) {
        Icmp i = stack.module(Icmp.class);
        if (i == null) {
            i = new Icmp(stack);
            stack.register(Icmp.class, i);
            stack.register(IcmpSender.class, i);
            Ipv4 ip = Ipv4.of(stack);
            ip.register(In.IPPROTO_ICMP, i);
            ip.setIcmpSender(i);
        }
        return i;
    }

    public Stack stack() { return stack; }

    public Ipv4 ip() { return ip; }

    public Counters<IcmpMib> mib() { return mib; }

    /** The ping sockets' table and ping_prot. */
    public Ping ping() { return ping; }

    // ------------------------------------------------------------------ receive

    /** icmp_rcv. */
    @Override public void receive(IpRx rx, MemorySegment pkt, int off, int len) {
        mib.inc(IcmpMib.InMsgs);
        if (len < IcmpHeader.LEN) { inError("shorter than an ICMP header"); return; }
        MemorySegment l4 = pkt.asSlice(off, len);
        IcmpHeader h = ih.wrap(l4);
        if (!h.verifyChecksum()) {
            mib.inc(IcmpMib.InCsumErrors);
            inError("bad checksum");
            return;
        }
        int type = h.type();
        IcmpMib col = IcmpMib.in(type);
        if (col != null) mib.inc(col);
        if (type > NR_ICMP_TYPES) { inError("type " + type); return; }
        if (rx.routeType == Route.RTN_BROADCAST || rx.routeType == Route.RTN_MULTICAST) {
            // RFC 1122 §3.2.2.6: a host MAY ignore broadcast echo requests; Linux does by default.
            boolean echoish = type == IcmpHeader.ECHO_REQUEST || type == IcmpHeader.TIMESTAMP;
            if ((echoish && echoIgnoreBroadcasts.value() != 0)
                    || (!echoish && type != IcmpHeader.ADDRESS && type != IcmpHeader.ADDRESS_REPLY)) {
                inError("type " + type + " to a broadcast address");
                return;
            }
        }
        switch (type) {
            case IcmpHeader.ECHO_REPLY -> ping.rcv(rx, l4);
            case IcmpHeader.ECHO_REQUEST -> echo(rx, l4);
            case IcmpHeader.DEST_UNREACH, IcmpHeader.SOURCE_QUENCH, IcmpHeader.TIME_EXCEEDED,
                 IcmpHeader.PARAMETER_PROB, IcmpHeader.REDIRECT -> unreach(rx, l4);
            default -> { if (tr.on) tr.event("icmp_rcv", "type " + type + " ignored"); }
        }
    }

    private void inError(String why) {
        mib.inc(IcmpMib.InErrors);
        if (tr.on) tr.event("icmp_rcv", why + " → InErrors, dropped");
    }

    /** icmp_echo: answer with the same identifier, sequence and data (RFC 792), unless ignoring. */
    private void echo(IpRx rx, MemorySegment req) {
        if (echoIgnoreAll.value() != 0) {
            if (tr.on) tr.event("icmp_echo", "icmp_echo_ignore_all set, no reply");
            return;
        }
        int len = (int) req.byteSize();
        Route rt = ip.route(rx.saddr, 0, 0);
        if (rt == null) return;
        int src = rx.routeType == Route.RTN_LOCAL ? rx.daddr : rt.prefSrc;
        long off = Ip.HEADROOM;
        MemorySegment.copy(req, 0, buf, off, len);
        IcmpHeader r = oh.wrap(buf.asSlice(off, len));
        r.type(IcmpHeader.ECHO_REPLY).computeChecksum();
        if (tr.on) tr.event("icmp_echo", "echo reply to " + SockAddr.ipString(rx.saddr) + " id " + r.echoId() + " seq " + r.echoSeq());
        if (ip.output(rt, src, rx.saddr, In.IPPROTO_ICMP, rx.tos, stack.sysctl().ipDefaultTtl.value(), false,
                buf, off, len) == 0) {
            countOut(IcmpHeader.ECHO_REPLY);
        }
    }

    /** Counts an ICMP message sent (icmp_out_count). */
    public void countOut(int type) {
        mib.inc(IcmpMib.OutMsgs);
        IcmpMib col = IcmpMib.out(type);
        if (col != null) mib.inc(col);
    }

    /** icmp_unreach and friends: check the quote, learn the path MTU, then icmp_socket_deliver. */
    private void unreach(IpRx rx, MemorySegment msg) {
        IcmpHeader h = ih.wrap(msg);
        int type = h.type(), code = h.code();
        MemorySegment quoted = msg.asSlice(IcmpHeader.LEN);
        if (quoted.byteSize() < Ipv4Header.MIN_LEN) { inError("quote shorter than an IP header"); return; }
        Ipv4Header q = qh.wrap(quoted);
        if (q.ihl() < 5) { inError("quoted header with ihl " + q.ihl()); return; }
        int info = 0;
        if (type == IcmpHeader.DEST_UNREACH) {
            if (code > 15) return;
            if (code == IcmpHeader.FRAG_NEEDED) {
                info = h.nextHopMtu();
                if (stack.sysctl().ipNoPmtuDisc.value() == 0) ip.updatePmtu(q.dst(), info);
            }
        } else if (type == IcmpHeader.PARAMETER_PROB) {
            info = h.rest() >>> 24;
        }
        int hl = q.headerLen();
        if (quoted.byteSize() < hl + 8) {
            if (tr.on) tr.event("icmp_unreach", "quote too short for a transport header, dropped");
            return;
        }
        int proto = q.protocol();
        MemorySegment quotedL4 = quoted.asSlice(hl);
        if (tr.on) tr.event("icmp_socket_deliver", "ICMP " + type + "/" + code + " about " + SockAddr.ipString(q.src())
                + " → " + SockAddr.ipString(q.dst()) + " proto " + proto);
        RawDeliver raw = ip.rawDeliver();
        if (raw != null) raw.error(proto, type, code, info, q.src(), q.dst(), msg);
        NetProtocol p = ip.protocol(proto);
        if (p != null) p.error(type, code, info, q.src(), q.dst(), quotedL4);
    }

    /** ICMP errors about our own ICMP messages: only echo requests from ping sockets have an owner. */
    @Override public void error(int type, int code, int info, int quotedSaddr, int quotedDaddr, MemorySegment quotedL4) {
        ping.err(type, code, info, quotedSaddr, quotedDaddr, quotedL4);
    }

    // ------------------------------------------------------------------ send errors

    /** icmp_send / __icmp_send. */
    @Override public void send(MemorySegment offending, int routeType, int type, int code, int info) {
        if (offending.byteSize() < Ipv4Header.MIN_LEN) return;
        Ipv4Header q = qh.wrap(offending);
        if (routeType == Route.RTN_BROADCAST || routeType == Route.RTN_MULTICAST) return;
        if ((q.fragWord() & Ipv4Header.FRAG_OFFSET_MASK) != 0) return; // only about the first fragment
        int dst = q.src();
        if (dst == 0 || dst == 0xFFFFFFFF || Ipv4.isMulticast(dst) || ip.isBroadcast(dst)) return;
        if (IcmpHeader.isError(type) && q.protocol() == In.IPPROTO_ICMP) {
            // RFC 1122 §3.2.2: never an error about an error (or about an unknown type).
            int hl = q.headerLen();
            if (offending.byteSize() < hl + 1) return;
            int inner = offending.get(java.lang.foreign.ValueLayout.JAVA_BYTE, hl) & 0xFF;
            if (inner > NR_ICMP_TYPES || IcmpHeader.isError(inner)) return;
        }
        boolean limited = ((1 << type) & ratemask.value()) != 0
                && !(type == IcmpHeader.DEST_UNREACH && code == IcmpHeader.FRAG_NEEDED) && type <= NR_ICMP_TYPES;
        if (limited && !globalAllow()) {
            mib.inc(IcmpMib.OutRateLimitGlobal);
            if (tr.on) tr.event("icmp_send", "global rate limit (icmp_msgs_per_sec) reached");
            return;
        }
        Route rt = ip.route(dst, 0, 0);
        if (rt == null) return;
        if (limited && rt.dev != ip.loopbackDevice() && rt.type != Route.RTN_LOCAL && !peerAllow(dst)) {
            mib.inc(IcmpMib.OutRateLimitHost);
            if (tr.on) tr.event("icmp_send", "per-host rate limit (icmp_ratelimit) for " + SockAddr.ipString(dst));
            return;
        }
        int src = routeType == Route.RTN_LOCAL ? q.dst() : rt.prefSrc;
        int room = Math.min(rt.mtu, ROOM) - Ipv4Header.MIN_LEN - IcmpHeader.LEN;
        int dataLen = (int) Math.min(q.totalLen() <= offending.byteSize() ? q.totalLen() : offending.byteSize(), room);
        long off = Ip.HEADROOM;
        MemorySegment m = buf.asSlice(off, IcmpHeader.LEN + dataLen);
        MemorySegment.copy(offending, 0, m, IcmpHeader.LEN, dataLen);
        IcmpHeader h = oh.wrap(m);
        h.type(type).code(code).rest(0);
        if (type == IcmpHeader.DEST_UNREACH && code == IcmpHeader.FRAG_NEEDED) h.nextHopMtu(info);
        else if (type == IcmpHeader.PARAMETER_PROB) h.pointer(info);
        h.computeChecksum();
        int tos = (q.tos() & 0x1E) | 0xC0; // IPTOS_PREC_INTERNETCONTROL
        if (tr.on) tr.event("icmp_send", "type " + type + " code " + code + " to " + SockAddr.ipString(dst)
                + " quoting " + dataLen + " bytes");
        if (ip.output(rt, src, dst, In.IPPROTO_ICMP, tos, stack.sysctl().ipDefaultTtl.value(), false, buf, off,
                IcmpHeader.LEN + dataLen) == 0) {
            countOut(type);
        }
        if (limited) globalCredit -= stack.random().nextInt(3); // icmp_global_consume
    }

    /** icmp_global_allow: refill at most every 20 ms, by msgs_per_sec × elapsed, up to the burst. */
    private boolean globalAllow() {
        long now = stack.now();
        long delta = globalStamp == Long.MIN_VALUE ? 1_000_000_000L : Math.min(now - globalStamp, 1_000_000_000L);
        if (delta >= 20_000_000L) {
            long incr = msgsPerSec.value() * delta / 1_000_000_000L;
            if (incr > 0) {
                globalStamp = now;
                globalCredit = (int) Math.min(globalCredit + incr, msgsBurst.value());
            }
        }
        return globalCredit > 0;
    }

    /** inet_peer_xrlim_allow: tokens in time units, capped at 6 × icmp_ratelimit. */
    private boolean peerAllow(int dst) {
        long timeout = ratelimit.value() * NS_PER_MS;
        if (timeout == 0) return true;
        long now = stack.now();
        long[] p = peers.computeIfAbsent(dst, k -> new long[] {0, now - 60_000_000_000L});
        long token = p[0] + (now - p[1]);
        p[1] = now;
        if (token > XRLIM_BURST_FACTOR * timeout) token = XRLIM_BURST_FACTOR * timeout;
        boolean ok = token >= timeout;
        if (ok) token -= timeout;
        p[0] = token;
        return ok;
    }

    /** The sockets layer's view: is {@code sk} a ping socket of this stack? */
    public boolean isPing(InetSock sk) { return sk instanceof PingSock; }
}
