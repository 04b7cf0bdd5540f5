package io.jnetstack.raw;

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
import io.jnetstack.wire.Ipv4Header;
import java.lang.foreign.MemorySegment;

/**
 * struct raw_sock: SOCK_RAW. Receives whole IP packets of its protocol; sends payloads the kernel
 * wraps in an IP header, or with IP_HDRINCL (always on for IPPROTO_RAW) the caller's own header, of
 * which the kernel fills in the checksum and total length always, and the source address and
 * identification when zero (raw(7)).
 */
public final class RawSock extends InetDgramSock {
    private final Raw raw;
    private final Ipv4Header iph = new Ipv4Header();

    RawSock(Raw raw, int family, int type, int protocol) {
        super(raw.stack(), family, type, protocol);
        this.raw = raw;
        this.reuseAddr = true; // INET_PROTOSW_REUSE
    }

    /** raw_bind: no port; the address must be local, broadcast or multicast. */
    @Override public int bind(byte[] addr, int addrlen) {
        if (state != InetStates.TCP_CLOSE || addr == null || addrlen < In.SOCKADDR_IN_LEN) return -Errno.EINVAL;
        int a = SockAddr.inAddr(addr);
        int type = ip.addrType(a);
        if (a != 0 && !InetBind.validOrNonlocal(this, a, type)) return -Errno.EADDRNOTAVAIL;
        rcvSaddr = saddr = a;
        if (type == Route.RTN_MULTICAST || type == Route.RTN_BROADCAST) saddr = 0;
        return 0;
    }

    @Override public int autobind() { return 0; }

    @Override protected void unhash() { raw.unhash(this); }

    @Override public int disconnect() {
        state = InetStates.TCP_CLOSE;
        daddr = dport = 0;
        if ((userLocks & BINDADDR_LOCK) == 0) rcvSaddr = saddr = 0;
        return 0;
    }

    /** raw_getsockopt/ioctl: SIOCINQ is the whole first packet, IP header included. */
    @Override public int ioctl(long cmd, int[] arg) { return super.ioctl(cmd, arg); }

    void rawError(int errno, int type, int code, int info, int offender, MemorySegment quotedIp) {
        if (recvErr) {
            byte[] p = quotedIp.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            errQueue.queue(SockExtendedErr.icmp(errno, type, code, info, offender, offender, 0, p));
        }
        err = errno;
        errorReport();
    }

    /** raw_sendmsg. */
    @Override public int sendmsg(MsgHdr msg, int flags, int len) {
        if (tr.on) tr.enter("raw_sendmsg", len + " bytes" + (hdrIncl ? " (IP_HDRINCL)" : ""));
        if (len > 0xFFFF) return tr.exit("raw_sendmsg", -Errno.EMSGSIZE);
        if ((flags & Net.MSG_OOB) != 0) return tr.exit("raw_sendmsg", -Errno.EOPNOTSUPP);
        int d;
        if (v6) {
            if (tr.on) tr.note("AF_INET6 raw socket: IPv6 data path not implemented");
            return tr.exit("raw_sendmsg", -Errno.ENETUNREACH);
        }
        if (msg.name != null && msg.namelen > 0) {
            if (msg.namelen < In.SOCKADDR_IN_LEN) return tr.exit("raw_sendmsg", -Errno.EINVAL);
            int fam = SockAddr.family(msg.name, msg.namelen);
            if (fam != Net.AF_INET && fam != Net.AF_UNSPEC) return tr.exit("raw_sendmsg", -Errno.EAFNOSUPPORT);
            d = SockAddr.inAddr(msg.name);
        } else {
            if (state != InetStates.TCP_ESTABLISHED) return tr.exit("raw_sendmsg", -Errno.EDESTADDRREQ);
            d = daddr;
        }
        if (d == 0) d = saddr != 0 ? saddr : In.INADDR_LOOPBACK;
        Route rt = ip.route(d, saddr, boundDevIf);
        if (rt == null) {
            ip.mib().inc(IpMib.OutNoRoutes);
            return tr.exit("raw_sendmsg", -Errno.ENETUNREACH);
        }
        if (rt.type == Route.RTN_BROADCAST && !broadcast) return tr.exit("raw_sendmsg", -Errno.EACCES);
        int pre = sendPrepare();
        if (pre < 0) return tr.exit("raw_sendmsg", pre);
        MemorySegment buf = ip.txBuffer();
        long off = Ip.HEADROOM;
        int err;
        if (hdrIncl) {
            // raw_send_hdrinc: the caller's header, at most one device MTU, never fragmented here.
            if (len > rt.dev.mtu()) return tr.exit("raw_sendmsg", -Errno.EMSGSIZE);
            InetDgramOps.copyFromIov(msg, len, buf, off - 20);
            MemorySegment pkt = buf.asSlice(off - 20, len);
            if (len < Ipv4Header.MIN_LEN) {
                // Shorter than a header: Linux sends it as is; we have no device path for that.
                return tr.exit("raw_sendmsg", -Errno.EINVAL);
            }
            Ipv4Header h = iph.wrap(pkt);
            if (h.headerLen() > len) return tr.exit("raw_sendmsg", -Errno.EINVAL);
            if (h.src() == 0) h.src(rt.prefSrc);
            h.totalLen(len);
            if (h.id() == 0 && !h.dontFrag()) h.id(stack.random().nextInt() & 0xFFFF);
            h.computeChecksum();
            ip.mib().inc(IpMib.OutRequests);
            err = ip.send(rt, h);
        } else {
            int src = saddr != 0 ? saddr : rt.prefSrc;
            int totLen = len + 20;
            if (totLen > 0xFFFF) return tr.exit("raw_sendmsg", -Errno.EMSGSIZE);
            if (mustFit() && totLen > rt.mtu) return tr.exit("raw_sendmsg", -Errno.EMSGSIZE);
            InetDgramOps.copyFromIov(msg, len, buf, off);
            err = ip.output(rt, src, d, sport, tos, ttlFor(d), dontFragment(totLen, rt.mtu), buf, off, len);
        }
        return tr.exit("raw_sendmsg", err < 0 ? err : len);
    }
}
