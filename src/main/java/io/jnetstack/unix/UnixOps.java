package io.jnetstack.unix;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.ProtoOps;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Tracer;
import io.jnetstack.syscall.Cmsg;
import io.jnetstack.syscall.File;
import io.jnetstack.syscall.Iov;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.Scheduler;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;

/**
 * unix_stream_ops, unix_dgram_ops and unix_seqpacket_ops: one instance per type, sharing the
 * functions Linux shares between them (seqpacket connects like a stream and sends and receives
 * like a datagram socket).
 *
 * <p>Errors and their order are Linux 6.x's, measured on the host (see the tests): e.g. a stream
 * read after the peer closed with unread data gives ECONNRESET once, then EOF; a datagram send to
 * a closed peer gives ECONNREFUSED and disconnects; listen on a datagram socket is EOPNOTSUPP;
 * connecting to a full backlog without blocking is EAGAIN.
 */
final class UnixOps implements ProtoOps {
    /** SCM_MAX_FD: files in one SCM_RIGHTS message. */
    static final int SCM_MAX_FD = 253;
    static final int SUN_PATH_OFF = 2, SOCKADDR_UN_LEN = 110;

    private final Unix unix;
    private final int type;

    UnixOps(Unix unix, int type) {
        this.unix = unix;
        this.type = type;
    }

    @Override public int family() { return Net.AF_UNIX; }

    private static UnixSock u(Socket s) { return (UnixSock) s.sk; }

    private Tracer tr() { return unix.stack.trace(); }

    private static int currentPid() {
        Task t = Task.current();
        return t == null ? 0 : t.pid;
    }

    private static Credentials currentCred(Socket s) {
        Task t = Task.current();
        return t != null ? t.cred : s.cred;
    }

    /** init_peercred: the calling process becomes the peer credentials others will see. */
    private static void initPeercred(UnixSock sk, Socket s) {
        Credentials c = currentCred(s);
        sk.peerPid = currentPid();
        sk.peerUid = c.uid();
        sk.peerGid = c.gid();
    }

    private static void copyPeercred(UnixSock to, UnixSock from) {
        to.peerPid = from.peerPid;
        to.peerUid = from.peerUid;
        to.peerGid = from.peerGid;
    }

    // ---------------------------------------------------------------- names

    /** unix_validate_addr. */
    static int validateAddr(byte[] a, int len) {
        if (len <= SUN_PATH_OFF || len > SOCKADDR_UN_LEN) return -Errno.EINVAL;
        if (SockAddr.family(a, len) != Net.AF_UNIX) return -Errno.EINVAL;
        return 0;
    }

    private static boolean isAbstract(byte[] a) { return a[SUN_PATH_OFF] == 0; }

    private static String abstractKey(int type, byte[] a, int len) {
        return type + ":" + new String(a, SUN_PATH_OFF, len - SUN_PATH_OFF, StandardCharsets.ISO_8859_1);
    }

    /** unix_mkname_bsd: the path up to its first NUL. */
    private static String pathOf(byte[] a, int len) {
        int end = SUN_PATH_OFF;
        while (end < len && a[end] != 0) end++;
        return new String(a, SUN_PATH_OFF, end - SUN_PATH_OFF, StandardCharsets.UTF_8);
    }

    /**
     * unix_find_other: abstract names by (type, name), ECONNREFUSED when absent; paths by name,
     * ENOENT when absent, ECONNREFUSED when nobody is bound there any more, EPROTOTYPE when the
     * socket there is of another type. Result in {@code out[0]}.
     */
    private int findOther(byte[] a, int len, int wantType, UnixSock[] out) {
        if (isAbstract(a)) {
            UnixSock o = unix.abstractNames.get(abstractKey(wantType, a, len));
            if (o == null) return -Errno.ECONNREFUSED;
            out[0] = o;
            return 0;
        }
        String path = pathOf(a, len);
        UnixSock[] node = unix.paths.get(path);
        if (node == null) return -Errno.ENOENT;
        UnixSock o = node[0];
        if (o == null || o.dead) return -Errno.ECONNREFUSED;
        if (o.type != wantType) return -Errno.EPROTOTYPE;
        out[0] = o;
        return 0;
    }

    /** unix_autobind: a free abstract name of five hex digits, "\0XXXXX". */
    private int autobind(UnixSock sk) {
        if (sk.addr != null) return 0;
        int order = unix.stack.random().nextInt(0x100000);
        for (int tries = 0; tries <= 0xFFFFF; tries++) {
            order = (order + 1) & 0xFFFFF;
            byte[] a = new byte[8];
            SockAddr.putFamily(a, Net.AF_UNIX);
            byte[] hex = String.format("%05x", order).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(hex, 0, a, 3, 5);
            String key = abstractKey(sk.type, a, 8);
            if (unix.abstractNames.containsKey(key)) continue;
            unix.abstractNames.put(key, sk);
            sk.addr = a;
            sk.boundKey = key;
            if (tr().on) tr().note("unix_autobind: @" + String.format("%05x", order));
            return 0;
        }
        return -Errno.ENOSPC;
    }

    /** unix_bind: autobind for a bare sa_family, else a path node or an abstract name. */
    @Override
    public int bind(Socket s, byte[] a, int len) {
        UnixSock sk = u(s);
        Tracer tr = tr();
        if (tr.on) tr.enter("unix_bind", SockAddr.toString(a, len));
        if (len == SUN_PATH_OFF && SockAddr.family(a, len) == Net.AF_UNIX) return tr.exit("unix_bind", autobind(sk));
        int err = validateAddr(a, len);
        if (err < 0) return tr.exit("unix_bind", err);
        if (isAbstract(a)) {
            if (sk.addr != null) return tr.exit("unix_bind", -Errno.EINVAL);
            String key = abstractKey(sk.type, a, len);
            if (unix.abstractNames.containsKey(key)) return tr.exit("unix_bind", -Errno.EADDRINUSE);
            unix.abstractNames.put(key, sk);
            sk.addr = Arrays.copyOf(a, len);
            sk.boundKey = key;
            return tr.exit("unix_bind", 0);
        }
        // unix_bind_bsd: the node is made first (EADDRINUSE), then a second bind is refused (EINVAL).
        String path = pathOf(a, len);
        if (!unix.parentExists(path)) return tr.exit("unix_bind", -Errno.ENOENT);
        if (unix.paths.containsKey(path)) return tr.exit("unix_bind", -Errno.EADDRINUSE);
        if (sk.addr != null) return tr.exit("unix_bind", -Errno.EINVAL);
        unix.paths.put(path, new UnixSock[] {sk});
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] stored = new byte[SUN_PATH_OFF + p.length + 1];
        SockAddr.putFamily(stored, Net.AF_UNIX);
        System.arraycopy(p, 0, stored, SUN_PATH_OFF, p.length);
        sk.addr = stored;
        sk.boundKey = "/" + path;
        return tr.exit("unix_bind", 0);
    }

    /** unix_getname: the socket's (or the peer's) address; unbound is just sa_family (length 2). */
    @Override
    public int getname(Socket s, byte[] out, boolean peer) {
        UnixSock sk = u(s);
        if (peer) {
            sk = sk.peer;
            if (sk == null) return -Errno.ENOTCONN;
        }
        return putAddr(sk, out);
    }

    private static int putAddr(UnixSock sk, byte[] out) {
        if (sk == null || sk.addr == null) {
            SockAddr.putFamily(out, Net.AF_UNIX);
            out[SUN_PATH_OFF] = 0;
            return SUN_PATH_OFF;
        }
        System.arraycopy(sk.addr, 0, out, 0, sk.addr.length);
        return sk.addr.length;
    }

    // ---------------------------------------------------------------- connection set-up

    @Override
    public int listen(Socket s, int backlog) {
        UnixSock sk = u(s);
        if (type != Net.SOCK_STREAM && type != Net.SOCK_SEQPACKET) return -Errno.EOPNOTSUPP;
        if (sk.addr == null) return -Errno.EINVAL; // no listens on an unbound socket
        if (sk.state != UnixSock.TCP_CLOSE && sk.state != UnixSock.TCP_LISTEN) return -Errno.EINVAL;
        if (backlog > sk.maxAckBacklog) sk.peerWait.wakeUp(0);
        sk.maxAckBacklog = backlog;
        sk.state = UnixSock.TCP_LISTEN;
        initPeercred(sk, s);
        if (tr().on) tr().note("unix_listen: backlog " + backlog);
        return 0;
    }

    @Override
    public int connect(Socket s, byte[] a, int len, int fileFlags) {
        return type == Net.SOCK_DGRAM ? dgramConnect(s, a, len) : streamConnect(s, a, len, fileFlags);
    }

    /**
     * unix_stream_connect: find a listener of our type, wait (or EAGAIN) while its backlog is full,
     * then queue an embryonic server socket for accept() and become ESTABLISHED at once.
     */
    private int streamConnect(Socket s, byte[] a, int len, int fileFlags) {
        UnixSock sk = u(s);
        Tracer tr = tr();
        if (tr.on) tr.enter("unix_stream_connect", SockAddr.toString(a, len));
        int err = validateAddr(a, len);
        if (err < 0) return tr.exit("unix_stream_connect", err);
        if (sk.passCred && sk.addr == null && (err = autobind(sk)) < 0) return tr.exit("unix_stream_connect", err);
        boolean nonblock = (fileFlags & Fcntl.O_NONBLOCK) != 0;
        long deadline = nonblock ? 0 : sk.deadline(sk.sndTimeo);
        UnixSock[] found = new UnixSock[1];
        UnixSock other;
        for (;;) {
            err = findOther(a, len, sk.type, found);
            if (err < 0) return tr.exit("unix_stream_connect", err);
            other = found[0];
            if (other.state != UnixSock.TCP_LISTEN || (other.shutdown & Sock.RCV_SHUTDOWN) != 0)
                return tr.exit("unix_stream_connect", -Errno.ECONNREFUSED);
            if (!other.recvqFull()) break;
            if (tr.on) tr.note("listener backlog full (" + other.queue.size() + " > " + other.maxAckBacklog + ")");
            if (nonblock || deadline <= unix.stack.now()) return tr.exit("unix_stream_connect", -Errno.EAGAIN);
            int r = unix.stack.scheduler().await(other.peerWait, deadline);
            if (r == Scheduler.INTERRUPTED) return tr.exit("unix_stream_connect", -Errno.EINTR);
        }
        if (sk.state == UnixSock.TCP_ESTABLISHED) return tr.exit("unix_stream_connect", -Errno.EISCONN);
        if (sk.state != UnixSock.TCP_CLOSE) return tr.exit("unix_stream_connect", -Errno.EINVAL);

        UnixSock newsk = new UnixSock(unix.stack, sk.type);
        newsk.uid = other.uid;
        newsk.state = UnixSock.TCP_ESTABLISHED;
        newsk.peer = sk;
        newsk.addr = other.addr;
        newsk.passCred = other.passCred;
        initPeercred(newsk, s);
        copyPeercred(sk, other);
        sk.peer = newsk;
        sk.state = UnixSock.TCP_ESTABLISHED;
        s.state = Socket.SS_CONNECTED;

        UnixSkb skb = new UnixSkb();
        skb.embryo = newsk;
        skb.owner = sk;
        other.queue.add(skb);
        other.dataReady();
        if (tr.on) tr.note("queued to listener " + SockAddr.toString(other.addr, other.addr.length) + ", " + other.queue.size() + " pending");
        return tr.exit("unix_stream_connect", 0);
    }

    /**
     * unix_dgram_connect: AF_UNSPEC disconnects; otherwise the target must exist and accept us
     * (EPERM if it is connected elsewhere). Reconnecting drops what the old peer had queued to us.
     */
    private int dgramConnect(Socket s, byte[] a, int len) {
        UnixSock sk = u(s);
        if (len < SUN_PATH_OFF) return -Errno.EINVAL;
        UnixSock other = null;
        if (SockAddr.family(a, len) != Net.AF_UNSPEC) {
            int err = validateAddr(a, len);
            if (err < 0) return err;
            if (sk.passCred && sk.addr == null && (err = autobind(sk)) < 0) return err;
            UnixSock[] found = new UnixSock[1];
            err = findOther(a, len, sk.type, found);
            if (err < 0) return err;
            other = found[0];
            if (!maySend(sk, other)) return -Errno.EPERM;
        }
        UnixSock old = sk.peer;
        sk.peer = other;
        if (other == null) {
            sk.state = UnixSock.TCP_CLOSE;
            s.state = Socket.SS_UNCONNECTED;
        } else {
            sk.state = UnixSock.TCP_ESTABLISHED;
            other.state = UnixSock.TCP_ESTABLISHED;
            s.state = Socket.SS_CONNECTED;
        }
        if (old != null && old != other) dgramDisconnected(sk, old);
        return 0;
    }

    /** unix_may_send: the receiver is unconnected or connected to us. */
    private static boolean maySend(UnixSock sk, UnixSock other) { return other.peer == null || other.peer == sk; }

    /**
     * unix_dgram_disconnected: one link of a bidirectional datagram pair went away; what we had
     * queued is lost, and a live old peer still connected to us learns ECONNRESET.
     */
    private void dgramDisconnected(UnixSock sk, UnixSock other) {
        if (sk.queue.isEmpty()) return;
        purge(sk, false);
        sk.peerWait.wakeUp(0);
        if (!other.dead && other.peer == sk) {
            other.err = Errno.ECONNRESET;
            other.errorReport();
        }
    }

    /** unix_socketpair: two sockets connected to each other, both seeing the caller as peer. */
    @Override
    public int socketpair(Socket a, Socket b) {
        UnixSock ska = u(a), skb = u(b);
        ska.peer = skb;
        skb.peer = ska;
        initPeercred(ska, a);
        initPeercred(skb, b);
        ska.state = skb.state = UnixSock.TCP_ESTABLISHED;
        a.state = b.state = Socket.SS_CONNECTED;
        return 0;
    }

    /** unix_accept: takes the oldest pending connection (blocking unless O_NONBLOCK, SO_RCVTIMEO bounded). */
    @Override
    public int accept(Socket s, Socket ns, int fileFlags) {
        UnixSock sk = u(s);
        if (type != Net.SOCK_STREAM && type != Net.SOCK_SEQPACKET) return -Errno.EOPNOTSUPP;
        if (sk.state != UnixSock.TCP_LISTEN) return -Errno.EINVAL;
        boolean nonblock = (fileFlags & Fcntl.O_NONBLOCK) != 0;
        long deadline = nonblock ? 0 : sk.deadline(sk.rcvTimeo);
        UnixSkb skb;
        for (;;) {
            int e = sk.takeError();
            if (e != 0) return -e;
            skb = sk.queue.poll();
            if (skb != null) break;
            if ((sk.shutdown & Sock.RCV_SHUTDOWN) != 0) return -Errno.EINVAL;
            if (nonblock || deadline <= unix.stack.now()) return -Errno.EAGAIN;
            int r = sk.sleep(deadline);
            if (r == -Errno.EINTR) return r;
        }
        sk.peerWait.wakeUp(0);
        UnixSock newsk = skb.embryo;
        ns.graft(newsk);
        ns.state = Socket.SS_CONNECTED;
        if (tr().on) tr().note("unix_accept: " + sk.queue.size() + " still pending");
        return 0;
    }

    // ---------------------------------------------------------------- release, shutdown

    @Override
    public int release(Socket s) {
        UnixSock sk = u(s);
        if (sk == null) return 0;
        releaseSock(sk, false);
        s.sk = null;
        return 0;
    }

    /**
     * unix_release_sock: unhash the name (a path node stays), tell a connected peer (SHUTDOWN_MASK,
     * and ECONNRESET if we leave unread data or were never accepted), flush our queue — releasing
     * the embryos of a listener, whose connectors then see ECONNRESET.
     */
    private void releaseSock(UnixSock sk, boolean embryo) {
        int state = sk.state;
        sk.state = UnixSock.TCP_CLOSE;
        sk.shutdown = Sock.SHUTDOWN_MASK;
        sk.dead = true;
        sk.socket = null;
        sk.unhookPeerWake();
        if (sk.boundKey != null) {
            if (sk.boundKey.startsWith("/")) {
                UnixSock[] node = unix.paths.get(sk.boundKey.substring(1));
                if (node != null && node[0] == sk) node[0] = null;
            } else if (unix.abstractNames.get(sk.boundKey) == sk) {
                unix.abstractNames.remove(sk.boundKey);
            }
            sk.boundKey = null;
        }
        UnixSock pair = sk.peer;
        sk.peer = null;
        if (pair != null && (sk.type == Net.SOCK_STREAM || sk.type == Net.SOCK_SEQPACKET)) {
            pair.shutdown = Sock.SHUTDOWN_MASK;
            if (!sk.queue.isEmpty() || embryo) pair.err = Errno.ECONNRESET;
            pair.stateChange();
        }
        purge(sk, state == UnixSock.TCP_LISTEN);
        sk.peerWait.wakeUp(0);
        sk.stateChange();
    }

    /** Frees every queued message: senders are uncharged, files in flight dropped, embryos released. */
    private void purge(UnixSock sk, boolean listener) {
        UnixSkb skb;
        while ((skb = sk.queue.poll()) != null) {
            if (listener && skb.embryo != null) releaseSock(skb.embryo, true);
            free(skb);
        }
    }

    /** kfree_skb / consume_skb: the sender's wmem shrinks (and may wake it), passed files are dropped. */
    private static void free(UnixSkb skb) {
        if (skb.fp != null) {
            for (File f : skb.fp) if (f != null) f.drop();
            skb.fp = null;
        }
        if (skb.owner != null && skb.truesize > 0) skb.owner.uncharge(skb.truesize);
        skb.owner = null;
    }

    /** unix_shutdown: stream and seqpacket peers see the mirror image (our SHUT_WR is their EOF). */
    @Override
    public int shutdown(Socket s, int how) {
        if (how < Net.SHUT_RD || how > Net.SHUT_RDWR) return -Errno.EINVAL;
        UnixSock sk = u(s);
        int mode = how + 1;
        sk.shutdown |= mode;
        UnixSock other = sk.peer;
        sk.stateChange();
        if (other != null && (sk.type == Net.SOCK_STREAM || sk.type == Net.SOCK_SEQPACKET)) {
            int peerMode = 0;
            if ((mode & Sock.RCV_SHUTDOWN) != 0) peerMode |= Sock.SEND_SHUTDOWN;
            if ((mode & Sock.SEND_SHUTDOWN) != 0) peerMode |= Sock.RCV_SHUTDOWN;
            other.shutdown |= peerMode;
            other.stateChange();
        }
        return 0;
    }

    // ---------------------------------------------------------------- poll, ioctl, options

    @Override
    public int poll(Socket s) {
        UnixSock sk = u(s);
        return sk.type == Net.SOCK_STREAM ? streamPoll(sk) : dgramPoll(sk);
    }

    /** unix_poll. */
    private static int streamPoll(UnixSock sk) {
        int mask = 0;
        if (sk.err != 0) mask |= Poll.POLLERR;
        if (sk.shutdown == Sock.SHUTDOWN_MASK) mask |= Poll.POLLHUP;
        if ((sk.shutdown & Sock.RCV_SHUTDOWN) != 0) mask |= Poll.POLLRDHUP | Poll.POLLIN | Poll.POLLRDNORM;
        if (!sk.queue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        if (sk.state == UnixSock.TCP_CLOSE) mask |= Poll.POLLHUP;
        if (sk.writable()) mask |= Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
        return mask;
    }

    /** unix_dgram_poll: writable also needs room in an unconnected-back peer's queue. */
    private static int dgramPoll(UnixSock sk) {
        int mask = 0;
        if (sk.err != 0) mask |= Poll.POLLERR;
        if ((sk.shutdown & Sock.RCV_SHUTDOWN) != 0) mask |= Poll.POLLRDHUP | Poll.POLLIN | Poll.POLLRDNORM;
        if (sk.shutdown == Sock.SHUTDOWN_MASK) mask |= Poll.POLLHUP;
        if (!sk.queue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        if (sk.type == Net.SOCK_SEQPACKET && sk.state == UnixSock.TCP_CLOSE) mask |= Poll.POLLHUP;
        boolean writable = sk.writable();
        if (writable) {
            UnixSock other = sk.peer;
            if (other != null && other.peer != sk && other.recvqFull()) {
                sk.hookPeerWake(other);
                writable = false;
            }
        }
        if (writable) mask |= Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
        return mask;
    }

    /** unix_ioctl: SIOCOUTQ (bytes charged to us), SIOCINQ (unread bytes; a datagram: the next one). */
    @Override
    public int ioctl(Socket s, long cmd, int[] arg) {
        UnixSock sk = u(s);
        int v;
        if (cmd == Fcntl.SIOCOUTQ) {
            v = sk.wmemAlloc;
        } else if (cmd == Fcntl.SIOCINQ) {
            if (sk.state == UnixSock.TCP_LISTEN) return -Errno.EINVAL;
            v = inqLen(sk);
        } else if (cmd == Fcntl.SIOCATMARK) {
            v = 0; // no out-of-band byte is ever pending (MSG_OOB is not implemented)
        } else {
            return -Errno.ENOIOCTLCMD;
        }
        if (arg == null || arg.length < 1) return -Errno.EFAULT;
        arg[0] = v;
        return 0;
    }

    private static int inqLen(UnixSock sk) {
        if (sk.type == Net.SOCK_DGRAM) {
            UnixSkb skb = sk.queue.peek();
            return skb == null ? 0 : skb.len;
        }
        long n = 0;
        for (UnixSkb skb : sk.queue) n += skb.remaining();
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** AF_UNIX has no options outside SOL_SOCKET: its proto_ops have no setsockopt (EOPNOTSUPP). */
    @Override
    public int setsockopt(Socket s, int level, int optname, byte[] optval, int optlen) { return -Errno.EOPNOTSUPP; }

    @Override
    public int getsockopt(Socket s, int level, int optname, byte[] optval, int[] optlen) { return -Errno.EOPNOTSUPP; }

    // ---------------------------------------------------------------- SCM (ancillary data)

    /** What __scm_send collected: files to pass and the credentials to stamp. */
    private static final class Scm {
        File[] fp;
        int nfp;
        int pid, uid, gid;
    }

    /**
     * __scm_send: walks the control messages (EINVAL for a malformed one or an unknown SOL_SOCKET
     * type), takes a reference on each SCM_RIGHTS file (EBADF for a closed descriptor, EINVAL past
     * SCM_MAX_FD) and checks SCM_CREDENTIALS against the caller (EPERM).
     */
    private static int scmSend(Socket s, MsgHdr m, Scm scm) {
        Task t = Task.current();
        Credentials c = currentCred(s);
        scm.pid = t == null ? 0 : t.pid;
        scm.uid = c.uid();
        scm.gid = c.gid();
        for (int at = Cmsg.first(m); at >= 0; at = Cmsg.next(m, at)) {
            if (!Cmsg.ok(m, at)) return scmFail(scm, -Errno.EINVAL);
            if (Cmsg.level(m, at) != Net.SOL_SOCKET) continue;
            int dlen = (int) Cmsg.cmsgLen(m, at) - Cmsg.HDR_LEN;
            switch (Cmsg.type(m, at)) {
                case Net.SCM_RIGHTS -> {
                    int num = dlen / 4;
                    if (num <= 0) continue;
                    if (scm.nfp + num > SCM_MAX_FD) return scmFail(scm, -Errno.EINVAL);
                    if (scm.fp == null) scm.fp = new File[SCM_MAX_FD];
                    for (int i = 0; i < num; i++) {
                        int fd = Cmsg.intAt(m.control, at + Cmsg.HDR_LEN + 4 * i);
                        File f = t == null ? null : t.files.get(fd);
                        if (f == null) return scmFail(scm, -Errno.EBADF);
                        f.hold();
                        scm.fp[scm.nfp++] = f;
                    }
                }
                case Net.SCM_CREDENTIALS -> {
                    if (dlen != 12) return scmFail(scm, -Errno.EINVAL);
                    int pid = Cmsg.intAt(m.control, at + 16), uid = Cmsg.intAt(m.control, at + 20), gid = Cmsg.intAt(m.control, at + 24);
                    boolean admin = c.uid() == 0 && c.netAdmin(); // CAP_SYS_ADMIN, as in SocketCalls
                    if ((pid != scm.pid && !admin) || (uid != c.uid() && !admin) || (gid != c.gid() && !admin))
                        return scmFail(scm, -Errno.EPERM);
                    scm.pid = pid;
                    scm.uid = uid;
                    scm.gid = gid;
                }
                default -> { return scmFail(scm, -Errno.EINVAL); }
            }
        }
        return 0;
    }

    private static int scmFail(Scm scm, int err) {
        for (int i = 0; i < scm.nfp; i++) scm.fp[i].drop();
        scm.nfp = 0;
        return err;
    }

    /** unix_scm_to_skb: the files and credentials travel with the (first) message. */
    private static void scmToSkb(Scm scm, UnixSkb skb) {
        skb.pid = scm.pid;
        skb.uid = scm.uid;
        skb.gid = scm.gid;
        if (scm.nfp > 0) {
            skb.fp = Arrays.copyOf(scm.fp, scm.nfp);
            scm.nfp = 0;
        }
    }

    /**
     * scm_recv: SCM_CREDENTIALS when SO_PASSCRED is on, then the files: as many as fit in the room
     * left are installed (O_CLOEXEC with MSG_CMSG_CLOEXEC); the rest are dropped and MSG_CTRUNC set.
     * With MSG_PEEK the files are duplicated rather than taken.
     */
    private static void scmRecv(UnixSock sk, UnixSkb skb, MsgHdr m, int flags) {
        boolean peek = (flags & Net.MSG_PEEK) != 0;
        File[] files = skb.fp;
        if (!peek) skb.fp = null;
        scmRecv(sk, skb.pid, skb.uid, skb.gid, files, peek, m, flags);
    }

    private static void scmRecv(UnixSock sk, int pid, int uid, int gid, File[] files, boolean peek, MsgHdr m, int flags) {
        if (sk.passCred) {
            byte[] cred = new byte[12];
            Cmsg.intAt(cred, 0, pid);
            Cmsg.intAt(cred, 4, uid);
            Cmsg.intAt(cred, 8, gid);
            Cmsg.put(m, Net.SOL_SOCKET, Net.SCM_CREDENTIALS, cred, 0, 12);
        }
        if (files == null) return;
        int room = m.control == null ? 0 : m.control.length - m.controllen;
        int fdmax = room > Cmsg.HDR_LEN ? (room - Cmsg.HDR_LEN) / 4 : 0;
        Task t = Task.current();
        boolean cloexec = (flags & Net.MSG_CMSG_CLOEXEC) != 0;
        int[] fds = new int[files.length];
        int i = 0;
        for (; i < files.length && i < fdmax && t != null; i++) {
            if (peek) files[i].hold();
            int fd = t.files.install(files[i], cloexec);
            if (fd < 0) {
                if (peek) files[i].drop();
                break;
            }
            fds[i] = fd;
        }
        if (i > 0) {
            byte[] data = new byte[i * 4];
            for (int k = 0; k < i; k++) Cmsg.intAt(data, 4 * k, fds[k]);
            Cmsg.put(m, Net.SOL_SOCKET, Net.SCM_RIGHTS, data, 0, data.length);
        }
        if (i < files.length) m.flags |= Net.MSG_CTRUNC;
        if (!peek) for (int k = i; k < files.length; k++) files[k].drop();
    }

    // ---------------------------------------------------------------- send

    @Override
    public int sendmsg(Socket s, MsgHdr m, int flags) {
        UnixSock sk = u(s);
        if (type == Net.SOCK_STREAM) return streamSendmsg(s, sk, m, flags);
        if (type == Net.SOCK_SEQPACKET) {
            // unix_seqpacket_sendmsg: a pending error, then the connection; any address is ignored.
            int e = sk.takeError();
            if (e != 0) return -e;
            if (sk.state != UnixSock.TCP_ESTABLISHED) return -Errno.ENOTCONN;
            m.namelen = 0;
            m.name = null;
        }
        return dgramSendmsg(s, sk, m, flags);
    }

    /**
     * sock_alloc_send_pskb's wait: a pending error first, then EPIPE after SHUT_WR, then room in
     * the send buffer (EAGAIN when there is none and we may not wait). 0 when the caller may
     * allocate.
     */
    private int waitForWmem(UnixSock sk, long deadline, boolean nonblock) {
        for (;;) {
            int e = sk.takeError();
            if (e != 0) return -e;
            if ((sk.shutdown & Sock.SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
            if (sk.wmemAlloc < sk.sndBuf) return 0;
            if (nonblock || deadline <= unix.stack.now()) return -Errno.EAGAIN;
            int r = sk.sleep(deadline);
            if (r == -Errno.EINTR) return r;
        }
    }

    /**
     * unix_stream_sendmsg: the data is cut into skbs of at most min(sndbuf/2 - 64, 36544) bytes
     * (a 3776-byte head plus 32 KiB of pages), each charged its truesize; a full send buffer ends
     * the call with what was sent, or EAGAIN if nothing was.
     */
    private int streamSendmsg(Socket s, UnixSock sk, MsgHdr m, int flags) {
        Scm scm = new Scm();
        int err = scmSend(s, m, scm);
        if (err < 0) return err;
        try {
            if ((flags & Net.MSG_OOB) != 0) return -Errno.EOPNOTSUPP; // MSG_OOB (CONFIG_AF_UNIX_OOB) not implemented
            if (m.namelen != 0) return sk.state == UnixSock.TCP_ESTABLISHED ? -Errno.EISCONN : -Errno.EOPNOTSUPP;
            UnixSock other = sk.peer;
            if (other == null) return -Errno.ENOTCONN;
            if ((sk.shutdown & Sock.SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
            long total = Iov.total(m);
            boolean nonblock = (flags & Net.MSG_DONTWAIT) != 0;
            long deadline = nonblock ? 0 : sk.deadline(sk.sndTimeo);
            long sent = 0;
            while (sent < total) {
                int size = (int) Math.min(total - sent, Integer.MAX_VALUE);
                size = Math.min(size, (sk.sndBuf >> 1) - 64);
                size = Math.min(size, UnixSkb.SKB_MAX_HEAD + UnixSkb.FRAGS_SZ);
                int dataLen = Math.max(0, size - UnixSkb.SKB_MAX_HEAD);
                dataLen = Math.min(size, UnixSkb.pageAlign(dataLen));
                err = waitForWmem(sk, deadline, nonblock);
                if (err < 0) break;
                UnixSkb skb = new UnixSkb();
                skb.data = new byte[size];
                skb.len = size;
                int c = Iov.copyFrom(m, sent, skb.data, 0, size);
                if (c < 0) { err = c; break; }
                if (other.dead || (other.shutdown & Sock.RCV_SHUTDOWN) != 0) { err = -Errno.EPIPE; break; }
                scmToSkb(scm, skb);
                skb.truesize = UnixSkb.truesize(size - dataLen, dataLen);
                skb.owner = sk;
                sk.wmemAlloc += skb.truesize;
                other.queue.add(skb);
                other.dataReady();
                sent += size;
            }
            if (sent > 0) return (int) sent;
            return err;
        } finally {
            scmFail(scm, 0); // files not attached to a message go back
        }
    }

    /**
     * unix_dgram_sendmsg: the address's form (EINVAL), the size (EMSGSIZE above sndbuf - 32), room
     * in the send buffer (a pending error, EPIPE after SHUT_WR, EAGAIN), and only then the
     * receiver (measured order: an unconnected oversized send is EMSGSIZE, not ENOTCONN): found by name or the connected peer, which must accept us (EPERM), be alive
     * (ECONNREFUSED, and we are disconnected), not shut for reading (EPIPE), and — unless it is
     * connected back to us — have room in its queue (net.unix.max_dgram_qlen; wait or EAGAIN).
     */
    private int dgramSendmsg(Socket s, UnixSock sk, MsgHdr m, int flags) {
        Scm scm = new Scm();
        if ((flags & Net.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        int err = scmSend(s, m, scm);
        if (err < 0) return err;
        try {
            UnixSock other = null;
            byte[] name = null;
            int namelen = 0;
            if (m.namelen != 0) {
                err = validateAddr(m.name, m.namelen);
                if (err < 0) return err;
                name = m.name;
                namelen = m.namelen;
            }
            if (sk.passCred && sk.addr == null && (err = autobind(sk)) < 0) return err;
            long total = Iov.total(m);
            if (total > sk.sndBuf - 32) return -Errno.EMSGSIZE;
            int len = (int) total;
            int dataLen = 0;
            if (len > UnixSkb.SKB_MAX_ALLOC) {
                dataLen = Math.min(len - UnixSkb.SKB_MAX_ALLOC, UnixSkb.MAX_FRAG_BYTES);
                dataLen = UnixSkb.pageAlign(dataLen);
            }
            boolean nonblock = (flags & Net.MSG_DONTWAIT) != 0;
            long deadline = nonblock ? 0 : sk.deadline(sk.sndTimeo);
            err = waitForWmem(sk, deadline, nonblock);
            if (err < 0) return err;
            UnixSkb skb = new UnixSkb();
            skb.data = new byte[len];
            skb.len = len;
            int c = Iov.copyFrom(m, 0, skb.data, 0, len);
            if (c < 0) return c;
            if (name == null) {
                other = sk.peer;
                if (other == null) return -Errno.ENOTCONN;
            }
            for (;;) {
                if (other == null) {
                    if (name == null) return -Errno.ECONNRESET;
                    UnixSock[] found = new UnixSock[1];
                    err = findOther(name, namelen, sk.type, found);
                    if (err < 0) return err;
                    other = found[0];
                }
                if (!maySend(sk, other)) return -Errno.EPERM;
                if (other.dead) {
                    if (sk.peer == other) {
                        sk.peer = null;
                        sk.state = UnixSock.TCP_CLOSE;
                        if (s.state == Socket.SS_CONNECTED) s.state = Socket.SS_UNCONNECTED;
                        dgramDisconnected(sk, other);
                        return -Errno.ECONNREFUSED;
                    }
                    other = null;
                    continue;
                }
                if ((other.shutdown & Sock.RCV_SHUTDOWN) != 0) return -Errno.EPIPE;
                if (other != sk && other.peer != sk && other.recvqFull()) {
                    if (nonblock || deadline <= unix.stack.now()) return -Errno.EAGAIN;
                    int r = unix.stack.scheduler().await(other.peerWait, deadline);
                    if (r == Scheduler.INTERRUPTED) return -Errno.EINTR;
                    continue;
                }
                break;
            }
            scmToSkb(scm, skb);
            skb.truesize = UnixSkb.truesize(len - dataLen, dataLen);
            skb.owner = sk;
            sk.wmemAlloc += skb.truesize;
            other.queue.add(skb);
            other.dataReady();
            return len;
        } finally {
            scmFail(scm, 0);
        }
    }

    // ---------------------------------------------------------------- receive

    @Override
    public int recvmsg(Socket s, MsgHdr m, int flags) {
        UnixSock sk = u(s);
        if (type == Net.SOCK_STREAM) return streamRecvmsg(sk, m, flags);
        if (type == Net.SOCK_SEQPACKET && sk.state != UnixSock.TCP_ESTABLISHED) return -Errno.ENOTCONN;
        return dgramRecvmsg(sk, m, flags);
    }

    /** unix_copy_addr: the sending socket's address as msg_name, if it has one. */
    private static void copyAddr(MsgHdr m, UnixSock from) {
        if (m.name == null) return;
        if (from == null || from.addr == null) { m.namelen = 0; return; }
        System.arraycopy(from.addr, 0, m.name, 0, from.addr.length);
        m.namelen = from.addr.length;
    }

    /**
     * unix_stream_read_generic: copies across messages until {@code size} bytes or, once the
     * low-water mark (or with MSG_WAITALL, everything) is met, until the queue is empty; a pending
     * error (ECONNRESET) is reported only when nothing was copied, and EOF after shutdown is 0.
     * A message with files ends the read so they are delivered with the bytes they came with.
     */
    private int streamRecvmsg(UnixSock sk, MsgHdr m, int flags) {
        if (sk.state != UnixSock.TCP_ESTABLISHED) return -Errno.EINVAL;
        if ((flags & Net.MSG_OOB) != 0) return -Errno.EINVAL;
        long size = Iov.total(m);
        int target = (flags & Net.MSG_WAITALL) != 0 ? (int) Math.min(size, Integer.MAX_VALUE) : (int) Math.min(sk.rcvLowat, size);
        if (target == 0) target = 1;
        boolean nonblock = (flags & Net.MSG_DONTWAIT) != 0;
        boolean peek = (flags & Net.MSG_PEEK) != 0;
        long deadline = nonblock ? 0 : sk.deadline(sk.rcvTimeo);
        int skip = peek && sk.peekOff >= 0 ? sk.peekOff : 0;
        int copied = 0;
        int err = 0;
        boolean addrDone = false;
        UnixSkb first = null;   // whose credentials are reported
        File[] files = null;    // files taken with the bytes (the read stops after them)
        do {
            UnixSkb skb = null;
            int skipLeft = skip;
            for (Iterator<UnixSkb> it = sk.queue.iterator(); it.hasNext(); ) {
                UnixSkb c = it.next();
                if (!peek) { skb = c; break; }
                if (skipLeft < c.remaining()) { skb = c; break; }
                skipLeft -= c.remaining();
            }
            if (skb == null) {
                if (copied >= target) break;
                int e = sk.takeError();
                if (e != 0) { err = -e; break; }
                if ((sk.shutdown & Sock.RCV_SHUTDOWN) != 0) break;
                err = -Errno.EAGAIN;
                if (nonblock || deadline <= unix.stack.now()) break;
                int r = sk.sleep(deadline);
                if (r == -Errno.EINTR) { err = r; break; }
                err = 0;
                continue;
            }
            if (!addrDone) { copyAddr(m, skb.owner); addrDone = true; first = skb; }
            int off = skb.consumed + (peek ? skipLeft : 0);
            int chunk = (int) Math.min(skb.len - off, size - copied);
            int c = Iov.copyTo(m, copied, skb.data, off, chunk);
            if (c < 0) { if (copied == 0) copied = -Errno.EFAULT; break; }
            copied += chunk;
            File[] fp = skb.fp;
            if (!peek) {
                skb.consumed += chunk;
                skb.fp = null;
                if (sk.peekOff >= 0) sk.peekOff = Math.max(0, sk.peekOff - chunk);
                if (skb.remaining() == 0) {
                    sk.queue.poll();
                    free(skb);
                }
                if (fp != null) { files = fp; break; }
                if (skb.remaining() > 0) break;
            } else {
                if (sk.peekOff >= 0) sk.peekOff += chunk;
                skip += chunk;
                if (fp != null) { files = fp; break; }
            }
        } while (copied < size);
        if (copied > 0 && first != null && (files != null || sk.passCred))
            scmRecv(sk, first.pid, first.uid, first.gid, files, peek, m, flags);
        return copied != 0 ? copied : err;
    }

    /**
     * __unix_dgram_recvmsg: one message per call; a shorter buffer truncates it (MSG_TRUNC in
     * msg_flags; with MSG_TRUNC in flags the full length is returned). A pending error comes first;
     * a seqpacket socket whose peer is gone reads EOF.
     */
    private int dgramRecvmsg(UnixSock sk, MsgHdr m, int flags) {
        if ((flags & Net.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        boolean nonblock = (flags & Net.MSG_DONTWAIT) != 0;
        boolean peek = (flags & Net.MSG_PEEK) != 0;
        long deadline = nonblock ? 0 : sk.deadline(sk.rcvTimeo);
        int skip = peek && sk.peekOff >= 0 ? sk.peekOff : 0;
        UnixSkb skb;
        for (;;) {
            int e = sk.takeError();
            if (e != 0) return -e;
            skb = sk.queue.peek();
            if (skb != null) break;
            if (nonblock || deadline <= unix.stack.now()) {
                if (sk.type == Net.SOCK_SEQPACKET && (sk.shutdown & Sock.RCV_SHUTDOWN) != 0) return 0;
                return -Errno.EAGAIN;
            }
            if ((sk.shutdown & Sock.RCV_SHUTDOWN) != 0) return 0;
            if (sk.type == Net.SOCK_SEQPACKET && sk.state != UnixSock.TCP_ESTABLISHED) return -Errno.ENOTCONN;
            int r = sk.sleep(deadline);
            if (r == -Errno.EINTR) return r;
        }
        if (!peek) sk.queue.poll();
        sk.peerWait.wakeUp(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND);
        copyAddr(m, skb.owner);
        if (skip > skb.len) skip = skb.len;
        long room = Iov.total(m);
        int size = (int) Math.min(room, skb.len - skip);
        if (room < skb.len - skip) m.flags |= Net.MSG_TRUNC;
        int err = Iov.copyTo(m, 0, skb.data, skip, size);
        if (err >= 0) {
            if (skb.fp != null || sk.passCred) scmRecv(sk, skb, m, flags);
            if (peek && sk.peekOff >= 0) sk.peekOff += size;
            err = (flags & Net.MSG_TRUNC) != 0 ? skb.len - skip : size;
        }
        if (!peek) free(skb);
        return err;
    }
}
