package io.jnetstack.app;

import io.jnetstack.api.ErrnoException;
import io.jnetstack.api.SockAddrs;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP service on a {@link Host}: a listening socket on {@code port}, an accept loop on a
 * platform thread, one virtual thread per connection doing blocking calls (the RealScheduler
 * parks them on the socket's wait queue, giving the stack up while they sleep).
 *
 * <p>{@link #close} is the clean stop of SIGTERM: the listener is closed, every live connection
 * is shut down both ways (shutdown(SHUT_RDWR) sends the FIN and wakes the thread blocked in recv,
 * which then closes its descriptor), and the threads are waited for, briefly.
 */
abstract class Service implements AutoCloseable {
    protected final Host host;
    protected final Syscalls sys;
    protected final Log log;
    protected final String name;
    protected final int port;
    private final int listenFd;
    private final Thread acceptor;
    private final Set<Integer> live = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    protected Service(Host host, String name, int port) throws ErrnoException {
        this.host = host;
        this.sys = host.sys();
        this.log = host.log();
        this.name = name;
        this.port = port;
        int fd = ErrnoException.check("socket", sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0));
        try {
            ErrnoException.check("setsockopt", sys.setsockopt(fd, Net.SOL_SOCKET, Net.SO_REUSEADDR, SockOpts.intOpt(1), 4));
            byte[] a = SockAddrs.of(new InetSocketAddress("0.0.0.0", port));
            ErrnoException.check("bind", sys.bind(fd, a, a.length));
            ErrnoException.check("listen", sys.listen(fd, 128));
        } catch (ErrnoException e) {
            sys.close(fd);
            throw new ErrnoException(name + " on port " + port + ": " + e.syscall(), e.errno());
        }
        this.listenFd = fd;
        this.acceptor = Thread.ofPlatform().daemon(true).name("jns-" + name + "-accept").unstarted(this::acceptLoop);
        host.add(this);
    }

    final void start() {
        acceptor.start();
        log.info(name + ": listening on tcp port " + port);
    }

    private void acceptLoop() {
        while (!stopping) {
            int c = sys.accept(listenFd, null, null);
            if (c == -Errno.EINTR || c == -Errno.ECONNABORTED || c == -Errno.EAGAIN) continue;
            if (c < 0) {
                if (!stopping) log.info(name + ": accept: " + Errno.describe(c) + "; service stops");
                return;
            }
            live.add(c);
            Thread t = Thread.ofVirtual().name("jns-" + name + "-" + c).unstarted(() -> {
                try (Conn conn = new Conn(sys, c, 64 * 1024)) {
                    log.info(name + ": " + conn.peer + " connected");
                    try {
                        serve(conn);
                    } catch (ErrnoException e) {
                        log.info(name + ": " + conn.peer + " " + e.getMessage());
                    } catch (Exception e) {
                        log.info(name + ": " + conn.peer + " failed: " + e);
                    }
                } finally {
                    live.remove(c);
                    workers.remove(Thread.currentThread());
                }
            });
            workers.add(t);
            t.start();
        }
    }

    /** Serves one connection; the caller closes it. */
    protected abstract void serve(Conn c) throws Exception;

    protected boolean stopping() { return stopping; }

    @Override public void close() throws InterruptedException {
        stopping = true;
        acceptor.interrupt();
        sys.shutdown(listenFd, Net.SHUT_RDWR);
        acceptor.join(2_000);
        sys.close(listenFd);
        for (int fd : live) sys.shutdown(fd, Net.SHUT_RDWR);
        long end = System.nanoTime() + 2_000_000_000L;
        for (Thread t : workers) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left > 0) t.join(left);
            if (t.isAlive()) t.interrupt();
        }
        log.info(name + ": stopped");
    }

    @Override public String toString() { return name + " on port " + port; }
}
