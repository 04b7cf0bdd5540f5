package io.jnetstack.host;

import io.jnetstack.syscall.Syscalls;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One dedicated platform thread that owns a private network namespace of the host kernel.
 *
 * <p>Linux keeps the network namespace and the capability sets per thread (task), so every call
 * meant for one namespace must come from the same OS thread; virtual threads would hop between
 * carriers. On start the thread unshares a new network namespace, brings {@code lo} up and then
 * drops <em>all</em> capabilities from its effective set (keeping them permitted), so the socket
 * calls it runs behave as an unprivileged process's would: no CAP_NET_BIND_SERVICE (ports below
 * 1024 give EACCES), no CAP_NET_RAW (raw and packet sockets give EPERM), no CAP_NET_ADMIN
 * (SO_SNDBUFFORCE, SO_PRIORITY above 6, TCP_REPAIR refused). The uid and gid stay 0, which matters
 * only for ping sockets (net.ipv4.ping_group_range, "1 0" in a fresh namespace: nobody).
 * {@link #freshNamespace()} repeats the unshare (raising CAP_SYS_ADMIN and CAP_NET_ADMIN just for it).
 *
 * <p>Requires root (CAP_SYS_ADMIN) in the host: {@link #start} throws {@link HostSetupException}
 * with the reason otherwise.
 */
public final class HostThread implements AutoCloseable {
    public static final int CAP_DAC_OVERRIDE = 1, CAP_NET_BIND_SERVICE = 10, CAP_NET_ADMIN = 12,
            CAP_NET_RAW = 13, CAP_SYS_ADMIN = 21;

    /** Thrown when the host cannot give us a private namespace (not root, no unshare, ...). */
    public static final class HostSetupException extends Exception {
        private static final long serialVersionUID = 1L;

        public HostSetupException(String msg) { super(msg); }
    }

    /** Thrown by {@link #call} when work does not finish in time; the thread stays busy. */
    public static final class HostTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public HostTimeoutException(String msg) { super(msg); }
    }

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final LinuxSyscalls sys = new LinuxSyscalls();
    private volatile boolean closed;
    private long permitted;
    private int namespaces;

    private HostThread(String name) {
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts the thread in a fresh network namespace with lo up and no effective capabilities. */
    public static HostThread start(String name) throws HostSetupException {
        HostThread h = new HostThread(name);
        h.thread.start();
        try {
            h.call(() -> {
                h.permitted = h.sys.capabilities()[1];
                return null;
            }, 10_000);
        } catch (Exception e) {
            h.close();
            throw new HostSetupException("capget failed on the host thread: " + e);
        }
        try {
            h.freshNamespace();
        } catch (HostSetupException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** The sockets' view: a new empty namespace with lo up, effective capabilities dropped. */
    public void freshNamespace() throws HostSetupException {
        String err;
        try {
            err = call(() -> {
                long need = 1L << CAP_SYS_ADMIN | 1L << CAP_NET_ADMIN;
                if ((permitted & need) != need) {
                    return "CAP_SYS_ADMIN and CAP_NET_ADMIN are not permitted (permitted set 0x"
                            + Long.toHexString(permitted) + "); run as root";
                }
                int r = sys.setEffectiveCapabilities(permitted);
                if (r < 0) return "capset(raise) = " + io.jnetstack.uapi.Errno.describe(r);
                r = sys.unshareNet();
                if (r < 0) return "unshare(CLONE_NEWNET) = " + io.jnetstack.uapi.Errno.describe(r);
                r = sys.linkUp("lo");
                if (r < 0) return "SIOCSIFFLAGS lo up = " + io.jnetstack.uapi.Errno.describe(r);
                r = sys.setEffectiveCapabilities(0);
                if (r < 0) return "capset(drop) = " + io.jnetstack.uapi.Errno.describe(r);
                namespaces++;
                return null;
            }, 30_000);
        } catch (Exception e) {
            err = e.toString();
        }
        if (err != null) throw new HostSetupException(err);
    }

    /** Runs {@code work} on this thread with the capabilities in {@code caps} raised (e.g. for sysctls). */
    public <T> T privileged(long caps, Callable<T> work) throws Exception {
        return call(() -> {
            sys.setEffectiveCapabilities(permitted & caps);
            try {
                return work.call();
            } finally {
                sys.setEffectiveCapabilities(0);
            }
        }, 30_000);
    }

    /** How many namespaces this thread has unshared. */
    public int namespaces() { return namespaces; }

    public boolean onThread() { return Thread.currentThread() == thread; }

    /** Runs {@code work} on the host thread and waits at most {@code timeoutMs} for it. */
    public <T> T call(Callable<T> work, long timeoutMs) throws Exception {
        if (onThread()) return work.call();
        if (closed) throw new IllegalStateException("host thread closed");
        CompletableFuture<T> f = new CompletableFuture<>();
        queue.add(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new HostTimeoutException("host thread " + thread.getName() + " still busy after " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception x) throw x;
            if (c instanceof Error x) throw x;
            throw e;
        }
    }

    /** The raw implementation: call it only on this thread (or through {@link #syscalls}). */
    public LinuxSyscalls raw() { return sys; }

    /**
     * A {@link Syscalls} whose every call runs on this thread (in its namespace), each waiting at
     * most {@code timeoutMs}; a call that overruns throws {@link HostTimeoutException}.
     */
    public Syscalls syscalls(long timeoutMs) {
        return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
                (p, m, args) -> {
                    if (m.getDeclaringClass() == Object.class) {
                        return switch (m.getName()) {
                            case "toString" -> "HostThread[" + thread.getName() + "].syscalls";
                            case "hashCode" -> System.identityHashCode(p);
                            case "equals" -> p == args[0];
                            default -> throw new UnsupportedOperationException(m.getName());
                        };
                    }
                    return call(() -> {
                        try {
                            return m.invoke(sys, args);
                        } catch (InvocationTargetException e) {
                            if (e.getCause() instanceof Exception x) throw x;
                            throw e;
                        }
                    }, timeoutMs);
                });
    }

    @Override
    public void close() {
        closed = true;
        queue.add(() -> {});
    }
}
