package io.jnetstack.syscall;

import io.jnetstack.uapi.Net;

/**
 * Ancillary data (struct cmsghdr, x86-64 layout): {@code size_t cmsg_len; int cmsg_level; int
 * cmsg_type;} then the data, each message padded to 8 bytes (CMSG_ALIGN).
 *
 * <p>Convention between the system-call layer and protocols. On sendmsg the protocol gets a kernel
 * copy of exactly msg_controllen bytes. On recvmsg it gets a kernel buffer whose length is the room
 * the caller gave and {@code controllen == 0}; {@link #put} appends there (put_cmsg), advancing
 * {@code controllen} and setting MSG_CTRUNC when the room runs out; the system-call layer copies
 * the bytes back and reports controllen as the bytes used, as Linux does.
 */
public final class Cmsg {
    private Cmsg() {}

    public static final int HDR_LEN = 16;

    public static int align(int n) { return (n + 7) & ~7; }

    /** CMSG_LEN(n). */
    public static int len(int n) { return HDR_LEN + n; }

    /** CMSG_SPACE(n). */
    public static int space(int n) { return HDR_LEN + align(n); }

    /** put_cmsg: appends one control message, truncating (MSG_CTRUNC) when it does not fit. */
    public static void put(MsgHdr m, int level, int type, byte[] data, int off, int n) {
        byte[] c = m.control;
        int room = c == null ? 0 : c.length - m.controllen;
        if (room < HDR_LEN) {
            m.flags |= Net.MSG_CTRUNC;
            return;
        }
        int cmlen = len(n);
        if (room < cmlen) {
            m.flags |= Net.MSG_CTRUNC;
            cmlen = room;
        }
        int at = m.controllen;
        putLong(c, at, cmlen);
        putInt(c, at + 8, level);
        putInt(c, at + 12, type);
        System.arraycopy(data, off, c, at + HDR_LEN, cmlen - HDR_LEN);
        m.controllen += Math.min(space(n), room);
    }

    /** Offset of the first message in a sendmsg control buffer, or -1 (CMSG_FIRSTHDR). */
    public static int first(MsgHdr m) { return m.control != null && m.controllen >= HDR_LEN ? 0 : -1; }

    /** Offset of the message after the one at {@code at}, or -1 (CMSG_NXTHDR). */
    public static int next(MsgHdr m, int at) {
        long n = at + align((int) Math.min(cmsgLen(m, at), Integer.MAX_VALUE - 8));
        return n + HDR_LEN > m.controllen ? -1 : (int) n;
    }

    /** CMSG_OK: the message's length is at least a header and fits the buffer. */
    public static boolean ok(MsgHdr m, int at) {
        long l = cmsgLen(m, at);
        return l >= HDR_LEN && l <= m.controllen - at;
    }

    public static long cmsgLen(MsgHdr m, int at) { return getLong(m.control, at); }

    public static int level(MsgHdr m, int at) { return getInt(m.control, at + 8); }

    public static int type(MsgHdr m, int at) { return getInt(m.control, at + 12); }

    /** Builds one control message (for callers composing sendmsg's msg_control). */
    public static byte[] build(int level, int type, byte[] data) {
        byte[] b = new byte[space(data.length)];
        putLong(b, 0, len(data.length));
        putInt(b, 8, level);
        putInt(b, 12, type);
        System.arraycopy(data, 0, b, HDR_LEN, data.length);
        return b;
    }

    static int getInt(byte[] a, int off) {
        return (a[off] & 0xFF) | (a[off + 1] & 0xFF) << 8 | (a[off + 2] & 0xFF) << 16 | (a[off + 3] & 0xFF) << 24;
    }

    static long getLong(byte[] a, int off) { return (getInt(a, off) & 0xFFFFFFFFL) | (long) getInt(a, off + 4) << 32; }

    static void putInt(byte[] a, int off, int v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >> 8);
        a[off + 2] = (byte) (v >> 16);
        a[off + 3] = (byte) (v >> 24);
    }

    static void putLong(byte[] a, int off, long v) {
        putInt(a, off, (int) v);
        putInt(a, off + 4, (int) (v >>> 32));
    }

    public static int intAt(byte[] a, int off) { return getInt(a, off); }

    public static void intAt(byte[] a, int off, int v) { putInt(a, off, v); }
}
