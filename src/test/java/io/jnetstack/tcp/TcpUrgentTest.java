package io.jnetstack.tcp;

import static io.jnetstack.tcp.Check.flags;
import static io.jnetstack.tcp.Check.len;
import static io.jnetstack.wire.TcpHeader.ACK_FLAG;
import static io.jnetstack.wire.TcpHeader.FIN;
import static io.jnetstack.wire.TcpHeader.PSH;
import static io.jnetstack.wire.TcpHeader.URG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Net;
import org.junit.jupiter.api.Test;

/**
 * Urgent data on the wire: what send(MSG_OOB) puts in the header (BSD pointer just past the
 * urgent byte, as Linux sends it), and what a peer's URG segment gives the reader. The socket-call
 * side is compared with Linux in the syscall diff (urg/ cases).
 */
class TcpUrgentTest {
    final TcpTestContext c = new TcpTestContext();

    @Test void sendOobMarksTheSegmentWithAPointerPastTheByte() {
        c.established();
        byte[] d = "abc".getBytes();
        assertEquals(3, TcpProt.sendmsg(c.sk, MsgHdr.of(d, 3), Net.MSG_OOB, true));
        Pkt p = c.expect(flags(ACK_FLAG | PSH | URG), len(3));
        assertEquals(3, p.th().urgentPtr());
        // A segment after the urgent byte carries no URG (only those before snd_up do).
        assertEquals(3, TcpProt.sendmsg(c.sk, MsgHdr.of(d, 3), 0, true));
        c.expect(flags(ACK_FLAG | PSH), len(3));
        c.send(c.ackSeg(c.sk.sndNxt));
        assertEquals(c.sk.sndUna, c.sk.sndUp, "urgent mode ends when the byte is acknowledged");
    }

    @Test void aPeersUrgentByteIsReadApart() {
        c.established();
        TcpTestContext.Seg s = c.ackSeg(c.sk.sndNxt).data("hello!".getBytes());
        s.flags |= URG | PSH;
        s.urg = 6;                                                // BSD: just past the '!'
        c.send(s);
        byte[] buf = new byte[16];
        MsgHdr oob = MsgHdr.of(buf, 16);
        assertEquals(1, TcpProt.recvmsg(c.sk, oob, Net.MSG_OOB, true));
        assertEquals('!', buf[0]);
        assertEquals(Net.MSG_OOB, oob.flags & Net.MSG_OOB);
        assertEquals(5, c.read(buf));
        assertArrayEquals("hello".getBytes(), java.util.Arrays.copyOf(buf, 5));
        assertEquals(-Errno.EAGAIN, c.read(buf));
        assertEquals(-Errno.EINVAL, TcpProt.recvmsg(c.sk, MsgHdr.of(buf, 16), Net.MSG_OOB, true));
    }

    @Test void aPointerAheadOfTheDataWaitsForTheByte() {
        c.established();
        TcpTestContext.Seg s = c.ackSeg(c.sk.sndNxt).data("ab".getBytes());
        s.flags |= URG;
        s.urg = 4;                                                // the urgent byte is the 4th: not here yet
        c.send(s);
        byte[] buf = new byte[16];
        assertEquals(-Errno.EAGAIN, TcpProt.recvmsg(c.sk, MsgHdr.of(buf, 16), Net.MSG_OOB, true));
        c.rcvSeq += 2;
        c.send(c.ackSeg(c.sk.sndNxt).data("cd".getBytes()));
        assertEquals(1, TcpProt.recvmsg(c.sk, MsgHdr.of(buf, 16), Net.MSG_OOB, true));
        assertEquals('d', buf[0]);
    }

    /**
     * The mark stays on the urgent byte when the stream's FIN is already in (the FIN takes a
     * sequence number but is no byte to read): "abc", "!" urgent, "def" and FIN all arrive before
     * the first read, as from a Linux peer that sends and shuts down at once. Found against Linux
     * over TAP (interop.LinuxPeerFeaturesTest): reads stopped one byte early and lost "c".
     */
    @Test void theMarkHoldsAfterTheFin() {
        c.established();
        c.send(c.ackSeg(c.sk.sndNxt).data("abc".getBytes()));
        c.rcvSeq += 3;
        TcpTestContext.Seg u = c.ackSeg(c.sk.sndNxt).data("!".getBytes());
        u.flags |= URG | PSH;
        u.urg = 1;
        c.send(u);
        c.rcvSeq += 1;
        c.send(c.ackSeg(c.sk.sndNxt).data("def".getBytes()));
        c.rcvSeq += 3;
        TcpTestContext.Seg f = c.ackSeg(c.sk.sndNxt);
        f.flags |= FIN;
        c.send(f);
        byte[] buf = new byte[16];
        int[] mark = {-1};
        assertEquals(0, TcpProt.ioctl(c.sk, Fcntl.SIOCATMARK, mark));
        assertEquals(0, mark[0], "the reader is before the mark");
        assertEquals(1, TcpProt.recvmsg(c.sk, MsgHdr.of(buf, 16), Net.MSG_OOB, true));
        assertEquals('!', buf[0]);
        assertEquals(3, c.read(buf));
        assertArrayEquals("abc".getBytes(), java.util.Arrays.copyOf(buf, 3));
        assertEquals(0, TcpProt.ioctl(c.sk, Fcntl.SIOCATMARK, mark));
        assertEquals(1, mark[0], "at the mark");
        assertEquals(3, c.read(buf));
        assertArrayEquals("def".getBytes(), java.util.Arrays.copyOf(buf, 3));
        assertEquals(0, c.read(buf), "then the end of the stream");
    }
}
