package io.jnetstack.tcp;

import io.jnetstack.socket.Sock;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import io.jnetstack.wire.SeqNum;

/**
 * TCP urgent data as BSD sockets and Linux present it (RFC 9293 §3.8.5, RFC 6093): the last byte
 * of a send(MSG_OOB) is the "out-of-band" byte. The sender marks segments URG with a pointer just
 * past that byte (BSD's reading, which Linux keeps unless net.ipv4.tcp_stdurg); the receiver lifts
 * the byte out of the stream — read with recv(MSG_OOB), or left in place with SO_OOBINLINE —
 * and ordinary reads stop at it (the mark, SIOCATMARK) so the application can tell what came
 * before. Only the newest urgent byte is kept; an older one that was not read yet stays in the
 * stream as ordinary data.
 *
 * <p>The receiver's state is {@link TcpSock#urgData}: {@link #NOTYET} once a pointer announced a
 * byte that has not arrived, {@link #VALID} with the byte once it has, {@link #READ} after
 * recv(MSG_OOB) took it; cleared when reading passes the mark.
 */
final class TcpUrgent {
    private TcpUrgent() {}

    static final int VALID = 0x100, NOTYET = 0x200, READ = 0x400;

    /** tcp_urg_mode: our urgent byte is not acknowledged yet. */
    static boolean sending(TcpSock tp) { return tp.sndUp != tp.sndUna; }

    /** tcp_mark_urg: a send(MSG_OOB) queued data ending at {@code writeSeq}; its last byte is urgent. */
    static void markSend(TcpSock tp, int writeSeq) { tp.sndUp = writeSeq; }

    /** The ACK moved snd_una past the urgent byte: urgent mode is over (tcp_clean_rtx_queue). */
    static void acked(TcpSock tp, int priorUna) {
        if (SeqNum.between(tp.sndUp, priorUna, tp.sndUna)) tp.sndUp = tp.sndUna;
    }

    /**
     * The urgent pointer for a segment at {@code seq} (__tcp_transmit_skb): the offset of snd_up
     * when it is within 64 KiB, else 0xFFFF ("further on") while the segment is below snd_nxt's
     * reach; -1 when the segment carries no URG.
     */
    static int pointerFor(TcpSock tp, int seq) {
        if (!sending(tp) || !SeqNum.lt(seq, tp.sndUp)) return -1;
        if (SeqNum.lt(tp.sndUp, seq + 0x10000)) return tp.sndUp - seq;
        if (SeqNum.gt(seq + 0xFFFF, tp.sndNxt)) return 0xFFFF;
        return -1;
    }

    /**
     * tcp_check_urg: a segment at {@code seq} carried URG with {@code ptr}. A pointer to data read
     * already, to data before rcv_nxt, or not beyond the urgent byte we know of changes nothing;
     * otherwise it announces a new urgent byte (the owner gets SIGURG). When the reader stands
     * right after an old urgent byte it skipped the stream past (not inline), that byte is taken
     * out now so it is not read again as data.
     */
    static void checkPointer(TcpSock tp, int seq, int urgPtr) {
        int ptr = urgPtr;
        if (ptr != 0 && tp.stack.sysctl().tcpStdurg.value() == 0) ptr--;   // BSD: just past the byte
        ptr += seq;
        int copied = tp.copiedSeq();
        if (SeqNum.gt(copied, ptr)) return;
        if (SeqNum.lt(ptr, tp.rcvNxt())) return;
        if (tp.urgData != 0 && !SeqNum.gt(ptr, tp.urgSeq)) return;
        tp.sigurg();
        if (tp.urgSeq == copied && tp.urgData != 0 && !tp.oobInline && copied != tp.rcvNxt())
            tp.rcvQueue.consume(1);
        tp.urgData = NOTYET;
        tp.urgSeq = ptr;
    }

    /** tcp_urg's second half: the announced byte is in this segment's payload; take its value. */
    static void takeByte(TcpSock tp, int seq, java.lang.foreign.MemorySegment payload, int off, int len) {
        if (tp.urgData != NOTYET) return;
        int at = tp.urgSeq - seq;
        if (at < 0 || at >= len) return;
        tp.urgData = VALID | (payload.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + at) & 0xFF);
        if (!tp.isOrphan()) tp.dataReady();
    }

    /** SIOCATMARK: the next byte to read is the urgent one. */
    static boolean atMark(TcpSock tp) { return tp.urgData != 0 && tp.urgSeq == tp.copiedSeq(); }

    /**
     * How many bytes a read may take from {@code avail} starting at {@code pos}: up to the mark
     * when one lies ahead (reads stop there; Linux's SIOCINQ counts the same way).
     */
    static int beforeMark(TcpSock tp, int pos, int avail) {
        if (tp.urgData == 0) return avail;
        int d = tp.urgSeq - pos;
        return d >= 0 && d < avail ? d : avail;
    }

    /** After a read moved copied_seq past the mark, nothing is urgent any more. */
    static void readPast(TcpSock tp) {
        if (tp.urgData != 0 && SeqNum.gt(tp.copiedSeq(), tp.urgSeq)) tp.urgData = 0;
    }

    /**
     * tcp_recv_urg: recv(MSG_OOB). EINVAL when the byte is inline, absent or already read; the
     * byte itself (MSG_OOB set; with a zero-length buffer MSG_TRUNC and 0, the byte still counts
     * as read) once it is here; EAGAIN while it is announced but not arrived, 0 after the stream
     * ended.
     */
    static int recv(TcpSock tp, MsgHdr msg, int flags, int len) {
        if (tp.oobInline || tp.urgData == 0 || tp.urgData == READ) return -Errno.EINVAL;
        if (tp.st == TcpState.CLOSE && !tp.finReceived) return -Errno.ENOTCONN;
        if ((tp.urgData & VALID) != 0) {
            byte c = (byte) tp.urgData;
            if ((flags & Net.MSG_PEEK) == 0) tp.urgData = READ;
            msg.flags |= Net.MSG_OOB;
            if (len <= 0) {
                msg.flags |= Net.MSG_TRUNC;
                return 0;
            }
            if ((flags & Net.MSG_TRUNC) == 0) {
                int i = 0;
                while (i < msg.iovCount() && msg.iovLen[i] == 0) i++;
                if (i == msg.iovCount() || msg.iov[i] == null || msg.iov[i].length < 1) return -Errno.EFAULT;
                msg.iov[i][0] = c;
            }
            return 1;
        }
        if (tp.st == TcpState.CLOSE || (tp.shutdown & Sock.RCV_SHUTDOWN) != 0) return 0;
        return -Errno.EAGAIN;
    }
}
