package io.jnetstack.inet;

import io.jnetstack.socket.Sock;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.SockExtendedErr;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.ErrQueue;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;

/**
 * inet_recv_error: recvmsg(MSG_ERRQUEUE) on an inet socket of any protocol (ip_recv_error for
 * AF_INET, ipv6_recv_error for AF_INET6). Takes the oldest entry of the socket's error queue and
 * hands it over the way Linux does:
 *
 * <ul>
 *   <li>the bytes the error carries go to the iovecs, cut with MSG_TRUNC (the return value is
 *       what was copied);
 *   <li>msg_name gets the original destination for ICMP and local errors (and any error that
 *       names a port);
 *   <li>a transmit timestamp first gets its SCM_TIMESTAMPING cmsg (sock_recv_timestamp), when
 *       SOF_TIMESTAMPING_SOFTWARE asks for software stamps to be reported;
 *   <li>then the IP_RECVERR (IPV6_RECVERR) cmsg: struct sock_extended_err followed by the
 *       offender's sockaddr, filled in for ICMP errors only (zeroes otherwise).
 * </ul>
 *
 * An empty queue is EAGAIN, whatever the socket's blocking mode: the error queue never waits.
 */
public final class IpRecvError {
    private IpRecvError() {}

    /** struct sock_extended_err: ee_errno u32, origin/type/code/pad u8, ee_info u32, ee_data u32. */
    private static final int EE_LEN = 16;
    /** struct scm_timestamping (three struct timespec: software, legacy, hardware). */
    private static final int SCM_TIMESTAMPING_LEN = 48;

    public static int recv(InetSock sk, MsgHdr msg, int len) {
        SockExtendedErr e = sk.errQueue.dequeue();
        if (e == null) return -Errno.EAGAIN;
        byte[] p = e.payload();
        int copied = Math.min(len, p.length);
        InetDgramOps.copyToIov(p, 0, copied, msg);
        msg.flags = (msg.flags & Net.MSG_CMSG_CLOEXEC) | (copied < p.length ? Net.MSG_TRUNC : 0);
        boolean v6 = sk.v6;
        // ipv4_datagram_support_addr / ipv6_datagram_support_addr.
        boolean named = e.origin() == ErrQueue.SO_EE_ORIGIN_ICMP || e.origin() == ErrQueue.SO_EE_ORIGIN_ICMP6
                || e.origin() == ErrQueue.SO_EE_ORIGIN_LOCAL || e.port() != 0;
        if (msg.name != null && named) {
            byte[] a = new byte[28];
            int n = v6 ? SockAddr.writeIn6Mapped(a, e.addr(), e.port(), false) : SockAddr.writeIn(a, e.addr(), e.port());
            System.arraycopy(a, 0, msg.name, 0, Math.min(n, msg.name.length));
            msg.namelen = n;
        } else if (msg.name != null) {
            msg.namelen = 0;
        }
        int cap = Cmsg.begin(msg);
        putTimestamp(sk, msg, cap, e);
        // ipv4_datagram_support_cmsg: only an ICMP error has an offender (the sender of the ICMP
        // message); for the others the sockaddr after the extended error stays zero.
        int saLen = v6 ? In.SOCKADDR_IN6_LEN : In.SOCKADDR_IN_LEN;
        byte[] d = new byte[EE_LEN + saLen];
        if (e.isIcmp()) {
            byte[] sa = new byte[saLen];
            if (v6) SockAddr.writeIn6Mapped(sa, e.offender(), 0, false);
            else SockAddr.writeIn(sa, e.offender(), 0);
            System.arraycopy(sa, 0, d, EE_LEN, saLen);
        }
        Cmsg.putInt(d, 0, e.errno());
        d[4] = (byte) e.origin();
        d[5] = (byte) e.type();
        d[6] = (byte) e.code();
        Cmsg.putInt(d, 8, e.info());
        Cmsg.putInt(d, 12, e.data());
        if (v6) Cmsg.put(msg, cap, Net.SOL_IPV6, In.IPV6_RECVERR, d, d.length);
        else Cmsg.put(msg, cap, Net.SOL_IP, In.IP_RECVERR, d, d.length);
        msg.flags |= Net.MSG_ERRQUEUE;
        return copied;
    }

    /**
     * __sock_recv_timestamp's software part for an error-queue entry: the stamp goes in the first
     * timespec of SCM_TIMESTAMPING (SCM_TIMESTAMPING_NEW after SO_TIMESTAMPING_NEW, the same
     * layout on 64-bit), when the socket reports software timestamps and the entry has one.
     */
    private static void putTimestamp(Sock sk, MsgHdr msg, int cap, SockExtendedErr e) {
        if (e.tstampNs() == 0 || (sk.tsflags & ErrQueue.SOF_TIMESTAMPING_SOFTWARE) == 0) return;
        byte[] d = new byte[SCM_TIMESTAMPING_LEN];
        putLong(d, 0, Math.floorDiv(e.tstampNs(), 1_000_000_000L));
        putLong(d, 8, Math.floorMod(e.tstampNs(), 1_000_000_000L));
        int type = sk.tstampNew ? ErrQueue.SCM_TIMESTAMPING_NEW : ErrQueue.SCM_TIMESTAMPING;
        Cmsg.put(msg, cap, Net.SOL_SOCKET, type, d, d.length);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
    }
}
