package io.jnetstack.icmp;

import io.jnetstack.inet.InetBind;
import io.jnetstack.inet.InetDgramOps;
import io.jnetstack.inet.InetDgramSock;
import io.jnetstack.inet.InetStates;
import io.jnetstack.ipv4.Ip;
import io.jnetstack.ipv4.IpMib;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.wire.IcmpHeader;
import java.lang.foreign.MemorySegment;

/** struct ping_sock: an unprivileged ICMP echo socket (ping_v4_sendmsg, ping_bind). */
public final class PingSock extends InetDgramSock {
    private final Ping ping;
    private final IcmpHeader ih = new IcmpHeader();
    private final int[] dest = new int[2];

    PingSock(Ping ping, int family, int type, int protocol) {
        super(ping.icmp().stack(), family, type, protocol);
        this.ping = ping;
        this.reuseAddr = true; // inetsw's INET_PROTOSW_REUSE: sk_reuse set from the start
    }

    /** ping_bind / ping_check_bind_addr: no privileged identifiers. */
    @Override public int bind(byte[] addr, int addrlen) {
        if (addr == null || addrlen < In.SOCKADDR_IN_LEN) return -Errno.EINVAL;
        int fam = SockAddr.family(addr, addrlen);
        int a = SockAddr.inAddr(addr);
        if (fam != Net.AF_INET && !(fam == Net.AF_UNSPEC && a == 0)) return -Errno.EAFNOSUPPORT;
        if (!InetBind.validOrNonlocal(this, a, ip.addrType(a))) return -Errno.EADDRNOTAVAIL;
        if (sport != 0) return -Errno.EINVAL;
        int ident = SockAddr.port(addr);
        rcvSaddr = saddr = a;
        if (ping.getPort(this, ident) < 0) {
            rcvSaddr = saddr = 0;
            return -Errno.EADDRINUSE;
        }
        if (ident != 0) userLocks |= BINDPORT_LOCK;
        if (a != 0) userLocks |= BINDADDR_LOCK;
        daddr = dport = 0;
        return 0;
    }

    @Override public int autobind() { return ping.getPort(this, 0); }

    @Override protected void unhash() { if (sport != 0) ping.unhash(this); }

    /** ping_v4_sendmsg: the caller writes an echo request header; the kernel sets the identifier and checksum. */
    @Override public int sendmsg(MsgHdr msg, int flags, int len) {
        if (len > 0xFFFF) return -Errno.EMSGSIZE;
        if ((flags & Net.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        if (len < IcmpHeader.LEN) return -Errno.EINVAL;
        if (v6) {
            if (tr.on) tr.note("ping_v6_sendmsg: IPv6 data path not implemented → ENETUNREACH");
            return -Errno.ENETUNREACH;
        }
        MemorySegment buf = ip.txBuffer();
        long off = Ip.HEADROOM;
        InetDgramOps.copyFromIov(msg, len, buf, off);
        IcmpHeader h = ih.wrap(buf.asSlice(off, len));
        if (h.type() != IcmpHeader.ECHO_REQUEST || h.code() != 0) return -Errno.EINVAL;
        int d;
        if (msg.name != null) {
            if (msg.namelen < In.SOCKADDR_IN_LEN) return -Errno.EINVAL;
            if (SockAddr.family(msg.name, msg.namelen) != Net.AF_INET) return -Errno.EAFNOSUPPORT;
            dest[0] = SockAddr.inAddr(msg.name);
            d = dest[0];
        } else {
            if (state != InetStates.TCP_ESTABLISHED) return -Errno.EDESTADDRREQ;
            d = daddr;
        }
        int src = state == InetStates.TCP_ESTABLISHED && msg.name == null ? saddr : rcvSaddr;
        if (d == 0) d = src != 0 ? src : In.INADDR_LOOPBACK;
        Route rt = ip.route(d, src, boundDevIf);
        if (rt == null) {
            ip.mib().inc(IpMib.OutNoRoutes);
            return -Errno.ENETUNREACH;
        }
        if (rt.type == Route.RTN_BROADCAST && !broadcast) return -Errno.EACCES;
        if (src == 0) src = rt.prefSrc;
        int totLen = len + 20;
        if (totLen > 0xFFFF) return -Errno.EMSGSIZE;
        int mtu = rt.mtu;
        if (mustFit() && totLen > mtu) return -Errno.EMSGSIZE;
        int pre = sendPrepare();
        if (pre < 0) return pre;
        h.echoId(sport).computeChecksum();
        int err = ip.output(rt, src, d, In.IPPROTO_ICMP, tos, ttlFor(d), dontFragment(totLen, mtu), buf, off, len);
        if (err < 0) return err;
        ping.icmp().countOut(IcmpHeader.ECHO_REQUEST);
        return len;
    }
}
