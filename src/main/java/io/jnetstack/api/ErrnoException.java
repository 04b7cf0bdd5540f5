package io.jnetstack.api;

import io.jnetstack.uapi.Errno;
import java.io.IOException;

/** A system call failed: carries the errno and the call, e.g. "connect: Connection refused (ECONNREFUSED)". */
public class ErrnoException extends IOException {
    private final int errno;
    private final String syscall;

    public ErrnoException(String syscall, int errno) {
        super(syscall + ": " + Errno.message(errno) + " (" + Errno.name(errno) + ")");
        this.errno = Math.abs(errno);
        this.syscall = syscall;
    }

    /** The positive errno value (ECONNREFUSED = 111). */
    public int errno() { return errno; }

    public String syscall() { return syscall; }

    /** Returns {@code r} when it is a success, else throws for {@code -errno}. */
    public static int check(String syscall, int r) throws ErrnoException {
        if (r < 0) throw new ErrnoException(syscall, -r);
        return r;
    }
}
