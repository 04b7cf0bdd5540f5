package io.jnetstack.diff;

import io.jnetstack.host.HostThread;
import io.jnetstack.host.LinuxSyscalls;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Fcntl;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The host kernel as a {@link Target}: every case runs on one {@link HostThread}, in a network
 * namespace of its own (a new one per case: about a millisecond), with lo up, the namespace's
 * default sysctls, and no effective capabilities (an unprivileged process; see HostThread).
 *
 * <p>The JVM shares the process's fd table with the cases, so the target guards it: it tracks
 * every fd a case obtains (socket, socketpair, accept, accept4, epoll_create1, F_DUPFD), closes the
 * ones left open after the case, and refuses (throws {@link ForeignFdException}) any call that would
 * act on an fd the case does not own while that number is open in the process, i.e. one of the
 * JVM's. A small race remains: a case closing a number it already closed, at the moment another
 * JVM thread gets that number. RLIMIT_NOFILE is process-wide; a case that lowers it has it restored
 * as soon as the case ends (other JVM threads opening files in that window can get EMFILE).
 */
public final class LinuxTarget implements Target {
    /** A case tried to touch an fd it does not own that is open in the JVM. */
    public static final class ForeignFdException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ForeignFdException(String m) { super(m); }
    }

    private final String name;
    private final HostThread host;
    private final long callTimeoutMs;
    private final LinuxSyscalls local = new LinuxSyscalls();
    private final Set<Integer> owned = new LinkedHashSet<>();
    private boolean dead;
    private volatile int generation;

    private LinuxTarget(String name, HostThread host, long callTimeoutMs) {
        this.name = name;
        this.host = host;
        this.callTimeoutMs = callTimeoutMs;
    }

    /** Starts a host thread for this target; throws with the reason when the host refuses. */
    public static LinuxTarget start(String name) throws HostThread.HostSetupException {
        return new LinuxTarget(name, HostThread.start("netns-" + name), 10_000);
    }

    @Override
    public String name() { return name; }

    public HostThread host() { return host; }

    @Override
    public Syscalls open() {
        if (dead) throw new IllegalStateException(name + ": host thread is stuck in a call");
        try {
            host.freshNamespace();
        } catch (HostThread.HostSetupException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        owned.clear();
        int gen = ++generation;
        Syscalls inner = host.syscalls(callTimeoutMs);
        return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
                (p, m, args) -> {
                    if (m.getDeclaringClass() == Object.class) return objectMethod(p, m, args);
                    if (gen != generation) throw new IllegalStateException("case is over: its syscalls are revoked");
                    guard(m, args);
                    Object r;
                    try {
                        r = m.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    track(m.getName(), args, (Integer) r);
                    return r;
                });
    }

    private static Object objectMethod(Object p, Method m, Object[] args) {
        return switch (m.getName()) {
            case "toString" -> "LinuxTarget.syscalls";
            case "hashCode" -> System.identityHashCode(p);
            default -> p == args[0];
        };
    }

    private void check(int fd, String call) {
        if (fd < 0 || owned.contains(fd)) return;
        if (local.isOpen(fd)) {
            throw new ForeignFdException(call + ": fd " + fd + " is not the case's but is open in the JVM");
        }
    }

    private void guard(Method m, Object[] a) {
        String n = m.getName();
        switch (n) {
            case "socket", "socketpair", "pipe2", "open", "epollCreate1", "setRlimitNofile" -> {}
            case "sendfile" -> {
                check((Integer) a[0], n);
                check((Integer) a[1], n);
            }
            case "splice" -> {
                check((Integer) a[0], n);
                check((Integer) a[2], n);
            }
            case "poll" -> {
                if (a[0] instanceof PollFd[] fds) for (PollFd f : fds) if (f != null) check(f.fd, n);
            }
            case "epollCtl" -> {
                check((Integer) a[0], n);
                check((Integer) a[2], n);
            }
            case "fcntl" -> {
                if ((Integer) a[1] != Fcntl.F_GETFD) check((Integer) a[0], n);
            }
            default -> check((Integer) a[0], n);
        }
    }

    private void track(String n, Object[] a, int r) {
        switch (n) {
            case "socket", "accept", "accept4", "epollCreate1", "open" -> {
                if (r >= 0) owned.add(r);
            }
            case "pipe2" -> {
                if (r == 0 && a[0] instanceof int[] fds && fds.length >= 2) {
                    owned.add(fds[0]);
                    owned.add(fds[1]);
                }
            }
            case "socketpair" -> {
                if (r == 0 && a[3] instanceof int[] sv && sv.length >= 2) {
                    owned.add(sv[0]);
                    owned.add(sv[1]);
                }
            }
            case "fcntl" -> {
                int cmd = (Integer) a[1];
                if (r >= 0 && (cmd == Fcntl.F_DUPFD || cmd == Fcntl.F_DUPFD_CLOEXEC)) owned.add(r);
            }
            case "close" -> {
                if (r == 0) owned.remove((Integer) a[0]);
            }
            default -> {}
        }
    }

    @Override
    public void release(Syscalls s) {
        generation++;
        try {
            host.call(() -> {
                for (int fd : owned) host.raw().close(fd);
                host.raw().restoreRlimitNofile();
                return null;
            }, callTimeoutMs);
            owned.clear();
        } catch (HostThread.HostTimeoutException e) {
            unstick();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The host thread is blocked in a call: shut the case's sockets down from here to wake it. */
    private void unstick() {
        for (int fd : owned) local.shutdown(fd, io.jnetstack.uapi.Net.SHUT_RDWR);
        try {
            host.call(() -> {
                for (int fd : owned) host.raw().close(fd);
                host.raw().restoreRlimitNofile();
                return null;
            }, callTimeoutMs);
            owned.clear();
        } catch (Exception e) {
            dead = true;
            host.raw().restoreRlimitNofile(); // process-wide: safe from this thread too
        }
    }

    @Override
    public void close() { host.close(); }
}
