package io.jnetstack.syscall;

import io.jnetstack.uapi.Errno;
import java.util.Arrays;

/**
 * A process's descriptor table (struct files_struct): the lowest free descriptor is handed out, up
 * to the RLIMIT_NOFILE soft limit (EMFILE beyond it). Close-on-exec is per descriptor.
 */
public final class FdTable {
    private File[] files = new File[64];
    private boolean[] cloexec = new boolean[64];
    private int limit;
    private int next; // no free descriptor below this

    public FdTable(int limit) { this.limit = limit; }

    public int limit() { return limit; }

    /** setrlimit(RLIMIT_NOFILE): descriptors already above the new limit stay open, as on Linux. */
    public void setLimit(int limit) { this.limit = limit; }

    /** get_unused_fd_flags + fd_install: returns the descriptor or -EMFILE. */
    public int install(File f, boolean closeOnExec) {
        int fd = place(f, lowestFreeFrom(next), closeOnExec);
        if (fd >= 0) next = fd + 1; // every number below it is taken
        return fd;
    }

    /** The lowest descriptor number at or above {@code from} with no file. */
    private int lowestFreeFrom(int from) {
        int fd = from;
        while (fd < files.length && files[fd] != null) fd++;
        return fd;
    }

    /** Puts {@code f} at {@code fd} (known free), growing the table; -EMFILE at the limit. */
    private int place(File f, int fd, boolean closeOnExec) {
        if (fd >= limit) return -Errno.EMFILE;
        if (fd >= files.length) {
            int n = Math.max(files.length * 2, fd + 1);
            files = Arrays.copyOf(files, n);
            cloexec = Arrays.copyOf(cloexec, n);
        }
        files[fd] = f;
        cloexec[fd] = closeOnExec;
        if (fd == next) next = fd + 1; // F_DUPFD may place above a gap: then `next` stays
        return fd;
    }

    /**
     * F_DUPFD's allocation: the lowest free descriptor at or above {@code minFd}; -EMFILE when none is
     * below the limit (the caller has already refused {@code minFd >= limit} with EINVAL).
     */
    public int installFrom(File f, int minFd, boolean closeOnExec) {
        return place(f, lowestFreeFrom(Math.max(minFd, 0)), closeOnExec);
    }

    /** How many more descriptors could be installed now (socketpair needs two). */
    public boolean hasFree(int n) {
        int found = 0;
        for (int fd = next; fd < limit && found < n; fd++) if (fd >= files.length || files[fd] == null) found++;
        return found >= n;
    }

    /** Would {@link #install} succeed? (get_unused_fd_flags is done before the file is made.) */
    public int checkFree() {
        return lowestFreeFrom(next) >= limit ? -Errno.EMFILE : 0;
    }

    /** fget: the file behind {@code fd}, or null (EBADF). */
    public File get(int fd) { return fd >= 0 && fd < files.length ? files[fd] : null; }

    /** Removes the descriptor and returns its file (whose reference the caller drops), or null. */
    public File remove(int fd) {
        File f = get(fd);
        if (f == null) return null;
        files[fd] = null;
        cloexec[fd] = false;
        if (fd < next) next = fd;
        return f;
    }

    public boolean closeOnExec(int fd) { return fd >= 0 && fd < files.length && cloexec[fd]; }

    public void setCloseOnExec(int fd, boolean on) { if (get(fd) != null) cloexec[fd] = on; }

    /** Number of open descriptors. */
    public int count() {
        int n = 0;
        for (File f : files) if (f != null) n++;
        return n;
    }

    /** Highest slot in use + 1 (for iteration). */
    public int span() { return files.length; }
}
