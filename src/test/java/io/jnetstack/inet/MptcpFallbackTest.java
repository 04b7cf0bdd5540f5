package io.jnetstack.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import org.junit.jupiter.api.Test;

/**
 * IPPROTO_MPTCP: created on AF_INET and AF_INET6 stream sockets only, reports protocol 262, and
 * carries data as plain TCP (the RFC 8684 §3.7 fallback every connection takes here).
 */
class MptcpFallbackTest {
    static int protocolOf(SocketCalls sys, int fd) {
        byte[] v = new byte[4];
        int[] l = {4};
        assertEquals(0, sys.getsockopt(fd, Net.SOL_SOCKET, Net.SO_PROTOCOL, v, l));
        return v[0] & 0xFF | (v[1] & 0xFF) << 8;
    }

    @Test void creation() {
        try (SimNet net = new SimNet(1)) {
            SocketCalls sys = net.host("h").sys();
            for (int af : new int[] {Net.AF_INET, Net.AF_INET6}) {
                int fd = sys.socket(af, Net.SOCK_STREAM, In.IPPROTO_MPTCP);
                assertTrue(fd >= 0);
                assertEquals(In.IPPROTO_MPTCP, protocolOf(sys, fd));
                assertEquals(-Errno.EPROTONOSUPPORT, sys.socket(af, Net.SOCK_DGRAM, In.IPPROTO_MPTCP));
                // protocol 0 still means TCP: the first entry of inetsw[SOCK_STREAM]
                int tcp = sys.socket(af, Net.SOCK_STREAM, 0);
                assertEquals(In.IPPROTO_TCP, protocolOf(sys, tcp));
            }
        }
    }

    @Test void behavesAsTcp() {
        try (SimNet net = new SimNet(2)) {
            SocketCalls sys = net.host("h").sys();
            byte[] got = new byte[16];
            int[] n = new int[2];
            net.spawn("server", () -> {
                int l = sys.socket(Net.AF_INET, Net.SOCK_STREAM, In.IPPROTO_MPTCP);
                assertEquals(0, sys.bind(l, SockAddr.in(0x7f000001, 7000), 16));
                assertEquals(0, sys.listen(l, 4));
                int c = sys.accept(l, null, null);
                n[1] = protocolOf(sys, c);
                n[0] = sys.recvfrom(c, got, 16, 0, null, null);
                sys.close(c);
                sys.close(l);
            });
            net.spawn("client", () -> {
                int s = sys.socket(Net.AF_INET, Net.SOCK_STREAM, In.IPPROTO_MPTCP);
                assertEquals(0, sys.connect(s, SockAddr.in(0x7f000001, 7000), 16));
                assertEquals(5, sys.sendto(s, "hello".getBytes(), 5, 0, null, 0));
                sys.close(s);
            });
            net.run();
            assertEquals(5, n[0]);
            assertEquals("hello", new String(got, 0, 5));
            assertEquals(In.IPPROTO_TCP, n[1]); // the fallback subflow, as Linux accepts a plain TCP client
        }
    }
}
