package io.jnetstack.syscall;

/** struct epoll_event: the event mask and the caller's 64-bit cookie (epoll_data). */
public final class EpollEvent {
    public int events;
    public long data;

    public EpollEvent() {}

    public EpollEvent(int events, long data) { this.events = events; this.data = data; }
}
