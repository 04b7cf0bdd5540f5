package io.jnetstack.diff;

import static io.jnetstack.diff.Catalogue.*;
import static io.jnetstack.diff.Recorder.*;
import static io.jnetstack.uapi.Fcntl.FIONREAD;
import static io.jnetstack.uapi.Fcntl.SIOCATMARK;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.Poll.*;

import java.util.List;

/**
 * TCP urgent data (RFC 9293 §3.8.5, RFC 6093) the way BSD sockets and Linux expose it: the last
 * byte of a send(MSG_OOB) is the out-of-band byte, read apart with recv(MSG_OOB) unless
 * SO_OOBINLINE keeps it in the stream; reads stop at the urgent mark; SIOCATMARK tells when the
 * next byte is the mark; POLLPRI while the byte waits.
 */
final class UrgentCases {
    private UrgentCases() {}

    static void add(List<Case> l) {
        def(l, "urg/oob-byte-apart", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "abc", MSG_OOB);
            c.settle();
            c.poll(p[2], POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND);
            c.ioctlInt(p[2], SIOCATMARK);
            c.ioctlInt(p[2], FIONREAD);
            c.recv(p[2], 16, 0);                             // stops before the mark
            c.ioctlInt(p[2], SIOCATMARK);
            c.recv(p[2], 16, MSG_OOB | MSG_PEEK);
            c.recv(p[2], 16, MSG_OOB);
            c.recv(p[2], 16, MSG_OOB);                       // read already
            c.poll(p[2], POLLIN | POLLPRI);
            c.recv(p[2], 16, 0);
            c.ioctlInt(p[2], SIOCATMARK);
        });
        def(l, "urg/oob-first-then-stream", c -> {
            int[] p = tcpPair(c);
            c.recv(p[2], 16, MSG_OOB);                       // nothing urgent: EINVAL
            c.send(p[1], "hello", 0);
            c.send(p[1], "xy", MSG_OOB);
            c.settle();
            c.recv(p[2], 16, MSG_OOB);
            c.ioctlInt(p[2], SIOCATMARK);
            c.recv(p[2], 16, 0);
            c.ioctlInt(p[2], SIOCATMARK);
            c.recv(p[2], 16, 0);
        });
        def(l, "urg/at-mark-skips-the-byte", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "ab", MSG_OOB);
            c.send(p[1], "cd", 0);
            c.settle();
            c.recv(p[2], 1, 0);
            c.ioctlInt(p[2], SIOCATMARK);
            c.recv(p[2], 16, 0);                             // the urgent byte is not in the stream
            c.recv(p[2], 16, MSG_OOB);
        });
        def(l, "urg/oobinline", c -> {
            int[] p = tcpPair(c);
            c.setInt(p[2], SOL_SOCKET, SO_OOBINLINE, 1);
            c.getInt(p[2], SOL_SOCKET, SO_OOBINLINE);
            c.send(p[1], "abc", MSG_OOB);
            c.send(p[1], "de", 0);
            c.settle();
            c.poll(p[2], POLLIN | POLLPRI);
            c.recv(p[2], 16, MSG_OOB);                       // inline: EINVAL
            c.recv(p[2], 16, 0);
            c.ioctlInt(p[2], SIOCATMARK);
            c.recv(p[2], 16, 0);
        });
        def(l, "urg/second-mark-replaces-first", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "ab", MSG_OOB);
            c.settle();
            c.send(p[1], "cd", MSG_OOB);
            c.settle();
            c.recv(p[2], 16, MSG_OOB);
            c.recv(p[2], 16, 0);
            c.recv(p[2], 16, 0);
            c.recv(p[2], 16, MSG_OOB);
        });
        def(l, "urg/oob-zero-length-and-errors", c -> {
            int[] p = tcpPair(c);
            c.send(p[1], "", MSG_OOB);
            c.settle();
            c.send(p[1], "z", MSG_OOB);
            c.settle();
            c.recv(p[2], 0, MSG_OOB);
            c.recv(p[2], 16, MSG_OOB | MSG_TRUNC);
            c.recv(p[2], 16, MSG_OOB);
            int l2 = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            c.send(l2, "q", MSG_OOB);                        // not connected
            c.recv(l2, 4, MSG_OOB);
            int u = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            c.sendto(u, "q", MSG_OOB, sin(LO, PORT + 1));
            c.recv(u, 4, MSG_OOB);
        });
        def(l, "urg/after-shutdown", c -> {
            int[] p = tcpPair(c);
            c.shutdown(p[1], SHUT_WR);
            c.settle();
            c.recv(p[2], 16, MSG_OOB);
            c.recv(p[2], 16, 0);
            c.send(p[1], "x", MSG_OOB);
        });
    }
}
