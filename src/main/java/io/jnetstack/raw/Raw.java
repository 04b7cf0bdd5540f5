package io.jnetstack.raw;

import io.jnetstack.icmp.IcmpErr;
import io.jnetstack.inet.InetSock;
import io.jnetstack.inet.Proto;
import io.jnetstack.ipv4.IpRx;
import io.jnetstack.link.ChecksumOffload;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.ipv4.RawDeliver;
import io.jnetstack.stack.Stack;
import io.jnetstack.uapi.Errno;
import io.jnetstack.wire.IcmpHeader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw IPv4 sockets (net/ipv4/raw.c): raw_prot and raw_v4_hashinfo. Every raw socket whose protocol
 * matches a received packet gets a copy of the whole packet, IP header included (raw_local_deliver),
 * before the transport sees it; ICMP errors about that protocol reach them too (raw_icmp_error).
 */
public final class Raw implements Proto, RawDeliver {
    private final Stack stack;
    private final Ipv4 ip;
    private final List<RawSock> socks = new ArrayList<>();
    private final IcmpHeader ih = new IcmpHeader();

    private Raw(Stack stack) {
        this.stack = stack;
        this.ip = Ipv4.of(stack);
    }

    /** The raw module of a stack, installed into IPv4's delivery path on first use. */
    public static Raw of(Stack stack) {
        Raw r = stack.module(Raw.class);
        if (r == null) {
            r = new Raw(stack);
            stack.register(Raw.class, r);
            Ipv4.of(stack).setRawDeliver(r);
        }
        return r;
    }

    Stack stack() { return stack; }

    @Override public String name() { return "RAW"; }

    @Override public InetSock create(Stack stack, int family, int type, int protocol) {
        return new RawSock(this, family, type, protocol);
    }

    /** raw_hash_sk: a raw socket is in the table from creation (its "port" is its protocol). */
    @Override public int init(InetSock sk, io.jnetstack.socket.Credentials cred) {
        socks.add((RawSock) sk);
        return 0;
    }

    void unhash(RawSock sk) { socks.remove(sk); }

    /** raw_v4_input. */
    @Override public boolean deliver(IpRx rx, MemorySegment packet) {
        boolean any = false;
        for (int i = 0, n = socks.size(); i < n; i++) {
            RawSock s = socks.get(i);
            if (!matches(s, rx.protocol, rx.saddr, rx.daddr, rx.ifindex)) continue;
            // A raw socket reads the packet as sent: a checksum left partial is finished (once).
            rx.ipSummed = ChecksumOffload.finishReceived(packet, 0, rx.ipSummed);
            any = true;
            if (!s.enqueue(packet, rx.saddr, 0, rx.daddr, rx.ttl, rx.tos, rx.ifindex)) {
                if (stack.trace().on) stack.trace().event("raw_rcv", "rcvbuf full, dropped");
            }
        }
        return any;
    }

    private static boolean matches(RawSock s, int protocol, int saddr, int daddr, int ifindex) {
        if (s.v6 || s.sport != protocol) return false;
        if (s.rcvSaddr != 0 && s.rcvSaddr != daddr) return false;
        if (s.daddr != 0 && s.daddr != saddr) return false;
        return s.boundDevIf == 0 || s.boundDevIf == ifindex;
    }

    /** raw_icmp_error → raw_err: hard errors are reported even to unconnected raw sockets. */
    @Override public void error(int protocol, int type, int code, int info, int qs, int qd, MemorySegment icmpMsg) {
        for (int i = 0, n = socks.size(); i < n; i++) {
            RawSock s = socks.get(i);
            if (!matches(s, protocol, qd, qs, 0)) continue;
            int err;
            boolean hard = false;
            switch (type) {
                case IcmpHeader.TIME_EXCEEDED -> err = Errno.EHOSTUNREACH;
                case IcmpHeader.SOURCE_QUENCH -> { continue; }
                case IcmpHeader.PARAMETER_PROB -> { err = Errno.EPROTO; hard = true; }
                case IcmpHeader.DEST_UNREACH -> {
                    err = IcmpErr.errno(code);
                    hard = IcmpErr.fatal(code);
                    if (code == IcmpHeader.FRAG_NEEDED) {
                        err = Errno.EMSGSIZE;
                        hard = s.pmtudisc != io.jnetstack.uapi.In.IP_PMTUDISC_DONT;
                    }
                }
                default -> { continue; }
            }
            if (s.recvErr || hard) s.rawError(err, type, code, info, qd, ih.wrap(icmpMsg).payload());
        }
    }
}
