package io.jnetstack.udp;

import io.jnetstack.inet.InetBind;
import io.jnetstack.inet.InetDgramOps;
import io.jnetstack.inet.InetDgramSock;
import io.jnetstack.inet.InetStates;
import io.jnetstack.inet.SockExtendedErr;
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

    /**
     * udp_sendmsg: one datagram to the given or connected peer; the checksum always computed
     * (RFC 1122 §4.1.3.4 makes it optional, Linux always sends it).
     */
    @Override public int sendmsg(MsgHdr msg, int flags, int len) {
        if (tr.on) tr.enter("udp_sendmsg", len + " bytes" + (msg.name != null ? " to " + SockAddr.toString(msg.name, msg.namelen) : ""));
        if (len > 0xFFFF) return tr.exit("udp_sendmsg", -Errno.EMSGSIZE);
        if ((flags & Net.MSG_OOB) != 0) return tr.exit("udp_sendmsg", -Errno.EOPNOTSUPP);
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
            if (recvErr) errQueue.add(new SockExtendedErr(Errno.EMSGSIZE, SockExtendedErr.ORIGIN_LOCAL, 0, 0,
                    mtu - 20, 0, d, dp, new byte[0]));
            return tr.exit("udp_sendmsg", -Errno.EMSGSIZE);
        }
        int pre = sendPrepare();
        if (pre < 0) return tr.exit("udp_sendmsg", pre);
        boolean df = dontFragment(totLen, mtu);
        MemorySegment buf = ip.txBuffer();
        long off = Ip.HEADROOM;
        UdpHeader h = uh.wrap(buf.asSlice(off, ulen));
        h.srcPort(sport).dstPort(dp).length(ulen).checksum(0);
        InetDgramOps.copyFromIov(msg, len, buf, off + UdpHeader.LEN);
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
            return tr.exit("udp_sendmsg", err);
        }
        udp.mib().inc(UdpMib.OutDatagrams);
        if (tr.on) tr.note(SockAddr.ipString(src) + ":" + sport + " → " + SockAddr.ipString(d) + ":" + dp
                + (df ? " DF" : ""));
        return tr.exit("udp_sendmsg", len);
    }
}
