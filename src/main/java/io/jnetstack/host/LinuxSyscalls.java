package io.jnetstack.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.jnetstack.syscall.EpollEvent;
import io.jnetstack.syscall.MMsgHdr;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.Syscalls;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The host Linux kernel behind the {@link Syscalls} contract, reached through the JDK's
 * foreign-function API: every call copies its Java arguments into native memory
 * ({@link UserMem}, one confined arena per call), calls libc, copies value-result data back and
 * returns the result or {@code -errno} (errno captured by the downcall itself).
 *
 * <p>Network namespaces and capabilities are per thread in Linux: run everything that belongs to
 * one namespace on one {@link HostThread}. The instance itself holds no per-thread state except
 * the saved RLIMIT_NOFILE (see {@link #setRlimitNofile}).
 *
 * <p>Lengths are passed as C would pass an {@code int}: a negative {@code len} given to a
 * {@code size_t} parameter is sign-extended (so -1 is SIZE_MAX).
 */
public final class LinuxSyscalls implements Syscalls {
    /** struct msghdr / iovec / mmsghdr / pollfd / epoll_event sizes on x86-64. */
    static final int MSGHDR = 56, IOVEC = 16, MMSGHDR = 64, POLLFD = 8, EPOLL_EVENT = 12;

    private long savedNofileSoft = -1;

    public LinuxSyscalls() {}

    private static RuntimeException fail(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    private static int ret(int r, UserMem m) { return r < 0 ? -m.errno() : r; }

    private static int ret(long r, UserMem m) { return r < 0 ? -m.errno() : (int) r; }

    @Override
    public int socket(int domain, int type, int protocol) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.SOCKET.invokeExact(m.state, domain, type, protocol), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] sv) {
        try (UserMem m = new UserMem()) {
            MemorySegment p = m.ints(sv, 2);
            int r = ret((int) Libc.SOCKETPAIR.invokeExact(m.state, domain, type, protocol, p), m);
            UserMem.out(p, sv);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int bind(int fd, byte[] addr, int addrlen) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.BIND.invokeExact(m.state, fd, m.in(addr, Integer.toUnsignedLong(addrlen)), addrlen), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int listen(int fd, int backlog) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.LISTEN.invokeExact(m.state, fd, backlog), m);
        } catch (Throwable t) { throw fail(t); }
    }

    /** addr is told to be addrlen[0] long when addrlen is given (the kernel writes up to that). */
    private static long told(int[] addrlen) {
        return addrlen != null && addrlen.length > 0 ? Integer.toUnsignedLong(addrlen[0]) : 0;
    }

    @Override
    public int accept(int fd, byte[] addr, int[] addrlen) {
        try (UserMem m = new UserMem()) {
            MemorySegment a = m.in(addr, told(addrlen)), l = m.ints(addrlen, 1);
            int r = ret((int) Libc.ACCEPT.invokeExact(m.state, fd, a, l), m);
            UserMem.out(a, addr);
            UserMem.out(l, addrlen);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int accept4(int fd, byte[] addr, int[] addrlen, int flags) {
        try (UserMem m = new UserMem()) {
            MemorySegment a = m.in(addr, told(addrlen)), l = m.ints(addrlen, 1);
            int r = ret((int) Libc.ACCEPT4.invokeExact(m.state, fd, a, l, flags), m);
            UserMem.out(a, addr);
            UserMem.out(l, addrlen);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int connect(int fd, byte[] addr, int addrlen) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.CONNECT.invokeExact(m.state, fd, m.in(addr, Integer.toUnsignedLong(addrlen)), addrlen), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int getsockname(int fd, byte[] addr, int[] addrlen) {
        try (UserMem m = new UserMem()) {
            MemorySegment a = m.in(addr, told(addrlen)), l = m.ints(addrlen, 1);
            int r = ret((int) Libc.GETSOCKNAME.invokeExact(m.state, fd, a, l), m);
            UserMem.out(a, addr);
            UserMem.out(l, addrlen);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int getpeername(int fd, byte[] addr, int[] addrlen) {
        try (UserMem m = new UserMem()) {
            MemorySegment a = m.in(addr, told(addrlen)), l = m.ints(addrlen, 1);
            int r = ret((int) Libc.GETPEERNAME.invokeExact(m.state, fd, a, l), m);
            UserMem.out(a, addr);
            UserMem.out(l, addrlen);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int send(int fd, byte[] buf, int len, int flags) {
        return sendto(fd, buf, len, flags, null, 0);
    }

    @Override
    public int sendto(int fd, byte[] buf, int len, int flags, byte[] addr, int addrlen) {
        try (UserMem m = new UserMem()) {
            MemorySegment b = m.in(buf, len), a = m.in(addr, Integer.toUnsignedLong(addrlen));
            return ret((long) Libc.SENDTO.invokeExact(m.state, fd, b, (long) len, flags, a, addrlen), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int recv(int fd, byte[] buf, int len, int flags) {
        return recvfrom(fd, buf, len, flags, null, null);
    }

    @Override
    public int recvfrom(int fd, byte[] buf, int len, int flags, byte[] addr, int[] addrlen) {
        try (UserMem m = new UserMem()) {
            MemorySegment b = m.in(buf, len), a = m.in(addr, told(addrlen)), l = m.ints(addrlen, 1);
            int r = ret((long) Libc.RECVFROM.invokeExact(m.state, fd, b, (long) len, flags, a, l), m);
            UserMem.out(b, buf);
            UserMem.out(a, addr);
            UserMem.out(l, addrlen);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int open(String path, int flags, int mode) {
        try (UserMem m = new UserMem()) {
            MemorySegment p = path == null ? MemorySegment.NULL : m.in((path + "\0").getBytes(StandardCharsets.UTF_8), path.length() + 1L);
            return ret((int) Libc.OPEN.invokeExact(m.state, p, flags, mode), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int sendfile(int outFd, int inFd, long[] offset, int count) {
        try (UserMem m = new UserMem()) {
            MemorySegment o = m.longs(offset);
            int r = ret((long) Libc.SENDFILE.invokeExact(m.state, outFd, inFd, o, (long) count), m);
            UserMem.out(o, offset);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int pipe2(int[] fds, int flags) {
        try (UserMem m = new UserMem()) {
            MemorySegment p = m.ints(fds, 2);
            int r = ret((int) Libc.PIPE2.invokeExact(m.state, p, flags), m);
            UserMem.out(p, fds);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int read(int fd, byte[] buf, int len) {
        try (UserMem m = new UserMem()) {
            MemorySegment b = m.in(buf, len);
            int r = ret((long) Libc.READ.invokeExact(m.state, fd, b, (long) len), m);
            UserMem.out(b, buf);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int write(int fd, byte[] buf, int len) {
        try (UserMem m = new UserMem()) {
            return ret((long) Libc.WRITE.invokeExact(m.state, fd, m.in(buf, len), (long) len), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int splice(int fdIn, long[] offIn, int fdOut, long[] offOut, int len, int flags) {
        try (UserMem m = new UserMem()) {
            MemorySegment oi = m.longs(offIn), oo = m.longs(offOut);
            int r = ret((long) Libc.SPLICE.invokeExact(m.state, fdIn, oi, fdOut, oo, (long) len, flags), m);
            UserMem.out(oi, offIn);
            UserMem.out(oo, offOut);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    /** Native copies of one msghdr's pointers, for copying back. */
    private record NativeMsg(MemorySegment hdr, MemorySegment name, MemorySegment[] iov, MemorySegment control) {}

    /** Fills a struct msghdr at {@code h} from {@code msg} (null msg: leaves h zeroed). */
    private static NativeMsg buildMsg(UserMem m, MemorySegment h, MsgHdr msg) {
        if (msg == null) return new NativeMsg(h, MemorySegment.NULL, new MemorySegment[0], MemorySegment.NULL);
        MemorySegment name = m.in(msg.name, Integer.toUnsignedLong(msg.namelen));
        int n = msg.iovCount();
        MemorySegment[] bufs = new MemorySegment[n];
        MemorySegment iov = n == 0 ? MemorySegment.NULL : m.arena.allocate((long) n * IOVEC, 8);
        for (int i = 0; i < n; i++) {
            long len = msg.iovLen != null && i < msg.iovLen.length ? msg.iovLen[i]
                    : msg.iov[i] == null ? 0 : msg.iov[i].length;
            bufs[i] = m.in(msg.iov[i], len);
            iov.set(ADDRESS, (long) i * IOVEC, bufs[i]);
            iov.set(JAVA_LONG, (long) i * IOVEC + 8, len);
        }
        MemorySegment control = m.in(msg.control, msg.controllen);
        h.set(ADDRESS, 0, name);
        h.set(JAVA_INT, 8, msg.namelen);
        h.set(ADDRESS, 16, iov);
        h.set(JAVA_LONG, 24, n);
        h.set(ADDRESS, 32, control);
        h.set(JAVA_LONG, 40, Integer.toUnsignedLong(msg.controllen));
        h.set(JAVA_INT, 48, msg.flags);
        return new NativeMsg(h, name, bufs, control);
    }

    private static void readBack(NativeMsg nm, MsgHdr msg) {
        if (msg == null) return;
        UserMem.out(nm.name(), msg.name);
        for (int i = 0; i < nm.iov().length; i++) UserMem.out(nm.iov()[i], msg.iov[i]);
        UserMem.out(nm.control(), msg.control);
        msg.namelen = nm.hdr().get(JAVA_INT, 8);
        msg.controllen = (int) nm.hdr().get(JAVA_LONG, 40);
        msg.flags = nm.hdr().get(JAVA_INT, 48);
    }

    @Override
    public int sendmsg(int fd, MsgHdr msg, int flags) {
        try (UserMem m = new UserMem()) {
            MemorySegment h = msg == null ? MemorySegment.NULL : m.arena.allocate(MSGHDR, 8);
            buildMsg(m, h, msg);
            return ret((long) Libc.SENDMSG.invokeExact(m.state, fd, h, flags), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int recvmsg(int fd, MsgHdr msg, int flags) {
        try (UserMem m = new UserMem()) {
            MemorySegment h = msg == null ? MemorySegment.NULL : m.arena.allocate(MSGHDR, 8);
            NativeMsg nm = buildMsg(m, h, msg);
            int r = ret((long) Libc.RECVMSG.invokeExact(m.state, fd, h, flags), m);
            readBack(nm, msg);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    private static NativeMsg[] buildVec(UserMem m, MemorySegment vec, MMsgHdr[] msgvec) {
        NativeMsg[] out = new NativeMsg[msgvec == null ? 0 : msgvec.length];
        for (int i = 0; i < out.length; i++) {
            MemorySegment h = vec.asSlice((long) i * MMSGHDR, MMSGHDR);
            out[i] = buildMsg(m, h, msgvec[i] == null ? null : msgvec[i].hdr);
            h.set(JAVA_INT, MSGHDR, msgvec[i] == null ? 0 : msgvec[i].len);
        }
        return out;
    }

    private static void readBackVec(MemorySegment vec, NativeMsg[] nms, MMsgHdr[] msgvec) {
        for (int i = 0; i < nms.length; i++) {
            if (msgvec[i] == null) continue;
            readBack(nms[i], msgvec[i].hdr);
            msgvec[i].len = vec.get(JAVA_INT, (long) i * MMSGHDR + MSGHDR);
        }
    }

    @Override
    public int sendmmsg(int fd, MMsgHdr[] msgvec, int vlen, int flags) {
        try (UserMem m = new UserMem()) {
            MemorySegment vec = msgvec == null ? MemorySegment.NULL
                    : m.region((long) msgvec.length * MMSGHDR, Integer.toUnsignedLong(vlen) * MMSGHDR);
            NativeMsg[] nms = buildVec(m, vec, msgvec);
            int r = ret((int) Libc.SENDMMSG.invokeExact(m.state, fd, vec, vlen, flags), m);
            readBackVec(vec, nms, msgvec);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int recvmmsg(int fd, MMsgHdr[] msgvec, int vlen, int flags, long timeoutNs) {
        try (UserMem m = new UserMem()) {
            MemorySegment vec = msgvec == null ? MemorySegment.NULL
                    : m.region((long) msgvec.length * MMSGHDR, Integer.toUnsignedLong(vlen) * MMSGHDR);
            NativeMsg[] nms = buildVec(m, vec, msgvec);
            MemorySegment ts = MemorySegment.NULL;
            if (timeoutNs >= 0) {
                ts = m.arena.allocate(16, 8);
                ts.set(JAVA_LONG, 0, timeoutNs / 1_000_000_000L);
                ts.set(JAVA_LONG, 8, timeoutNs % 1_000_000_000L);
            }
            int r = ret((int) Libc.RECVMMSG.invokeExact(m.state, fd, vec, vlen, flags, ts), m);
            readBackVec(vec, nms, msgvec);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int shutdown(int fd, int how) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.SHUTDOWN.invokeExact(m.state, fd, how), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int setsockopt(int fd, int level, int optname, byte[] optval, int optlen) {
        try (UserMem m = new UserMem()) {
            MemorySegment v = m.in(optval, Integer.toUnsignedLong(optlen));
            return ret((int) Libc.SETSOCKOPT.invokeExact(m.state, fd, level, optname, v, optlen), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen) {
        try (UserMem m = new UserMem()) {
            MemorySegment v = m.in(optval, told(optlen)), l = m.ints(optlen, 1);
            int r = ret((int) Libc.GETSOCKOPT.invokeExact(m.state, fd, level, optname, v, l), m);
            UserMem.out(v, optval);
            UserMem.out(l, optlen);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int close(int fd) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.CLOSE.invokeExact(m.state, fd), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.FCNTL.invokeExact(m.state, fd, cmd, arg), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int ioctl(int fd, long request, int[] arg) {
        try (UserMem m = new UserMem()) {
            MemorySegment a = m.ints(arg, 1);
            int r = ret((int) Libc.IOCTL.invokeExact(m.state, fd, request, a), m);
            UserMem.out(a, arg);
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int poll(PollFd[] fds, int nfds, int timeoutMs) {
        try (UserMem m = new UserMem()) {
            MemorySegment p = MemorySegment.NULL;
            if (fds != null) {
                p = m.region((long) fds.length * POLLFD, Integer.toUnsignedLong(nfds) * POLLFD);
                for (int i = 0; i < fds.length; i++) {
                    p.set(JAVA_INT, i * 8L, fds[i].fd);
                    p.set(JAVA_SHORT, i * 8L + 4, fds[i].events);
                    p.set(JAVA_SHORT, i * 8L + 6, fds[i].revents);
                }
            }
            int r = ret((int) Libc.POLL.invokeExact(m.state, p, Integer.toUnsignedLong(nfds), timeoutMs), m);
            if (fds != null) {
                for (int i = 0; i < fds.length; i++) fds[i].revents = p.get(JAVA_SHORT, i * 8L + 6);
            }
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int epollCreate1(int flags) {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.EPOLL_CREATE1.invokeExact(m.state, flags), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, EpollEvent event) {
        try (UserMem m = new UserMem()) {
            MemorySegment e = MemorySegment.NULL;
            if (event != null) {
                e = m.arena.allocate(EPOLL_EVENT, 8);
                e.set(JAVA_INT_UNALIGNED, 0, event.events);
                e.set(JAVA_LONG_UNALIGNED, 4, event.data);
            }
            return ret((int) Libc.EPOLL_CTL.invokeExact(m.state, epfd, op, fd, e), m);
        } catch (Throwable t) { throw fail(t); }
    }

    @Override
    public int epollWait(int epfd, EpollEvent[] events, int maxevents, int timeoutMs) {
        try (UserMem m = new UserMem()) {
            MemorySegment e = MemorySegment.NULL;
            if (events != null) {
                long need = maxevents < 0 ? 0 : (long) maxevents * EPOLL_EVENT;
                e = m.region((long) events.length * EPOLL_EVENT, need);
            }
            int r = ret((int) Libc.EPOLL_WAIT.invokeExact(m.state, epfd, e, maxevents, timeoutMs), m);
            if (events != null) {
                for (int i = 0; i < Math.min(Math.max(r, 0), events.length); i++) {
                    if (events[i] == null) events[i] = new EpollEvent();
                    events[i].events = e.get(JAVA_INT_UNALIGNED, i * (long) EPOLL_EVENT);
                    events[i].data = e.get(JAVA_LONG_UNALIGNED, i * (long) EPOLL_EVENT + 4);
                }
            }
            return r;
        } catch (Throwable t) { throw fail(t); }
    }

    /** RLIMIT_NOFILE as {soft, hard}, or null when getrlimit fails. */
    public long[] getRlimitNofile() {
        try (UserMem m = new UserMem()) {
            MemorySegment rl = m.arena.allocate(16, 8);
            int r = (int) Libc.GETRLIMIT.invokeExact(m.state, Libc.RLIMIT_NOFILE, rl);
            return r < 0 ? null : new long[] {rl.get(JAVA_LONG, 0), rl.get(JAVA_LONG, 8)};
        } catch (Throwable t) { throw fail(t); }
    }

    /**
     * Sets the soft RLIMIT_NOFILE, keeping the hard limit. <b>Process-wide</b>: every JVM thread
     * opening a file while the limit is low can get EMFILE. The first call remembers the soft
     * limit in force so {@link #restoreRlimitNofile()} can put it back; keep the window short.
     */
    @Override
    public int setRlimitNofile(int limit) {
        long[] cur = getRlimitNofile();
        if (cur == null) return -io.jnetstack.uapi.Errno.EPERM;
        if (savedNofileSoft < 0) savedNofileSoft = cur[0];
        return setNofile(Integer.toUnsignedLong(limit), cur[1]);
    }

    private static int setNofile(long soft, long hard) {
        try (UserMem m = new UserMem()) {
            MemorySegment rl = m.arena.allocate(16, 8);
            rl.set(JAVA_LONG, 0, soft);
            rl.set(JAVA_LONG, 8, hard);
            return ret((int) Libc.SETRLIMIT.invokeExact(m.state, Libc.RLIMIT_NOFILE, rl), m);
        } catch (Throwable t) { throw fail(t); }
    }

    /** Puts back the soft RLIMIT_NOFILE saved by the first {@link #setRlimitNofile}; 0 if none saved. */
    public int restoreRlimitNofile() {
        if (savedNofileSoft < 0) return 0;
        long[] cur = getRlimitNofile();
        int r = setNofile(savedNofileSoft, cur == null ? savedNofileSoft : cur[1]);
        if (r == 0) savedNofileSoft = -1;
        return r;
    }

    // ---- Helpers for the harness: namespace, link, capabilities, sysctls (all per calling thread) ----

    /** unshare(CLONE_NEWNET): the calling thread (only) moves to a new, empty network namespace. */
    public int unshareNet() {
        try (UserMem m = new UserMem()) {
            return ret((int) Libc.UNSHARE.invokeExact(m.state, Libc.CLONE_NEWNET), m);
        } catch (Throwable t) { throw fail(t); }
    }

    /** Sets IFF_UP on an interface of the calling thread's namespace (SIOCGIFFLAGS/SIOCSIFFLAGS). */
    public int linkUp(String ifname) {
        int s = socket(2 /* AF_INET */, 2 /* SOCK_DGRAM */, 0);
        if (s < 0) return s;
        try (UserMem m = new UserMem()) {
            MemorySegment ifr = m.arena.allocate(40, 8);
            byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(name, 0, ifr, JAVA_BYTE, 0, Math.min(name.length, 15));
            int r = ret((int) Libc.IOCTL.invokeExact(m.state, s, Libc.SIOCGIFFLAGS, ifr), m);
            if (r < 0) return r;
            ifr.set(JAVA_SHORT, 16, (short) (ifr.get(JAVA_SHORT, 16) | Libc.IFF_UP));
            return ret((int) Libc.IOCTL.invokeExact(m.state, s, Libc.SIOCSIFFLAGS, ifr), m);
        } catch (Throwable t) {
            throw fail(t);
        } finally {
            close(s);
        }
    }

    /** The calling thread's capability sets as {effective, permitted, inheritable} (64-bit masks). */
    public long[] capabilities() {
        try (UserMem m = new UserMem()) {
            MemorySegment hdr = m.arena.allocate(8, 4), data = m.arena.allocate(24, 4);
            hdr.set(JAVA_INT, 0, 0x20080522); // _LINUX_CAPABILITY_VERSION_3
            hdr.set(JAVA_INT, 4, 0); // this thread
            long r = (long) Libc.SYSCALL2.invokeExact(m.state, (long) Libc.SYS_CAPGET, hdr, data);
            if (r < 0) throw new IllegalStateException("capget: errno " + m.errno());
            long[] out = new long[3];
            for (int k = 0; k < 3; k++) {
                out[k] = Integer.toUnsignedLong(data.get(JAVA_INT, k * 4L))
                        | Integer.toUnsignedLong(data.get(JAVA_INT, 12 + k * 4L)) << 32;
            }
            return out;
        } catch (Throwable t) { throw fail(t); }
    }

    /** Sets the calling thread's effective capability set (must be a subset of permitted). */
    public int setEffectiveCapabilities(long effective) {
        long[] c = capabilities();
        try (UserMem m = new UserMem()) {
            MemorySegment hdr = m.arena.allocate(8, 4), data = m.arena.allocate(24, 4);
            hdr.set(JAVA_INT, 0, 0x20080522);
            hdr.set(JAVA_INT, 4, 0);
            long[] sets = {effective, c[1], c[2]};
            for (int k = 0; k < 3; k++) {
                data.set(JAVA_INT, k * 4L, (int) sets[k]);
                data.set(JAVA_INT, 12 + k * 4L, (int) (sets[k] >>> 32));
            }
            return ret((long) Libc.SYSCALL2.invokeExact(m.state, (long) Libc.SYS_CAPSET, hdr, data), m);
        } catch (Throwable t) { throw fail(t); }
    }

    /** The calling thread's kernel thread id. */
    public int gettid() {
        try (UserMem m = new UserMem()) {
            return (int) (long) Libc.SYSCALL0.invokeExact(m.state, (long) Libc.SYS_GETTID);
        } catch (Throwable t) { throw fail(t); }
    }

    /** True when {@code fd} is open in this process (fcntl F_GETFD succeeds). */
    public boolean isOpen(int fd) { return fd >= 0 && fcntl(fd, 1 /* F_GETFD */, 0) >= 0; }

    /**
     * Writes a sysctl of the calling thread's network namespace, {@code name} relative to
     * /proc/sys with dots or slashes ("net.ipv4.ping_group_range"). /proc/sys/net resolves against
     * the netns of the thread that opens the file, so call this on the namespace's thread.
     */
    public void writeSysctl(String name, String value) throws IOException {
        try (FileOutputStream out = new FileOutputStream(sysctlPath(name).toFile())) {
            out.write((value + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Reads a sysctl as the calling thread sees it, trimmed. */
    public String readSysctl(String name) throws IOException {
        // Not Files.readString: it sizes its buffer from st_size, which is 0 in /proc, and comes back short.
        try (FileInputStream in = new FileInputStream(sysctlPath(name).toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    static Path sysctlPath(String name) {
        return Path.of("/proc/sys", name.replace('.', '/'));
    }
}
