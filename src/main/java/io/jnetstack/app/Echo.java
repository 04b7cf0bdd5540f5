package io.jnetstack.app;

import io.jnetstack.api.ErrnoException;
import io.jnetstack.api.SockAddrs;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.net.InetSocketAddress;

/**
 * The echo service of RFC 862 on one port, over TCP (each connection gets back what it sends,
 * until it half-closes) and over UDP (each datagram goes back to its sender).
 */
public final class Echo extends Service {
    private final Udp udp;

    private Echo(Host host, int port) throws ErrnoException {
        super(host, "echo", port);
        this.udp = new Udp(host, port);
    }

    /** Starts TCP and UDP echo on {@code port}. */
    public static Echo start(Host host, int port) throws ErrnoException {
        Echo e = new Echo(host, port);
        e.start();
        e.udp.thread.start();
        return e;
    }

    @Override protected void serve(Conn c) throws ErrnoException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = c.read(buf, 0, buf.length)) > 0) {
            c.writeAll(buf, 0, n);
            total += n;
        }
        c.shutdownOutput();
        log.info("echo: " + c.peer + " closed after " + total + " bytes");
    }

    @Override public void close() throws InterruptedException {
        udp.close();
        super.close();
    }

    /** UDP echo: recvfrom, sendto the same address. */
    private static final class Udp {
        final Syscalls sys;
        final Log log;
        final int fd;
        final Thread thread;
        volatile boolean stopping;

        Udp(Host host, int port) throws ErrnoException {
            this.sys = host.sys();
            this.log = host.log();
            int s = ErrnoException.check("socket", sys.socket(Net.AF_INET, Net.SOCK_DGRAM, 0));
            byte[] a = SockAddrs.of(new InetSocketAddress("0.0.0.0", port));
            int r = sys.bind(s, a, a.length);
            if (r < 0) {
                sys.close(s);
                throw new ErrnoException("echo on udp port " + port + ": bind", -r);
            }
            this.fd = s;
            this.thread = Thread.ofPlatform().daemon(true).name("jns-echo-udp").unstarted(this::loop);
            log.info("echo: listening on udp port " + port);
        }

        private void loop() {
            byte[] buf = new byte[65536], from = new byte[128];
            int[] fromLen = new int[1];
            while (!stopping) {
                fromLen[0] = from.length;
                int n = sys.recvfrom(fd, buf, buf.length, 0, from, fromLen);
                if (n == -Errno.EINTR) continue;
                if (n < 0 || stopping) {
                    if (!stopping) log.info("echo: udp recvfrom: " + Errno.describe(n) + "; udp echo stops");
                    return;
                }
                if (fromLen[0] == 0) continue;  // woken by shutdown: no datagram, no sender
                int w = sys.sendto(fd, buf, n, 0, from, fromLen[0]);
                InetSocketAddress peer = SockAddrs.toInet(from, fromLen[0]);
                log.info("echo: udp " + peer.getAddress().getHostAddress() + ":" + peer.getPort() + " " + n + " bytes"
                        + (w < 0 ? ", reply failed: " + Errno.describe(w) : " echoed"));
            }
        }

        void close() throws InterruptedException {
            stopping = true;
            thread.interrupt();
            sys.shutdown(fd, Net.SHUT_RDWR);
            thread.join(2_000);
            sys.close(fd);
        }
    }
}
