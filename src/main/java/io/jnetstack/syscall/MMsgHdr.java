package io.jnetstack.syscall;

/** struct mmsghdr: a {@link MsgHdr} and msg_len, the byte count the kernel writes back. */
public final class MMsgHdr {
    public final MsgHdr hdr;
    public int len;

    public MMsgHdr(MsgHdr hdr) { this.hdr = hdr; }
}
