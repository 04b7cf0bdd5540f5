package io.jnetstack.ipv4;

import io.jnetstack.inet.InetKit;
import io.jnetstack.socket.Socket;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.wire.Ipv4Header;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.jnetstack.inet.InetKit.LOCAL;
import static io.jnetstack.inet.InetKit.PEER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ip_fragment and ip_defrag, on the virtual clock. */
class FragmentTest {
    static final int ID = 0x1234, MF = Ipv4Header.FLAG_MF;

    /** A UDP datagram of {@code n} data bytes to port 9, cut into fragments of {@code size} payload bytes. */
    static List<byte[]> fragments(int n, int size) {
        byte[] whole = Pkt.udp(PEER, 7, LOCAL, 9, pattern(n));
        List<byte[]> out = new ArrayList<>();
        int l4 = whole.length - 20;
        for (int off = 0; off < l4; off += size) {
            int len = Math.min(size, l4 - off);
            byte[] p = Pkt.ipv4(PEER, LOCAL, 17, ID, (off >> 3) | (off + len < l4 ? MF : 0),
                    Arrays.copyOfRange(whole, 20 + off, 20 + off + len));
            out.add(p);
        }
        return out;
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7);
        return b;
    }

    static Socket listener(InetKit k) {
        Socket s = k.udp();
        assertEquals(0, k.bind(s, 0, 9));
        return s;
    }

    static void assertReceived(InetKit k, Socket s, int n) {
        MsgHdr m = InetKit.msg(70000);
        assertEquals(n, k.recv(s, m, 0));
        assertArrayEquals(pattern(n), Arrays.copyOf(m.iov[0], n));
    }

    @Test void inOrder() {
        InetKit k = new InetKit();
        Socket s = listener(k);
        for (byte[] f : fragments(3000, 1480)) k.eth.inject(f);
        assertReceived(k, s, 3000);
        assertEquals(3, k.counter("Ip.ReasmReqds"));
        assertEquals(1, k.counter("Ip.ReasmOKs"));
        assertEquals(0, k.ip.fragQueues());
        assertEquals(0, k.ip.fragMemory());
    }

    @Test void reversed() {
        InetKit k = new InetKit();
        Socket s = listener(k);
        List<byte[]> f = fragments(5000, 1000);
        Collections.reverse(f);
        for (byte[] p : f) k.eth.inject(p);
        assertReceived(k, s, 5000);
        assertEquals(1, k.counter("Ip.ReasmOKs"));
    }

    @Test void exactDuplicateIsDroppedQuietly() {
        InetKit k = new InetKit();
        Socket s = listener(k);
        List<byte[]> f = fragments(2000, 1000);
        k.eth.inject(f.get(0));
        k.eth.inject(f.get(0));
        k.eth.inject(f.get(1));
        k.eth.inject(f.get(2));
        assertReceived(k, s, 2000);
        assertEquals(0, k.counter("Ip.ReasmFails"));
    }

    @Test void overlapDropsTheWholeQueue() {
        InetKit k = new InetKit();
        Socket s = listener(k);
        List<byte[]> f = fragments(2000, 1000);
        k.eth.inject(f.get(0));
        // [504, 1504): overlaps the first fragment's tail and is not inside it.
        byte[] whole = Pkt.udp(PEER, 7, LOCAL, 9, pattern(2000));
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 17, ID, (504 >> 3) | MF, Arrays.copyOfRange(whole, 20 + 504, 20 + 1504)));
        assertEquals(1, k.counter("Ip.ReasmFails"));
        assertEquals(1, k.counter("IpExt.ReasmOverlaps"));
        assertEquals(0, k.ip.fragQueues());
        k.eth.inject(f.get(1));
        k.eth.inject(f.get(2));
        assertEquals(0, k.counter("Ip.ReasmOKs"));
        assertEquals(-io.jnetstack.uapi.Errno.EAGAIN, k.recv(s, InetKit.msg(10), 0));
    }

    @Test void timeoutSendsTimeExceededWhenTheFirstFragmentCame() {
        InetKit k = new InetKit();
        listener(k);
        List<byte[]> f = fragments(3000, 1480);
        k.eth.inject(f.get(0));
        k.eth.inject(f.get(2));
        k.sched.runFor(29_999_000_000L);
        assertEquals(0, k.counter("Ip.ReasmTimeout"));
        assertNull(k.eth.next());
        k.sched.runFor(1_000_000L);
        assertEquals(1, k.counter("Ip.ReasmTimeout"));
        assertEquals(1, k.counter("Ip.ReasmFails"));
        byte[] icmp = k.eth.next();
        assertEquals(11, icmp[20]);   // time exceeded
        assertEquals(1, icmp[21]);    // fragment reassembly time exceeded
        assertEquals(0, k.ip.fragQueues());
    }

    @Test void timeoutWithoutTheFirstFragmentIsSilent() {
        InetKit k = new InetKit();
        listener(k);
        k.eth.inject(fragments(3000, 1480).get(1));
        k.sched.runFor(31_000_000_000L);
        assertEquals(1, k.counter("Ip.ReasmTimeout"));
        assertNull(k.eth.next());
    }

    @Test void lastFragmentDisagreeingOnLengthKillsTheQueue() {
        InetKit k = new InetKit();
        List<byte[]> f = fragments(3000, 1480);
        k.eth.inject(f.get(2));                                    // fixes the length
        k.eth.inject(Pkt.ipv4(PEER, LOCAL, 17, ID, 400, new byte[8])); // a "last" fragment elsewhere
        assertEquals(1, k.counter("Ip.ReasmFails"));
    }

    @Test void outputFragmentsWhenDfIsClear() {
        InetKit k = new InetKit();
        Socket s = k.udp();
        // IP_MTU_DISCOVER = IP_PMTUDISC_DONT: no DF, fragment locally.
        assertEquals(0, s.ops.setsockopt(s, 0, 10, new byte[] {0, 0, 0, 0}, 4));
        assertEquals(4000, k.sendto(s, pattern(4000), PEER, 9));
        List<byte[]> out = new ArrayList<>(k.eth.sent);
        assertEquals(3, out.size());
        int total = 0;
        for (int i = 0; i < 3; i++) {
            Ipv4Header h = Pkt.view(out.get(i));
            assertTrue(h.verifyChecksum());
            assertEquals(i < 2, h.moreFrags());
            assertEquals(i * 1480, h.fragOffset());
            assertEquals(Pkt.view(out.get(0)).id(), h.id());
            total += h.payloadLen();
        }
        assertEquals(4008, total);
        assertEquals(1, k.counter("Ip.FragOKs"));
        assertEquals(3, k.counter("Ip.FragCreates"));
        // ...and the pieces reassemble on a peer stack into the same datagram.
        InetKit peer = new InetKit();
        peer.ip.addAddress(peer.eth, PEER, 24);
        Socket r = peer.udp();
        assertEquals(0, peer.bind(r, 0, 9));
        for (byte[] p : out) peer.eth.inject(p);
        assertReceived(peer, r, 4000);
    }

    @Test void wantPmtuFragmentsLocallyButDoDoesNot() {
        InetKit k = new InetKit();
        Socket s = k.udp();
        assertEquals(4000, k.sendto(s, pattern(4000), PEER, 9)); // IP_PMTUDISC_WANT (default)
        assertEquals(3, k.eth.sent.size());
        assertEquals(0, s.ops.setsockopt(s, 0, 10, new byte[] {2, 0, 0, 0}, 4)); // IP_PMTUDISC_DO
        assertEquals(-io.jnetstack.uapi.Errno.EMSGSIZE, k.sendto(s, pattern(4000), PEER, 9));
        assertEquals(1472, k.sendto(s, pattern(1472), PEER, 9));
        assertTrue(Pkt.view(k.eth.sent.peekLast()).dontFrag());
    }
}
