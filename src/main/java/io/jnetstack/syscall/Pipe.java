package io.jnetstack.syscall;

import io.jnetstack.socket.SpliceSink;
import io.jnetstack.time.Scheduler;
import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Poll;

/**
 * A pipe (pipe(7), fs/pipe.c): a 64 KiB byte ring with a read end and a write end, each a
 * {@link File}. jnetstack has it so that splice(2) can move stream data between sockets and pipes
 * as proxies do. Writes of at most PIPE_BUF bytes are atomic; a blocking write waits until all of
 * it is in; reading an empty pipe waits while a writer is left, else sees end of file; writing
 * with no reader left fails with EPIPE (and SIGPIPE).
 */
public final class Pipe implements SpliceSink {
    public static final int PIPE_BUF = 4096, DEFAULT_SIZE = 16 * 4096;

    private final Scheduler sched;
    /** One queue for both ends (pipe->rd_wait and wr_wait together): poll masks tell them apart. */
    private final WaitQueue wq = new WaitQueue();
    private final byte[] ring = new byte[DEFAULT_SIZE];
    private int head, count;
    private int readers = 1, writers = 1;
    public final End readEnd, writeEnd;

    public Pipe(Scheduler sched, int flags) {
        this.sched = sched;
        int nb = flags & Fcntl.O_NONBLOCK;
        readEnd = new End(true, Fcntl.O_RDONLY | nb);
        writeEnd = new End(false, Fcntl.O_WRONLY | nb);
    }

    /** One end of the pipe. */
    public final class End extends File {
        final boolean reading;

        End(boolean reading, int flags) {
            super(flags);
            this.reading = reading;
        }

        public Pipe pipe() { return Pipe.this; }

        boolean nonBlocking() { return (flags & Fcntl.O_NONBLOCK) != 0; }

        @Override public int poll() {
            if (reading) return (count > 0 ? Poll.POLLIN | Poll.POLLRDNORM : 0) | (writers == 0 ? Poll.POLLHUP : 0);
            return (count < ring.length ? Poll.POLLOUT | Poll.POLLWRNORM : 0) | (readers == 0 ? Poll.POLLERR : 0);
        }

        @Override public WaitQueue waitQueue() { return wq; }

        @Override protected void release() {
            if (reading) readers--;
            else writers--;
            wq.wakeUp(Poll.POLLIN | Poll.POLLOUT | Poll.POLLHUP | Poll.POLLERR);
        }

        /** FIONREAD: the bytes in the pipe, from either end. */
        @Override public int ioctl(long request, int[] arg) {
            if (request != Fcntl.FIONREAD) return -Errno.ENOTTY;
            if (arg != null && arg.length > 0) arg[0] = count;
            return 0;
        }

        @Override public String describe() { return "pipe:[" + (reading ? "read" : "write") + "]"; }
    }

    /** Bytes in the pipe. */
    public int count() { return count; }

    @Override public int space() { return ring.length - count; }

    @Override public void put(byte[] src, int off, int n) {
        int tail = (head + count) % ring.length;
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        System.arraycopy(src, off + first, ring, 0, n - first);
        count += n;
        wq.wakeUp(Poll.POLLIN | Poll.POLLRDNORM);
    }

    /** Takes up to {@code n} bytes into {@code dst} at {@code off}; returns how many. */
    int take(byte[] dst, int off, int n) {
        n = Math.min(n, count);
        int first = Math.min(n, ring.length - head);
        if (dst != null) {
            System.arraycopy(ring, head, dst, off, first);
            System.arraycopy(ring, 0, dst, off + first, n - first);
        }
        head = (head + n) % ring.length;
        count -= n;
        wq.wakeUp(Poll.POLLOUT | Poll.POLLWRNORM);
        return n;
    }

    /** Copies up to {@code n} bytes from the front without taking them. */
    int peek(byte[] dst, int n) {
        n = Math.min(n, count);
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, dst, 0, first);
        System.arraycopy(ring, 0, dst, first, n - first);
        return n;
    }

    boolean hasWriters() { return writers > 0; }

    boolean hasReaders() { return readers > 0; }

    /** Waits on the pipe; 0 when woken, -EINTR when interrupted. */
    int await() { return sched.await(wq, Long.MAX_VALUE) == Scheduler.WOKEN ? 0 : -Errno.EINTR; }

    /**
     * pipe_read: what is there, up to {@code len}; end of file once the writers are gone; EAGAIN
     * or a wait while they are not.
     */
    int read(byte[] dst, int len, boolean nonBlocking) {
        if (len == 0) return 0;
        while (count == 0) {
            if (writers == 0) return 0;
            if (nonBlocking) return -Errno.EAGAIN;
            if (await() < 0) return -Errno.EINTR;
        }
        return take(dst, 0, len);
    }

    /**
     * pipe_write: all of it unless non-blocking; at most PIPE_BUF bytes go in whole or not at
     * all; -EPIPE once no reader is left (the caller raises SIGPIPE).
     */
    int write(byte[] src, int len, boolean nonBlocking) {
        if (readers == 0) return -Errno.EPIPE;
        if (len == 0) return 0;
        int done = 0;
        while (done < len) {
            if (readers == 0) return done > 0 ? done : -Errno.EPIPE;
            int room = space();
            boolean atomic = len <= PIPE_BUF;
            if (room > 0 && (!atomic || room >= len)) {
                int n = Math.min(room, len - done);
                put(src, done, n);
                done += n;
                continue;
            }
            if (nonBlocking) return done > 0 ? done : -Errno.EAGAIN;
            if (await() < 0) return done > 0 ? done : -Errno.EINTR;
        }
        return done;
    }
}
