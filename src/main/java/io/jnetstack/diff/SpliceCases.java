package io.jnetstack.diff;

import static io.jnetstack.diff.Catalogue.*;
import static io.jnetstack.diff.Recorder.*;
import static io.jnetstack.uapi.Fcntl.FIONREAD;
import static io.jnetstack.uapi.Fcntl.O_CLOEXEC;
import static io.jnetstack.uapi.Fcntl.O_NONBLOCK;
import static io.jnetstack.uapi.Net.*;
import static io.jnetstack.uapi.Poll.*;

import java.util.List;

/**
 * Pipes and splice(2) between pipes and sockets, as proxies use them: pipe2's flags, pipe reads
 * and writes with their end-of-file and EPIPE rules, socket → pipe (TCP's splice_read, which
 * stops at the urgent mark), pipe → socket, pipe → pipe, and the errno of each misuse.
 */
final class SpliceCases {
    private SpliceCases() {}

    static final int SPLICE_F_NONBLOCK = 2, SPLICE_F_MORE = 4;

    static void add(List<Case> l) {
        def(l, "pipe/read-write-eof", c -> {
            int[] p = c.pipe2(O_NONBLOCK);
            c.read(p[0], 16);                                  // empty, a writer left: EAGAIN
            c.poll(p[0], POLLIN | POLLOUT);
            c.poll(p[1], POLLIN | POLLOUT);
            c.write(p[1], "abc");
            c.poll(p[0], POLLIN | POLLOUT);
            c.ioctlInt(p[0], FIONREAD);
            c.read(p[0], 2);
            c.close(p[1]);
            c.poll(p[0], POLLIN);
            c.read(p[0], 16);
            c.read(p[0], 16);                                  // no writer: end of file
            c.read(p[0], 0);
        });
        def(l, "pipe/write-without-reader-and-flags", c -> {
            int[] p = c.pipe2(O_NONBLOCK | O_CLOEXEC);
            c.write(p[0], "x");                                // the read end: EBADF
            c.read(p[1], 4);
            c.close(p[0]);
            c.poll(p[1], POLLOUT);
            c.write(p[1], "x");                                // EPIPE
            c.pipe2(0x1234);
        });
        def(l, "splice/tcp-to-pipe", c -> {
            int[] s = tcpPair(c);
            int[] p = c.pipe2(O_NONBLOCK);
            c.splice(s[2], null, p[1], null, 5, 0);            // nothing yet: EAGAIN (non-blocking socket)
            c.send(s[1], "hello world", 0);
            c.settle();
            c.splice(s[2], null, p[1], null, 5, 0);
            c.read(p[0], 16);
            c.splice(s[2], null, p[1], null, 100, SPLICE_F_NONBLOCK);
            c.read(p[0], 16);
            c.splice(s[2], null, p[1], null, 0, 0);
            c.shutdown(s[1], SHUT_WR);
            c.settle();
            c.splice(s[2], null, p[1], null, 100, 0);          // end of stream: 0
        });
        def(l, "splice/pipe-to-tcp-and-pipe-to-pipe", c -> {
            int[] s = tcpPair(c);
            int[] p = c.pipe2(O_NONBLOCK), q = c.pipe2(O_NONBLOCK);
            c.write(p[1], "spliced data");
            c.splice(p[0], null, q[1], null, 7, 0);
            c.read(q[0], 16);
            c.splice(p[0], null, s[1], null, 100, SPLICE_F_MORE);
            c.splice(p[0], null, s[1], null, 100, SPLICE_F_NONBLOCK);   // empty pipe: EAGAIN
            c.close(p[1]);
            c.splice(p[0], null, s[1], null, 100, 0);          // empty, no writer: 0
            c.settle();
            c.recv(s[2], 64, 0);
        });
        def(l, "splice/urgent-mark-stops-it", c -> {
            int[] s = tcpPair(c);
            int[] p = c.pipe2(O_NONBLOCK);
            c.send(s[1], "abc", MSG_OOB);
            c.settle();
            c.splice(s[2], null, p[1], null, 99, 0);
            c.splice(s[2], null, p[1], null, 1, 0);            // at the mark: 0, not a loop
            c.read(p[0], 16);
            c.recv(s[2], 4, MSG_OOB);
        });
        def(l, "splice/errors", c -> {
            int[] s = tcpPair(c);
            int[] p = c.pipe2(O_NONBLOCK);
            c.splice(s[1], null, s[2], null, 10, 0);           // no pipe: EINVAL
            c.splice(p[0], new long[] {0}, s[1], null, 10, 0); // offset on a pipe: ESPIPE
            c.splice(s[2], new long[] {0}, p[1], null, 10, 0); // offset on a socket
            c.splice(p[0], null, s[1], new long[] {0}, 10, 0);
            c.splice(p[1], null, s[1], null, 10, 0);           // the write end as input: EBADF
            c.splice(s[2], null, p[0], null, 10, 0);           // the read end as output
            c.splice(p[0], null, p[1], null, 10, 0);           // one pipe both ways
            c.splice(999, null, p[1], null, 10, 0);
            c.splice(s[2], null, p[1], null, 10, 0x100);       // unknown flag
            c.close(p[0]);
            c.send(s[1], "x", 0);
            c.settle();
            c.splice(s[2], null, p[1], null, 10, 0);           // no reader: EPIPE
        });
    }
}
