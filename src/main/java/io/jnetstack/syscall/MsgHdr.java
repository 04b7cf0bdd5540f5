package io.jnetstack.syscall;

/**
 * struct msghdr as it crosses the system-call boundary, in Java arrays.
 *
 * <p>{@code name}/{@code namelen} play msg_name/msg_namelen (on recvmsg namelen is value-result),
 * {@code iov} holds the buffers with {@code iovLen[i]} the iov_len of each (a length larger than the
 * array is EFAULT, as a bad user pointer would be), {@code control}/{@code controllen} play
 * msg_control/msg_controllen, and {@code flags} is msg_flags, written by recvmsg.
 */
public final class MsgHdr {
    public byte[] name;
    public int namelen;
    public byte[][] iov;
    public int[] iovLen;
    public byte[] control;
    public int controllen;
    public int flags;

    public MsgHdr() {}

    /** One buffer, no name: the common case. */
    public static MsgHdr of(byte[] buf, int len) {
        MsgHdr m = new MsgHdr();
        m.iov = new byte[][] {buf};
        m.iovLen = new int[] {len};
        return m;
    }

    public int iovCount() { return iov == null ? 0 : iov.length; }
}
