package io.jnetstack.packetdrill;

import io.jnetstack.packetdrill.Ast.*;
import io.jnetstack.syscall.EpollEvent;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Executes a script's system calls through {@link Syscalls} (run_system_call.c): evaluates the
 * arguments (symbols, {@code ...} filled in with packetdrill's addresses, structs), maps the
 * script's file descriptors to live ones, makes the call on a simulated application thread, and
 * checks the result, errno and the out-values the script names.
 *
 * <p>Results are compared as packetdrill compares a libc call's: our {@code -errno} becomes -1 with
 * that errno.
 */
final class SyscallExec {
    private final ScriptRun run;
    private final Syscalls calls;

    SyscallExec(ScriptRun run) {
        this.run = run;
        this.calls = run.target.calls();
    }

    private static ScriptRun.Failure fail(int line, String name, String msg) {
        return new ScriptRun.Failure(line, "runtime error in " + name + " call: " + msg);
    }

    /** Starts a call at script time {@code startUs}; a non-blocking one is run to completion here. */
    void start(Event e, Syscall c, long startUs, long endUs) {
        ScriptRun.BlockingCall bc = new ScriptRun.BlockingCall(e);
        run.sched.spawn("syscall-" + c.name() + "@" + e.line(), () -> {
            try {
                execute(e.line(), c);
                if (c.blocking()) {
                    String err = run.verifyTime(e.time().type() == TimeType.ANY ? TimeType.ANY : TimeType.ABSOLUTE,
                            endUs, endUs, run.nowUs(), startUs, "system call return");
                    if (err != null && run.asyncFailure == null) run.asyncFailure = new ScriptRun.Failure(e.line(), err);
                }
            } catch (ScriptRun.Failure f) {
                if (run.asyncFailure == null) run.asyncFailure = f;
            } catch (RuntimeException ex) {
                if (run.asyncFailure == null)
                    run.asyncFailure = new ScriptRun.Failure(e.line(), "internal error in " + c.name() + " call: " + ex);
            } finally {
                bc.done = true;
            }
        });
        if (c.blocking()) {
            // Let it run until it sleeps or returns, at this same instant.
            run.sched.runUntil(() -> bc.done, run.sched.now());
            run.setBlocking(bc);
        } else {
            // packetdrill runs a non-blocking call on its main thread: nothing else happens until
            // it returns, however long that takes.
            run.sched.runUntil(() -> bc.done || run.asyncFailure != null, run.sched.now() + 3600_000_000_000L);
            if (!bc.done) throw fail(e.line(), c.name(), "system call did not return within an hour of virtual time");
        }
        run.checkAsync();
    }

    // ------------------------------------------------------------------ argument evaluation

    private long num(int line, String call, Expr e) {
        return switch (e) {
            case Int i -> i.value();
            case Word w -> {
                Long v = Symbols.value(w.name());
                if (v == null) throw fail(line, call, "unknown symbol '" + w.name() + "'");
                yield v;
            }
            case Binary b when b.op().equals("|") -> num(line, call, b.lhs()) | num(line, call, b.rhs());
            case ListExpr l when l.items().size() == 1 -> num(line, call, l.items().get(0));
            case InAddr a -> Integer.toUnsignedLong(ScriptRun.ip(a.addr()));
            default -> throw fail(line, call, "expected an integer but got " + e);
        };
    }

    private int arg(int line, Syscall c, int i) {
        if (c.args().size() <= i) throw fail(line, c.name(), "Argument list too short");
        return (int) num(line, c.name(), c.args().get(i));
    }

    private void argCount(int line, Syscall c, int n) {
        if (c.args().size() != n) throw fail(line, c.name(), "Expected " + n + " args but got " + c.args().size());
    }

    private int liveFd(int line, Syscall c, int scriptFd) {
        Integer l = run.fds.get(scriptFd);
        if (l == null) throw fail(line, c.name(), "unable to find socket with script fd " + scriptFd);
        return l;
    }

    private int fdArg(int line, Syscall c, int i) { return liveFd(line, c, arg(line, c, i)); }

    private static byte[] sockaddr(int ip, int port) {
        byte[] a = new byte[16];
        a[0] = 2; // AF_INET, host byte order
        a[2] = (byte) (port >> 8);
        a[3] = (byte) port;
        ScriptPackets.w32(a, 4, ip);
        return a;
    }

    private byte[] addrArg(int line, Syscall c, Expr e, boolean local) {
        return switch (e) {
            case Ellipsis x -> local ? sockaddr(run.localIp, run.bindPort) : sockaddr(run.remoteIp, run.connectPort);
            case Sockaddr s -> {
                Long fam = Symbols.value(s.family());
                if (fam == null || fam == 10) throw fail(line, c.name(), "sockaddr family " + s.family() + " is not supported (IPv4 only)");
                byte[] sa = sockaddr(ScriptRun.ip(s.addr()), s.port());
                sa[0] = (byte) fam.longValue();
                yield sa;
            }
            case Word w when w.name().equals("NULL") -> null;
            case Int i when i.value() == 0 -> null;
            case Word w when w.name().startsWith("AF_") -> {
                // A bare family (sendto(..., AF_UNSPEC, ...)): packetdrill's address with that family.
                byte[] sa = local ? sockaddr(run.localIp, run.bindPort) : sockaddr(run.remoteIp, run.connectPort);
                sa[0] = (byte) num(line, c.name(), w);
                yield sa;
            }
            default -> throw fail(line, c.name(), "bad sockaddr argument " + e);
        };
    }

    private int addrLenArg(int line, Syscall c, Expr e) {
        if (e instanceof Ellipsis) return 16;
        return (int) num(line, c.name(), e);
    }

    private static byte[] data(int len) { return new byte[Math.max(len, 0)]; }

    /** A loff_t * argument: NULL, or [offset]. */
    private long[] offArg(int line, Syscall c, Expr e) {
        return switch (e) {
            case Word w when w.name().equals("NULL") -> null;
            case Int i when i.value() == 0 -> null;
            case ListExpr l when l.items().size() == 1 -> new long[] {num(line, c.name(), l.items().get(0))};
            default -> throw fail(line, c.name(), "bad offset argument " + e);
        };
    }

    private byte[] bufArg(int line, Syscall c, Expr e, int len) {
        return switch (e) {
            case Ellipsis x -> data(len);
            case Str s -> java.util.Arrays.copyOf(s.value().getBytes(StandardCharsets.ISO_8859_1), Math.max(len, 0));
            case Binary b when b.op().equals(".") ->
                    java.util.Arrays.copyOf(str(line, c, b).getBytes(StandardCharsets.ISO_8859_1), Math.max(len, 0));
            case Word w when w.name().equals("NULL") -> null;
            case Int i when i.value() == 0 -> null;
            default -> throw fail(line, c.name(), "bad buffer argument " + e);
        };
    }

    /** "abc" "def": adjacent strings concatenate, as in C. */
    private String str(int line, Syscall c, Expr e) {
        return switch (e) {
            case Str s -> s.value();
            case Binary b when b.op().equals(".") -> str(line, c, b.lhs()) + str(line, c, b.rhs());
            default -> throw fail(line, c.name(), "expected a string but got " + e);
        };
    }

    // ------------------------------------------------------------------ result checks

    /** end_syscall(CHECK_EXACT). */
    private void check(int line, Syscall c, int live) {
        if (c.result() instanceof Ellipsis) return;
        long expected = num(line, c.name(), c.result());
        checkValue(line, c, expected, live);
    }

    private void checkValue(int line, Syscall c, long expected, int live) {
        long actual = live < 0 ? -1 : live;
        int errno = live < 0 ? -live : 0;
        if (expected >= 0) {
            if (actual < 0) throw fail(line, c.name(), "Expected result " + expected + " but got -1 with errno " + errno + " (" + Errno.message(errno) + ")");
            if (actual != expected) throw fail(line, c.name(), "Expected result " + expected + " but got " + actual);
            return;
        }
        if (actual != expected) {
            if (actual < 0) throw fail(line, c.name(), "Expected result " + expected + " but got " + actual + " with errno " + errno + " (" + Errno.message(errno) + ")");
            throw fail(line, c.name(), "Expected result " + expected + " but got " + actual);
        }
        if (c.errno() != null) {
            Long want = Symbols.value(c.errno());
            if (want == null) throw fail(line, c.name(), "unknown errno symbol " + c.errno());
            if (want != errno)
                throw fail(line, c.name(), "Expected errno " + want + " (" + Errno.message(want.intValue()) + ") but got " + errno + " (" + Errno.message(errno) + ")");
        }
    }

    /** end_syscall(CHECK_FD): a descriptor-returning call succeeds iff the script expects a descriptor. */
    private boolean checkFd(int line, Syscall c, int live) {
        long expected = num(line, c.name(), c.result());
        if (expected >= 0) {
            if (live < 0) throw fail(line, c.name(), "Expected non-negative result but got -1 with errno " + -live + " (" + Errno.message(-live) + ")");
            run.fds.put((int) expected, live);
            return true;
        }
        checkValue(line, c, expected, live);
        return false;
    }

    // ------------------------------------------------------------------ the calls

    void execute(int line, Syscall c) {
        List<Expr> a = c.args();
        String n = c.name();
        switch (n) {
            case "socket" -> {
                argCount(line, c, 3);
                int domain = a.get(0) instanceof Ellipsis ? 2 : arg(line, c, 0);
                int type = arg(line, c, 1), proto = arg(line, c, 2);
                int r = calls.socket(domain, type, proto);
                if (checkFd(line, c, r)) {
                    ScriptSocket s = new ScriptSocket();
                    s.scriptFd = (int) num(line, n, c.result());
                    s.liveFd = r;
                    s.protocol = proto == 0 ? ((type & 0xF) == 2 ? 17 : 6) : proto;
                    run.socketsByFd.put(s.scriptFd, s);
                    run.sut = s;
                }
            }
            case "bind" -> {
                argCount(line, c, 3);
                int fd = fdArg(line, c, 0);
                byte[] addr = addrArg(line, c, a.get(1), true);
                int r = calls.bind(fd, addr, addrLenArg(line, c, a.get(2)));
                ScriptSocket s = run.socketsByFd.get(arg(line, c, 0));
                if (r == 0 && s != null && addr != null) {
                    s.localIp = (int) ((addr[4] & 0xFFL) << 24 | (addr[5] & 0xFF) << 16 | (addr[6] & 0xFF) << 8 | (addr[7] & 0xFF));
                    s.localPort = (addr[2] & 0xFF) << 8 | (addr[3] & 0xFF);
                }
                check(line, c, r);
            }
            case "listen" -> {
                argCount(line, c, 2);
                int r = calls.listen(fdArg(line, c, 0), arg(line, c, 1));
                ScriptSocket s = run.socketsByFd.get(arg(line, c, 0));
                if (r == 0 && s != null) {
                    s.state = ScriptSocket.State.PASSIVE_LISTENING;
                    if (s.localPort == 0) s.localPort = run.bindPort;
                }
                check(line, c, r);
            }
            case "accept", "accept4" -> {
                int fd = fdArg(line, c, 0);
                byte[] addr = a.size() > 1 && a.get(1) instanceof Ellipsis ? new byte[128] : null;
                int[] alen = addr == null ? null : new int[] {128};
                int r = n.equals("accept") ? calls.accept(fd, addr, alen) : calls.accept4(fd, addr, alen, arg(line, c, 3));
                if (checkFd(line, c, r)) {
                    int scriptFd = (int) num(line, n, c.result());
                    ScriptSocket child = run.sut != null && run.sut.liveFd < 0 ? run.sut : new ScriptSocket();
                    child.scriptFd = scriptFd;
                    child.liveFd = r;
                    run.socketsByFd.put(scriptFd, child);
                }
            }
            case "connect" -> {
                argCount(line, c, 3);
                int fd = fdArg(line, c, 0);
                byte[] addr = addrArg(line, c, a.get(1), false);
                prepareConnect(arg(line, c, 0), addr);
                check(line, c, calls.connect(fd, addr, addrLenArg(line, c, a.get(2))));
            }
            case "read" -> {
                int fd = fdArg(line, c, 0), len = arg(line, c, 2);
                check(line, c, calls.read(fd, bufArg(line, c, a.get(1), len), len));
            }
            case "recv" -> {
                int fd = fdArg(line, c, 0), len = arg(line, c, 2);
                check(line, c, calls.recv(fd, bufArg(line, c, a.get(1), len), len, arg(line, c, 3)));
            }
            case "recvfrom" -> {
                int fd = fdArg(line, c, 0), len = arg(line, c, 2);
                byte[] addr = a.get(4) instanceof Ellipsis ? new byte[128] : null;
                int[] alen = addr == null ? null : new int[] {128};
                check(line, c, calls.recvfrom(fd, bufArg(line, c, a.get(1), len), len, arg(line, c, 3), addr, alen));
            }
            case "write" -> {
                int fd = fdArg(line, c, 0), len = arg(line, c, 2);
                check(line, c, calls.write(fd, bufArg(line, c, a.get(1), len), len));
            }
            case "send" -> {
                int fd = fdArg(line, c, 0), len = arg(line, c, 2);
                check(line, c, calls.send(fd, bufArg(line, c, a.get(1), len), len, arg(line, c, 3)));
            }
            case "sendto" -> {
                argCount(line, c, 6);
                int fd = fdArg(line, c, 0), len = arg(line, c, 2), flags = arg(line, c, 3);
                byte[] addr = addrArg(line, c, a.get(4), false);
                // sendto with an address starts a connection (Fast Open) only on a fresh socket; on a
                // connected one the address is ignored and the socket keeps its peer.
                ScriptSocket ss = run.socketsByFd.get(arg(line, c, 0));
                if (addr != null && ss != null && ss.state == ScriptSocket.State.NEW) prepareConnect(arg(line, c, 0), addr);
                check(line, c, calls.sendto(fd, bufArg(line, c, a.get(1), len), len, flags, addr, addr == null ? 0 : addrLenArg(line, c, a.get(5))));
            }
            case "writev", "readv" -> {
                int fd = fdArg(line, c, 0);
                MsgHdr m = iov(line, c, a.get(1));
                check(line, c, n.equals("writev") ? calls.sendmsg(fd, m, 0) : calls.recvmsg(fd, m, 0));
            }
            case "sendmsg", "recvmsg" -> msg(line, c);
            case "fcntl" -> {
                int fd = fdArg(line, c, 0), cmd = arg(line, c, 1);
                check(line, c, calls.fcntl(fd, cmd, a.size() > 2 ? arg(line, c, 2) : 0));
            }
            case "ioctl" -> {
                int fd = fdArg(line, c, 0);
                long req = num(line, n, a.get(1));
                int[] val = a.size() > 2 && a.get(2) instanceof ListExpr l && !l.items().isEmpty()
                        ? new int[] {l.items().get(0) instanceof Ellipsis ? 0 : (int) num(line, n, l.items().get(0))} : null;
                int r = calls.ioctl(fd, req, val);
                check(line, c, r);
                if (r >= 0 && val != null && a.get(2) instanceof ListExpr l && !(l.items().get(0) instanceof Ellipsis)
                        && req != 0x5421) {
                    long want = num(line, n, l.items().get(0));
                    if (want != val[0]) throw fail(line, n, "Bad ioctl returned value: expected: " + want + " actual: " + val[0]);
                }
            }
            case "close" -> {
                argCount(line, c, 1);
                int sfd = arg(line, c, 0);
                int r = calls.close(liveFd(line, c, sfd));
                if (r == 0) {
                    run.fds.remove(sfd);
                    ScriptSocket s = run.socketsByFd.remove(sfd);
                    if (s != null) s.liveFd = -2;
                }
                check(line, c, r);
            }
            case "shutdown" -> check(line, c, calls.shutdown(fdArg(line, c, 0), arg(line, c, 1)));
            case "getsockopt" -> getsockopt(line, c);
            case "setsockopt" -> setsockopt(line, c);
            case "poll" -> poll(line, c);
            case "epoll_create" -> {
                int size = arg(line, c, 0);
                checkFd(line, c, size <= 0 ? -Errno.EINVAL : calls.epollCreate1(0));
            }
            case "epoll_create1" -> checkFd(line, c, calls.epollCreate1(arg(line, c, 0)));
            case "epoll_ctl" -> {
                argCount(line, c, 4);
                EpollEvent ev = a.get(3) instanceof Ast.EpollEvent x
                        ? new EpollEvent((int) num(line, n, x.events()), num(line, n, x.data())) : null;
                check(line, c, calls.epollCtl(fdArg(line, c, 0), arg(line, c, 1), fdArg(line, c, 2), ev));
            }
            case "epoll_wait" -> epollWait(line, c);
            case "pipe" -> {
                argCount(line, c, 1);
                if (!(a.get(0) instanceof ListExpr l) || l.items().size() != 2)
                    throw fail(line, n, "pipe's argument names the two descriptors: [rfd, wfd]");
                int[] fds = new int[2];
                int r = calls.pipe2(fds, 0);
                check(line, c, r);
                if (r == 0) {
                    run.fds.put((int) num(line, n, l.items().get(0)), fds[0]);
                    run.fds.put((int) num(line, n, l.items().get(1)), fds[1]);
                }
            }
            case "splice" -> {
                argCount(line, c, 6);
                check(line, c, calls.splice(fdArg(line, c, 0), offArg(line, c, a.get(1)), fdArg(line, c, 2),
                        offArg(line, c, a.get(3)), arg(line, c, 4), arg(line, c, 5)));
            }
            case "open" -> {
                if (c.args().size() < 2 || !(a.get(0) instanceof Str path)) throw fail(line, n, "open needs a path string and flags");
                int mode = c.args().size() > 2 ? arg(line, c, 2) : 0;
                checkFd(line, c, calls.open(path.value(), arg(line, c, 1), mode));
            }
            case "sendfile" -> {
                argCount(line, c, 4);
                long[] off = offArg(line, c, a.get(2));
                check(line, c, calls.sendfile(fdArg(line, c, 0), fdArg(line, c, 1), off, arg(line, c, 3)));
            }
            case "cap_set" -> throw fail(line, n, "'cap_set' needs process capabilities, which jnetstack's tasks do not model");
            default -> throw fail(line, n, "Unknown system call: '" + n + "'");
        }
    }

    /** connect() and sendto(MSG_FASTOPEN): the socket becomes the connecting socket under test. */
    private void prepareConnect(int scriptFd, byte[] addr) {
        ScriptSocket s = run.socketsByFd.get(scriptFd);
        if (s == null || addr == null) return;
        s.state = ScriptSocket.State.ACTIVE_CONNECTING;
        s.remoteIp = (int) ((addr[4] & 0xFFL) << 24 | (addr[5] & 0xFF) << 16 | (addr[6] & 0xFF) << 8 | (addr[7] & 0xFF));
        s.remotePort = (addr[2] & 0xFF) << 8 | (addr[3] & 0xFF);
        run.sut = s;
    }

    private MsgHdr iov(int line, Syscall c, Expr e) {
        if (!(e instanceof ListExpr l)) throw fail(line, c.name(), "expected an iovec list");
        MsgHdr m = new MsgHdr();
        m.iov = new byte[l.items().size()][];
        m.iovLen = new int[l.items().size()];
        for (int i = 0; i < l.items().size(); i++) {
            if (!(l.items().get(i) instanceof Iovec v)) throw fail(line, c.name(), "expected {..., len} in iovec list");
            int len = (int) num(line, c.name(), v.len());
            m.iov[i] = new byte[len];
            m.iovLen[i] = len;
        }
        return m;
    }

    private void msg(int line, Syscall c) {
        String n = c.name();
        argCount(line, c, 3);
        int fd = fdArg(line, c, 0);
        if (!(c.args().get(1) instanceof Msghdr mh)) throw fail(line, n, "expected a msghdr");
        MsgHdr m = iov(line, c, mh.iov());
        int flags = arg(line, c, 2);
        List<Expr> cmsgs = mh.control() instanceof ListExpr l ? l.items() : List.of();
        if (n.equals("sendmsg")) {
            // msg_name: the remote address; like sendto's, it connects a fresh socket (MSG_FASTOPEN).
            byte[] addr = addrArg(line, c, mh.name(), false);
            if (addr != null) {
                m.name = addr;
                m.namelen = addr.length;
                ScriptSocket ss = run.socketsByFd.get(arg(line, c, 0));
                if (ss != null && ss.state == ScriptSocket.State.NEW) prepareConnect(arg(line, c, 0), addr);
            }
            if (!cmsgs.isEmpty()) {
                m.control = encodeCmsgs(line, c, cmsgs);
                m.controllen = m.control.length;
            }
            check(line, c, calls.sendmsg(fd, m, flags));
            return;
        }
        if (!cmsgs.isEmpty()) {
            m.control = new byte[4096];
            m.controllen = m.control.length;
        }
        int r = calls.recvmsg(fd, m, flags);
        check(line, c, r);
        if (r < 0) return;
        if (!(mh.flags() instanceof Ellipsis)) {
            long want = num(line, n, mh.flags());
            if (want != m.flags) throw fail(line, n, "Expected msg_flags 0x" + Long.toHexString(want) + " but got 0x" + Integer.toHexString(m.flags));
        }
        if (!cmsgs.isEmpty()) checkCmsgs(line, c, cmsgs, m.control, m.controllen);
    }

    private byte[] encodeCmsgs(int line, Syscall c, List<Expr> cmsgs) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        for (Expr e : cmsgs) {
            if (!(e instanceof Cmsg cm)) throw fail(line, c.name(), "expected a cmsg in msg_control");
            byte[] data = cmsgData(line, c, cm.data());
            int len = 16 + data.length;
            b.putLong(len).putInt((int) num(line, c.name(), cm.level())).putInt((int) num(line, c.name(), cm.type())).put(data);
            while (b.position() % 8 != 0) b.put((byte) 0);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private byte[] cmsgData(int line, Syscall c, Expr e) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        switch (e) {
            case ExtendedErr x -> {
                b.putInt((int) num(line, c.name(), x.errno())).put((byte) num(line, c.name(), x.origin()))
                        .put((byte) num(line, c.name(), x.type())).put((byte) num(line, c.name(), x.code())).put((byte) 0)
                        .putInt((int) num(line, c.name(), x.info())).putInt((int) num(line, c.name(), x.data()));
            }
            case ScmTimestamping t -> b.putLong(t.sec()).putLong(t.nsec()).putLong(0).putLong(0).putLong(0).putLong(0);
            default -> b.putInt((int) num(line, c.name(), e));
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private void checkCmsgs(int line, Syscall c, List<Expr> want, byte[] control, int len) {
        ByteBuffer b = ByteBuffer.wrap(control, 0, Math.min(len, control.length)).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        for (Expr e : want) {
            if (b.remaining() < 16) throw fail(line, c.name(), "expected cmsg " + (i + 1) + " but the kernel returned " + i);
            int start = b.position();
            long clen = b.getLong();
            int level = b.getInt(), type = b.getInt();
            Cmsg cm = (Cmsg) e;
            long wl = num(line, c.name(), cm.level()), wt = num(line, c.name(), cm.type());
            if (wl != level || wt != type)
                throw fail(line, c.name(), "Bad cmsg " + (i + 1) + ": expected level " + wl + " type " + wt + " but got level " + level + " type " + type);
            byte[] wantData = cmsgData(line, c, cm.data());
            byte[] got = new byte[(int) Math.max(0, Math.min(clen - 16, b.remaining()))];
            b.get(got);
            if (cm.data() instanceof ScmTimestamping t) checkTimestamp(line, c, t, got, i + 1);
            else if (!java.util.Arrays.equals(java.util.Arrays.copyOf(got, wantData.length), wantData))
                throw fail(line, c.name(), "Bad cmsg " + (i + 1) + " data: expected " + java.util.HexFormat.of().formatHex(wantData)
                        + " but got " + java.util.HexFormat.of().formatHex(got));
            b.position(Math.min(b.limit(), start + (int) ((clen + 7) & ~7L)));
            i++;
        }
    }

    /**
     * scm_timestamping_expect_eq: the script's time (relative to its start) must be the reported
     * realtime within the timing tolerance; an expected zero is not checked.
     */
    private void checkTimestamp(int line, Syscall c, ScmTimestamping t, byte[] got, int index) {
        if (t.sec() == 0 && t.nsec() == 0) return;
        if (got.length < 16) throw fail(line, c.name(), "Bad scm_timestamping " + index + ": only " + got.length + " bytes");
        ByteBuffer g = ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN);
        long actualUs = g.getLong(0) * 1_000_000L + g.getLong(8) / 1000;
        long startUs = run.startRealNs / 1000;
        long expUs = startUs + t.sec() * 1_000_000L + t.nsec() / 1000;
        if (Math.abs(expUs - actualUs) > run.toleranceUsecs)
            throw fail(line, c.name(), "Bad timestamp 0 in scm_timestamping " + index + ": expected=" + expUs + " ("
                    + (expUs - startUs) + ") actual=" + actualUs + " (" + (actualUs - startUs) + ") start=" + startUs);
    }

    private void getsockopt(int line, Syscall c) {
        argCount(line, c, 5);
        String n = c.name();
        int fd = fdArg(line, c, 0), level = arg(line, c, 1), opt = arg(line, c, 2);
        Expr val = c.args().get(3), lenE = c.args().get(4);
        int scriptLen = lenE instanceof ListExpr l && !l.items().isEmpty() ? (int) num(line, n, l.items().get(0)) : 4;
        int[] optlen = lenE instanceof Word w && w.name().equals("NULL") ? null : new int[] {scriptLen};
        byte[] buf = new byte[Math.max(scriptLen, 256)];
        int r = calls.getsockopt(fd, level, opt, buf, optlen);
        check(line, c, r);
        if (r < 0) return;
        if (optlen != null && lenE instanceof ListExpr && optlen[0] != scriptLen)
            throw fail(line, n, "Bad getsockopt optlen: expected: " + scriptLen + " actual: " + optlen[0]);
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        switch (val) {
            case ListExpr l when l.items().size() == 1 && !(l.items().get(0) instanceof Ellipsis) -> {
                long want = num(line, n, l.items().get(0));
                long got = scriptLen >= 8 ? b.getLong(0) : scriptLen >= 4 ? b.getInt(0) : scriptLen == 2 ? b.getShort(0) : buf[0];
                if (scriptLen >= 4 && scriptLen < 8 && want > Integer.MAX_VALUE) got = Integer.toUnsignedLong((int) got);
                if (want != got) throw fail(line, n, "Bad getsockopt optval: expected: " + want + " actual: " + got);
            }
            case Linger lg -> {
                long on = num(line, n, lg.onoff()), ln = num(line, n, lg.linger());
                if (on != b.getInt(0) || ln != b.getInt(4))
                    throw fail(line, n, "Bad getsockopt linger: expected: {onoff=" + on + ", linger=" + ln + "} actual: {onoff="
                            + b.getInt(0) + ", linger=" + b.getInt(4) + "}");
            }
            case Str s -> {
                String got = new String(buf, 0, Math.min(optlen == null ? 0 : optlen[0], buf.length), StandardCharsets.ISO_8859_1);
                int z = got.indexOf('\0');
                if (z >= 0) got = got.substring(0, z);
                if (!got.equals(s.value())) throw fail(line, n, "Bad getsockopt optval: expected: \"" + s.value() + "\" actual: \"" + got + "\"");
            }
            default -> {}
        }
    }

    private void setsockopt(int line, Syscall c) {
        argCount(line, c, 5);
        String n = c.name();
        int fd = fdArg(line, c, 0), level = arg(line, c, 1), opt = arg(line, c, 2);
        Expr val = c.args().get(3);
        int len = (int) num(line, n, c.args().get(4));
        ByteBuffer b = ByteBuffer.allocate(Math.max(len, 64)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] optval;
        switch (val) {
            case ListExpr l -> {
                for (Expr x : l.items()) b.putInt((int) num(line, n, x));
                optval = java.util.Arrays.copyOf(b.array(), Math.max(len, 0));
            }
            case SubList l -> {
                for (Expr x : l.items()) b.putInt((int) num(line, n, x instanceof Binary bb && bb.op().equals("=") ? bb.rhs() : x));
                optval = java.util.Arrays.copyOf(b.array(), Math.max(len, 0));
            }
            case Linger lg -> {
                b.putInt((int) num(line, n, lg.onoff())).putInt((int) num(line, n, lg.linger()));
                optval = java.util.Arrays.copyOf(b.array(), Math.max(len, 0));
            }
            case Str s -> optval = java.util.Arrays.copyOf(s.value().getBytes(StandardCharsets.ISO_8859_1), Math.max(len, 0));
            case Word w when w.name().equals("NULL") -> optval = null;
            case Ellipsis x -> optval = new byte[Math.max(len, 0)];
            default -> {
                b.putInt((int) num(line, n, val));
                optval = java.util.Arrays.copyOf(b.array(), Math.max(len, 0));
            }
        }
        check(line, c, calls.setsockopt(fd, level, opt, optval, len));
    }

    private void poll(int line, Syscall c) {
        argCount(line, c, 3);
        String n = c.name();
        if (!(c.args().get(0) instanceof ListExpr l)) throw fail(line, n, "expected a pollfd list");
        PollFd[] fds = new PollFd[l.items().size()];
        List<Pollfd> want = new ArrayList<>();
        for (int i = 0; i < fds.length; i++) {
            if (!(l.items().get(i) instanceof Pollfd p)) throw fail(line, n, "expected {fd=.., events=..}");
            int sfd = (int) num(line, n, p.fd());
            Integer live = run.fds.get(sfd);
            fds[i] = new PollFd(live == null ? sfd : live, (int) num(line, n, p.events()));
            want.add(p);
        }
        int r = calls.poll(fds, arg(line, c, 1), arg(line, c, 2));
        check(line, c, r);
        if (r < 0) return;
        for (int i = 0; i < fds.length; i++) {
            long wr = num(line, n, want.get(i).revents());
            if ((fds[i].revents & 0xFFFF) != wr)
                throw fail(line, n, "Expected revents=0x" + Long.toHexString(wr) + " but got revents=0x" + Integer.toHexString(fds[i].revents & 0xFFFF)
                        + " for pollfd " + i);
        }
    }

    private void epollWait(int line, Syscall c) {
        argCount(line, c, 4);
        String n = c.name();
        Expr evs = c.args().get(1);
        List<Ast.EpollEvent> want = new ArrayList<>();
        if (evs instanceof Ast.EpollEvent x) want.add(x);
        else if (evs instanceof ListExpr l) for (Expr x : l.items()) if (x instanceof Ast.EpollEvent ev) want.add(ev);
        int max = arg(line, c, 2);
        EpollEvent[] out = new EpollEvent[Math.max(max, 1)];
        for (int i = 0; i < out.length; i++) out[i] = new EpollEvent();
        int r = calls.epollWait(fdArg(line, c, 0), out, max, arg(line, c, 3));
        check(line, c, r);
        for (int i = 0; i < r && i < want.size(); i++) {
            long we = num(line, n, want.get(i).events()), wd = num(line, n, want.get(i).data());
            if ((out[i].events & 0xFFFFFFFFL) != (we & 0xFFFFFFFFL))
                throw fail(line, n, "epoll_event->events does not match script: expected: 0x" + Long.toHexString(we)
                        + " actual: 0x" + Integer.toHexString(out[i].events));
            if (out[i].data != wd)
                throw fail(line, n, "epoll_event->data does not match script: expected: " + wd + " actual: " + out[i].data);
        }
    }

    /** getsockopt(TCP_INFO) on the socket under test, decoded, for {@code %{ }%} code. */
    Map<String, Long> tcpInfoSnapshot(int line) {
        ScriptSocket s = run.sut;
        int fd = s != null && s.liveFd >= 0 ? s.liveFd : -1;
        if (fd < 0) {
            for (ScriptSocket x : run.socketsByFd.values()) if (x.liveFd >= 0) fd = x.liveFd;
        }
        if (fd < 0) throw new ScriptRun.Failure(line, "no socket to read TCP_INFO from for %{ }% code");
        final int liveFd = fd;
        byte[] buf = new byte[512];
        int[] len = {buf.length};
        int[] rc = {Integer.MIN_VALUE};
        run.sched.spawn("tcp_info@" + line, () -> rc[0] = calls.getsockopt(liveFd, 6, 11, buf, len));
        run.sched.runUntil(() -> rc[0] != Integer.MIN_VALUE, run.sched.now());
        if (rc[0] == Integer.MIN_VALUE) throw new ScriptRun.Failure(line, "getsockopt(TCP_INFO) blocked");
        if (rc[0] < 0) throw new ScriptRun.Failure(line, "getsockopt(TCP_INFO) failed: " + Errno.describe(rc[0]));
        return TcpInfo.decode(buf, len[0]);
    }
}
