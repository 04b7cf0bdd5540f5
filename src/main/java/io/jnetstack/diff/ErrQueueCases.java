package io.jnetstack.diff;

import static io.jnetstack.diff.Catalogue.*;
import static io.jnetstack.diff.Recorder.*;
import static io.jnetstack.uapi.ErrQueue.*;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.Poll.*;
import static io.jnetstack.uapi.TcpOpts.*;

import io.jnetstack.syscall.MsgHdr;
import java.util.HexFormat;
import java.util.List;

/**
 * The socket error queue and what rides on it: recvmsg(MSG_ERRQUEUE) on empty queues,
 * SO_ZEROCOPY and MSG_ZEROCOPY completions, SO_TIMESTAMPING's option rules and TCP transmit
 * timestamps (OPT_TSONLY without SOF_TIMESTAMPING_SOFTWARE, so no clock value is compared), and
 * TCP_INQ with its TCP_CM_INQ cmsg. Control messages are compared byte for byte through notes.
 */
final class ErrQueueCases {
    private ErrQueueCases() {}

    static void add(List<Case> l) {
        for (String kind : new String[] {"tcp", "udp", "tcp6", "udp6", "unix-stream", "unix-dgram"}) {
            def(l, "errqueue/empty-" + kind, c -> {
                int s = sock(c, kind);
                errqueue(c, s);
                c.poll(s, POLLERR | POLLIN | POLLOUT);
            });
            def(l, "errqueue/zerocopy-opt-" + kind, c -> {
                int s = sock(c, kind);
                c.getInt(s, SOL_SOCKET, SO_ZEROCOPY);
                c.setInt(s, SOL_SOCKET, SO_ZEROCOPY, 2);
                c.setInt(s, SOL_SOCKET, SO_ZEROCOPY, -1);
                c.setInt(s, SOL_SOCKET, SO_ZEROCOPY, 1);
                c.getInt(s, SOL_SOCKET, SO_ZEROCOPY);
                c.setInt(s, SOL_SOCKET, SO_ZEROCOPY, 0);
                c.getInt(s, SOL_SOCKET, SO_ZEROCOPY);
            });
        }
        def(l, "errqueue/empty-blocking-and-listening", c -> {
            int s = c.socket(AF_INET, SOCK_STREAM, 0);        // blocking: the error queue never waits
            errqueue(c, s);
            c.setInt(s, SOL_SOCKET, SO_REUSEADDR, 1);
            c.bind(s, sin(LO, PORT));
            c.listen(s, 4);
            errqueue(c, s);                                   // before tcp_recvmsg's ENOTCONN
            c.recv(s, 8, MSG_ERRQUEUE | MSG_OOB);
        });
        def(l, "errqueue/tcp-zerocopy-completions", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "plain", MSG_ZEROCOPY);              // no SO_ZEROCOPY: an ordinary send
            c.settle();
            errqueue(c, p[1]);
            c.setInt(p[1], SOL_SOCKET, SO_ZEROCOPY, 1);
            c.send(p[1], "one", MSG_ZEROCOPY);
            c.settle();
            c.send(p[1], "two", MSG_ZEROCOPY);
            c.settle();
            c.poll(p[1], POLLERR | POLLIN | POLLOUT);
            errqueue(c, p[1]);                                // one range: ids 0..1, copied
            errqueue(c, p[1]);
            c.poll(p[1], POLLERR | POLLIN | POLLOUT);
            c.send(p[1], "three", MSG_ZEROCOPY);
            c.settle();
            c.recv(p[1], 8, MSG_ERRQUEUE);                    // no control buffer: MSG_CTRUNC
            c.recv(p[2], 64, 0);
        });
        def(l, "errqueue/timestamping-opt", c -> {
            int t = c.socket(AF_INET, SOCK_STREAM, 0);
            c.setInt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_OPT_ID);   // closed TCP: no key yet
            c.setInt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE);
            c.setInt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, 1 << 30);
            c.setInt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_OPT_STATS);
            c.setInt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_OPT_ID_TCP);
            c.getsockopt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, 8);
            c.getsockopt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, 4);
            c.getsockopt(t, SOL_SOCKET, SO_TIMESTAMPING_NEW, 8);
            c.setsockopt(t, SOL_SOCKET, SO_TIMESTAMPING_OLD, new byte[2], 2);
            int u = c.socket(AF_INET, SOCK_DGRAM, 0);
            c.setInt(u, SOL_SOCKET, SO_TIMESTAMPING_NEW, SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY
                    | SOF_TIMESTAMPING_OPT_STATS);
            c.getsockopt(u, SOL_SOCKET, SO_TIMESTAMPING_NEW, 8);
            c.getsockopt(u, SOL_SOCKET, SO_TIMESTAMPING_OLD, 8);
        });
        def(l, "errqueue/tcp-tx-timestamps", c -> {
            int[] p = tcpPair(c);
            c.setInt(p[1], SOL_SOCKET, SO_TIMESTAMPING_OLD, SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_SOFTWARE
                    | SOF_TIMESTAMPING_TX_ACK | SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY);
            c.send(p[1], "abc", 0);
            c.settle();
            c.send(p[1], "defgh", 0);
            c.settle();
            for (int i = 0; i < 7; i++) errqueue(c, p[1]);   // SCHED, SND, ACK for keys 2 and 7, then EAGAIN
        });
        def(l, "errqueue/tcp-inq", c -> {
            int[] p = tcpPair(c);
            c.setInt(p[2], SOL_TCP, TCP_INQ, 2);
            c.setInt(p[2], SOL_TCP, TCP_INQ, -1);
            c.getInt(p[2], SOL_TCP, TCP_INQ);
            c.setInt(p[2], SOL_TCP, TCP_INQ, 1);
            c.getInt(p[2], SOL_TCP, TCP_INQ);
            c.send(p[1], "hello world", 0);
            c.settle();
            read(c, p[2], 4);
            read(c, p[2], 64);
            c.shutdown(p[1], SHUT_WR);
            c.settle();
            read(c, p[2], 64);
            c.setInt(p[2], SOL_TCP, TCP_INQ, 0);
            read(c, p[2], 64);
        });
    }

    /** recvmsg(MSG_ERRQUEUE) with an 8-byte buffer and room for cmsgs; the cmsgs as hex. */
    private static void errqueue(Recorder c, int fd) {
        MsgHdr m = MsgHdr.of(new byte[8], 8);
        m.name = new byte[32];
        m.namelen = 32;
        m.control = new byte[128];
        m.controllen = 128;
        if (c.recvmsg(fd, m, MSG_ERRQUEUE) >= 0) control(c, m);
    }

    private static void read(Recorder c, int fd, int len) {
        MsgHdr m = MsgHdr.of(new byte[len], len);
        m.control = new byte[64];
        m.controllen = 64;
        if (c.recvmsg(fd, m, 0) >= 0) control(c, m);
    }

    private static void control(Recorder c, MsgHdr m) {
        c.note("control " + HexFormat.of().formatHex(m.control, 0, Math.min(m.controllen, m.control.length)));
    }
}
