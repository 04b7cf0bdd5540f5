package io.jnetstack.tcp;

import io.jnetstack.socket.MsgZerocopy;
import io.jnetstack.stack.Rings;
import io.jnetstack.wire.SeqNum;

/**
 * MSG_ZEROCOPY on TCP: which notification ids still wait for their data to be acknowledged.
 * Linux hangs a ubuf_info on every skb that holds a zerocopy send's pages and completes it when
 * the last such skb is freed, i.e. when the peer acknowledged the data (tcp_clean_rtx_queue) or
 * the write queue was purged. Acknowledgements free the queue in order, so here a FIFO of
 * (last sequence + 1, first id, id count, bytes) per send does the same, in a ring that grows
 * only while more sends are unacknowledged than ever before.
 *
 * <p>Like msg_zerocopy_realloc, a send whose predecessor's data still sits unsent at the tail of
 * the write queue joins its entry (one id more, same completion), up to 512 KiB per entry.
 *
 * <p>Also here: the skb frag limit. A zerocopy send attaches each page of the caller's buffers to
 * the skb as one frag, and an skb holds at most {@link #MAX_SKB_FRAGS}; when it is full, the skb
 * is marked PSH and the next bytes start a new one (skb_zerocopy_iter_stream's -EMSGSIZE in
 * tcp_sendmsg_locked). Zerocopy skbs are never merged when sent (skb_shift refuses them), so
 * that boundary is also where a packet ends. The caller's buffers are taken as page-aligned.
 */
final class TcpZerocopy {
    /** MAX_SKB_FRAGS in Linux 6.18's default configuration (CONFIG_MAX_SKB_FRAGS = 17). */
    static final int MAX_SKB_FRAGS = 17;
    static final int PAGE_SIZE = 4096;
    /** msg_zerocopy_realloc's byte_limit: an entry covers at most a few TSO packets. */
    private static final int BYTE_LIMIT = 1 << 19;

    private int[] end = new int[4], lo = new int[4], len = new int[4], bytes = new int[4];
    private int head, count;
    /** Frags in the skb being filled at the tail of the write queue. */
    int tailFrags;

    /** msg_zerocopy_realloc's test: can a send of {@code size} bytes join the tail entry? */
    boolean canExtend(TcpSock tp, int size) {
        if (count == 0) return false;
        int t = (head + count - 1) % end.length;
        return end[t] == tp.sendBuf.endSeq() && SeqNum.lt(tp.sndNxt, end[t])
                && lo[t] + len[t] == tp.zckey && (long) bytes[t] + size <= BYTE_LIMIT;
    }

    /**
     * A zerocopy send queued {@code n} bytes ending at {@code endSeq}: it takes the next id, on
     * its own entry or, when {@code extend}, on the tail one.
     */
    void sent(TcpSock tp, boolean extend, int endSeq, int n) {
        int id = tp.zckey++;
        if (extend && count > 0) {
            int t = (head + count - 1) % end.length;
            end[t] = endSeq;
            len[t]++;
            bytes[t] += n;
            return;
        }
        if (count == end.length) grow();
        int t = (head + count) % end.length;
        end[t] = endSeq;
        lo[t] = id;
        len[t] = 1;
        bytes[t] = n;
        count++;
    }

    /** tcp_clean_rtx_queue freed everything before snd_una: complete the sends it held. */
    void acked(TcpSock tp) {
        while (count > 0 && SeqNum.le(end[head], tp.sndUna)) completeHead(tp);
    }

    /** tcp_write_queue_purge (reset, disconnect): the pages are released, acknowledged or not. */
    void purge(TcpSock tp) {
        while (count > 0) completeHead(tp);
        tailFrags = 0;
    }

    private void completeHead(TcpSock tp) {
        int from = lo[head], n = len[head];
        head = (head + 1) % end.length;
        count--;
        MsgZerocopy.complete(tp, from, n, true);
    }

    /** How many pages (frags) bytes [off, off + n) of a caller's buffer span. */
    static int pages(int off, int n) { return (off + n + PAGE_SIZE - 1) / PAGE_SIZE - off / PAGE_SIZE; }

    /** The most bytes from {@code off} of a buffer that still fit the tail skb's free frags. */
    int fitting(int off, int n) {
        int free = MAX_SKB_FRAGS - tailFrags;
        if (free <= 0) return 0;
        long limit = (long) (off / PAGE_SIZE + free) * PAGE_SIZE - off;
        return (int) Math.min(n, limit);
    }

    private void grow() {
        int c = end.length * 2;
        end = Rings.unroll(end, head, count, c);
        lo = Rings.unroll(lo, head, count, c);
        len = Rings.unroll(len, head, count, c);
        bytes = Rings.unroll(bytes, head, count, c);
        head = 0;
    }
}
