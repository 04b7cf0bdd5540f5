package io.jnetstack.tcp;

import io.jnetstack.socket.SockExtendedErr;
import io.jnetstack.stack.Rings;
import io.jnetstack.uapi.ErrQueue;
import io.jnetstack.wire.SeqNum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * SO_TIMESTAMPING's transmit timestamps on TCP (tcp_tx_timestamp, __skb_tstamp_tx,
 * tcp_ack_tstamp). A send marks the last byte it wrote (the skb's tskey) with the timestamps the
 * socket asks for; the error queue then gets, for that byte:
 *
 * <ul>
 *   <li>SCM_TSTAMP_SCHED (SOF_TIMESTAMPING_TX_SCHED) when a segment holding it enters the device
 *       queue, and SCM_TSTAMP_SND (TX_SOFTWARE) when the driver sends it — both on every
 *       transmission, retransmissions included, as the flags stay on the skb;
 *   <li>SCM_TSTAMP_ACK (TX_ACK) once the peer acknowledged it.
 * </ul>
 *
 * Each carries the clock's realtime and, with SOF_TIMESTAMPING_OPT_ID, the byte's offset from
 * where the key count started (sk_tskey). Only one mark per skb: a send that joins data still
 * unsent at the tail of the queue moves the previous send's mark to its own last byte.
 *
 * <p>Linux hands the stamped skb back with the timestamp: the whole packet for SCHED and SND, the
 * skb's data for ACK, nothing with OPT_TSONLY. jnetstack gives the IP packet as sent, and for ACK
 * the bytes of the send that set the mark (capped at one 64 KiB skb).
 */
final class TcpTxTimestamps {
    /** tx_flags / txstamp_ack bits of a mark. */
    private static final int SCHED = 1, SND = 2, ACK = 4;
    private static final int MAX_SKB = 65536;

    private int[] key = new int[4], start = new int[4], txFlags = new int[4];
    private int head, count;

    /** tcp_tx_timestamp: a send queued [writeStart, write_seq); mark its last byte. */
    void record(TcpSock tp, int writeStart) {
        int ts = tp.tsflags;
        int f = ((ts & ErrQueue.SOF_TIMESTAMPING_TX_SCHED) != 0 ? SCHED : 0)
                | ((ts & ErrQueue.SOF_TIMESTAMPING_TX_SOFTWARE) != 0 ? SND : 0)
                | ((ts & ErrQueue.SOF_TIMESTAMPING_TX_ACK) != 0 ? ACK : 0);
        if (f == 0) return;
        int last = tp.sendBuf.endSeq() - 1;
        if (count > 0) {
            int t = (head + count - 1) % key.length;
            // The previous mark is on the same unsent tail skb: it moves to this send's last byte.
            if (key[t] + 1 == writeStart && tp.sendBuf.skbEndOf(key[t]) != writeStart) {
                key[t] = last;
                txFlags[t] |= f;
                return;
            }
        }
        if (count == key.length) grow();
        int t = (head + count) % key.length;
        key[t] = last;
        start[t] = SeqNum.max(writeStart, last + 1 - MAX_SKB);
        txFlags[t] = f;
        count++;
    }

    /**
     * __dev_queue_xmit and skb_tx_timestamp for a segment [seq, seq + len) just sent as the IP
     * packet {@code pkt}: SCHED then SND for each mark it holds.
     */
    void transmitted(TcpSock tp, int seq, int len, MemorySegment pkt) {
        for (int i = 0; i < count; i++) {
            int t = (head + i) % key.length;
            if (SeqNum.lt(key[t], seq)) continue;
            if (SeqNum.ge(key[t], seq + len)) break;
            if ((txFlags[t] & (SCHED | SND)) == 0) continue;
            byte[] p = (tp.tsflags & ErrQueue.SOF_TIMESTAMPING_OPT_TSONLY) != 0 ? null : pkt.toArray(ValueLayout.JAVA_BYTE);
            if ((txFlags[t] & SCHED) != 0) report(tp, ErrQueue.SCM_TSTAMP_SCHED, key[t], p);
            if ((txFlags[t] & SND) != 0) report(tp, ErrQueue.SCM_TSTAMP_SND, key[t], p);
        }
    }

    /**
     * tcp_ack_tstamp: the peer acknowledged up to {@code ack}; marks below it are done, with an
     * ACK timestamp where asked for. Called before the acknowledged bytes leave the send queue.
     */
    void acked(TcpSock tp, int ack) {
        while (count > 0 && SeqNum.lt(key[head], ack)) {
            if ((txFlags[head] & ACK) != 0) {
                byte[] p = null;
                if ((tp.tsflags & ErrQueue.SOF_TIMESTAMPING_OPT_TSONLY) == 0) {
                    int from = SeqNum.max(start[head], tp.sendBuf.headSeq);
                    p = new byte[key[head] + 1 - from];
                    tp.sendBuf.copyOut(from, MemorySegment.ofArray(p), 0, p.length);
                }
                report(tp, ErrQueue.SCM_TSTAMP_ACK, key[head], p);
            }
            head = (head + 1) % key.length;
            count--;
        }
    }

    /** tcp_write_queue_purge: the marked skbs are gone, nothing more is reported for them. */
    void purge() { head = count = 0; }

    /** __skb_complete_tx_timestamp: ee_data is the key relative to sk_tskey, with OPT_ID only. */
    private static void report(TcpSock tp, int tstype, int key, byte[] packet) {
        int data = (tp.tsflags & ErrQueue.SOF_TIMESTAMPING_OPT_ID) != 0 ? key - tp.tskey : 0;
        tp.errQueue.queue(SockExtendedErr.txTimestamp(tstype, data, tp.stack.realtime(), packet));
    }

    private void grow() {
        int c = key.length * 2;
        key = Rings.unroll(key, head, count, c);
        start = Rings.unroll(start, head, count, c);
        txFlags = Rings.unroll(txFlags, head, count, c);
        head = 0;
    }
}
