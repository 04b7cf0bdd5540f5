package io.jnetstack.inet;

import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Net;

/**
 * put_cmsg: appends control messages to a recvmsg's msg_control, x86-64 layout (cmsghdr: 8-byte
 * cmsg_len, int level, int type; data aligned to 8). {@code msg.controllen} is value-result:
 * call {@link #begin} before writing, and the number of bytes used is left in it at the end.
 * Messages that do not fit are cut and MSG_CTRUNC is set, as Linux does.
 */
public final class Cmsg {
    private Cmsg() {}

    public static final int HDR = 16;

    public static int align(int n) { return (n + 7) & ~7; }

    /**
     * Starts writing: returns the capacity and sets used to 0. The capacity is the control
     * buffer's length: the system-call layer hands the protocol a kernel buffer exactly as long
     * as the caller's msg_controllen, with controllen already 0 (see io.jnetstack.syscall.Cmsg).
     */
    public static int begin(MsgHdr msg) {
        int cap = msg.control == null ? 0 : msg.control.length;
        msg.controllen = 0;
        return cap;
    }

    /** put_cmsg; {@code cap} is what {@link #begin} returned. */
    public static void put(MsgHdr msg, int cap, int level, int type, byte[] data, int len) {
        int used = msg.controllen;
        int room = cap - used;
        if (room < HDR) {
            if (msg.control != null || len > 0) msg.flags |= Net.MSG_CTRUNC;
            return;
        }
        int cmlen = HDR + len;
        if (room < cmlen) {
            msg.flags |= Net.MSG_CTRUNC;
            cmlen = room;
        }
        byte[] c = msg.control;
        putLong(c, used, cmlen);
        putInt(c, used + 8, level);
        putInt(c, used + 12, type);
        System.arraycopy(data, 0, c, used + HDR, cmlen - HDR);
        msg.controllen = used + Math.min(align(HDR + len), room);
    }

    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v; b[off + 1] = (byte) (v >>> 8); b[off + 2] = (byte) (v >>> 16); b[off + 3] = (byte) (v >>> 24);
    }

    /** Network-order IPv4 address. */
    public static void putAddr(byte[] b, int off, int a) {
        b[off] = (byte) (a >>> 24); b[off + 1] = (byte) (a >>> 16); b[off + 2] = (byte) (a >>> 8); b[off + 3] = (byte) a;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
    }
}
