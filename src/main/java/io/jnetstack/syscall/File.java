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

    /** epitems watching this file (f_ep): removed when the file is released (eventpoll_release). */
    Object epLinks;

    /** fget/get_file: one more reference (a dup, a file in flight in an SCM_RIGHTS message). */
    public final void hold() { refs++; }

    /**
     * fput: drops a reference; the last one unhooks the file from every epoll set watching it and
     * releases it (f_op->release).
     */
    public final void drop() {
        if (--refs > 0) return;
        EventPoll.fileReleased(this);
        release();
    }

    /** References held (descriptors, in-flight messages). */
    public final int refCount() { return refs; }

    /** Can this file be watched by poll/epoll? (epoll_ctl gives EPERM for files that cannot.) */
    public boolean pollable() { return true; }

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
