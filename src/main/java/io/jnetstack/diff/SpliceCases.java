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
    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200;
    /** A scratch file both kernels use in turn (the host's /tmp; each case writes it first). */
    static final String FILE = "/tmp/jnetstack-diff-sendfile";

    /** The file with {@code text}, closed again. */
    static void file(Recorder c, String text) {
        int f = c.open(FILE, O_CREAT | O_TRUNC | O_WRONLY, 0644);
        c.write(f, text);
        c.close(f);
    }

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
        def(l, "file/open-read-write", c -> {
            file(c, "hello file");
            int f = c.open(FILE, O_RDONLY, 0);
            c.read(f, 4);
            c.read(f, 100);
            c.read(f, 100);                                    // end of file
            c.write(f, "x");                                   // read-only: EBADF
            c.close(f);
            c.open("/nonexistent-jnetstack/x", O_RDONLY, 0);   // ENOENT
            c.open(FILE, O_CREAT | O_EXCL | O_WRONLY, 0644);   // EEXIST
            int w = c.open(FILE, O_WRONLY, 0);
            c.read(w, 4);                                      // write-only: EBADF
            c.close(w);
        });
        def(l, "sendfile/file-to-tcp-and-pipe", c -> {
            file(c, "0123456789");
            int[] s = tcpPair(c);
            int f = c.open(FILE, O_RDONLY, 0);
            c.sendfile(s[1], f, null, 4);                      // from the file position, which moves
            c.sendfile(s[1], f, new long[] {6}, 10);           // from an offset: the position stays
            c.sendfile(s[1], f, null, 100);
            c.sendfile(s[1], f, null, 100);                    // at the end: 0
            c.settle();
            c.recv(s[2], 64, 0);
            int[] p = c.pipe2(O_NONBLOCK);
            c.sendfile(p[1], f, new long[] {2}, 5);
            c.read(p[0], 16);
            c.sendfile(s[1], f, null, 0);
        });
        def(l, "sendfile/errors", c -> {
            file(c, "abc");
            int[] s = tcpPair(c);
            int f = c.open(FILE, O_RDONLY, 0), w = c.open(FILE, O_WRONLY, 0);
            c.sendfile(s[1], s[2], null, 10);                  // a socket as input: EINVAL
            c.sendfile(s[1], w, null, 10);                     // not open for reading: EBADF
            c.sendfile(f, f, null, 10);                        // output not writable: EBADF
            c.sendfile(999, f, null, 10);
            c.sendfile(s[1], f, new long[] {-1}, 10);          // negative offset: EINVAL
            c.close(w);
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
