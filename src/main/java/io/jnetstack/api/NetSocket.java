package io.jnetstack.api;

import io.jnetstack.socket.SockOpts;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.TcpOpts;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A thin, blocking Java face over any {@link Syscalls} (jnetstack's or the host's): one descriptor,
 * methods named after the calls they make, each throwing {@link ErrnoException} with Linux's errno.
 *
 * <pre>
 * try (NetSocket srv = NetSocket.tcp(sys)) {
 *     srv.setOption(Option.SO_REUSEADDR, 1);
 *     srv.bind(new InetSocketAddress("127.0.0.1", 8080));
 *     srv.listen(128);
 *     try (NetSocket c = srv.accept()) { c.write("hello".getBytes()); }
 * }
 * </pre>
 */
public final class NetSocket implements Closeable {
    private final Syscalls sys;
    private final int fd;
    private final int family;
    private boolean closed;

    /** Common options: level, name. Values are ints (booleans as 0/1). */
    public enum Option {
        SO_REUSEADDR(Net.SOL_SOCKET, Net.SO_REUSEADDR), SO_REUSEPORT(Net.SOL_SOCKET, Net.SO_REUSEPORT),
        SO_KEEPALIVE(Net.SOL_SOCKET, Net.SO_KEEPALIVE), SO_SNDBUF(Net.SOL_SOCKET, Net.SO_SNDBUF),
        SO_RCVBUF(Net.SOL_SOCKET, Net.SO_RCVBUF), SO_BROADCAST(Net.SOL_SOCKET, Net.SO_BROADCAST),
        SO_ERROR(Net.SOL_SOCKET, Net.SO_ERROR), SO_TYPE(Net.SOL_SOCKET, Net.SO_TYPE),
        SO_RCVLOWAT(Net.SOL_SOCKET, Net.SO_RCVLOWAT), SO_PRIORITY(Net.SOL_SOCKET, Net.SO_PRIORITY),
        TCP_NODELAY(In.IPPROTO_TCP, TcpOpts.TCP_NODELAY), TCP_MAXSEG(In.IPPROTO_TCP, TcpOpts.TCP_MAXSEG),
        TCP_KEEPIDLE(In.IPPROTO_TCP, TcpOpts.TCP_KEEPIDLE), TCP_KEEPINTVL(In.IPPROTO_TCP, TcpOpts.TCP_KEEPINTVL),
        TCP_KEEPCNT(In.IPPROTO_TCP, TcpOpts.TCP_KEEPCNT), IP_TTL(In.IPPROTO_IP, In.IP_TTL), IP_TOS(In.IPPROTO_IP, In.IP_TOS);

        final int level, name;

        Option(int level, int name) { this.level = level; this.name = name; }
    }

    private NetSocket(Syscalls sys, int fd, int family) {
        this.sys = sys;
        this.fd = fd;
        this.family = family;
    }

    /** socket(domain, type, protocol). */
    public static NetSocket open(Syscalls sys, int domain, int type, int protocol) throws ErrnoException {
        return new NetSocket(sys, ErrnoException.check("socket", sys.socket(domain, type, protocol)), domain);
    }

    public static NetSocket tcp(Syscalls sys) throws ErrnoException { return open(sys, Net.AF_INET, Net.SOCK_STREAM, 0); }

    public static NetSocket udp(Syscalls sys) throws ErrnoException { return open(sys, Net.AF_INET, Net.SOCK_DGRAM, 0); }

    public static NetSocket unixStream(Syscalls sys) throws ErrnoException { return open(sys, Net.AF_UNIX, Net.SOCK_STREAM, 0); }

    /** Wraps a descriptor obtained otherwise (socketpair, accept on the raw interface). */
    public static NetSocket wrap(Syscalls sys, int fd, int family) { return new NetSocket(sys, fd, family); }

    /** socketpair(domain, type, 0): two connected sockets. */
    public static NetSocket[] pair(Syscalls sys, int domain, int type) throws ErrnoException {
        int[] sv = new int[2];
        ErrnoException.check("socketpair", sys.socketpair(domain, type, 0, sv));
        return new NetSocket[] {new NetSocket(sys, sv[0], domain), new NetSocket(sys, sv[1], domain)};
    }

    public int fd() { return fd; }

    public void bind(InetSocketAddress a) throws ErrnoException { bind(SockAddrs.of(a)); }

    public void bind(byte[] sockaddr) throws ErrnoException { ErrnoException.check("bind", sys.bind(fd, sockaddr, sockaddr.length)); }

    public void listen(int backlog) throws ErrnoException { ErrnoException.check("listen", sys.listen(fd, backlog)); }

    public NetSocket accept() throws ErrnoException {
        return new NetSocket(sys, ErrnoException.check("accept", sys.accept(fd, null, null)), family);
    }

    public void connect(InetSocketAddress a) throws ErrnoException { connect(SockAddrs.of(a)); }

    public void connect(byte[] sockaddr) throws ErrnoException {
        ErrnoException.check("connect", sys.connect(fd, sockaddr, sockaddr.length));
    }

    public InetSocketAddress localAddress() throws ErrnoException { return name(false); }

    public InetSocketAddress remoteAddress() throws ErrnoException { return name(true); }

    private InetSocketAddress name(boolean peer) throws ErrnoException {
        byte[] a = new byte[128];
        int[] len = {128};
        int r = peer ? sys.getpeername(fd, a, len) : sys.getsockname(fd, a, len);
        ErrnoException.check(peer ? "getpeername" : "getsockname", r);
        return SockAddrs.toInet(a, len[0]);
    }

    /** read(2) as recv(fd, buf, len, 0): the count, 0 at end of stream. */
    public int read(byte[] b, int off, int len) throws ErrnoException {
        if (off == 0) return ErrnoException.check("read", sys.recv(fd, b, len, 0));
        byte[] tmp = new byte[len];
        int n = ErrnoException.check("read", sys.recv(fd, tmp, len, 0));
        System.arraycopy(tmp, 0, b, off, n);
        return n;
    }

    public int read(byte[] b) throws ErrnoException { return read(b, 0, b.length); }

    /** Reads into the buffer's remaining space; -1 at end of stream (as channels do), else the count. */
    public int read(ByteBuffer dst) throws ErrnoException {
        byte[] tmp = new byte[dst.remaining()];
        int n = read(tmp, 0, tmp.length);
        if (n == 0 && tmp.length > 0) return -1;
        dst.put(tmp, 0, n);
        return n;
    }

    /** write(2) as send(fd, buf, len, MSG_NOSIGNAL): may write fewer bytes than asked. */
    public int write(byte[] b, int off, int len) throws ErrnoException {
        byte[] src = b;
        if (off != 0) src = java.util.Arrays.copyOfRange(b, off, off + len);
        return ErrnoException.check("write", sys.send(fd, src, len, Net.MSG_NOSIGNAL));
    }

    /** Writes all of {@code b}, looping over short writes. */
    public void write(byte[] b) throws ErrnoException {
        int done = 0;
        while (done < b.length) done += write(b, done, b.length - done);
    }

    public int write(ByteBuffer src) throws ErrnoException {
        byte[] tmp = new byte[src.remaining()];
        src.duplicate().get(tmp);
        int n = write(tmp, 0, tmp.length);
        src.position(src.position() + n);
        return n;
    }

    public void shutdownOutput() throws ErrnoException { ErrnoException.check("shutdown", sys.shutdown(fd, Net.SHUT_WR)); }

    public void shutdownInput() throws ErrnoException { ErrnoException.check("shutdown", sys.shutdown(fd, Net.SHUT_RD)); }

    public void setOption(Option o, int value) throws ErrnoException {
        ErrnoException.check("setsockopt", sys.setsockopt(fd, o.level, o.name, SockOpts.intOpt(value), 4));
    }

    public int getOption(Option o) throws ErrnoException {
        byte[] v = new byte[4];
        int[] len = {4};
        ErrnoException.check("getsockopt", sys.getsockopt(fd, o.level, o.name, v, len));
        return SockOpts.intAt(v, 0);
    }

    public void setNonBlocking(boolean on) throws ErrnoException {
        ErrnoException.check("ioctl", sys.ioctl(fd, io.jnetstack.uapi.Fcntl.FIONBIO, new int[] {on ? 1 : 0}));
    }

    /** close(2); a second close is a no-op here (not EBADF), as Closeable asks. */
    @Override
    public void close() throws ErrnoException {
        if (closed) return;
        closed = true;
        ErrnoException.check("close", sys.close(fd));
    }

    @Override public String toString() { return "NetSocket[fd " + fd + "]"; }
}
