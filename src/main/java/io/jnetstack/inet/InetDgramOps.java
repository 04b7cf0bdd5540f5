package io.jnetstack.inet;

import io.jnetstack.socket.ProtoOps;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Tracer;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;

/**
 * inet_dgram_ops (and inet_sockraw_ops, which differs only in details handled by the socks): the
 * BSD calls of UDP, ping and raw sockets. Each call does the family's part (sockaddr length,
 * AF_UNSPEC disconnect, autobind) and hands over to the sock's protocol, as inet_dgram_connect
 * hands over to sk->sk_prot->connect.
 */
public final class InetDgramOps implements ProtoOps {
    private final int family;

    public InetDgramOps(int family) { this.family = family; }

    @Override public int family() { return family; }

    private static InetDgramSock sk(Socket sock) { return (InetDgramSock) sock.sk; }

    /** inet_release → sk_common_release. */
    @Override public int release(Socket sock) {
        InetDgramSock sk = sk(sock);
        if (sk == null) return 0;
        sk.close();
        sk.socket = null;
        sock.sk = null;
        return 0;
    }

    /** inet_bind: raw and ping bring their own bind; UDP uses inet_bind with its port table. */
    @Override public int bind(Socket sock, byte[] addr, int addrlen) { return sk(sock).bind(addr, addrlen); }

    /** inet_dgram_connect. */
    @Override public int connect(Socket sock, byte[] addr, int addrlen, int fileFlags) {
        InetDgramSock sk = sk(sock);
        if (addr == null || addrlen < 2) return -Errno.EINVAL;
        if (io.jnetstack.socket.SockAddr.family(addr, addrlen) == Net.AF_UNSPEC) return sk.disconnect();
        // The port comes first: a failing connect still leaves the socket bound (as Linux).
        if (sk.sport == 0 && sk.autobind() < 0) return -Errno.EAGAIN;
        return sk.connect(addr, addrlen);
    }

    @Override public int getname(Socket sock, byte[] out, boolean peer) { return InetGetname.getname(sk(sock), out, peer); }

    @Override public int poll(Socket sock) { return sk(sock).poll(); }

    @Override public int ioctl(Socket sock, long cmd, int[] arg) { return sk(sock).ioctl(cmd, arg); }

    /**
     * inet_shutdown for a datagram socket: EINVAL for a bad {@code how}; an unconnected socket
     * answers ENOTCONN but still records the shutdown (so poll reports it), as Linux does.
     */
    @Override public int shutdown(Socket sock, int how) {
        InetDgramSock sk = sk(sock);
        how++;
        if ((how & ~Sock.SHUTDOWN_MASK) != 0 || how == 0) return -Errno.EINVAL;
        int err = sk.state == InetStates.TCP_CLOSE ? -Errno.ENOTCONN : 0;
        sk.shutdown |= how;
        sk.stateChange();
        return err;
    }

    @Override public int setsockopt(Socket sock, int level, int optname, byte[] optval, int optlen) {
        return sk(sock).setsockopt(level, optname, optval, optlen);
    }

    @Override public int getsockopt(Socket sock, int level, int optname, byte[] optval, int[] optlen) {
        return sk(sock).getsockopt(level, optname, optval, optlen);
    }

    /** inet_sendmsg: autobind first (EAGAIN when no port is free), then the protocol. */
    @Override public int sendmsg(Socket sock, MsgHdr msg, int flags) {
        InetDgramSock sk = sk(sock);
        Tracer tr = sk.stack.trace();
        int len = iovTotal(msg);
        if (len < 0) return len;
        if (sk.sport == 0 && sk.type != Net.SOCK_RAW && sk.autobind() < 0) {
            if (tr.on) tr.note("inet_autobind: no free port");
            return -Errno.EAGAIN;
        }
        return sk.sendmsg(msg, flags, len);
    }

    @Override public int recvmsg(Socket sock, MsgHdr msg, int flags) { return sk(sock).recvmsg(msg, flags); }

    // ------------------------------------------------------------------ iovec helpers

    /** The total iov length, or -EFAULT when an iov_len runs past its buffer, -EINVAL past 2^31. */
    public static int iovTotal(MsgHdr msg) {
        long total = 0;
        for (int i = 0; i < msg.iovCount(); i++) {
            int l = msg.iovLen[i];
            if (l < 0) return -Errno.EINVAL;
            if (l > 0 && (msg.iov[i] == null || msg.iov[i].length < l)) return -Errno.EFAULT;
            total += l;
        }
        return total > Integer.MAX_VALUE ? -Errno.EINVAL : (int) total;
    }

    /** Copies {@code n} bytes of {@code src} from {@code off} into the iovecs in order. */
    public static void copyToIov(byte[] src, int off, int n, MsgHdr msg) {
        for (int i = 0; i < msg.iovCount() && n > 0; i++) {
            int k = Math.min(n, msg.iovLen[i]);
            System.arraycopy(src, off, msg.iov[i], 0, k);
            off += k;
            n -= k;
        }
    }

    /** Copies the iovecs (total {@code len}) into {@code dst} at {@code off} (memcpy_from_msg). */
    public static void copyFromIov(MsgHdr msg, int len, java.lang.foreign.MemorySegment dst, long off) {
        for (int i = 0; i < msg.iovCount() && len > 0; i++) {
            int k = Math.min(len, msg.iovLen[i]);
            java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(msg.iov[i]), 0, dst, off, k);
            off += k;
            len -= k;
        }
    }
}
