package io.jnetstack.syscall;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.Poll.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.uapi.Fcntl;
import org.junit.jupiter.api.Test;

/** poll(2) and epoll(7) over AF_UNIX socket pairs; masks as Linux 6.18 reports them. */
class PollEpollTest extends SysFixture {
    static final int ALL = POLLIN | POLLOUT | POLLRDHUP | POLLPRI;

    int poll1(int fd) {
        PollFd[] p = {new PollFd(fd, ALL)};
        sys.poll(p, 1, 0);
        return p[0].revents;
    }

    @Test void streamMasks() {
        int[] sv = pair(SOCK_STREAM);
        assertEquals(POLLOUT, poll1(sv[0]));
        sys.send(sv[1], "hi".getBytes(), 2, 0);
        assertEquals(POLLIN | POLLOUT, poll1(sv[0]));
        sys.shutdown(sv[1], SHUT_WR);
        assertEquals(0x2005, poll1(sv[0]));
        assertEquals(POLLOUT, poll1(sv[1]));
        sys.shutdown(sv[0], SHUT_WR);
        assertEquals(0x2015, poll1(sv[0]));
        int s = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(POLLOUT | POLLHUP, poll1(s), "an unconnected stream socket is hung up");
        int[] p = pair(SOCK_STREAM);
        sys.send(p[0], "unread".getBytes(), 6, 0);
        sys.close(p[1]);
        assertEquals(0x201d, poll1(p[0]));
        int[] sr = pair(SOCK_STREAM);
        sys.shutdown(sr[0], SHUT_RD);
        assertEquals(0x2005, poll1(sr[0]));
    }

    @Test void dgramMasks() {
        int[] sv = pair(SOCK_DGRAM);
        assertEquals(POLLOUT, poll1(sv[0]));
        sys.send(sv[1], "hi".getBytes(), 2, 0);
        assertEquals(POLLIN | POLLOUT, poll1(sv[0]));
        sys.shutdown(sv[1], SHUT_WR);
        assertEquals(POLLIN | POLLOUT, poll1(sv[0]), "datagram shutdown is not seen by the peer");
        int[] q = pair(SOCK_SEQPACKET);
        sys.close(q[1]);
        assertEquals(0x2015, poll1(q[0]));
    }

    @Test void pollArguments() {
        int[] sv = pair(SOCK_STREAM);
        PollFd[] p = {new PollFd(sv[0], POLLIN | POLLOUT), new PollFd(-1, POLLIN), new PollFd(999, POLLIN)};
        p[1].revents = 7;
        assertEquals(2, sys.poll(p, 3, 0));
        assertEquals(POLLOUT, p[0].revents);
        assertEquals(0, p[1].revents);
        assertEquals(POLLNVAL, p[2].revents);
        assertEquals(-EINVAL, sys.poll(p, task.files.limit() + 1, 0));
        assertEquals(-EFAULT, sys.poll(null, task.files.limit(), 0));
        assertEquals(0, sys.poll(null, 0, 0));
        assertEquals(-EFAULT, sys.poll(p, 4, 0));
        p[0].events = 0;
        assertEquals(0, sys.poll(p, 1, 0));
        int ep = sys.epollCreate1(0);
        assertEquals(0, sys.poll(new PollFd[] {new PollFd(ep, POLLIN)}, 1, 0));
    }

    @Test void pollTimesOutOnTheVirtualClock() {
        int[] sv = pair(SOCK_STREAM);
        long t0 = stack.now();
        PollFd[] p = {new PollFd(sv[0], POLLIN)};
        assertEquals(0, sys.poll(p, 1, 250));
        assertEquals(250_000_000L, stack.now() - t0);
    }

    @Test void pollWakesWhenDataArrives() {
        int[] sv = pair(SOCK_STREAM);
        int[] result = new int[1];
        sched.spawn("reader", () -> result[0] = sys.poll(new PollFd[] {new PollFd(sv[0], POLLIN)}, 1, -1));
        sched.spawn("writer", () -> {
            sys.send(sv[1], "x".getBytes(), 1, 0);
        });
        sched.run();
        assertEquals(1, result[0]);
    }

    @Test void epollCtlErrors() {
        int[] sv = pair(SOCK_STREAM);
        int ep = sys.epollCreate1(0);
        EpollEvent ev = new EpollEvent(EPOLLIN, 1);
        assertEquals(-EINVAL, sys.epollCreate1(1));
        assertTrue(sys.epollCreate1(EPOLL_CLOEXEC) >= 0);
        assertEquals(-EFAULT, sys.epollCtl(999, EPOLL_CTL_ADD, sv[0], null), "the event is read first");
        assertEquals(-EBADF, sys.epollCtl(999, EPOLL_CTL_ADD, sv[0], ev));
        assertEquals(-EBADF, sys.epollCtl(ep, EPOLL_CTL_ADD, 999, ev));
        assertEquals(-EINVAL, sys.epollCtl(sv[1], EPOLL_CTL_ADD, sv[0], ev));
        assertEquals(-EINVAL, sys.epollCtl(ep, EPOLL_CTL_ADD, ep, ev));
        assertEquals(-EINVAL, sys.epollCtl(ep, 7, sv[0], ev));
        assertEquals(-ENOENT, sys.epollCtl(ep, EPOLL_CTL_DEL, sv[0], null));
        assertEquals(-ENOENT, sys.epollCtl(ep, EPOLL_CTL_MOD, sv[0], ev));
        assertEquals(0, sys.epollCtl(ep, EPOLL_CTL_ADD, sv[0], ev));
        assertEquals(-EEXIST, sys.epollCtl(ep, EPOLL_CTL_ADD, sv[0], ev));
        assertEquals(-EINVAL, sys.epollCtl(ep, EPOLL_CTL_MOD, sv[0], new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 0)));
        assertEquals(0, sys.epollCtl(ep, EPOLL_CTL_ADD, sv[1], new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 0)));
        assertEquals(-EINVAL, sys.epollCtl(ep, EPOLL_CTL_MOD, sv[1], new EpollEvent(EPOLLIN, 0)));
        int s9 = sys.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(-EINVAL, sys.epollCtl(ep, EPOLL_CTL_ADD, s9, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0)));
        int ep2 = sys.epollCreate1(0);
        assertEquals(0, sys.epollCtl(ep2, EPOLL_CTL_ADD, ep, ev));
        assertEquals(-ELOOP, sys.epollCtl(ep, EPOLL_CTL_ADD, ep2, ev));
        int ep3 = sys.epollCreate1(0);
        assertEquals(-EINVAL, sys.epollCtl(ep3, EPOLL_CTL_ADD, ep2, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 0)));
        assertEquals(0, sys.epollCtl(ep, EPOLL_CTL_DEL, sv[0], null));
        EpollEvent[] out = new EpollEvent[4];
        assertEquals(-EINVAL, sys.epollWait(ep, out, 0, 0));
        assertEquals(-EINVAL, sys.epollWait(ep, out, -1, 0));
        assertEquals(-EINVAL, sys.epollWait(sv[0], out, 1, 0));
        assertEquals(-EBADF, sys.epollWait(999, out, 1, 0));
        sys.send(sv[0], "x".getBytes(), 1, 0); // sv[1] (watched) becomes readable
        assertEquals(-EFAULT, sys.epollWait(ep, null, 1, 0));
        assertEquals(-ENOTSOCK, sys.bind(ep, null, 0));
        assertEquals(-ENOTSOCK, sys.getsockopt(ep, 1, 1, null, null));
        assertEquals(-EINVAL, sys.ioctl(ep, Fcntl.FIONREAD, new int[1]));
        assertEquals(0, sys.ioctl(ep, Fcntl.FIONBIO, new int[1]));
        assertEquals(Fcntl.O_RDWR, sys.fcntl(ep, Fcntl.F_GETFL, 0));
    }

    @Test void levelEdgeAndOneshot() {
        int[] sv = pair(SOCK_STREAM);
        int lt = sys.epollCreate1(0), et = sys.epollCreate1(0), os = sys.epollCreate1(0);
        sys.epollCtl(lt, EPOLL_CTL_ADD, sv[0], new EpollEvent(EPOLLIN, 11));
        sys.epollCtl(et, EPOLL_CTL_ADD, sv[0], new EpollEvent(EPOLLIN | EPOLLET, 22));
        sys.epollCtl(os, EPOLL_CTL_ADD, sv[0], new EpollEvent(EPOLLIN | EPOLLONESHOT, 33));
        EpollEvent[] out = {new EpollEvent()};
        assertEquals(0, sys.epollWait(lt, out, 1, 0));
        sys.send(sv[1], "ab".getBytes(), 2, 0);
        for (int i = 0; i < 2; i++) {
            assertEquals(1, sys.epollWait(lt, out, 1, 0), "level-triggered reports again");
            assertEquals(EPOLLIN, out[0].events);
            assertEquals(11, out[0].data);
        }
        assertEquals(1, sys.epollWait(et, out, 1, 0));
        assertEquals(22, out[0].data);
        assertEquals(0, sys.epollWait(et, out, 1, 0), "edge-triggered: once per edge");
        sys.send(sv[1], "c".getBytes(), 1, 0);
        assertEquals(1, sys.epollWait(et, out, 1, 0), "new data is a new edge");
        assertEquals(1, sys.epollWait(os, out, 1, 0));
        assertEquals(0, sys.epollWait(os, out, 1, 0), "one-shot disarms");
        sys.send(sv[1], "d".getBytes(), 1, 0);
        assertEquals(0, sys.epollWait(os, out, 1, 0));
        assertEquals(0, sys.epollCtl(os, EPOLL_CTL_MOD, sv[0], new EpollEvent(EPOLLIN | EPOLLONESHOT, 44)));
        assertEquals(1, sys.epollWait(os, out, 1, 0), "MOD re-arms");
        assertEquals(44, out[0].data);
        sys.recv(sv[0], new byte[16], 16, 0);
        assertEquals(0, sys.epollWait(lt, out, 1, 0), "drained: level-triggered goes quiet");
        // closing the last descriptor removes the file from every set
        sys.close(sv[0]);
        sys.send(sv[1], "e".getBytes(), 1, MSG_NOSIGNAL);
        assertEquals(0, sys.epollWait(lt, out, 1, 0));
    }

    @Test void epollWaitBlocksUntilWritableOrTimeout() {
        int[] sv = pair(SOCK_STREAM | SOCK_NONBLOCK);
        int ep = sys.epollCreate1(0);
        sys.epollCtl(ep, EPOLL_CTL_ADD, sv[0], new EpollEvent(EPOLLOUT | EPOLLET, 1));
        EpollEvent[] out = {new EpollEvent()};
        assertEquals(1, sys.epollWait(ep, out, 1, 0));
        byte[] big = new byte[65536];
        while (sys.send(sv[0], big, big.length, 0) > 0) { }
        long t0 = stack.now();
        assertEquals(0, sys.epollWait(ep, out, 1, 100));
        assertEquals(100_000_000L, stack.now() - t0);
        int[] got = new int[1];
        sched.spawn("waiter", () -> got[0] = sys.epollWait(ep, out, 1, -1));
        sched.spawn("reader", () -> { while (sys.recv(sv[1], big, big.length, 0) > 0) { } });
        sched.run();
        assertEquals(1, got[0]);
        assertEquals(EPOLLOUT, out[0].events);
    }
}
