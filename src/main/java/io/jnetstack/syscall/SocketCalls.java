package io.jnetstack.syscall;

import io.jnetstack.socket.Families;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.socket.Socket;
import io.jnetstack.socket.SocketFile;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.time.Scheduler;
import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import java.util.HashSet;
import java.util.Set;

/**
 * The socket system calls of one process ({@link Task}) on one {@link Stack}: net/socket.c's
 * __sys_* functions, plus the fcntl/ioctl/poll/epoll/close that sockets answer.
 *
 * <p>Each call runs between the scheduler's enter() and exit() (it holds the stack as a CPU holds
 * the socket lock), resolves descriptors (EBADF, then ENOTSOCK for files that are not sockets),
 * copies and checks user memory the way Linux does (move_addr_to_kernel, import_iovec,
 * move_addr_to_user), and calls the family's {@link io.jnetstack.socket.ProtoOps}. The order of
 * the checks is Linux's: it decides which errno a call with several faults returns.
 *
 * <p>Blocking happens inside the protocol ops (they sleep on the sock's wait queue); poll and epoll
 * sleep here. The file's O_NONBLOCK becomes MSG_DONTWAIT for send/recv and is passed to connect
 * and accept as file flags.
 *
 * <p>No exception escapes a call. An unexpected RuntimeException from below (a bug) is logged once
 * per call name to stderr, counted in {@link #bugs()}, and the call returns -EIO: an errno no
 * socket call returns on Linux, so the differential tests flag it at once.
 *
 * <p>SIGPIPE: a send on a SOCK_STREAM socket (TCP, AF_UNIX stream) that fails with EPIPE without
 * MSG_NOSIGNAL raises SIGPIPE at the task, as tcp's sk_stream_error and unix_stream_sendmsg do;
 * datagram and seqpacket sockets return EPIPE silently (measured on Linux 6.18).
 */
public final class SocketCalls implements Syscalls {
    /** UIO_MAXIOV. */
    public static final int UIO_MAXIOV = 1024;
    /** sizeof(struct sockaddr_storage). */
    static final int SOCKADDR_STORAGE = In.SOCKADDR_STORAGE_LEN;
    /** nr_open: the largest RLIMIT_NOFILE an unprivileged process may set. */
    static final int NR_OPEN = 1 << 20;

    private final Stack stack;
    private final Task task;
    private final Tracer tr;
    private final Scheduler sched;
    private final Families families;
    private long bugs;
    private final Set<String> loggedBugs = new HashSet<>();

    /** Per-call kernel scratch (the on-stack sockaddr_storage and msghdr copies), pooled. */
    private static final class Kbuf {
        final byte[] addr = new byte[SOCKADDR_STORAGE];
        final MsgHdr msg = new MsgHdr();
        final byte[][] iov1 = new byte[1][];
        final int[] len1 = new int[1];
        Kbuf nextFree;
    }

    private Kbuf free;

    public SocketCalls(Stack stack, Task task) {
        this.stack = stack;
        this.task = task;
        this.tr = stack.trace();
        this.sched = stack.scheduler();
        this.families = Families.of(stack);
    }

    public Stack stack() { return stack; }

    public Task task() { return task; }

    /** Unexpected exceptions caught so far (each answered with -EIO). */
    public long bugs() { return bugs; }

    // ---------------------------------------------------------------- call framing

    private Task begin() {
        sched.enter();
        return Task.swapCurrent(task);
    }

    private void finish(Task prev) {
        try {
            sched.exit();
        } catch (RuntimeException | StackOverflowError e) {
            bug("softirq after syscall", e);
        } finally {
            Task.swapCurrent(prev);
        }
    }

    private int end(int r) {
        if (tr.on) tr.result(r);
        return r;
    }

    private int bug(String call, Throwable e) {
        bugs++;
        if (loggedBugs.add(call)) {
            System.err.println("jnetstack BUG in " + call + " (" + stack + "): " + e);
            e.printStackTrace(System.err);
        }
        return -Errno.EIO;
    }

    private Kbuf kbuf() {
        Kbuf k = free;
        if (k == null) return new Kbuf();
        free = k.nextFree;
        k.nextFree = null;
        return k;
    }

    private void put(Kbuf k) {
        MsgHdr m = k.msg;
        m.name = null;
        m.iov = null;
        m.iovLen = null;
        m.control = null;
        m.namelen = m.controllen = m.flags = 0;
        k.iov1[0] = null;
        k.nextFree = free;
        free = k;
    }

    // ---------------------------------------------------------------- helpers as the kernel names them

    /** sockfd_lookup_light: the socket behind fd, or null with {@code err[0]} = EBADF / ENOTSOCK. */
    private Socket sockfd(int fd, int[] err) {
        File f = task.files.get(fd);
        if (f == null) { err[0] = -Errno.EBADF; return null; }
        if (!(f instanceof SocketFile sf)) { err[0] = -Errno.ENOTSOCK; return null; }
        return sf.sock;
    }

    /** The errno for a descriptor that is not an open socket (0 if it is one). */
    private int sockfdErr(int fd) {
        File f = task.files.get(fd);
        if (f == null) return -Errno.EBADF;
        return f instanceof SocketFile ? 0 : -Errno.ENOTSOCK;
    }

    private Socket sock(int fd) { return ((SocketFile) task.files.get(fd)).sock; }

    /** move_addr_to_kernel: EINVAL outside 0..128, EFAULT when the memory is not there. */
    static int moveAddrToKernel(byte[] uaddr, int ulen, byte[] kaddr) {
        if (ulen < 0 || ulen > SOCKADDR_STORAGE) return -Errno.EINVAL;
        if (ulen == 0) return 0;
        if (uaddr == null || uaddr.length < ulen) return -Errno.EFAULT;
        System.arraycopy(uaddr, 0, kaddr, 0, ulen);
        java.util.Arrays.fill(kaddr, ulen, SOCKADDR_STORAGE, (byte) 0);
        return 0;
    }

    /**
     * move_addr_to_user: reads *ulen (EFAULT when NULL), EINVAL when negative, copies
     * min(*ulen, klen) bytes, and writes klen back, so the caller can see it was truncated. A
     * buffer shorter than *ulen gets the bytes that fit, then EFAULT with *ulen untouched.
     */
    static int moveAddrToUser(byte[] kaddr, int klen, byte[] uaddr, int[] ulen) {
        if (ulen == null || ulen.length < 1) return -Errno.EFAULT;
        int len = ulen[0];
        if (len < 0) return -Errno.EINVAL;
        if (len > klen) len = klen;
        int err = SockOpts.copyToUser(kaddr, len, uaddr);
        if (err < 0) return err;
        ulen[0] = klen;
        return 0;
    }

    /**
     * sock_alloc_file's ENFILE: fs.file-max reached, and the caller lacks CAP_SYS_ADMIN. Credentials
     * carry no CAP_SYS_ADMIN bit; a full root (uid 0 with CAP_NET_ADMIN, i.e. Credentials.ROOT)
     * stands for it, while uid 0 without capabilities (the differential tests' process) does not.
     */
    private int checkNfile(int n) {
        boolean sysAdmin = task.cred.uid() == 0 && task.cred.netAdmin();
        if (stack.openFiles + n > stack.sysctl().fileMax.longValue() && !sysAdmin) return -Errno.ENFILE;
        return 0;
    }

    private static boolean cloexec(int flags) { return (flags & Net.SOCK_CLOEXEC) != 0; }

    /** Releases a socket that never got a file (sock_release). */
    private static void sockRelease(Socket s) {
        if (s.ops != null && s.sk != null) s.ops.release(s);
    }

    /** sock_map_fd: EMFILE from the table, then ENFILE from the stack, as Linux orders them. */
    private int sockMapFd(Socket s, int flags) {
        if (tr.on) tr.enter("sock_map_fd", "");
        int err = task.files.checkFree();
        if (err == 0) err = checkNfile(1);
        if (err < 0) {
            sockRelease(s);
            return tr.exit("sock_map_fd", err);
        }
        SocketFile f = new SocketFile(s, flags & Fcntl.O_NONBLOCK);
        int fd = task.files.install(f, cloexec(flags));
        return tr.exit("sock_map_fd", fd);
    }

    // ---------------------------------------------------------------- socket, socketpair

    @Override
    public int socket(int domain, int type, int protocol) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("socket(" + Net.afName(domain) + ", " + Net.typeName(type) + ", " + Strace.proto(domain, protocol) + ")");
            return end(sysSocket(domain, type, protocol));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("socket", e));
        } finally {
            finish(prev);
        }
    }

    private int sysSocket(int domain, int type, int protocol) {
        if (tr.on) tr.enter("__sys_socket", "");
        int flags = type & ~Net.SOCK_TYPE_MASK;
        if ((flags & ~(Net.SOCK_CLOEXEC | Net.SOCK_NONBLOCK)) != 0) {
            if (tr.on) tr.note("flags 0x" + Integer.toHexString(flags) + " beyond SOCK_NONBLOCK|SOCK_CLOEXEC");
            return tr.exit("__sys_socket", -Errno.EINVAL);
        }
        Socket[] out = new Socket[1];
        int err = families.create(domain, type & Net.SOCK_TYPE_MASK, protocol, false, task.cred, out);
        if (err < 0) return tr.exit("__sys_socket", err);
        int fd = sockMapFd(out[0], (flags & Net.SOCK_NONBLOCK) != 0 ? (flags | Fcntl.O_NONBLOCK) : flags);
        return tr.exit("__sys_socket", fd);
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] sv) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("socketpair(" + Net.afName(domain) + ", " + Net.typeName(type) + ", " + protocol + ", " + (sv == null ? "NULL" : "sv") + ")");
            return end(sysSocketpair(domain, type, protocol, sv));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("socketpair", e));
        } finally {
            finish(prev);
        }
    }

    // ------------------------------------------------------------------ pipes, read/write, splice

    /** SPLICE_F_* (include/linux/splice.h). */
    public static final int SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2, SPLICE_F_MORE = 4, SPLICE_F_GIFT = 8;

    @Override
    public int pipe2(int[] fds, int flags) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("pipe2(" + (fds == null ? "NULL" : "fds") + ", 0x" + Integer.toHexString(flags) + ")");
            return end(sysPipe2(fds, flags));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("pipe2", e));
        } finally {
            finish(prev);
        }
    }

    /** do_pipe2: the flags, both descriptors (EMFILE), the files (ENFILE), then fds (EFAULT, undone). */
    private int sysPipe2(int[] fds, int flags) {
        if ((flags & ~(Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK | Fcntl.O_DIRECT)) != 0) return -Errno.EINVAL;
        if (!task.files.hasFree(2)) return -Errno.EMFILE;
        int err = checkNfile(2);
        if (err < 0) return err;
        if (fds == null || fds.length < 2) return -Errno.EFAULT;
        Pipe p = new Pipe(stack.scheduler(), flags);
        boolean cloexec = (flags & Fcntl.O_CLOEXEC) != 0;
        fds[0] = task.files.install(p.readEnd, cloexec);
        fds[1] = task.files.install(p.writeEnd, cloexec);
        if (tr.on) tr.note("fds = [" + fds[0] + ", " + fds[1] + "]");
        return 0;
    }

    @Override
    public int read(int fd, byte[] buf, int len) {
        File f = task.files.get(fd);
        if (f instanceof SocketFile) return recvfrom(fd, buf, len, 0, null, null, "read");
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("read(" + fd + ", buf, " + len + ")");
            if (f == null) return end(-Errno.EBADF);
            if (len < 0) return end(-Errno.EFAULT);
            if (f instanceof Pipe.End e) {
                if (!e.reading) return end(-Errno.EBADF);
                if (len > 0 && (buf == null || buf.length < Math.min(len, e.pipe().count()))) return end(-Errno.EFAULT);
                return end(e.pipe().read(buf, Math.min(len, buf == null ? 0 : buf.length), e.nonBlocking()));
            }
            if (f instanceof RegularFile r) {
                if (len > 0 && (buf == null || buf.length < len)) return end(-Errno.EFAULT);
                return end(r.read(buf, 0, len, -1));
            }
            if (f instanceof NullFile) return end(0);
            return end(-Errno.EINVAL);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("read", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int write(int fd, byte[] buf, int len) {
        File f = task.files.get(fd);
        if (f instanceof SocketFile) return sendto(fd, buf, len, 0, null, 0);
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("write(" + fd + ", buf, " + len + ")");
            if (f == null) return end(-Errno.EBADF);
            if (len < 0) return end(-Errno.EFAULT);
            if (f instanceof Pipe.End e) {
                if (e.reading) return end(-Errno.EBADF);
                if (len > 0 && (buf == null || buf.length < len)) return end(-Errno.EFAULT);
                int r = e.pipe().write(buf, len, e.nonBlocking());
                if (r == -Errno.EPIPE) task.raise(Task.SIGPIPE);
                return end(r);
            }
            if (f instanceof RegularFile r) {
                if (len > 0 && (buf == null || buf.length < len)) return end(-Errno.EFAULT);
                return end(r.write(buf, len));
            }
            if (f instanceof NullFile) return end(len);
            return end(-Errno.EINVAL);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("write", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int open(String path, int flags, int mode) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("open(\"" + path + "\", 0x" + Integer.toHexString(flags) + ", 0" + Integer.toOctalString(mode) + ")");
            int err = task.files.checkFree();
            if (err < 0) return end(err);
            Object r = RegularFile.open(path, flags);
            if (r instanceof Integer e) return end(e);
            return end(task.files.install((RegularFile) r, (flags & Fcntl.O_CLOEXEC) != 0));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("open", e));
        } finally {
            finish(prev);
        }
    }

    /** MAX_RW_COUNT: what one read, write or sendfile moves at most. */
    static final int MAX_RW_COUNT = 0x7ffff000;

    @Override
    public int sendfile(int outFd, int inFd, long[] offset, int count) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("sendfile(" + outFd + ", " + inFd + ", " + (offset == null ? "NULL" : "[" + offset[0] + "]") + ", " + count + ")");
            return end(sysSendfile(outFd, inFd, offset, count));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("sendfile", e));
        } finally {
            finish(prev);
        }
    }

    /**
     * do_sendfile: the input must be a readable regular file (EBADF if not open for reading,
     * EINVAL for a socket or pipe), the output writable; bytes go from the offset (or the file
     * position, which then advances) to the output, through sendmsg for a socket.
     */
    private int sysSendfile(int outFd, int inFd, long[] offset, int count) {
        File in = task.files.get(inFd), out = task.files.get(outFd);
        if (in == null || out == null) return -Errno.EBADF;
        if (in instanceof RegularFile r && !r.readable() || in instanceof Pipe.End e && !e.reading) return -Errno.EBADF;
        if (out instanceof RegularFile w && !w.writable() || out instanceof Pipe.End e && e.reading) return -Errno.EBADF;
        if (!(in instanceof RegularFile rf)) return -Errno.EINVAL;
        if (offset != null && offset[0] < 0) return -Errno.EINVAL;
        if (count < 0) return -Errno.EINVAL;
        int n = Math.min(count, MAX_RW_COUNT);
        if (n == 0) return 0;
        byte[] chunk = new byte[Math.min(n, 1 << 20)];
        long at = offset != null ? offset[0] : rf.pos;
        int got = rf.read(chunk, 0, chunk.length, at);
        if (got <= 0) return got;
        int sent;
        if (out instanceof SocketFile sf) {
            sent = sf.sock.ops.sendmsg(sf.sock, MsgHdr.of(chunk, got), sf.sock.nonBlocking() ? Net.MSG_DONTWAIT : 0);
            if (sent == -Errno.EPIPE) task.raise(Task.SIGPIPE);
        } else if (out instanceof Pipe.End pe) {
            sent = pe.pipe().write(chunk, got, pe.nonBlocking());
        } else if (out instanceof RegularFile wf) {
            sent = wf.write(chunk, got);
        } else {
            return -Errno.EINVAL;
        }
        if (sent > 0) {
            if (offset != null) offset[0] = at + sent;
            else rf.pos = at + sent;
        }
        return sent;
    }

    @Override
    public int splice(int fdIn, long[] offIn, int fdOut, long[] offOut, int len, int flags) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("splice(" + fdIn + ", " + (offIn == null ? "NULL" : "off") + ", " + fdOut + ", "
                    + (offOut == null ? "NULL" : "off") + ", " + len + ", " + flags + ")");
            return end(sysSplice(fdIn, offIn, fdOut, offOut, len, flags));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("splice", e));
        } finally {
            finish(prev);
        }
    }

    /**
     * do_splice: both files must be open the right way (EBADF); pipe to pipe, pipe to socket
     * (splice_to_socket: the pipe's bytes go out through sendmsg) or socket to pipe (the
     * protocol's splice_read); offsets are for seekable files, so with a pipe ESPIPE and with a
     * socket EINVAL; anything without a pipe is EINVAL.
     */
    private int sysSplice(int fdIn, long[] offIn, int fdOut, long[] offOut, int len, int flags) {
        File in = task.files.get(fdIn), out = task.files.get(fdOut);
        if (in == null || out == null) return -Errno.EBADF;
        if (in instanceof Pipe.End pi && !pi.reading || out instanceof Pipe.End po && po.reading) return -Errno.EBADF;
        if ((flags & ~(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)) != 0) return -Errno.EINVAL;
        Pipe ip = in instanceof Pipe.End e ? e.pipe() : null, op = out instanceof Pipe.End e ? e.pipe() : null;
        boolean nb = (flags & SPLICE_F_NONBLOCK) != 0;
        if (ip != null && op != null) {
            if (offIn != null || offOut != null) return -Errno.ESPIPE;
            if (ip == op) return -Errno.EINVAL;
            if (len == 0) return 0;
            return pipeToPipe(ip, op, len, nb);
        }
        if (ip != null) {
            if (offIn != null) return -Errno.ESPIPE;
            if (offOut != null) return -Errno.EINVAL;
            if (!(out instanceof SocketFile sf)) return -Errno.EINVAL;
            if (len == 0) return 0;
            return pipeToSocket(ip, sf, len, flags);
        }
        if (op != null) {
            if (offOut != null) return -Errno.ESPIPE;
            if (offIn != null) return -Errno.EINVAL;
            if (!(in instanceof SocketFile sf)) return -Errno.EINVAL;
            if (len == 0) return 0;
            if (!op.hasReaders()) {
                task.raise(Task.SIGPIPE);
                return -Errno.EPIPE;
            }
            while (op.space() == 0) {                           // wait_for_space
                if (nb) return -Errno.EAGAIN;
                if (op.await() < 0) return -Errno.EINTR;
            }
            return sf.sock.ops.spliceRead(sf.sock, op, len, nb || sf.sock.nonBlocking());
        }
        return -Errno.EINVAL;
    }

    /** splice_pipe_to_pipe: what is in {@code ip} and fits in {@code op}, waiting for data first. */
    private int pipeToPipe(Pipe ip, Pipe op, int len, boolean nb) {
        while (ip.count() == 0) {
            if (!ip.hasWriters()) return 0;
            if (nb) return -Errno.EAGAIN;
            if (ip.await() < 0) return -Errno.EINTR;
        }
        if (!op.hasReaders()) {
            task.raise(Task.SIGPIPE);
            return -Errno.EPIPE;
        }
        while (op.space() == 0) {
            if (nb) return -Errno.EAGAIN;
            if (op.await() < 0) return -Errno.EINTR;
        }
        int n = Math.min(len, Math.min(ip.count(), op.space()));
        byte[] chunk = new byte[n];
        ip.take(chunk, 0, n);
        op.put(chunk, 0, n);
        return n;
    }

    /**
     * splice_to_socket: waits for pipe data (0 once no writer is left), then sends up to
     * {@code len} of it with sendmsg (MSG_MORE for SPLICE_F_MORE, MSG_DONTWAIT for a non-blocking
     * socket); what the socket took leaves the pipe.
     */
    private int pipeToSocket(Pipe ip, SocketFile sf, int len, int flags) {
        while (ip.count() == 0) {
            if (!ip.hasWriters()) return 0;
            if ((flags & SPLICE_F_NONBLOCK) != 0) return -Errno.EAGAIN;
            if (ip.await() < 0) return -Errno.EINTR;
        }
        int n = Math.min(len, ip.count());
        byte[] chunk = new byte[n];
        ip.peek(chunk, n);
        int mflags = ((flags & SPLICE_F_MORE) != 0 ? Net.MSG_MORE : 0) | (sf.sock.nonBlocking() ? Net.MSG_DONTWAIT : 0);
        int r = sf.sock.ops.sendmsg(sf.sock, MsgHdr.of(chunk, n), mflags);
        if (r > 0) ip.take(null, 0, r);
        if (r == -Errno.EPIPE) task.raise(Task.SIGPIPE);
        return r;
    }

    /**
     * __sys_socketpair: the flags, then both descriptors (EMFILE), then sv (EFAULT: Linux writes the
     * numbers before it makes the sockets), then the sockets, then the family's socketpair
     * (EOPNOTSUPP for AF_INET), then the files (ENFILE).
     */
    private int sysSocketpair(int domain, int type, int protocol, int[] sv) {
        if (tr.on) tr.enter("__sys_socketpair", "");
        int flags = type & ~Net.SOCK_TYPE_MASK;
        if ((flags & ~(Net.SOCK_CLOEXEC | Net.SOCK_NONBLOCK)) != 0) return tr.exit("__sys_socketpair", -Errno.EINVAL);
        type &= Net.SOCK_TYPE_MASK;
        if (!task.files.hasFree(2)) return tr.exit("__sys_socketpair", -Errno.EMFILE);
        if (sv == null || sv.length < 2) return tr.exit("__sys_socketpair", -Errno.EFAULT);
        Socket[] a = new Socket[1], b = new Socket[1];
        int err = families.create(domain, type, protocol, false, task.cred, a);
        if (err < 0) return tr.exit("__sys_socketpair", err);
        err = families.create(domain, type, protocol, false, task.cred, b);
        if (err < 0) {
            sockRelease(a[0]);
            return tr.exit("__sys_socketpair", err);
        }
        err = a[0].ops.socketpair(a[0], b[0]);
        if (err == 0) err = checkNfile(2);
        if (err < 0) {
            sockRelease(a[0]);
            sockRelease(b[0]);
            return tr.exit("__sys_socketpair", err);
        }
        int fl = (flags & Net.SOCK_NONBLOCK) != 0 ? Fcntl.O_NONBLOCK : 0;
        sv[0] = task.files.install(new SocketFile(a[0], fl), cloexec(flags));
        sv[1] = task.files.install(new SocketFile(b[0], fl), cloexec(flags));
        if (tr.on) tr.note("sv = [" + sv[0] + ", " + sv[1] + "]");
        return tr.exit("__sys_socketpair", 0);
    }

    // ---------------------------------------------------------------- bind, connect, listen

    @Override
    public int bind(int fd, byte[] addr, int addrlen) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("bind(" + fd + ", " + Strace.sockaddr(addr, addrlen) + ", " + addrlen + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Kbuf k = kbuf();
            try {
                err = moveAddrToKernel(addr, addrlen, k.addr);
                if (err < 0) return end(err);
                Socket s = sock(fd);
                return end(s.ops.bind(s, k.addr, addrlen));
            } finally {
                put(k);
            }
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("bind", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int connect(int fd, byte[] addr, int addrlen) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("connect(" + fd + ", " + Strace.sockaddr(addr, addrlen) + ", " + addrlen + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Kbuf k = kbuf();
            try {
                err = moveAddrToKernel(addr, addrlen, k.addr);
                if (err < 0) return end(err);
                Socket s = sock(fd);
                return end(s.ops.connect(s, k.addr, addrlen, s.file.flags));
            } finally {
                put(k);
            }
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("connect", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("listen(" + fd + ", " + backlog + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Socket s = sock(fd);
            // __sys_listen: the backlog, compared as unsigned, is capped at net.core.somaxconn.
            int somaxconn = stack.sysctl().somaxconn.value();
            if (Integer.compareUnsigned(backlog, somaxconn) > 0) {
                if (tr.on) tr.note("backlog " + backlog + " → somaxconn " + somaxconn);
                backlog = somaxconn;
            }
            return end(s.ops.listen(s, backlog));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("listen", e));
        } finally {
            finish(prev);
        }
    }

    // ---------------------------------------------------------------- accept

    @Override
    public int accept(int fd, byte[] addr, int[] addrlen) { return accept4(fd, addr, addrlen, 0, "accept"); }

    @Override
    public int accept4(int fd, byte[] addr, int[] addrlen, int flags) { return accept4(fd, addr, addrlen, flags, "accept4"); }

    private int accept4(int fd, byte[] addr, int[] addrlen, int flags, String name) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall(name + "(" + fd + ", " + (addr == null ? "NULL" : "addr") + ", " + Strace.ints(addrlen)
                    + (name.equals("accept4") ? ", " + Net.typeName(flags).replaceFirst("^0\\|?", "") : "") + ")");
            return end(sysAccept4(fd, addr, addrlen, flags));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug(name, e));
        } finally {
            finish(prev);
        }
    }

    /**
     * __sys_accept4 / do_accept: flags (EINVAL), the descriptor, a descriptor for the new socket
     * (EMFILE) and its file (ENFILE) before waiting, then the family's accept, then the peer's
     * address (a fault there loses the connection, as on Linux).
     */
    private int sysAccept4(int fd, byte[] addr, int[] addrlen, int flags) {
        if ((flags & ~(Net.SOCK_CLOEXEC | Net.SOCK_NONBLOCK)) != 0) return -Errno.EINVAL;
        int err = sockfdErr(fd);
        if (err < 0) return err;
        Socket s = sock(fd);
        if (tr.on) tr.enter("do_accept", "");
        err = task.files.checkFree();
        if (err == 0) err = checkNfile(1);
        if (err < 0) return tr.exit("do_accept", err);
        Socket ns = new Socket(stack, s.type);
        ns.ops = s.ops;
        ns.cred = task.cred;
        err = s.ops.accept(s, ns, s.file.flags);
        if (err < 0) {
            sockRelease(ns);
            return tr.exit("do_accept", err);
        }
        SocketFile nf = new SocketFile(ns, (flags & Net.SOCK_NONBLOCK) != 0 ? Fcntl.O_NONBLOCK : 0);
        if (addr != null) {
            Kbuf k = kbuf();
            try {
                int len = ns.ops.getnameForAccept(ns, k.addr);
                err = len < 0 ? -Errno.ECONNABORTED : moveAddrToUser(k.addr, len, addr, addrlen);
            } finally {
                put(k);
            }
            if (err < 0) {
                nf.drop();
                return tr.exit("do_accept", err);
            }
        }
        int nfd = task.files.install(nf, cloexec(flags));
        return tr.exit("do_accept", nfd);
    }

    // ---------------------------------------------------------------- names

    @Override
    public int getsockname(int fd, byte[] addr, int[] addrlen) { return getname(fd, addr, addrlen, false); }

    @Override
    public int getpeername(int fd, byte[] addr, int[] addrlen) { return getname(fd, addr, addrlen, true); }

    private int getname(int fd, byte[] addr, int[] addrlen, boolean peer) {
        String name = peer ? "getpeername" : "getsockname";
        Task prev = begin();
        try {
            if (tr.on) tr.syscall(name + "(" + fd + ", " + (addr == null ? "NULL" : "addr") + ", " + Strace.ints(addrlen) + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Socket s = sock(fd);
            Kbuf k = kbuf();
            try {
                int len = s.ops.getname(s, k.addr, peer);
                if (len < 0) return end(len);
                return end(moveAddrToUser(k.addr, len, addr, addrlen));
            } finally {
                put(k);
            }
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug(name, e));
        } finally {
            finish(prev);
        }
    }

    // ---------------------------------------------------------------- send

    @Override
    public int send(int fd, byte[] buf, int len, int flags) { return sendto(fd, buf, len, flags, null, 0, "send"); }

    @Override
    public int sendto(int fd, byte[] buf, int len, int flags, byte[] addr, int addrlen) {
        return sendto(fd, buf, len, flags, addr, addrlen, "sendto");
    }

    private int sendto(int fd, byte[] buf, int len, int flags, byte[] addr, int addrlen, String name) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall(name + "(" + fd + ", " + Strace.buf(buf, len) + ", " + len + ", " + Strace.msgFlags(flags)
                    + (name.equals("sendto") ? ", " + Strace.sockaddr(addr, addrlen) + ", " + addrlen : "") + ")");
            return end(sysSendto(fd, buf, len, flags, addr, addrlen));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug(name, e));
        } finally {
            finish(prev);
        }
    }

    /** __sys_sendto: the buffer's range first (EFAULT, before the descriptor), then the address. */
    private int sysSendto(int fd, byte[] buf, int len, int flags, byte[] addr, int addrlen) {
        if (len < 0) return -Errno.EFAULT; // a length past MAX_RW_COUNT from a negative int: access_ok fails
        int err = sockfdErr(fd);
        if (err < 0) return err;
        Socket s = sock(fd);
        Kbuf k = kbuf();
        try {
            MsgHdr m = k.msg;
            if (addr != null) {
                err = moveAddrToKernel(addr, addrlen, k.addr);
                if (err < 0) return err;
                m.name = k.addr;
                m.namelen = addrlen;
            }
            k.iov1[0] = buf;
            k.len1[0] = len;
            m.iov = k.iov1;
            m.iovLen = k.len1;
            if (s.nonBlocking()) flags |= Net.MSG_DONTWAIT;
            m.flags = flags;
            int r = s.ops.sendmsg(s, m, flags);
            sigpipe(s, r, flags);
            return r;
        } finally {
            put(k);
        }
    }

    /** SIGPIPE for stream sockets (tcp's sk_stream_error, unix_stream_sendmsg). */
    private void sigpipe(Socket s, int r, int flags) {
        if (r == -Errno.EPIPE && s.type == Net.SOCK_STREAM && (flags & Net.MSG_NOSIGNAL) == 0) {
            task.raise(Task.SIGPIPE);
            if (tr.on) tr.note("SIGPIPE → task " + task.pid);
        }
    }

    @Override
    public int sendmsg(int fd, MsgHdr msg, int flags) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("sendmsg(" + fd + ", " + msgString(msg) + ", " + Strace.msgFlags(flags) + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Kbuf k = kbuf();
            try {
                return end(sysSendmsg(sock(fd), msg, flags, k));
            } finally {
                put(k);
            }
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("sendmsg", e));
        } finally {
            finish(prev);
        }
    }

    /**
     * copy_msghdr_from_user + import_iovec: msg_namelen &lt; 0 is EINVAL, above 128 is clamped; more
     * than UIO_MAXIOV buffers is EMSGSIZE; a negative iov_len is EINVAL.
     */
    private static int copyMsghdr(MsgHdr u, MsgHdr k, byte[] kaddr, boolean copyName) {
        if (u == null) return -Errno.EFAULT;
        int namelen = u.name == null ? 0 : u.namelen;
        if (namelen < 0) return -Errno.EINVAL;
        if (namelen > SOCKADDR_STORAGE) namelen = SOCKADDR_STORAGE;
        if (u.name != null && namelen > 0) {
            if (copyName) {
                int err = moveAddrToKernel(u.name, namelen, kaddr);
                if (err < 0) return err;
            }
            k.name = kaddr;
            k.namelen = namelen;
        } else {
            k.name = copyName ? null : (u.name != null ? kaddr : null);
            k.namelen = 0;
        }
        int n = u.iovCount();
        if (n > UIO_MAXIOV) return -Errno.EMSGSIZE;
        if (n > 0 && (u.iovLen == null || u.iovLen.length < n)) return -Errno.EFAULT;
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (u.iovLen[i] < 0) return -Errno.EINVAL;
            total += u.iovLen[i];
        }
        if (total > Integer.MAX_VALUE) return -Errno.EINVAL;
        k.iov = u.iov;
        k.iovLen = u.iovLen;
        return 0;
    }

    /** ___sys_sendmsg / ____sys_sendmsg. */
    private int sysSendmsg(Socket s, MsgHdr msg, int flags, Kbuf k) {
        MsgHdr m = k.msg;
        int err = copyMsghdr(msg, m, k.addr, true);
        if (err < 0) return err;
        int ctl = msg.controllen;
        if (ctl < 0) return -Errno.ENOBUFS; // > INT_MAX as size_t
        if (ctl > 0) {
            if (msg.control == null || msg.control.length < ctl) return -Errno.EFAULT;
            m.control = java.util.Arrays.copyOf(msg.control, ctl);
            m.controllen = ctl;
        }
        flags |= msg.flags & Net.MSG_EOR;
        if (s.nonBlocking()) flags |= Net.MSG_DONTWAIT;
        m.flags = flags;
        int r = s.ops.sendmsg(s, m, flags);
        sigpipe(s, r, flags);
        return r;
    }

    @Override
    public int sendmmsg(int fd, MMsgHdr[] msgvec, int vlen, int flags) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("sendmmsg(" + fd + ", " + (msgvec == null ? "NULL" : "msgvec") + ", " + vlen + ", " + Strace.msgFlags(flags) + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Socket s = sock(fd);
            // __sys_sendmmsg: at most UIO_MAXIOV messages; an error is returned only if none was sent.
            if (Integer.compareUnsigned(vlen, UIO_MAXIOV) > 0) vlen = UIO_MAXIOV;
            int datagrams = 0;
            err = 0;
            while (datagrams < vlen) {
                if (msgvec == null || datagrams >= msgvec.length || msgvec[datagrams] == null) { err = -Errno.EFAULT; break; }
                MMsgHdr e = msgvec[datagrams];
                Kbuf k = kbuf();
                int r;
                long want;
                try {
                    r = sysSendmsg(s, e.hdr, flags, k);
                    want = e.hdr == null ? 0 : Iov.total(e.hdr);
                } finally {
                    put(k);
                }
                if (r < 0) { err = r; break; }
                e.len = r;
                datagrams++;
                if (r < want) break; // msg_data_left: a short send ends the batch
            }
            return end(datagrams != 0 ? datagrams : err);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("sendmmsg", e));
        } finally {
            finish(prev);
        }
    }

    // ---------------------------------------------------------------- recv

    @Override
    public int recv(int fd, byte[] buf, int len, int flags) { return recvfrom(fd, buf, len, flags, null, null, "recv"); }

    @Override
    public int recvfrom(int fd, byte[] buf, int len, int flags, byte[] addr, int[] addrlen) {
        return recvfrom(fd, buf, len, flags, addr, addrlen, "recvfrom");
    }

    private int recvfrom(int fd, byte[] buf, int len, int flags, byte[] addr, int[] addrlen, String name) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall(name + "(" + fd + ", " + (buf == null ? "NULL" : "buf") + ", " + len + ", " + Strace.msgFlags(flags)
                    + (name.equals("recvfrom") ? ", " + (addr == null ? "NULL" : "addr") + ", " + Strace.ints(addrlen) : "") + ")");
            return end(sysRecvfrom(fd, buf, len, flags, addr, addrlen));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug(name, e));
        } finally {
            finish(prev);
        }
    }

    /** __sys_recvfrom: the source address is copied out only after data was received. */
    private int sysRecvfrom(int fd, byte[] buf, int len, int flags, byte[] addr, int[] addrlen) {
        if (len < 0) return -Errno.EFAULT;
        int err = sockfdErr(fd);
        if (err < 0) return err;
        Socket s = sock(fd);
        Kbuf k = kbuf();
        try {
            MsgHdr m = k.msg;
            m.name = addr != null ? k.addr : null;
            m.namelen = 0;
            k.iov1[0] = buf;
            k.len1[0] = len;
            m.iov = k.iov1;
            m.iovLen = k.len1;
            if (s.nonBlocking()) flags |= Net.MSG_DONTWAIT;
            m.flags = 0;
            int r = s.ops.recvmsg(s, m, flags);
            if (r >= 0 && addr != null) {
                int e2 = moveAddrToUser(k.addr, m.namelen, addr, addrlen);
                if (e2 < 0) return e2;
            }
            return r;
        } finally {
            put(k);
        }
    }

    @Override
    public int recvmsg(int fd, MsgHdr msg, int flags) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("recvmsg(" + fd + ", " + msgString(msg) + ", " + Strace.msgFlags(flags) + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Kbuf k = kbuf();
            try {
                int r = sysRecvmsg(sock(fd), msg, flags, k);
                if (tr.on && r >= 0) tr.note("msg_flags=" + Strace.msgFlags(msg.flags) + " msg_namelen=" + msg.namelen + " msg_controllen=" + msg.controllen);
                return end(r);
            } finally {
                put(k);
            }
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("recvmsg", e));
        } finally {
            finish(prev);
        }
    }

    /** ___sys_recvmsg / ____sys_recvmsg: name, msg_flags and msg_controllen are written back. */
    private int sysRecvmsg(Socket s, MsgHdr msg, int flags, Kbuf k) {
        MsgHdr m = k.msg;
        int err = copyMsghdr(msg, m, k.addr, false);
        if (err < 0) return err;
        m.namelen = 0;
        int room = msg.control == null ? 0 : Math.max(0, Math.min(msg.controllen, msg.control.length));
        m.control = room > 0 ? new byte[room] : null;
        m.controllen = 0;
        m.flags = flags & Net.MSG_CMSG_CLOEXEC;
        if (s.nonBlocking()) flags |= Net.MSG_DONTWAIT;
        int r = s.ops.recvmsg(s, m, flags);
        if (r < 0) return r;
        if (msg.name != null) {
            int[] ulen = {msg.namelen};
            err = moveAddrToUser(k.addr, m.namelen, msg.name, ulen);
            if (err < 0) return err;
            msg.namelen = ulen[0];
        } else {
            msg.namelen = 0;
        }
        msg.flags = m.flags & ~Net.MSG_CMSG_CLOEXEC;
        if (m.controllen > 0) System.arraycopy(m.control, 0, msg.control, 0, m.controllen);
        msg.controllen = m.controllen;
        return r;
    }

    @Override
    public int recvmmsg(int fd, MMsgHdr[] msgvec, int vlen, int flags, long timeoutNs) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("recvmmsg(" + fd + ", " + (msgvec == null ? "NULL" : "msgvec") + ", " + vlen + ", " + Strace.msgFlags(flags)
                    + ", " + (timeoutNs < 0 ? "NULL" : timeoutNs + "ns") + ")");
            return end(sysRecvmmsg(fd, msgvec, vlen, flags, timeoutNs));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("recvmmsg", e));
        } finally {
            finish(prev);
        }
    }

    /**
     * do_recvmmsg: a pending socket error is returned first; MSG_WAITFORONE turns on MSG_DONTWAIT
     * after the first message; the timeout is only looked at between messages (Linux's documented
     * bug); after a partial batch a non-EAGAIN error is saved in sk_err for the next call.
     */
    private int sysRecvmmsg(int fd, MMsgHdr[] msgvec, int vlen, int flags, long timeoutNs) {
        int err = sockfdErr(fd);
        if (err < 0) return err;
        Socket s = sock(fd);
        if (Integer.compareUnsigned(vlen, UIO_MAXIOV) > 0) vlen = UIO_MAXIOV;
        long endTime = timeoutNs < 0 ? Long.MAX_VALUE : stack.now() + timeoutNs;
        if ((flags & Net.MSG_ERRQUEUE) == 0) {
            int e = s.sk.takeError();
            if (e != 0) return -e;
        }
        int datagrams = 0;
        err = 0;
        while (datagrams < vlen) {
            if (msgvec == null || datagrams >= msgvec.length || msgvec[datagrams] == null) { err = -Errno.EFAULT; break; }
            MMsgHdr e = msgvec[datagrams];
            Kbuf k = kbuf();
            try {
                err = sysRecvmsg(s, e.hdr, flags & ~Net.MSG_WAITFORONE, k);
            } finally {
                put(k);
            }
            if (err < 0) break;
            e.len = err;
            err = 0;
            datagrams++;
            if ((flags & Net.MSG_WAITFORONE) != 0) flags |= Net.MSG_DONTWAIT;
            if (timeoutNs >= 0 && stack.now() >= endTime) break;
            if (e.hdr != null && (e.hdr.flags & Net.MSG_OOB) != 0) break;
        }
        if (err == 0) return datagrams;
        if (datagrams == 0) return err;
        if (err != -Errno.EAGAIN) s.sk.err = -err;
        return datagrams;
    }

    private static String msgString(MsgHdr m) {
        if (m == null) return "NULL";
        return "{msg_name=" + (m.name == null ? "NULL" : "name") + ", msg_namelen=" + m.namelen + ", msg_iovlen=" + m.iovCount()
                + ", msg_controllen=" + m.controllen + ", msg_flags=" + Strace.msgFlags(m.flags) + "}";
    }

    // ---------------------------------------------------------------- shutdown, options

    @Override
    public int shutdown(int fd, int how) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("shutdown(" + fd + ", " + Strace.how(how) + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            if (how < Net.SHUT_RD || how > Net.SHUT_RDWR) return end(-Errno.EINVAL);
            Socket s = sock(fd);
            return end(s.ops.shutdown(s, how));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("shutdown", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int optname, byte[] optval, int optlen) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("setsockopt(" + fd + ", " + Strace.level(level) + ", " + Strace.optname(level, optname) + ", "
                    + (optval == null ? "NULL" : optval.length >= 4 && optlen == 4 ? "[" + SockOpts.intAt(optval, 0) + "]" : "optval") + ", " + optlen + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            if (optlen < 0) return end(-Errno.EINVAL);
            Socket s = sock(fd);
            if (level == Net.SOL_SOCKET) return end(SockOpts.set(s, optname, optval, optlen, task.cred));
            return end(s.ops.setsockopt(s, level, optname, optval, optlen));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("setsockopt", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("getsockopt(" + fd + ", " + Strace.level(level) + ", " + Strace.optname(level, optname) + ", "
                    + (optval == null ? "NULL" : "optval") + ", " + Strace.ints(optlen) + ")");
            int err = sockfdErr(fd);
            if (err < 0) return end(err);
            Socket s = sock(fd);
            if (level == Net.SOL_SOCKET && (optlen == null || optlen.length < 1)) return end(-Errno.EFAULT);
            // Other levels read the length in the family's getsockopt, after it has decided whether
            // it knows the level at all: a level it does not know is EOPNOTSUPP even with a NULL
            // optlen (AF_UNIX for every level, a UDP socket for SOL_TCP).
            int r = level == Net.SOL_SOCKET ? SockOpts.get(s, optname, optval, optlen) : s.ops.getsockopt(s, level, optname, optval, optlen);
            if (tr.on && r == 0 && optlen != null && optlen.length > 0) tr.note("optlen=" + optlen[0] + (optlen[0] == 4 && optval != null && optval.length >= 4 ? " value=" + SockOpts.intAt(optval, 0) : ""));
            return end(r);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("getsockopt", e));
        } finally {
            finish(prev);
        }
    }

    // ---------------------------------------------------------------- files: close, fcntl, ioctl

    @Override
    public int close(int fd) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("close(" + fd + ")");
            File f = task.files.remove(fd);
            if (f == null) return end(-Errno.EBADF);
            if (tr.on && f.refCount() == 1) tr.note("last reference: releasing " + f.describe());
            f.drop();
            return end(0);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("close", e));
        } finally {
            finish(prev);
        }
    }

    /** F_SETFL may change only these (SETFL_MASK); sockets cannot do O_DIRECT (EINVAL). */
    static final int SETFL_MASK = Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.O_DIRECT | Fcntl.O_NOATIME | Fcntl.O_ASYNC;

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("fcntl(" + fd + ", " + Strace.fcntlCmd(cmd) + ", " + arg + ")");
            File f = task.files.get(fd);
            if (f == null) return end(-Errno.EBADF);
            return end(switch (cmd) {
                case Fcntl.F_GETFL -> f.flags;
                case Fcntl.F_SETFL -> {
                    if ((arg & Fcntl.O_DIRECT) != 0) yield -Errno.EINVAL;
                    f.flags = (arg & SETFL_MASK) | (f.flags & ~SETFL_MASK);
                    yield 0;
                }
                case Fcntl.F_GETFD -> task.files.closeOnExec(fd) ? Fcntl.FD_CLOEXEC : 0;
                case Fcntl.F_SETFD -> {
                    task.files.setCloseOnExec(fd, (arg & Fcntl.FD_CLOEXEC) != 0);
                    yield 0;
                }
                case Fcntl.F_DUPFD, Fcntl.F_DUPFD_CLOEXEC -> {
                    if (arg < 0 || arg >= task.files.limit()) yield -Errno.EINVAL;
                    int nfd = task.files.installFrom(f, arg, cmd == Fcntl.F_DUPFD_CLOEXEC);
                    if (nfd >= 0) f.hold();
                    yield nfd;
                }
                default -> -Errno.EINVAL;
            });
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("fcntl", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int ioctl(int fd, long request, int[] arg) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("ioctl(" + fd + ", " + Strace.ioctlReq(request) + ", " + Strace.ints(arg) + ")");
            File f = task.files.get(fd);
            if (f == null) return end(-Errno.EBADF);
            // do_vfs_ioctl: the requests every file answers, before the file's own ioctl.
            if (request == Fcntl.FIOCLEX) { task.files.setCloseOnExec(fd, true); return end(0); }
            if (request == Fcntl.FIONCLEX) { task.files.setCloseOnExec(fd, false); return end(0); }
            if (request == Fcntl.FIONBIO || request == Fcntl.FIOASYNC) {
                if (arg == null || arg.length < 1) return end(-Errno.EFAULT);
                int bit = request == Fcntl.FIONBIO ? Fcntl.O_NONBLOCK : Fcntl.O_ASYNC;
                f.flags = arg[0] != 0 ? f.flags | bit : f.flags & ~bit;
                return end(0);
            }
            int r = f.ioctl(request, arg);
            if (tr.on && r == 0 && arg != null && arg.length > 0) tr.note("*arg = " + arg[0]);
            return end(r);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("ioctl", e));
        } finally {
            finish(prev);
        }
    }

    // ---------------------------------------------------------------- poll

    /** One poll_table_entry: forwards a file's wake-up to the polling caller's private queue. */
    private static final class PollEntry extends WaitQueue.Entry {
        final WaitQueue target;
        final int interest;

        PollEntry(WaitQueue target, int interest) { this.target = target; this.interest = interest; }

        @Override protected void wake(int events) {
            if (events == 0 || (events & interest) != 0) target.wakeUp(events);
        }
    }

    @Override
    public int poll(PollFd[] fds, int nfds, int timeoutMs) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("poll(" + pollString(fds, nfds) + ", " + nfds + ", " + timeoutMs + ")");
            int r = sysPoll(fds, nfds, timeoutMs);
            if (tr.on && r > 0) tr.note("revents: " + pollString(fds, nfds));
            return end(r);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("poll", e));
        } finally {
            finish(prev);
        }
    }

    private static String pollString(PollFd[] fds, int nfds) {
        if (fds == null) return "NULL";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(Math.max(nfds, 0), Math.min(fds.length, 8)); i++) {
            if (i > 0) sb.append(", ");
            PollFd p = fds[i];
            if (p == null) { sb.append("NULL"); continue; }
            sb.append("{fd=").append(p.fd).append(", events=").append(Strace.pollEvents(p.events & 0xFFFF));
            if (p.revents != 0) sb.append(", revents=").append(Strace.pollEvents(p.revents & 0xFFFF));
            sb.append('}');
        }
        return sb.append(nfds > 8 ? ", ...]" : "]").toString();
    }

    /** do_sys_poll: nfds beyond RLIMIT_NOFILE is EINVAL; bad descriptors report POLLNVAL; negative ones are skipped. */
    private int sysPoll(PollFd[] fds, int nfds, int timeoutMs) {
        if (Integer.compareUnsigned(nfds, task.files.limit()) > 0) return -Errno.EINVAL;
        if (nfds > 0 && (fds == null || fds.length < nfds)) return -Errno.EFAULT;
        for (int i = 0; i < nfds; i++) if (fds[i] == null) return -Errno.EFAULT;
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : sched.now() + timeoutMs * 1_000_000L;
        WaitQueue mine = null;
        PollEntry[] entries = null;
        try {
            for (;;) {
                int count = 0;
                for (int i = 0; i < nfds; i++) {
                    PollFd p = fds[i];
                    int mask = 0;
                    if (p.fd >= 0) {
                        File f = task.files.get(p.fd);
                        if (f == null) mask = Poll.POLLNVAL;
                        else mask = f.poll() & ((p.events & 0xFFFF) | Poll.POLLERR | Poll.POLLHUP);
                    }
                    p.revents = (short) mask;
                    if (mask != 0) count++;
                }
                if (count > 0 || timeoutMs == 0) return count;
                if (sched.now() >= deadline) return 0;
                if (mine == null) {
                    // poll_wait: hook a private queue into every file's wait queue, once.
                    mine = new WaitQueue();
                    entries = new PollEntry[nfds];
                    for (int i = 0; i < nfds; i++) {
                        File f = fds[i].fd >= 0 ? task.files.get(fds[i].fd) : null;
                        if (f == null) continue;
                        entries[i] = new PollEntry(mine, (fds[i].events & 0xFFFF) | Poll.POLLERR | Poll.POLLHUP);
                        f.waitQueue().add(entries[i]);
                    }
                }
                int r = sched.await(mine, deadline);
                if (r == Scheduler.INTERRUPTED) return -Errno.EINTR;
            }
        } finally {
            if (entries != null) for (PollEntry e : entries) if (e != null && e.queued()) removeEntry(e);
        }
    }

    private void removeEntry(PollEntry e) {
        // The entry knows its queue only privately; every file's queue accepts remove() of a foreign entry as a no-op.
        for (int fd = 0; fd < task.files.span(); fd++) {
            File f = task.files.get(fd);
            if (f != null) f.waitQueue().remove(e);
            if (!e.queued()) return;
        }
    }

    // ---------------------------------------------------------------- epoll

    @Override
    public int epollCreate1(int flags) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("epoll_create1(" + (flags == Poll.EPOLL_CLOEXEC ? "EPOLL_CLOEXEC" : Integer.toString(flags)) + ")");
            if ((flags & ~Poll.EPOLL_CLOEXEC) != 0) return end(-Errno.EINVAL);
            int err = task.files.checkFree();
            if (err == 0) err = checkNfile(1);
            if (err < 0) return end(err);
            return end(task.files.install(new EventPoll(stack, 0), (flags & Poll.EPOLL_CLOEXEC) != 0));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("epoll_create1", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, EpollEvent event) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("epoll_ctl(" + epfd + ", " + Strace.epollOp(op) + ", " + fd + ", "
                    + (event == null ? "NULL" : "{events=" + Strace.pollEvents(event.events) + ", data=" + event.data + "}") + ")");
            // The event is copied in first (EFAULT), before either descriptor is looked at.
            if (op != Poll.EPOLL_CTL_DEL && event == null) return end(-Errno.EFAULT);
            File f = task.files.get(epfd);
            if (f == null) return end(-Errno.EBADF);
            File tf = task.files.get(fd);
            if (tf == null) return end(-Errno.EBADF);
            if (!tf.pollable()) return end(-Errno.EPERM);
            if (f == tf || !(f instanceof EventPoll ep)) return end(-Errno.EINVAL);
            int events = event == null ? 0 : event.events;
            long data = event == null ? 0 : event.data;
            return end(ep.ctl(op, fd, tf, events, data));
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("epoll_ctl", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int epollWait(int epfd, EpollEvent[] events, int maxevents, int timeoutMs) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("epoll_wait(" + epfd + ", " + (events == null ? "NULL" : "events") + ", " + maxevents + ", " + timeoutMs + ")");
            if (maxevents <= 0 || maxevents > EventPoll.MAX_EVENTS) return end(-Errno.EINVAL);
            File f = task.files.get(epfd);
            if (f == null) return end(-Errno.EBADF);
            if (!(f instanceof EventPoll ep)) return end(-Errno.EINVAL);
            int r = ep.await(events, maxevents, timeoutMs);
            if (tr.on) for (int i = 0; i < r; i++) tr.note("{events=" + Strace.pollEvents(events[i].events) + ", data=" + events[i].data + "}");
            return end(r);
        } catch (RuntimeException | StackOverflowError e) {
            return end(bug("epoll_wait", e));
        } finally {
            finish(prev);
        }
    }

    @Override
    public int setRlimitNofile(int limit) {
        Task prev = begin();
        try {
            if (tr.on) tr.syscall("setrlimit(RLIMIT_NOFILE, {rlim_cur=" + limit + "})");
            if (limit < 0) return end(-Errno.EINVAL);
            if (limit > NR_OPEN) return end(-Errno.EPERM);
            task.files.setLimit(limit);
            return end(0);
        } finally {
            finish(prev);
        }
    }

    // ---------------------------------------------------------------- socketcall(2)

    /** Argument counts of each SYS_* call (nargs[] in net/socket.c). */
    private static final int[] NARGS = {0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4};

    /**
     * socketcall(2): the multiplexer 32-bit x86 programs use. {@code call} is SYS_SOCKET (1) ..
     * SYS_SENDMMSG (20), anything else EINVAL; {@code args} are the call's arguments in order as
     * Java values (Integer for ints, byte[] / int[] / MsgHdr / MMsgHdr[] for pointers, null for
     * NULL; recvmmsg's timeout a Long of nanoseconds or null). Too few arguments, or one of the
     * wrong kind, is EFAULT, as unreadable argument memory is on Linux.
     */
    public int socketcall(int call, Object... args) {
        if (call < 1 || call > Net.SYS_SENDMMSG) return -Errno.EINVAL;
        if (args == null || args.length < NARGS[call]) return -Errno.EFAULT;
        try {
            return switch (call) {
                case Net.SYS_SOCKET -> socket(i(args[0]), i(args[1]), i(args[2]));
                case Net.SYS_BIND -> bind(i(args[0]), b(args[1]), i(args[2]));
                case Net.SYS_CONNECT -> connect(i(args[0]), b(args[1]), i(args[2]));
                case Net.SYS_LISTEN -> listen(i(args[0]), i(args[1]));
                case Net.SYS_ACCEPT -> accept(i(args[0]), b(args[1]), ia(args[2]));
                case Net.SYS_GETSOCKNAME -> getsockname(i(args[0]), b(args[1]), ia(args[2]));
                case Net.SYS_GETPEERNAME -> getpeername(i(args[0]), b(args[1]), ia(args[2]));
                case Net.SYS_SOCKETPAIR -> socketpair(i(args[0]), i(args[1]), i(args[2]), ia(args[3]));
                case Net.SYS_SEND -> send(i(args[0]), b(args[1]), i(args[2]), i(args[3]));
                case Net.SYS_RECV -> recv(i(args[0]), b(args[1]), i(args[2]), i(args[3]));
                case Net.SYS_SENDTO -> sendto(i(args[0]), b(args[1]), i(args[2]), i(args[3]), b(args[4]), i(args[5]));
                case Net.SYS_RECVFROM -> recvfrom(i(args[0]), b(args[1]), i(args[2]), i(args[3]), b(args[4]), ia(args[5]));
                case Net.SYS_SHUTDOWN -> shutdown(i(args[0]), i(args[1]));
                case Net.SYS_SETSOCKOPT -> setsockopt(i(args[0]), i(args[1]), i(args[2]), b(args[3]), i(args[4]));
                case Net.SYS_GETSOCKOPT -> getsockopt(i(args[0]), i(args[1]), i(args[2]), b(args[3]), ia(args[4]));
                case Net.SYS_SENDMSG -> sendmsg(i(args[0]), msg(args[1]), i(args[2]));
                case Net.SYS_RECVMSG -> recvmsg(i(args[0]), msg(args[1]), i(args[2]));
                case Net.SYS_ACCEPT4 -> accept4(i(args[0]), b(args[1]), ia(args[2]), i(args[3]));
                case Net.SYS_RECVMMSG -> recvmmsg(i(args[0]), mmsg(args[1]), i(args[2]), i(args[3]), timeout(args[4]));
                case Net.SYS_SENDMMSG -> sendmmsg(i(args[0]), mmsg(args[1]), i(args[2]), i(args[3]));
                default -> -Errno.EINVAL;
            };
        } catch (BadArg e) {
            return -Errno.EFAULT;
        }
    }

    /** An argument of the wrong kind: the socketcall analogue of unreadable argument memory. */
    private static final class BadArg extends RuntimeException {
        BadArg() { super(null, null, false, false); }
    }

    private static final BadArg BAD_ARG = new BadArg();

    private static int i(Object o) {
        if (o instanceof Integer v) return v;
        if (o instanceof Long v && v == (int) (long) v) return (int) (long) v;
        throw BAD_ARG;
    }

    private static byte[] b(Object o) {
        if (o == null || o instanceof byte[]) return (byte[]) o;
        throw BAD_ARG;
    }

    private static int[] ia(Object o) {
        if (o == null || o instanceof int[]) return (int[]) o;
        throw BAD_ARG;
    }

    private static MsgHdr msg(Object o) {
        if (o == null || o instanceof MsgHdr) return (MsgHdr) o;
        throw BAD_ARG;
    }

    private static MMsgHdr[] mmsg(Object o) {
        if (o == null || o instanceof MMsgHdr[]) return (MMsgHdr[]) o;
        throw BAD_ARG;
    }

    private static long timeout(Object o) {
        if (o == null) return -1;
        if (o instanceof Long v) return v;
        if (o instanceof Integer v) return v;
        throw BAD_ARG;
    }
}
