package io.jnetstack.diff;

import io.jnetstack.uapi.Names;

import static io.jnetstack.diff.Catalogue.*;
import static io.jnetstack.diff.Recorder.*;
import static io.jnetstack.uapi.Fcntl.*;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.Poll.*;

import io.jnetstack.syscall.EpollEvent;
import io.jnetstack.syscall.MMsgHdr;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.PollFd;
import java.util.List;
import java.util.function.BiConsumer;

/** Data transfer, shutdown/close orders, non-blocking behaviour, poll/epoll, UDP, bad fds, limits. */
final class IoCases {
    private IoCases() {}

    static final int ALLPOLL = POLLIN | POLLPRI | POLLOUT | POLLRDHUP | POLLRDNORM | POLLWRNORM;

    static void add(List<Case> l) {
        addTcpData(l);
        addShutdownClose(l);
        addNonblocking(l);
        addPoll(l);
        addEpoll(l);
        addUdp(l);
        addBadFds(l);
        addLimits(l);
    }

    static void addTcpData(List<Case> l) {
        def(l, "tcp/send-recv-basic", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "hello world", 0);
            c.ioctlInt(p[2], FIONREAD);
            c.ioctlInt(p[1], SIOCOUTQ);
            c.recv(p[2], 5, MSG_PEEK);
            c.recv(p[2], 5, 0);
            c.recv(p[2], 100, 0);
            c.recv(p[2], 100, 0);
        });
        def(l, "tcp/recv-flags", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "abcdef", 0);
            c.recv(p[2], 2, MSG_TRUNC);
            c.recv(p[2], 2, MSG_PEEK | MSG_TRUNC);
            c.recv(p[2], 2, MSG_WAITALL);
            c.recv(p[2], 2, MSG_OOB);
            c.recv(p[2], 8, MSG_ERRQUEUE);
            c.recv(p[2], 8, 0);
        });
        def(l, "tcp/send-zero-and-null", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], new byte[0], 0, 0);
            c.send(p[1], null, 0, 0);
            c.send(p[1], null, 4, 0);
            c.send(p[1], new byte[2], 4, 0);
            c.send(p[1], new byte[4], -1, 0);
            c.recv(p[2], null, 4, 0);
            c.recv(p[2], new byte[1], 4, 0);
            c.recv(p[2], 16, 0);
        });
        def(l, "tcp/unconnected-send-recv", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.send(fd, "x", MSG_NOSIGNAL);
            c.recv(fd, 4, 0);
            c.sendto(fd, "x", MSG_NOSIGNAL, sin(LO, PORT));
            c.bind(fd, sin(LO, PORT));
            c.listen(fd, 1);
            c.send(fd, "x", MSG_NOSIGNAL);
            c.recv(fd, 4, 0);
        });
        def(l, "tcp/sendto-connected-ignores-address", c -> {
            int[] p = tcpPair(c);
            c.sendto(p[1], "hey", 0, sin("10.9.8.7", 9));
            c.sendto(p[1], "hey", 0, null);
            c.recv(p[2], 16, 0);
        });
        def(l, "tcp/sendmsg-recvmsg-iov", c -> {
            int[] p = tcpPair(c);
            MsgHdr m = new MsgHdr();
            m.iov = new byte[][] {bytes("ab"), bytes("cde"), bytes("")};
            m.iovLen = new int[] {2, 3, 0};
            c.sendmsg(p[1], m, 0);
            MsgHdr r = new MsgHdr();
            r.iov = new byte[][] {new byte[1], new byte[3], new byte[8]};
            r.iovLen = new int[] {1, 3, 8};
            r.name = new byte[16];
            r.namelen = 16;
            c.recvmsg(p[2], r, 0);
            c.sendmsg(p[1], null, 0);
            c.recvmsg(p[2], null, 0);
            MsgHdr bad = new MsgHdr();
            bad.iov = new byte[][] {new byte[2]};
            bad.iovLen = new int[] {10};
            c.sendmsg(p[1], bad, 0);
        });
        def(l, "tcp/peer-close-read-eof-then-epipe", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "last", 0);
            c.close(p[1]);
            c.poll(p[2], ALLPOLL);
            c.recv(p[2], 16, 0);
            c.recv(p[2], 16, 0);
            c.send(p[2], "to-closed", MSG_NOSIGNAL);
            c.settle();
            c.poll(p[2], ALLPOLL);
            c.send(p[2], "again", MSG_NOSIGNAL);
            c.getInt(p[2], SOL_SOCKET, SO_ERROR);
        });
        def(l, "tcp/close-with-unread-data-resets", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "unread", 0);
            c.close(p[2]);
            c.settle();
            c.poll(p[1], ALLPOLL);
            c.recv(p[1], 16, 0);
            c.recv(p[1], 16, 0);
            c.send(p[1], "x", MSG_NOSIGNAL);
        });
        def(l, "tcp/linger-zero-close-resets", c -> {
            int[] p = tcpPair(c);
            c.setsockopt(p[1], SOL_SOCKET, SO_LINGER, linger(1, 0), 8);
            c.close(p[1]);
            c.settle();
            c.poll(p[2], ALLPOLL);
            c.getInt(p[2], SOL_SOCKET, SO_ERROR);
            c.recv(p[2], 16, 0);
            c.recv(p[2], 16, 0);
        });
        def(l, "tcp/listener-close-with-pending", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int a = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.connect(a, sin(LO, PORT));
            c.close(ls);
            c.settle();
            c.poll(a, ALLPOLL);
            c.recv(a, 8, 0);
            c.recv(a, 8, 0);
        });
        def(l, "tcp/fill-send-buffer", c -> {
            int[] p = tcpPair(c);
            c.setInt(p[2], SOL_SOCKET, SO_RCVBUF, 4608);
            c.setInt(p[1], SOL_SOCKET, SO_SNDBUF, 4608);
            byte[] chunk = new byte[1 << 16];
            int total = 0;
            for (int i = 0; i < 64; i++) {
                int n = c.sys().send(p[1], chunk, chunk.length, MSG_DONTWAIT);
                if (n < 0) {
                    c.note("send loop stopped with " + io.jnetstack.uapi.Errno.name(n) + " after " + (i > 0 ? "some" : "no") + " sends");
                    break;
                }
                total += n;
            }
            c.note("sent > 0: " + (total > 0));
            c.poll(p[1], POLLOUT);
            c.send(p[1], "x", MSG_DONTWAIT);
        });
        def(l, "tcp/msg-more-and-cork", c -> {
            int[] p = tcpPair(c);
            c.setInt(p[1], SOL_TCP, io.jnetstack.uapi.TcpOpts.TCP_CORK, 1);
            c.send(p[1], "cork", 0);
            c.setInt(p[1], SOL_TCP, io.jnetstack.uapi.TcpOpts.TCP_CORK, 0);
            c.settle();
            c.recv(p[2], 16, 0);
        });
    }

    static void addShutdownClose(List<Case> l) {
        for (int how : new int[] {SHUT_RD, SHUT_WR, SHUT_RDWR, 3, -1, 100}) {
            for (String kind : new String[] {"tcp", "udp", "unix-stream", "unix-dgram"}) {
                def(l, "shutdown/unconnected/" + kind + "/" + Names.how(how), c -> {
                    int fd = sock(c, kind);
                    c.shutdown(fd, how);
                    c.poll(fd, ALLPOLL);
                });
            }
            def(l, "shutdown/connected-tcp/" + Names.how(how), c -> {
                int[] p = tcpPair(c);
                c.send(p[2], "pending", 0);
                c.shutdown(p[1], how);
                c.settle();
                c.poll(p[1], ALLPOLL);
                c.poll(p[2], ALLPOLL);
                c.recv(p[1], 16, 0);
                c.recv(p[1], 16, 0);
                c.send(p[1], "after", MSG_NOSIGNAL);
                c.recv(p[2], 16, 0);
                c.send(p[2], "back", MSG_NOSIGNAL);
                c.shutdown(p[1], how);
                c.getpeername(p[1]);
            });
            def(l, "shutdown/connected-udp/" + Names.how(how), c -> {
                int[] u = udpPair(c);
                c.connect(u[0], sin(LO, PORT2));
                c.shutdown(u[0], how);
                c.poll(u[0], ALLPOLL);
                c.send(u[0], "x", MSG_NOSIGNAL);
                c.recv(u[0], 4, 0);
            });
        }
        def(l, "shutdown/listener", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.bind(fd, sin(LO, PORT));
            c.listen(fd, 4);
            c.shutdown(fd, SHUT_WR);
            c.shutdown(fd, SHUT_RD);
            c.poll(fd, ALLPOLL);
            c.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN);
        });
        def(l, "shutdown/wr-then-send-epipe", c -> {
            int[] p = tcpPair(c);
            c.shutdown(p[1], SHUT_WR);
            c.send(p[1], "x", MSG_NOSIGNAL);
            c.send(p[1], "x", MSG_NOSIGNAL | MSG_DONTWAIT);
            c.sendto(p[1], "x", MSG_NOSIGNAL, null);
            c.recv(p[2], 4, 0);
            c.poll(p[2], ALLPOLL);
        });
        def(l, "shutdown/wr-then-send-without-nosignal", c -> {
            // SIGPIPE is raised; the JVM ignores it, so only the EPIPE shows.
            int[] p = tcpPair(c);
            c.shutdown(p[1], SHUT_WR);
            c.send(p[1], "x", 0);
        });
        def(l, "close/twice", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.close(fd);
            c.close(fd);
            c.getInt(fd, SOL_SOCKET, SO_TYPE);
            c.bind(fd, sin(LO, PORT));
        });
        def(l, "close/then-reuse-number", c -> {
            int a = c.socket(AF_INET, SOCK_STREAM, 0);
            c.socket(AF_INET, SOCK_DGRAM, 0);
            c.close(a);
            int b = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.getInt(b, SOL_SOCKET, SO_DOMAIN);
        });
        def(l, "close/dup-keeps-socket", c -> {
            int[] p = tcpPair(c);
            int d = c.fcntl(p[1], F_DUPFD, 0);
            c.fcntl(p[1], F_DUPFD_CLOEXEC, 0);
            c.close(p[1]);
            c.send(d, "via-dup", 0);
            c.recv(p[2], 16, 0);
            c.poll(p[2], ALLPOLL);
        });
    }

    static void addNonblocking(List<Case> l) {
        for (String kind : new String[] {"tcp", "udp", "unix-stream", "unix-dgram", "unix-seqpacket"}) {
            def(l, "nonblock/recv-empty/" + kind, c -> {
                int fd;
                int peer = -1;
                if (kind.equals("tcp")) {
                    int[] p = tcpPair(c);
                    fd = p[2];
                    peer = p[1];
                } else if (kind.equals("udp")) {
                    fd = udpPair(c)[0];
                } else {
                    int type = kind.equals("unix-stream") ? SOCK_STREAM : kind.equals("unix-dgram") ? SOCK_DGRAM : SOCK_SEQPACKET;
                    int[] sv = c.socketpair(AF_UNIX, type, 0);
                    fd = sv[0];
                    peer = sv[1];
                }
                c.recv(fd, 8, MSG_DONTWAIT);
                c.fcntl(fd, F_GETFL, 0);
                c.fcntl(fd, F_SETFL, O_NONBLOCK);
                c.fcntl(fd, F_GETFL, 0);
                c.recv(fd, 8, 0);
                c.fcntl(fd, F_SETFL, 0);
                c.ioctl(fd, FIONBIO, new int[] {1});
                c.fcntl(fd, F_GETFL, 0);
                c.recv(fd, 8, 0);
                c.ioctl(fd, FIONBIO, new int[] {0});
                c.fcntl(fd, F_GETFL, 0);
                c.ioctl(fd, FIONBIO, null);
                c.ioctlInt(fd, FIONREAD);
                c.ioctlInt(fd, SIOCOUTQ);
                if (peer >= 0) {
                    c.send(peer, "data", 0);
                    c.ioctlInt(fd, FIONREAD);
                    c.recv(fd, 8, MSG_DONTWAIT);
                }
            });
        }
        def(l, "nonblock/fcntl-flags", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM, 0);
            c.fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND | O_ASYNC | O_RDWR | O_CLOEXEC);
            c.fcntl(fd, F_GETFL, 0);
            c.fcntl(fd, F_SETFD, FD_CLOEXEC);
            c.fcntl(fd, F_GETFD, 0);
            c.fcntl(fd, F_SETFD, 0);
            c.fcntl(fd, F_GETFD, 0);
            c.fcntl(fd, 9999, 0);
            c.ioctlInt(fd, 0x12345678L);
            c.ioctlInt(fd, SIOCATMARK);
        });
    }

    static void addPoll(List<Case> l) {
        def(l, "poll/states-tcp", c -> {
            int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.poll(fd, ALLPOLL);
            c.bind(fd, sin(LO, PORT));
            c.poll(fd, ALLPOLL);
            c.listen(fd, 4);
            c.poll(fd, ALLPOLL);
            int a = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.connect(a, sin(LO, PORT));
            c.settle();
            c.poll(a, ALLPOLL);
            c.poll(fd, ALLPOLL);
            int b = c.accept4(fd, SOCK_NONBLOCK);
            c.poll(fd, ALLPOLL);
            c.poll(b, ALLPOLL);
            c.send(a, "x", 0);
            c.poll(b, ALLPOLL);
            c.poll(b, 0);
            c.shutdown(a, SHUT_WR);
            c.poll(b, ALLPOLL);
            c.recv(b, 4, 0);
            c.poll(b, ALLPOLL);
            c.close(a);
            c.settle();
            c.poll(b, ALLPOLL);
        });
        def(l, "poll/args", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.poll(new PollFd[] {new PollFd(fd, POLLIN | POLLOUT), new PollFd(-1, POLLIN), new PollFd(99999, POLLIN)}, 3, 0);
            c.poll(null, 0, 0);
            c.poll(null, 1, 0);
            c.poll(new PollFd[] {new PollFd(fd, POLLOUT)}, 2, 0);
            c.poll(new PollFd[0], 0, 0);
            int closed = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.close(closed);
            c.poll(new PollFd[] {new PollFd(closed, POLLIN)}, 1, 0);
            c.poll(new PollFd[] {new PollFd(fd, 0xffff)}, 1, 0);
        });
        for (String kind : new String[] {"tcp", "udp", "tcp6", "udp6", "unix-stream", "unix-dgram", "unix-seqpacket"}) {
            def(l, "poll/new-socket/" + kind, c -> c.poll(sock(c, kind), ALLPOLL));
        }
    }

    static void addEpoll(List<Case> l) {
        def(l, "epoll/create", c -> {
            for (int f : new int[] {0, EPOLL_CLOEXEC, 1, -1, O_NONBLOCK}) {
                int e = c.epollCreate1(f);
                if (e >= 0) Catalogue.flags(c, e);
            }
        });
        def(l, "epoll/ctl-errors", c -> {
            int ep = c.epollCreate1(0);
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN, 7));
            c.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN, 7));
            c.epollCtl(ep, EPOLL_CTL_MOD, fd, new EpollEvent(EPOLLOUT, 8));
            c.epollCtl(ep, EPOLL_CTL_DEL, fd, null);
            c.epollCtl(ep, EPOLL_CTL_DEL, fd, null);
            c.epollCtl(ep, EPOLL_CTL_MOD, fd, new EpollEvent(EPOLLIN, 7));
            c.epollCtl(ep, EPOLL_CTL_ADD, ep, new EpollEvent(EPOLLIN, 1));
            c.epollCtl(ep, EPOLL_CTL_ADD, fd, null);
            c.epollCtl(ep, 99, fd, new EpollEvent(EPOLLIN, 1));
            c.epollCtl(ep, EPOLL_CTL_ADD, -1, new EpollEvent(EPOLLIN, 1));
            c.epollCtl(fd, EPOLL_CTL_ADD, ep, new EpollEvent(EPOLLIN, 1));
            c.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 1));
            c.epollCtl(ep, EPOLL_CTL_MOD, fd, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 1));
            c.epollWait(ep, 0);
            c.epollWait(ep, null, 1, 0);
            c.epollWait(ep, new EpollEvent[] {new EpollEvent()}, -1, 0);
            c.epollWait(fd, 1);
        });
        def(l, "epoll/readiness-tcp", c -> {
            int ep = c.epollCreate1(EPOLL_CLOEXEC);
            int ls = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            c.epollCtl(ep, EPOLL_CTL_ADD, ls, new EpollEvent(EPOLLIN, 100));
            c.epollWait(ep, 4);
            int a = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.epollCtl(ep, EPOLL_CTL_ADD, a, new EpollEvent(EPOLLIN | EPOLLOUT | EPOLLRDHUP, 200));
            c.epollWait(ep, 4);
            c.connect(a, sin(LO, PORT));
            c.settle();
            c.epollWait(ep, 4);
            int b = c.accept4(ls, SOCK_NONBLOCK);
            c.epollCtl(ep, EPOLL_CTL_ADD, b, new EpollEvent(EPOLLIN | EPOLLET, 300));
            c.epollWait(ep, 4);
            c.send(a, "ping", 0);
            c.epollWait(ep, 4);
            c.epollWait(ep, 4);
            c.shutdown(a, SHUT_WR);
            c.epollWait(ep, 4);
            c.epollWait(ep, 1);
            c.close(a);
            c.epollWait(ep, 4);
        });
        def(l, "epoll/oneshot", c -> {
            int ep = c.epollCreate1(0);
            int[] u = udpPair(c);
            c.epollCtl(ep, EPOLL_CTL_ADD, u[0], new EpollEvent(EPOLLIN | EPOLLONESHOT, 5));
            c.sendto(u[1], "a", 0, sin(LO, PORT));
            c.epollWait(ep, 2);
            c.epollWait(ep, 2);
            c.epollCtl(ep, EPOLL_CTL_MOD, u[0], new EpollEvent(EPOLLIN | EPOLLONESHOT, 6));
            c.epollWait(ep, 2);
            c.epollCtl(ep, EPOLL_CTL_ADD, u[0], new EpollEvent(EPOLLIN, 6));
        });
        def(l, "epoll/closed-fd-drops-out", c -> {
            int ep = c.epollCreate1(0);
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLOUT, 9));
            c.epollWait(ep, 2);
            c.close(fd);
            c.epollWait(ep, 2);
        });
    }

    static void addUdp(List<Case> l) {
        def(l, "udp/sendto-recvfrom", c -> {
            int[] u = udpPair(c);
            c.sendto(u[1], "first", 0, sin(LO, PORT));
            c.sendto(u[1], "second!", 0, sin(LO, PORT));
            c.ioctlInt(u[0], FIONREAD);
            c.recvfrom(u[0], 3, MSG_PEEK);
            c.recvfrom(u[0], 3, MSG_TRUNC);
            c.recvfrom(u[0], 16, 0);
            c.recvfrom(u[0], 16, 0);
        });
        def(l, "udp/recvmsg-flags", c -> {
            int[] u = udpPair(c);
            c.sendto(u[1], "truncate-me", 0, sin(LO, PORT));
            MsgHdr m = MsgHdr.of(new byte[4], 4);
            m.name = new byte[16];
            m.namelen = 16;
            c.recvmsg(u[0], m, MSG_PEEK);
            MsgHdr n = MsgHdr.of(new byte[4], 4);
            n.name = new byte[8];
            n.namelen = 8;
            c.recvmsg(u[0], n, MSG_TRUNC);
            c.recvmsg(u[0], MsgHdr.of(new byte[4], 4), 0);
        });
        def(l, "udp/zero-length-datagram", c -> {
            int[] u = udpPair(c);
            c.sendto(u[1], "", 0, sin(LO, PORT));
            c.ioctlInt(u[0], FIONREAD);
            c.poll(u[0], ALLPOLL);
            c.recvfrom(u[0], 16, 0);
            c.recvfrom(u[0], 16, 0);
        });
        def(l, "udp/unbound-send-autobinds", c -> {
            int r = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.bind(r, sin(LO, PORT));
            int s = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.getsockname(s);
            c.sendto(s, "x", 0, sin(LO, PORT));
            c.getsockname(s);
            c.recvfrom(r, 4, 0);
        });
        def(l, "udp/send-without-destination", c -> {
            int s = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.send(s, "x", 0);
            c.sendto(s, "x", 0, null);
            c.sendto(s, bytes("x"), 1, 0, sin(LO, PORT), 8);
            c.sendto(s, bytes("x"), 1, 0, sin6("::1", PORT), 28);
            c.sendto(s, "x", 0, AddrCases.fam(sin(LO, PORT), AF_UNSPEC));
        });
        def(l, "udp/connected-refused-next-call", c -> {
            int s = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.connect(s, sin(LO, PORT));
            c.send(s, "a", 0);
            c.settle();
            c.poll(s, ALLPOLL);
            c.send(s, "b", 0);
            c.send(s, "c", 0);
            c.settle();
            c.recv(s, 4, 0);
            c.recv(s, 4, 0);
        });
        def(l, "udp/unconnected-refused-is-silent", c -> {
            int s = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.sendto(s, "a", 0, sin(LO, PORT));
            c.settle();
            c.sendto(s, "b", 0, sin(LO, PORT));
            c.recvfrom(s, 4, 0);
            c.getInt(s, SOL_SOCKET, SO_ERROR);
        });
        def(l, "udp/recverr-refused", c -> {
            int s = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.setInt(s, io.jnetstack.uapi.In.IPPROTO_IP, io.jnetstack.uapi.In.IP_RECVERR, 1);
            c.sendto(s, "a", 0, sin(LO, PORT));
            c.settle();
            c.poll(s, ALLPOLL);
            c.sendto(s, "b", 0, sin(LO, PORT));
            MsgHdr m = MsgHdr.of(new byte[8], 8);
            m.name = new byte[16];
            m.namelen = 16;
            m.control = new byte[64];
            m.controllen = 64;
            c.recvmsg(s, m, MSG_ERRQUEUE);
            c.recvfrom(s, 4, 0);
        });
        def(l, "udp/sizes", c -> {
            int[] u = udpPair(c);
            c.sendto(u[1], new byte[65507], 65507, 0, sin(LO, PORT), 16);
            c.sendto(u[1], new byte[65508], 65508, 0, sin(LO, PORT), 16);
            c.ioctlInt(u[0], FIONREAD);
            c.recvfrom(u[0], 8, MSG_TRUNC);
        });
        def(l, "udp/sizes-v6", c -> {
            int v6 = c.socket(AF_INET6, SOCK_DGRAM, 0);
            c.sendto(v6, new byte[65527], 65527, 0, sin6("::1", PORT), 28);
            c.sendto(v6, new byte[65528], 65528, 0, sin6("::1", PORT), 28);
        });
        def(l, "udp/v6-to-v4-mapped", c -> {
            int r = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.bind(r, sin(LO, PORT));
            int s = c.socket(AF_INET6, SOCK_DGRAM, 0);
            c.sendto(s, "m", 0, sin6("::ffff:127.0.0.1", PORT));
            c.recvfrom(r, 4, 0);
            c.getsockname(s);
        });
        def(l, "udp/sendmmsg-recvmmsg", c -> {
            int[] u = udpPair(c);
            MMsgHdr[] out = new MMsgHdr[3];
            for (int i = 0; i < 3; i++) {
                MsgHdr m = MsgHdr.of(bytes("msg" + i), 4);
                m.name = sin(LO, PORT);
                m.namelen = 16;
                out[i] = new MMsgHdr(m);
            }
            c.sendmmsg(u[1], out, 3, 0);
            MMsgHdr[] in = new MMsgHdr[4];
            for (int i = 0; i < 4; i++) {
                MsgHdr m = MsgHdr.of(new byte[8], 8);
                m.name = new byte[16];
                m.namelen = 16;
                in[i] = new MMsgHdr(m);
            }
            c.recvmmsg(u[0], in, 4, MSG_DONTWAIT, -1);
            c.recvmmsg(u[0], in, 4, MSG_DONTWAIT, -1);
            c.sendmmsg(u[1], out, 0, 0);
            c.sendmmsg(u[1], null, 1, 0);
            c.sendmmsg(u[1], new MMsgHdr[] {out[0]}, 2, 0);
            c.recvmmsg(u[0], null, 1, MSG_DONTWAIT, -1);
            c.recvmmsg(u[0], in, 1, MSG_WAITFORONE, 0);
            c.recvmmsg(u[0], in, 1, MSG_DONTWAIT, 2_000_000_000L);
        });
        def(l, "udp/sendmsg-errors", c -> {
            int[] u = udpPair(c);
            MsgHdr m = MsgHdr.of(bytes("x"), 1);
            m.name = sin(LO, PORT);
            m.namelen = 15;
            c.sendmsg(u[1], m, 0);
            m.namelen = 16;
            m.control = new byte[4];
            m.controllen = 4;
            c.sendmsg(u[1], m, 0);
            m.control = null;
            m.controllen = 0;
            c.sendmsg(u[1], m, MSG_OOB);
            c.sendmsg(u[1], m, 0);
            MsgHdr many = new MsgHdr();
            many.name = sin(LO, PORT);
            many.namelen = 16;
            many.iov = new byte[1025][];
            many.iovLen = new int[1025];
            for (int i = 0; i < 1025; i++) many.iov[i] = new byte[0];
            c.sendmsg(u[1], many, 0);
            c.recv(u[0], 8, 0);
        });
        def(l, "udp/broadcast-sendto", c -> {
            int s = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.sendto(s, "b", 0, sin("255.255.255.255", PORT));
            c.setInt(s, SOL_SOCKET, SO_BROADCAST, 1);
            c.sendto(s, "b", 0, sin("255.255.255.255", PORT));
            c.sendto(s, "m", 0, sin("224.0.0.1", PORT));
            c.sendto(s, "n", 0, sin("10.9.8.7", PORT));
        });
    }

    /** Every fd-taking call against -1, a large unused number, a closed fd, and a non-socket (epoll) fd. */
    static void addBadFds(List<Case> l) {
        record Call(String name, BiConsumer<Recorder, Integer> run) {}
        List<Call> calls = List.of(
                new Call("bind", (c, fd) -> c.bind(fd, sin(LO, PORT))),
                new Call("listen", (c, fd) -> c.listen(fd, 1)),
                new Call("accept", (c, fd) -> c.accept(fd)),
                new Call("accept4", (c, fd) -> c.accept4(fd, 0)),
                new Call("connect", (c, fd) -> c.connect(fd, sin(LO, PORT))),
                new Call("getsockname", (c, fd) -> c.getsockname(fd)),
                new Call("getpeername", (c, fd) -> c.getpeername(fd)),
                new Call("send", (c, fd) -> c.send(fd, "x", MSG_NOSIGNAL)),
                new Call("sendto", (c, fd) -> c.sendto(fd, "x", MSG_NOSIGNAL, sin(LO, PORT))),
                new Call("recv", (c, fd) -> c.recv(fd, 4, MSG_DONTWAIT)),
                new Call("recvfrom", (c, fd) -> c.recvfrom(fd, 4, MSG_DONTWAIT)),
                new Call("sendmsg", (c, fd) -> c.sendmsg(fd, MsgHdr.of(bytes("x"), 1), MSG_NOSIGNAL)),
                new Call("recvmsg", (c, fd) -> c.recvmsg(fd, MsgHdr.of(new byte[4], 4), MSG_DONTWAIT)),
                new Call("sendmmsg", (c, fd) -> c.sendmmsg(fd, new MMsgHdr[] {new MMsgHdr(MsgHdr.of(bytes("x"), 1))}, 1, MSG_NOSIGNAL)),
                new Call("recvmmsg", (c, fd) -> c.recvmmsg(fd, new MMsgHdr[] {new MMsgHdr(MsgHdr.of(new byte[4], 4))}, 1, MSG_DONTWAIT, -1)),
                new Call("shutdown", (c, fd) -> c.shutdown(fd, SHUT_RDWR)),
                new Call("setsockopt", (c, fd) -> c.setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1)),
                new Call("getsockopt", (c, fd) -> c.getInt(fd, SOL_SOCKET, SO_TYPE)),
                new Call("fcntl", (c, fd) -> c.fcntl(fd, F_GETFL, 0)),
                new Call("ioctl-fionread", (c, fd) -> c.ioctlInt(fd, FIONREAD)),
                new Call("ioctl-fionbio", (c, fd) -> c.ioctl(fd, FIONBIO, new int[] {1})),
                new Call("epoll_ctl", (c, fd) -> {
                    int ep = c.epollCreate1(0);
                    c.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN, 1));
                }),
                new Call("epoll_wait", (c, fd) -> c.epollWait(fd, 1)),
                new Call("poll", (c, fd) -> c.poll(fd, POLLIN)),
                new Call("close", Recorder::close));
        for (Call call : calls) {
            def(l, "badfd/" + call.name() + "/minus-1", c -> call.run().accept(c, -1));
            def(l, "badfd/" + call.name() + "/unused-99999", c -> call.run().accept(c, 99999));
            def(l, "badfd/" + call.name() + "/closed", c -> {
                int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
                c.close(fd);
                call.run().accept(c, fd);
            });
            def(l, "badfd/" + call.name() + "/not-a-socket", c -> call.run().accept(c, c.epollCreate1(0)));
        }
    }

    static void addLimits(List<Case> l) {
        def(l, "limits/emfile-socket", c -> {
            c.limitFds(2);
            c.socket(AF_INET, SOCK_STREAM, 0);
            c.socket(AF_INET, SOCK_DGRAM, 0);
            c.socket(AF_INET, SOCK_DGRAM, 0);
            c.epollCreate1(0);
            c.socketpair(AF_UNIX, SOCK_STREAM, 0);
        });
        def(l, "limits/emfile-socketpair-needs-two", c -> {
            c.limitFds(1);
            c.socketpair(AF_UNIX, SOCK_STREAM, 0);
            c.socket(AF_UNIX, SOCK_STREAM, 0);
        });
        def(l, "limits/emfile-accept", c -> {
            int ls = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.bind(ls, sin(LO, PORT));
            c.listen(ls, 4);
            int a = c.socket(AF_INET, SOCK_STREAM, 0);
            c.limitFds(0);
            c.connect(a, sin(LO, PORT));
            c.accept(ls);
            c.accept(ls);
            c.close(a);
            c.accept(ls);
        });
        def(l, "limits/emfile-dup", c -> {
            int fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.limitFds(0);
            c.fcntl(fd, F_DUPFD, 0);
            c.close(fd);
            c.fcntl(fd, F_DUPFD, 0);
        });
    }
}
