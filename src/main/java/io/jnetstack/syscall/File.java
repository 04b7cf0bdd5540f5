package io.jnetstack.syscall;

import io.jnetstack.time.WaitQueue;

/**
 * struct file: what a descriptor refers to. Sockets and epoll instances are files. Several
 * descriptors may share one file (dup); the file is released when the last one closes.
 */
public abstract class File {
    /** f_flags: O_RDWR | O_NONBLOCK ... */
    public int flags;
    int refs = 1;

    protected File(int flags) { this.flags = flags; }

    /** The poll mask now (f_op->poll). */
    public abstract int poll();

    /** The wait queue poll and epoll sleep on. */
    public abstract WaitQueue waitQueue();

    /** f_op->release: the last descriptor is gone. */
    protected abstract void release();

    /** f_op->unlocked_ioctl for requests the generic layer does not answer; -ENOTTY by default. */
    public int ioctl(long request, int[] arg) { return -io.jnetstack.uapi.Errno.ENOTTY; }

    /** A short description for traces and lsof-like listings ("socket:[TCP 127.0.0.1:80]"). */
    public abstract String describe();
}
