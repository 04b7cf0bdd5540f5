package io.jnetstack.inet;

import io.jnetstack.socket.ProtoOps;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.tcp.Tcp;
import io.jnetstack.tcp.TcpProt;
import io.jnetstack.tcp.TcpSock;
import io.jnetstack.tcp.TcpSockopt;
import io.jnetstack.tcp.TcpState;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;

/**
 * inet_stream_ops: the BSD socket calls for SOCK_STREAM inet sockets (af_inet.c's
 * inet_stream_connect, inet_accept, inet_listen, inet_shutdown, inet_release, with tcp_poll,
 * tcp_ioctl, tcp_setsockopt/getsockopt, tcp_sendmsg, tcp_recvmsg behind them). Every method
 * returns what Linux returns, errno included.
 */
public final class InetStreamOps implements ProtoOps {
    /** inet_stream_ops and inet6_stream_ops (the latter for AF_INET6 sockets carrying IPv4 via v4-mapped addresses). */
    public static final InetStreamOps INSTANCE = new InetStreamOps(Net.AF_INET), INSTANCE6 = new InetStreamOps(Net.AF_INET6);

    private final int family;

    private InetStreamOps(int family) { this.family = family; }

    @Override public int family() { return family; }

    /**
     * tcp_v4_connect's / tcp_v6_connect's address checks: the IPv4 destination as a host-order
     * long, or -errno. AF_INET6 takes v4-mapped addresses (and :: as the loopback); native IPv6
     * has no route here.
     */
    private long destination(TcpSock tp, byte[] addr, int addrlen) {
        int fam = SockAddr.family(addr, addrlen);
        if (family == Net.AF_INET6) {
            if (addrlen < In.SIN6_LEN_RFC2133) return -Errno.EINVAL;
            if (fam != Net.AF_INET6) return -Errno.EAFNOSUPPORT;
            if (SockAddr.isIn6Any(addr)) return 0x7f000001L;
            int type = In6AddrType.of(addr, 8);
            if ((type & In6AddrType.MULTICAST) != 0) return -Errno.ENETUNREACH;
            if ((type & In6AddrType.LINKLOCAL) != 0) {
                // tcp_v6_connect: a link-local peer needs an interface, from sin6_scope_id or the
                // socket's binding, and the two must agree.
                int scope = addrlen >= In.SOCKADDR_IN6_LEN ? SockAddr.in6ScopeId(addr) : 0;
                if (scope != 0 && tp.boundDevIf != 0 && tp.boundDevIf != scope) return -Errno.EINVAL;
                if (scope == 0 && tp.boundDevIf == 0) return -Errno.EINVAL;
            }
            if (!SockAddr.isV4Mapped(addr) || tp.v6Only) return -Errno.ENETUNREACH;
            return SockAddr.v4MappedAddr(addr) & 0xFFFFFFFFL;
        }
        if (addrlen < 16) return -Errno.EINVAL;
        if (fam != Net.AF_INET) return -Errno.EAFNOSUPPORT;
        return SockAddr.inAddr(addr) & 0xFFFFFFFFL;
    }

    private static TcpSock tcp(Socket sock) { return (TcpSock) sock.sk; }

    private static Tracer tr(Socket sock) { return sock.stack.trace(); }

    /** inet_release → tcp_close with the SO_LINGER time. */
    @Override public int release(Socket sock) {
        TcpSock tp = tcp(sock);
        if (tp == null) return 0;
        long linger = tp.linger ? tp.lingerSecs * 1_000_000_000L : 0;
        TcpProt.close(tp, linger);
        sock.sk = null;
        return 0;
    }

    /** inet_bind: the inet module's rules (InetBind), then TCP remembers that it holds the port. */
    @Override public int bind(Socket sock, byte[] addr, int addrlen) {
        TcpSock tp = tcp(sock);
        int r = InetBind.bind(tp, addr, addrlen, Tcp.of(sock.stack).ports());
        if (r == 0) tp.markPortHeld();
        return r;
    }

    /** inet_stream_connect. */
    @Override public int connect(Socket sock, byte[] addr, int addrlen, int fileFlags) {
        return connect(sock, addr, addrlen, fileFlags, false);
    }

    /**
     * __inet_stream_connect; {@code isSendmsg} for a Fast Open sendmsg (tcp_sendmsg_fastopen), for
     * which a socket whose connect was deferred answers EINPROGRESS where connect() says EISCONN.
     */
    public int connect(Socket sock, byte[] addr, int addrlen, int fileFlags, boolean isSendmsg) {
        TcpSock tp = tcp(sock);
        Tracer tr = tr(sock);
        if (tr.on) tr.enter("inet_stream_connect", SockAddr.toString(addr, addrlen));
        // A sendmsg without an address (a write after a deferred connect) has none to check.
        if (addr != null || !isSendmsg) {
            if (addr == null || addrlen < 2) return tr.exit("inet_stream_connect", -Errno.EINVAL);
            if (SockAddr.family(addr, addrlen) == Net.AF_UNSPEC) {
                int r = TcpProt.disconnect(tp);
                sock.state = r != 0 ? Socket.SS_DISCONNECTING : Socket.SS_UNCONNECTED;
                return tr.exit("inet_stream_connect", r);
            }
        }
        boolean nonBlocking = (fileFlags & Fcntl.O_NONBLOCK) != 0;
        int err;
        switch (sock.state) {
            case Socket.SS_CONNECTED -> { return tr.exit("inet_stream_connect", -Errno.EISCONN); }
            case Socket.SS_CONNECTING -> err = tp.connectDeferred() ? (isSendmsg ? -Errno.EINPROGRESS : -Errno.EISCONN)
                    : -Errno.EALREADY;
            case Socket.SS_UNCONNECTED -> {
                if (tp.tcpState() != TcpState.CLOSE && tp.tcpState() != TcpState.TIME_WAIT)
                    return tr.exit("inet_stream_connect", -Errno.EISCONN);
                if (addr == null) return tr.exit("inet_stream_connect", -Errno.EINVAL);   // tcp_v4_connect's addr_len check
                long dst = destination(tp, addr, addrlen);
                if (dst < 0) return tr.exit("inet_stream_connect", (int) dst);
                int r = TcpProt.connect(tp, (int) dst, SockAddr.port(addr));
                if (r < 0) return tr.exit("inet_stream_connect", r);
                sock.state = Socket.SS_CONNECTING;
                if (tp.connectDeferred()) return tr.exit("inet_stream_connect", 0);   // Fast Open: the first write connects
                err = -Errno.EINPROGRESS;
            }
            default -> { return tr.exit("inet_stream_connect", -Errno.EINVAL); }
        }
        long deadline = nonBlocking ? 0 : tp.deadline(tp.sndTimeo);
        if (tp.tcpState().handshake()) {
            if (nonBlocking) return tr.exit("inet_stream_connect", err);
            int r = TcpProt.waitForConnect(tp, deadline);
            if (r == -Errno.EINTR) return tr.exit("inet_stream_connect", -Errno.EINTR);
            if (r == -Errno.EAGAIN) return tr.exit("inet_stream_connect", err);
        }
        if (tp.tcpState() == TcpState.CLOSE) {
            // sock_error: the connection was refused, timed out or reset.
            int e = tp.takeError();
            int ret = e != 0 ? -e : -Errno.ECONNABORTED;
            sock.state = Socket.SS_UNCONNECTED;
            TcpProt.disconnect(tp);
            tp.err = 0;
            return tr.exit("inet_stream_connect", ret);
        }
        sock.state = Socket.SS_CONNECTED;
        return tr.exit("inet_stream_connect", 0);
    }

    /** inet_accept. */
    @Override public int accept(Socket sock, Socket newSock, int fileFlags) {
        int r = TcpProt.accept(tcp(sock), newSock, (fileFlags & Fcntl.O_NONBLOCK) != 0);
        if (r == 0) {
            newSock.ops = this;
            ((TcpSock) newSock.sk).v6 = family == Net.AF_INET6;
        }
        return r;
    }

    /** inet_getname. */
    @Override public int getname(Socket sock, byte[] out, boolean peer) {
        return InetGetname.getname(tcp(sock), out, peer);
    }

    /** inet_getname with peer = 2: accept names even a child that is already closed (reset before accept). */
    @Override public int getnameForAccept(Socket sock, byte[] out) {
        return InetGetname.getname(tcp(sock), out, InetGetname.PEER_ACCEPT);
    }

    @Override public int poll(Socket sock) { return TcpProt.poll(tcp(sock)); }

    @Override public int ioctl(Socket sock, long cmd, int[] arg) { return TcpProt.ioctl(tcp(sock), cmd, arg); }

    /** inet_listen: stream sockets only, not connected; the backlog is already clamped to somaxconn. */
    @Override public int listen(Socket sock, int backlog) {
        TcpSock tp = tcp(sock);
        if (sock.state != Socket.SS_UNCONNECTED || sock.type != Net.SOCK_STREAM) return -Errno.EINVAL;
        TcpState s = tp.tcpState();
        if (s != TcpState.CLOSE && s != TcpState.LISTEN) return -Errno.EINVAL;
        int r = TcpProt.listen(tp, backlog);
        if (r == 0) tp.markPortHeld();
        return r;
    }

    /** inet_shutdown. */
    @Override public int shutdown(Socket sock, int how) {
        TcpSock tp = tcp(sock);
        how++;
        if ((how & ~Sock.SHUTDOWN_MASK) != 0 || how == 0) return -Errno.EINVAL;
        if (sock.state == Socket.SS_CONNECTING) {
            TcpState s = tp.tcpState();
            sock.state = s == TcpState.SYN_SENT || s == TcpState.SYN_RECV || s == TcpState.CLOSE
                    ? Socket.SS_DISCONNECTING : Socket.SS_CONNECTED;
        }
        int err = 0;
        switch (tp.tcpState()) {
            case CLOSE, TIME_WAIT -> {
                err = -Errno.ENOTCONN;
                tp.shutdown |= how;
            }
            case LISTEN -> {
                if ((how & Sock.RCV_SHUTDOWN) != 0) {
                    err = TcpProt.disconnect(tp);
                    tp.err = 0;
                    sock.state = err != 0 ? Socket.SS_DISCONNECTING : Socket.SS_UNCONNECTED;
                }
            }
            case SYN_SENT -> {
                err = TcpProt.disconnect(tp);
                sock.state = err != 0 ? Socket.SS_DISCONNECTING : Socket.SS_UNCONNECTED;
            }
            default -> {
                tp.shutdown |= how;
                if ((how & Sock.SEND_SHUTDOWN) != 0) TcpProt.shutdownSend(tp);
            }
        }
        tp.stateChange();
        return err;
    }

    /**
     * tcp_setsockopt: SOL_TCP here, everything else to the address family's handler (ip_setsockopt,
     * ipv6_setsockopt), which refuses a level it does not know with ENOPROTOOPT.
     */
    @Override public int setsockopt(Socket sock, int level, int optname, byte[] optval, int optlen) {
        if (level == In.IPPROTO_TCP) return TcpSockopt.set(tcp(sock), optname, optval, optlen);
        return InetSockopt.set(tcp(sock), level, optname, optval, optlen);
    }

    /** tcp_getsockopt: as set, but an unknown level is EOPNOTSUPP on the way out (ip_getsockopt). */
    @Override public int getsockopt(Socket sock, int level, int optname, byte[] optval, int[] optlen) {
        if (level == In.IPPROTO_TCP) return TcpSockopt.get(tcp(sock), optname, optval, optlen);
        return InetSockopt.get(tcp(sock), level, optname, optval, optlen);
    }

    @Override public int sendmsg(Socket sock, MsgHdr msg, int flags) {
        return TcpProt.sendmsg(tcp(sock), msg, flags, false);
    }

    @Override public int recvmsg(Socket sock, MsgHdr msg, int flags) {
        return TcpProt.recvmsg(tcp(sock), msg, flags, false);
    }

    @Override public int spliceRead(Socket sock, io.jnetstack.socket.SpliceSink sink, int len, boolean nonBlocking) {
        return TcpProt.spliceRead(tcp(sock), sink, len, nonBlocking);
    }

    /**
     * Installs TCP into a stack (after {@link Inet#install}): the protocol (IPPROTO_TCP with the Ip
     * module, {@link Tcp#install}) and the SOCK_STREAM entry of the AF_INET protocol switch.
     */
    public static Tcp install(Stack stack) {
        Tcp t = Tcp.install(stack);
        InetFamily.of(stack).register(new InetProtosw(Net.SOCK_STREAM, In.IPPROTO_TCP, TcpProt.INSTANCE, INSTANCE, false));
        InetFamily.of6(stack).register(new InetProtosw(Net.SOCK_STREAM, In.IPPROTO_TCP, TcpProt.INSTANCE, INSTANCE6, false));
        // IPPROTO_MPTCP (RFC 8684): the socket is created and reports protocol 262, but jnetstack
        // always takes the fallback path of RFC 8684 §3.7 — no MP_CAPABLE is sent, so every peer
        // sees, and every connection behaves as, plain TCP (what Linux does with a non-MPTCP peer).
        InetFamily.of(stack).register(new InetProtosw(Net.SOCK_STREAM, In.IPPROTO_MPTCP, TcpProt.INSTANCE, INSTANCE, false));
        InetFamily.of6(stack).register(new InetProtosw(Net.SOCK_STREAM, In.IPPROTO_MPTCP, TcpProt.INSTANCE, INSTANCE6, false));
        return t;
    }
}
