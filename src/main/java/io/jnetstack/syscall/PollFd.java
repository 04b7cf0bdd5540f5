package io.jnetstack.syscall;

/** struct pollfd: {@code events} in, {@code revents} out. */
public final class PollFd {
    public int fd;
    public short events;
    public short revents;

    public PollFd(int fd, int events) { this.fd = fd; this.events = (short) events; }
}
