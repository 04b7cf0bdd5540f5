package io.jnetstack.app;

import io.jnetstack.api.ErrnoException;
import io.jnetstack.api.SockAddrs;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.net.InetSocketAddress;

/**
 * A connected TCP descriptor of a {@link Host} with the loops every service needs around the raw
 * calls: write-all over short sends (MSG_NOSIGNAL: a vanished peer is EPIPE, not a signal),
 * reads with offsets (recv fills from the start of its buffer), EINTR retried.
 */
final class Conn implements AutoCloseable {
    final Syscalls sys;
    final int fd;
    final String peer;
    private final byte[] scratch;
    private boolean closed;

    Conn(Syscalls sys, int fd, int bufSize) {
        this.sys = sys;
        this.fd = fd;
        this.scratch = new byte[bufSize];
        this.peer = peerName(sys, fd);
    }

    static String peerName(Syscalls sys, int fd) {
        byte[] a = new byte[128];
        int[] len = {128};
        if (sys.getpeername(fd, a, len) < 0) return "?";
        InetSocketAddress s = SockAddrs.toInet(a, len[0]);
        return s.getAddress().getHostAddress() + ":" + s.getPort();
    }

    /** recv into b[off..off+len): the count, 0 at end of stream. */
    int read(byte[] b, int off, int len) throws ErrnoException {
        for (;;) {
            int n;
            if (off == 0) {
                n = sys.recv(fd, b, len, 0);
            } else {
                n = sys.recv(fd, scratch, Math.min(len, scratch.length), 0);
                if (n > 0) System.arraycopy(scratch, 0, b, off, n);
            }
            if (n == -Errno.EINTR && !Thread.currentThread().isInterrupted()) continue;
            return ErrnoException.check("recv", n);
        }
    }

    /** Sends all of b[off..off+len). */
    void writeAll(byte[] b, int off, int len) throws ErrnoException {
        while (len > 0) {
            int n;
            if (off == 0) {
                n = sys.send(fd, b, len, Net.MSG_NOSIGNAL);
            } else {
                int k = Math.min(len, scratch.length);
                System.arraycopy(b, off, scratch, 0, k);
                n = sys.send(fd, scratch, k, Net.MSG_NOSIGNAL);
            }
            if (n == -Errno.EINTR && !Thread.currentThread().isInterrupted()) continue;
            ErrnoException.check("send", n);
            off += n;
            len -= n;
        }
    }

    void shutdownOutput() { sys.shutdown(fd, Net.SHUT_WR); }

    @Override public void close() {
        if (closed) return;
        closed = true;
        sys.close(fd);
    }
}
