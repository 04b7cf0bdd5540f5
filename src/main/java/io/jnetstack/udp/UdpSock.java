package io.jnetstack.udp;

import io.jnetstack.inet.InetBind;
import io.jnetstack.inet.InetDgramOps;
import io.jnetstack.inet.InetDgramSock;
import io.jnetstack.inet.InetStates;
import io.jnetstack.socket.SockExtendedErr;
import io.jnetstack.ipv4.Ip;
import io.jnetstack.ipv4.IpMib;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.wire.Checksum;
import io.jnetstack.wire.UdpHeader;
import java.lang.foreign.MemorySegment;

/**
 * struct udp_sock: a UDP (or UDP-Lite) socket. Its sendmsg is udp_sendmsg; the rest is the shared
 * datagram machinery of {@link InetDgramSock}.
 */
public final class UdpSock extends InetDgramSock {
    /** Largest UDP payload over IPv4: 65535 - 20 (IP) - 8 (UDP). */
    public static final int MAX_PAYLOAD = 65507;
    private final Udp udp;
    private final UdpHeader uh = new UdpHeader();
    private final int[] dest = new int[2];

    /** SOL_UDP state ({@link UdpSockopt}): UDP_CORK acts; the others are kept and read back. */
    boolean corked, noCheck6Tx, noCheck6Rx, gro;
    int encapType, gsoSize;

    /**
     * The corked datagram (up->pending with inet->cork): while UDP_CORK is on, or a send carries
     * MSG_MORE, sends append here and go out as one datagram when the cork comes off. Its
     * destination, source and route are the first send's; later sends' addresses are ignored, as
     * Linux ignores them. {@code pendLen < 0}: nothing pending. The buffer is allocated on first use.
     */
    private byte[] pend;
    private int pendLen = -1, pendSrc, pendDst, pendDport;
    private Route pendRoute;

    UdpSock(Udp udp, int family, int type, int protocol) {
        super(udp.stack(), family, type, protocol);
        this.udp = udp;
    }

    @Override public int bind(byte[] addr, int addrlen) { return InetBind.bind(this, addr, addrlen, udp.table()); }

    @Override public int autobind() { return udp.table().bind(this, rcvSaddr, 0); }

    @Override protected void unhash() {
        if (sport != 0 && udp.table().isBound(this)) udp.table().unbind(this);
    }

    @Override protected void countReceived() { udp.mib().inc(UdpMib.InDatagrams); }

    /** inet_dgram_ops has set_peek_off for UDP: SO_PEEK_OFF works (see {@link InetDgramSock#recvmsg}). */
    @Override protected boolean supportsPeekOff() { return true; }

    /**
     * udp_sendmsg: one datagram to the given or connected peer; the checksum always computed
     * (RFC 1122 §4.1.3.4 makes it optional, Linux always sends it).
     */
    @Override public int sendmsg(MsgHdr msg, int flags, int len) {
        if (tr.on) tr.enter("udp_sendmsg", len + " bytes" + (msg.name != null ? " to " + SockAddr.toString(msg.name, msg.namelen) : ""));
        if (len > 0xFFFF) return tr.exit("udp_sendmsg", -Errno.EMSGSIZE);
        if ((flags & Net.MSG_OOB) != 0) return tr.exit("udp_sendmsg", -Errno.EOPNOTSUPP);
        boolean corkreq = corked || (flags & Net.MSG_MORE) != 0;
        if (pendLen >= 0) {
            if (tr.on) tr.note("corked datagram pending: append (destination ignored)");
            return tr.exit("udp_sendmsg", appendPending(msg, len, corkreq));
        }
        int d, dp;
        boolean connected = false;
        int r = msg.name == null ? 1 : parseDest(msg.name, msg.namelen, dest, "udpv6_sendmsg");
        if (r < 0) return tr.exit("udp_sendmsg", r);
        if (r == 0) {
            d = dest[0];
            dp = dest[1];
            if (dp == 0) return tr.exit("udp_sendmsg", -Errno.EINVAL);
        } else {
            if (state != InetStates.TCP_ESTABLISHED) return tr.exit("udp_sendmsg", -Errno.EDESTADDRREQ);
            d = daddr;
            dp = dport;
            connected = true;
        }
        int src = connected ? saddr : rcvSaddr;
        if (d == 0) d = src != 0 ? src : In.INADDR_LOOPBACK; // INADDR_ANY means this host
        Route rt = ip.route(d, src, boundDevIf);
        if (rt == null) {
            ip.mib().inc(IpMib.OutNoRoutes);
            return tr.exit("udp_sendmsg", -Errno.ENETUNREACH);
        }
        if (rt.type == Route.RTN_BROADCAST && !broadcast) {
            if (tr.on) tr.note("broadcast without SO_BROADCAST");
            return tr.exit("udp_sendmsg", -Errno.EACCES);
        }
        if (src == 0) src = rt.prefSrc;
        int ulen = len + UdpHeader.LEN;
        int totLen = ulen + 20;
        if (totLen > 0xFFFF) return tr.exit("udp_sendmsg", -Errno.EMSGSIZE);
        int mtu = pmtudisc >= In.IP_PMTUDISC_PROBE ? rt.dev.mtu() : rt.mtu;
        if (mustFit() && totLen > mtu) {
            if (recvErr) errQueue.queue(SockExtendedErr.local(Errno.EMSGSIZE, mtu - 20, d, dp));
            return tr.exit("udp_sendmsg", -Errno.EMSGSIZE);
        }
        int pre = sendPrepare();
        if (pre < 0) return tr.exit("udp_sendmsg", pre);
        if (corkreq) {
            if (tr.on) tr.note("corked: the datagram waits for more (UDP_CORK / MSG_MORE)");
            pendLen = 0;
            pendSrc = src;
            pendDst = d;
            pendDport = dp;
            pendRoute = rt;
            return tr.exit("udp_sendmsg", appendPending(msg, len, true));
        }
        int err = transmit(rt, src, d, dp, msg, len);
        return tr.exit("udp_sendmsg", err < 0 ? err : len);
    }

    /**
     * do_append_data: adds this send to the corked datagram, then sends it unless the cork stays
     * on. A datagram that would grow past 64 KiB is EMSGSIZE and, as on Linux, the whole corked
     * datagram is dropped (udp_flush_pending_frames).
     */
    private int appendPending(MsgHdr msg, int len, boolean corkreq) {
        if (pendLen + len + UdpHeader.LEN + 20 > 0xFFFF) {
            pendLen = -1;
            pendRoute = null;
            return -Errno.EMSGSIZE;
        }
        if (pend == null) pend = new byte[MAX_PAYLOAD];
        InetDgramOps.copyFromIov(msg, len, MemorySegment.ofArray(pend), pendLen);
        pendLen += len;
        if (corkreq) return len;
        int err = pushPending();
        return err < 0 ? err : len;
    }

    /** udp_push_pending_frames: sends the corked datagram, if any. Returns 0 or -errno. */
    int pushPending() {
        if (pendLen < 0) return 0;
        int n = pendLen;
        pendLen = -1;
        Route rt = pendRoute;
        pendRoute = null;
        return transmit(rt, pendSrc, pendDst, pendDport, null, n);
    }

    /**
     * Builds and sends one datagram of {@code len} payload bytes, taken from {@code msg}'s iovecs
     * or, when {@code msg} is null, from the corked datagram. Returns 0 or -errno.
     */
    private int transmit(Route rt, int src, int d, int dp, MsgHdr msg, int len) {
        int ulen = len + UdpHeader.LEN;
        int totLen = ulen + 20;
        int mtu = pmtudisc >= In.IP_PMTUDISC_PROBE ? rt.dev.mtu() : rt.mtu;
        if (msg == null && mustFit() && totLen > mtu) return -Errno.EMSGSIZE;
        boolean df = dontFragment(totLen, mtu);
        MemorySegment buf = ip.txBuffer();
        long off = Ip.HEADROOM;
        UdpHeader h = uh.wrap(buf.asSlice(off, ulen));
        h.srcPort(sport).dstPort(dp).length(ulen).checksum(0);
        if (msg != null) InetDgramOps.copyFromIov(msg, len, buf, off + UdpHeader.LEN);
        else MemorySegment.copy(MemorySegment.ofArray(pend), 0, buf, off + UdpHeader.LEN, len);
        if (udp.isLite()) {
            long s = Checksum.pseudoHeader(src, d, In.IPPROTO_UDPLITE, ulen);
            int c = Checksum.finish(Checksum.add(s, buf, off, ulen));
            h.checksum(c == 0 ? 0xFFFF : c);
        } else {
            h.computeChecksum(src, d);
        }
        int err = ip.output(rt, src, d, udp.protocol(), tos, ttlFor(d), df, buf, off, ulen);
        if (err < 0) {
            if (err == -Errno.ENOBUFS) udp.mib().inc(UdpMib.SndbufErrors);
            return err;
        }
        udp.mib().inc(UdpMib.OutDatagrams);
        if (tr.on) tr.note(SockAddr.ipString(src) + ":" + sport + " → " + SockAddr.ipString(d) + ":" + dp
                + (df ? " DF" : ""));
        return 0;
    }

    /** udp_setsockopt: SOL_UDP here (and SOL_UDPLITE on a UDP-Lite socket), the rest to the IP levels. */
    @Override public int setsockopt(int level, int optname, byte[] optval, int optlen) {
        if (isUdpLevel(level)) return UdpSockopt.set(this, optname, optval, optlen);
        return super.setsockopt(level, optname, optval, optlen);
    }

    @Override public int getsockopt(int level, int optname, byte[] optval, int[] optlen) {
        if (isUdpLevel(level)) return UdpSockopt.get(this, optname, optval, optlen);
        return super.getsockopt(level, optname, optval, optlen);
    }

    private boolean isUdpLevel(int level) { return level == Net.SOL_UDP || udp.isLite() && level == In.IPPROTO_UDPLITE; }

    /** udp_destroy_sock: a corked datagram still pending is dropped (udp_flush_pending_frames). */
    @Override public void close() {
        pendLen = -1;
        pendRoute = null;
        super.close();
    }
}
