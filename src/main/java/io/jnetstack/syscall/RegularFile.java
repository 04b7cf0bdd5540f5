package io.jnetstack.syscall;

import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Poll;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * A regular file of the host's file system behind a descriptor, so that sendfile(2) has something
 * to send from (an HTTP server's files) and splice-like programs can mix files and sockets.
 * jnetstack models the socket layer, not a file system: these are the JVM's own files, opened
 * through NIO, with a file position as struct file's f_pos.
 */
public final class RegularFile extends File {
    static final int O_ACCMODE = 3, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200;

    private final WaitQueue wq = new WaitQueue();
    private final FileChannel ch;
    private final String path;
    /** f_pos. */
    long pos;

    private RegularFile(FileChannel ch, String path, int flags) {
        super(flags);
        this.ch = ch;
        this.path = path;
    }

    /** do_sys_open for a regular file: the file or -errno (ENOENT, EACCES, EEXIST, EISDIR...). */
    static Object open(String path, int flags) {
        if (path == null) return -Errno.EFAULT;
        if (path.isEmpty()) return -Errno.ENOENT;
        Path p = Path.of(path);
        int acc = flags & O_ACCMODE;
        // Directories are not files jnetstack opens (Linux opens one read-only, and read says EISDIR).
        if (Files.isDirectory(p)) return -Errno.EISDIR;
        Set<OpenOption> o = new HashSet<>();
        // Access mode 3 (Linux's ioctl-only open) needs both permissions and allows neither.
        if (acc != Fcntl.O_WRONLY) o.add(StandardOpenOption.READ);
        if (acc != Fcntl.O_RDONLY) o.add(StandardOpenOption.WRITE);
        if ((flags & Fcntl.O_APPEND) != 0) o.add(StandardOpenOption.APPEND);
        if ((flags & O_CREAT) != 0) o.add((flags & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        if ((flags & O_TRUNC) != 0 && acc != Fcntl.O_RDONLY) o.add(StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new RegularFile(FileChannel.open(p, o), path, flags & ~(O_CREAT | O_EXCL | O_TRUNC | Fcntl.O_CLOEXEC));
        } catch (NoSuchFileException e) {
            return -Errno.ENOENT;
        } catch (FileAlreadyExistsException e) {
            return -Errno.EEXIST;
        } catch (AccessDeniedException e) {
            return -Errno.EACCES;
        } catch (FileSystemException e) {
            return -Errno.EIO;
        } catch (IOException | SecurityException e) {
            return -Errno.EIO;
        }
    }

    boolean readable() { int a = flags & O_ACCMODE; return a == Fcntl.O_RDONLY || a == Fcntl.O_RDWR; }

    boolean writable() { int a = flags & O_ACCMODE; return a == Fcntl.O_WRONLY || a == Fcntl.O_RDWR; }

    /** pread at {@code at} (or f_pos when {@code at} < 0, which then advances). */
    int read(byte[] dst, int off, int len, long at) {
        if (!readable()) return -Errno.EBADF;
        try {
            int n = ch.read(ByteBuffer.wrap(dst, off, len), at < 0 ? pos : at);
            if (n < 0) n = 0;
            if (at < 0) pos += n;
            return n;
        } catch (IOException e) {
            return -Errno.EIO;
        }
    }

    int write(byte[] src, int len) {
        if (!writable()) return -Errno.EBADF;
        try {
            long at = (flags & Fcntl.O_APPEND) != 0 ? ch.size() : pos;
            int n = ch.write(ByteBuffer.wrap(src, 0, len), at);
            pos = at + n;
            return n;
        } catch (IOException e) {
            return -Errno.EIO;
        }
    }

    /** Regular files are always ready (poll on a regular file says so). */
    @Override public int poll() { return Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLOUT | Poll.POLLWRNORM; }

    @Override public boolean pollable() { return false; }

    @Override public WaitQueue waitQueue() { return wq; }

    @Override protected void release() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Closing a read or written channel cannot lose data that matters here.
        }
    }

    @Override public String describe() { return path; }
}
