package io.jnetstack.netlink;

import io.jnetstack.socket.ProtoOps;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.syscall.Iov;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.Task;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;

/**
 * netlink_ops: addressed with struct sockaddr_nl { u16 nl_family; u16 nl_pad; u32 nl_pid;
 * u32 nl_groups; } (12 bytes). Messages to port 0 go to the kernel (rtnetlink here), to any other
 * port id to the socket bound there. listen, accept, shutdown and socketpair are sock_no_*
 * (EOPNOTSUPP), as on Linux.
 */
final class NetlinkOps implements ProtoOps {
    static final NetlinkOps INSTANCE = new NetlinkOps();

    private NetlinkOps() {}

    private static NetlinkSock nlk(Socket sock) { return (NetlinkSock) sock.sk; }

    private static int currentPid() {
        Task t = Task.current();
        return t == null ? 1 : t.pid;
    }

    @Override public int family() { return Net.AF_NETLINK; }

    @Override public int release(Socket sock) {
        NetlinkSock nlk = nlk(sock);
        if (nlk == null) return 0;
        nlk.family.remove(nlk);
        nlk.queue.clear();
        nlk.queuedBytes = 0;
        sock.sk = null;
        nlk.socket = null;
        return 0;
    }

    /**
     * netlink_bind: at least 12 bytes of AF_NETLINK (EINVAL); once bound only the same nl_pid
     * (EINVAL); nl_pid 0 autobinds to the process id, another one must be free (EADDRINUSE).
     * NETLINK_ROUTE lets anyone join its groups (NL_CFG_F_NONROOT_RECV).
     */
    @Override public int bind(Socket sock, byte[] addr, int addrlen) {
        NetlinkSock nlk = nlk(sock);
        var tr = nlk.family.tr;
        if (tr.on) tr.enter("netlink_bind", SockAddr.toString(addr, addrlen));
        if (addrlen < Netlink.NL_ADDR_LEN) return tr.exit("netlink_bind", -Errno.EINVAL);
        if (SockAddr.family(addr, addrlen) != Net.AF_NETLINK) return tr.exit("netlink_bind", -Errno.EINVAL);
        int pid = le32(addr, 4);
        int groups = le32(addr, 8);
        if (nlk.bound && pid != nlk.portid) return tr.exit("netlink_bind", -Errno.EINVAL);
        if (!nlk.bound) {
            int err = pid != 0 ? nlk.family.insert(nlk, pid) : nlk.family.autobind(nlk, currentPid());
            if (err < 0) return tr.exit("netlink_bind", err);
        }
        nlk.groups = groups;
        tr.exit();
        return 0;
    }

    /** netlink_connect: AF_UNSPEC disconnects; otherwise autobind and remember the destination. */
    @Override public int connect(Socket sock, byte[] addr, int addrlen, int fileFlags) {
        NetlinkSock nlk = nlk(sock);
        if (addrlen < 2) return -Errno.EINVAL;
        int fam = SockAddr.family(addr, addrlen);
        if (fam == Net.AF_UNSPEC) {
            sock.state = Socket.SS_UNCONNECTED;
            nlk.dstPortid = 0;
            nlk.dstGroup = 0;
            return 0;
        }
        if (fam != Net.AF_NETLINK) return -Errno.EINVAL;
        if (addrlen < Netlink.NL_ADDR_LEN) return -Errno.EINVAL;
        if (le32(addr, 8) != 0 && !sock.cred.netAdmin()) return -Errno.EPERM;
        if (!nlk.bound) {
            int err = nlk.family.autobind(nlk, currentPid());
            if (err < 0) return err;
        }
        sock.state = Socket.SS_CONNECTED;
        nlk.dstPortid = le32(addr, 4);
        nlk.dstGroup = Integer.numberOfTrailingZeros(le32(addr, 8)) + 1 & 31;
        return 0;
    }

    /** netlink_getname: our port id and groups, or the connected destination; 12 bytes either way. */
    @Override public int getname(Socket sock, byte[] out, boolean peer) {
        NetlinkSock nlk = nlk(sock);
        java.util.Arrays.fill(out, 0, Netlink.NL_ADDR_LEN, (byte) 0);
        SockAddr.putFamily(out, Net.AF_NETLINK);
        if (peer) {
            putLe32(out, 4, nlk.dstPortid);
            putLe32(out, 8, nlk.dstGroup == 0 ? 0 : 1 << (nlk.dstGroup - 1));
        } else {
            putLe32(out, 4, nlk.portid);
            putLe32(out, 8, nlk.groups);
        }
        return Netlink.NL_ADDR_LEN;
    }

    @Override public int poll(Socket sock) {
        NetlinkSock nlk = nlk(sock);
        int mask = Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
        if (!nlk.queue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        if (nlk.err != 0) mask |= Poll.POLLERR;
        return mask;
    }

    @Override public int shutdown(Socket sock, int how) { return -Errno.EOPNOTSUPP; }

    /**
     * netlink_sendmsg: the destination from msg_name (EINVAL if short or not AF_NETLINK; a port
     * other than the kernel's, or a group, needs CAP_NET_ADMIN: EPERM) or the connected one; autobind; EMSGSIZE over sk_sndbuf - 32; then
     * to the kernel (port 0) or the bound socket (ECONNREFUSED when none).
     */
    @Override public int sendmsg(Socket sock, MsgHdr msg, int flags) {
        NetlinkSock nlk = nlk(sock);
        var tr = nlk.family.tr;
        if (tr.on) tr.enter("netlink_sendmsg", Iov.total(msg) + " bytes");
        if ((flags & Net.MSG_OOB) != 0) return tr.exit("netlink_sendmsg", -Errno.EOPNOTSUPP);
        int dst = nlk.dstPortid;
        if (msg.name != null && msg.namelen > 0) {
            if (msg.namelen < Netlink.NL_ADDR_LEN) return tr.exit("netlink_sendmsg", -Errno.EINVAL);
            if (SockAddr.family(msg.name, msg.namelen) != Net.AF_NETLINK) return tr.exit("netlink_sendmsg", -Errno.EINVAL);
            dst = le32(msg.name, 4);
            // NETLINK_ROUTE lacks NL_CFG_F_NONROOT_SEND: only the kernel (port 0) is open to all.
            if ((dst != 0 || le32(msg.name, 8) != 0) && !sock.cred.netAdmin()) {
                if (tr.on) tr.note("sending to a port or group needs CAP_NET_ADMIN");
                return tr.exit("netlink_sendmsg", -Errno.EPERM);
            }
        }
        if (!nlk.bound) {
            int err = nlk.family.autobind(nlk, currentPid());
            if (err < 0) return tr.exit("netlink_sendmsg", err);
        }
        long total = Iov.total(msg);
        if (total > nlk.sndBuf - 32) return tr.exit("netlink_sendmsg", -Errno.EMSGSIZE);
        byte[] data = new byte[(int) total];
        int r = Iov.copyFrom(msg, 0, data, 0, data.length);
        if (r < 0) return tr.exit("netlink_sendmsg", r);
        if (dst == 0) {
            nlk.family.rtnl.rcv(nlk, data);
        } else {
            NetlinkSock to = nlk.family.ports.get(dst);
            if (to == null) return tr.exit("netlink_sendmsg", -Errno.ECONNREFUSED);
            if (!to.deliver(data, nlk.portid)) return tr.exit("netlink_sendmsg", -Errno.EAGAIN);
        }
        tr.exit();
        return data.length;
    }

    /** netlink_recvmsg: one datagram; MSG_TRUNC when it did not fit; the sender as a sockaddr_nl. */
    @Override public int recvmsg(Socket sock, MsgHdr msg, int flags) {
        NetlinkSock nlk = nlk(sock);
        if ((flags & Net.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        long deadline = nlk.deadline(nlk.rcvTimeo);
        while (nlk.queue.isEmpty()) {
            if (nlk.err != 0) return -nlk.takeError();
            if ((flags & Net.MSG_DONTWAIT) != 0) return -Errno.EAGAIN;
            int r = nlk.sleep(deadline);
            if (r < 0) return r;
        }
        NetlinkSock.Datagram d = (flags & Net.MSG_PEEK) != 0 ? nlk.queue.peek() : nlk.queue.poll();
        if ((flags & Net.MSG_PEEK) == 0) nlk.queuedBytes -= d.data().length;
        int n = (int) Math.min(Iov.total(msg), d.data().length);
        int r = Iov.copyTo(msg, 0, d.data(), 0, n);
        if (r < 0) return r;
        msg.flags = n < d.data().length ? Net.MSG_TRUNC : 0;
        if (msg.name != null) {
            java.util.Arrays.fill(msg.name, 0, Netlink.NL_ADDR_LEN, (byte) 0);
            SockAddr.putFamily(msg.name, Net.AF_NETLINK);
            putLe32(msg.name, 4, d.fromPortid());
            msg.namelen = Netlink.NL_ADDR_LEN;
        }
        return (flags & Net.MSG_TRUNC) != 0 ? d.data().length : n;
    }

    static int le32(byte[] a, int off) {
        return (a[off] & 0xFF) | (a[off + 1] & 0xFF) << 8 | (a[off + 2] & 0xFF) << 16 | (a[off + 3] & 0xFF) << 24;
    }

    static void putLe32(byte[] a, int off, int v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >> 8);
        a[off + 2] = (byte) (v >> 16);
        a[off + 3] = (byte) (v >> 24);
    }
}
