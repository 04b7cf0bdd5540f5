package io.jnetstack.unix;

import io.jnetstack.syscall.File;

/**
 * One message in an AF_UNIX receive queue (an sk_buff with its UNIXCB): the bytes, what the
 * sender was charged for them, and what rides along — passed files (SCM_RIGHTS), the sender's
 * credentials, or, in a listener's queue, the embryonic socket of a pending connection.
 *
 * <p>Accounting follows Linux's skb truesize, so that non-blocking writers hit EAGAIN after the
 * same number of writes as on Linux: the sender's sk_wmem_alloc grows by {@link #truesize} until
 * the receiver consumes the message.
 */
final class UnixSkb {
    /** Payload; the live bytes are data[0..len), {@code consumed} of them already read (stream). */
    byte[] data;
    int len;
    int consumed;
    int truesize;
    /** skb->sk: the sender, charged for truesize; its address is the datagram's source. */
    UnixSock owner;
    /** SCM_RIGHTS in flight (each holds a file reference), or null. */
    File[] fp;
    /** UNIXCB(skb).pid / uid / gid: the sender's credentials (SCM_CREDENTIALS). */
    int pid, uid, gid;
    /** In a listener's queue: the server side of a connection waiting for accept(). */
    UnixSock embryo;

    int remaining() { return len - consumed; }

    // ------------------------------------------------------------ truesize, as measured on x86-64

    /** sizeof(struct sk_buff) rounded as SKB_TRUESIZE counts it. */
    static final int SKB_STRUCT = 256;
    /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)). */
    static final int SHINFO = 320;
    static final int PAGE = 4096;
    /** SKB_MAX_HEAD(0): the linear room in a one-page head. */
    static final int SKB_MAX_HEAD = PAGE - SHINFO;
    /** SKB_MAX_ALLOC: the largest linear part a datagram gets before its tail goes to pages. */
    static final int SKB_MAX_ALLOC = 4 * PAGE - SHINFO;
    /** UNIX_SKB_FRAGS_SZ: the page part of one stream skb (32 KiB). */
    static final int FRAGS_SZ = 32768;
    /** MAX_SKB_FRAGS * PAGE_SIZE. */
    static final int MAX_FRAG_BYTES = 17 * PAGE;

    /** kmalloc's size classes for the skb head (512, 1k ... 8k slabs; then whole page orders). */
    static int kmallocSize(int n) {
        if (n <= 512) return 512;
        if (n <= 8192) return Integer.highestOneBit(n - 1) << 1;
        int pages = (n + PAGE - 1) / PAGE;
        return (Integer.highestOneBit(pages - 1) << 1) * PAGE;
    }

    static int pageAlign(int n) { return (n + PAGE - 1) & -PAGE; }

    /** skb->truesize for a head of {@code linear} bytes plus {@code paged} bytes in page fragments. */
    static int truesize(int linear, int paged) {
        return SKB_STRUCT + kmallocSize(((linear + 63) & -64) + SHINFO) + pageAlign(paged);
    }
}
