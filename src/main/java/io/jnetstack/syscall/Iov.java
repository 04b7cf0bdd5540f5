package io.jnetstack.syscall;

import io.jnetstack.uapi.Errno;

/**
 * Copying between protocol buffers and the caller's iovec (copy_from_iter / copy_to_iter).
 *
 * <p>The system-call layer has validated the vector's shape (count ≤ UIO_MAXIOV, no negative
 * iov_len); what it cannot know in advance is whether each buffer is really there, exactly as the
 * kernel only learns of a bad user pointer when it copies. A null buffer or one shorter than its
 * iov_len faults here, at copy time: the copy stops at the fault and the caller gets -EFAULT (the
 * bytes before the fault are copied, as on Linux).
 */
public final class Iov {
    private Iov() {}

    /** The vector's total length (msg_data_left on entry). */
    public static long total(MsgHdr m) {
        long n = 0;
        if (m.iov == null || m.iovLen == null) return 0;
        for (int i = 0; i < m.iov.length && i < m.iovLen.length; i++) n += m.iovLen[i];
        return n;
    }

    /** Copies {@code n} bytes starting {@code pos} bytes into the vector out to {@code dst}; returns n or -EFAULT. */
    public static int copyFrom(MsgHdr m, long pos, byte[] dst, int dstOff, int n) {
        return copy(m, pos, dst, dstOff, n, false);
    }

    /** Copies {@code n} bytes of {@code src} into the vector at {@code pos}; returns n or -EFAULT. */
    public static int copyTo(MsgHdr m, long pos, byte[] src, int srcOff, int n) {
        return copy(m, pos, src, srcOff, n, true);
    }

    private static int copy(MsgHdr m, long pos, byte[] k, int kOff, int n, boolean toUser) {
        if (n == 0) return 0;
        if (m.iov == null || m.iovLen == null) return -Errno.EFAULT;
        int done = 0;
        long skip = pos;
        for (int i = 0; i < m.iov.length && i < m.iovLen.length && done < n; i++) {
            int len = m.iovLen[i];
            if (skip >= len) { skip -= len; continue; }
            int off = (int) skip;
            skip = 0;
            int chunk = Math.min(len - off, n - done);
            byte[] u = m.iov[i];
            int avail = u == null ? 0 : Math.max(0, Math.min(chunk, u.length - off));
            if (avail > 0) {
                if (toUser) System.arraycopy(k, kOff + done, u, off, avail);
                else System.arraycopy(u, off, k, kOff + done, avail);
            }
            done += avail;
            if (avail < chunk) return -Errno.EFAULT;
        }
        return done == n ? n : -Errno.EFAULT;
    }
}
