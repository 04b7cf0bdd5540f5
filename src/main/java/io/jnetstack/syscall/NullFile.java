package io.jnetstack.syscall;

import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Poll;

/**
 * /dev/null as a file: what a process's standard descriptors 0, 1 and 2 refer to here. It exists so
 * that descriptors are numbered as in a real process (the first socket is 3, as packetdrill scripts
 * and strace logs expect) and so that socket calls on them answer ENOTSOCK, as on a tty or pipe.
 */
public final class NullFile extends File {
    private final WaitQueue wq = new WaitQueue();
    private final String name;

    public NullFile(String name) {
        super(Fcntl.O_RDWR);
        this.name = name;
    }

    /** /dev/null is always ready: reads see end of file, writes vanish. */
    @Override public int poll() { return Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLOUT | Poll.POLLWRNORM; }

    @Override public WaitQueue waitQueue() { return wq; }

    @Override protected void release() {}

    @Override public String describe() { return name + " (/dev/null)"; }
}
