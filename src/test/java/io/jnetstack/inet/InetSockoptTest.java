package io.jnetstack.inet;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Socket;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import org.junit.jupiter.api.Test;

import static io.jnetstack.uapi.Errno.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** IPPROTO_IP options with the values measured on Linux 6.18 (UDP, TCP and raw sockets). */
class InetSockoptTest {
    final InetKit k = new InetKit();

    static byte[] i(int v) { return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)}; }

    static int set(Socket s, int opt, int v) { return s.ops.setsockopt(s, 0, opt, i(v), 4); }

    static int get(Socket s, int opt) {
        byte[] b = new byte[4];
        int[] len = {4};
        int r = s.ops.getsockopt(s, 0, opt, b, len);
        if (r < 0) return r;
        return len[0] == 1 ? b[0] & 0xFF : (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | b[3] << 24;
    }

    @Test void defaults() {
        Socket s = k.udp();
        assertEquals(0, get(s, In.IP_TOS));
        assertEquals(64, get(s, In.IP_TTL));
        assertEquals(0, get(s, In.IP_HDRINCL));
        assertEquals(1, get(s, In.IP_MTU_DISCOVER));
        assertEquals(-ENOTCONN, get(s, In.IP_MTU));
        assertEquals(1, get(s, In.IP_MULTICAST_TTL));
        assertEquals(1, get(s, In.IP_MULTICAST_LOOP));
        k.connect(s, InetKit.LO, 9);
        assertEquals(65535, get(s, In.IP_MTU));
    }

    @Test void ttl() {
        Socket s = k.udp();
        assertEquals(-EINVAL, set(s, In.IP_TTL, -2));
        assertEquals(-EINVAL, set(s, In.IP_TTL, 0));
        assertEquals(-EINVAL, set(s, In.IP_TTL, 256));
        assertEquals(0, set(s, In.IP_TTL, 255));
        assertEquals(255, get(s, In.IP_TTL));
        assertEquals(0, set(s, In.IP_TTL, -1));
        assertEquals(64, get(s, In.IP_TTL));
        assertEquals(0, s.ops.setsockopt(s, 0, In.IP_TTL, new byte[] {5}, 1));   // char-sized
        assertEquals(5, get(s, In.IP_TTL));
        assertEquals(-EINVAL, s.ops.setsockopt(s, 0, In.IP_TTL, new byte[0], 0));
        byte[] one = new byte[1];
        int[] len = {1};
        assertEquals(0, s.ops.getsockopt(s, 0, In.IP_TTL, one, len));
        assertEquals(1, len[0]);
        assertEquals(5, one[0]);
    }

    @Test void tosMasksEcnOnlyForTcp() {
        Socket u = k.udp();
        assertEquals(0, set(u, In.IP_TOS, -2));
        assertEquals(254, get(u, In.IP_TOS));
        assertEquals(0, set(u, In.IP_TOS, 256));
        assertEquals(0, get(u, In.IP_TOS));
        InetSock tcpish = new InetSock(k.stack, Net.AF_INET, Net.SOCK_STREAM, 6);
        assertEquals(0, InetSockopt.setIp(tcpish, In.IP_TOS, i(255), 4));
        assertEquals(252, tcpish.tos);
        assertEquals(0, InetSockopt.setIp(tcpish, In.IP_TOS, new byte[] {5}, 1));
        assertEquals(4, tcpish.tos);
        assertEquals(-EINVAL, InetSockopt.setIp(tcpish, In.IP_MULTICAST_TTL, i(1), 4));
    }

    @Test void assortedRules() {
        Socket s = k.udp();
        assertEquals(-EINVAL, set(s, In.IP_MTU_DISCOVER, -1));
        assertEquals(-EINVAL, set(s, In.IP_MTU_DISCOVER, 255));
        assertEquals(0, s.ops.setsockopt(s, 0, In.IP_MTU_DISCOVER, new byte[] {5}, 1));
        assertEquals(-ENOPROTOOPT, set(s, In.IP_HDRINCL, 1));
        assertEquals(0, set(s, In.IP_RECVERR, 0x1ff));
        assertEquals(1, get(s, In.IP_RECVERR));
        assertEquals(-EINVAL, s.ops.setsockopt(s, 0, In.IP_FREEBIND, new byte[0], 0));
        assertEquals(0, s.ops.setsockopt(s, 0, In.IP_RECVERR, new byte[0], 0));
        assertEquals(0, set(s, In.IP_MULTICAST_TTL, -1));
        assertEquals(1, get(s, In.IP_MULTICAST_TTL));
        assertEquals(-EINVAL, set(s, In.IP_MULTICAST_TTL, -2));
        assertEquals(0, s.ops.setsockopt(s, 0, In.IP_OPTIONS, new byte[0], 0));
        assertEquals(-ENOPROTOOPT, set(s, 9, 1));
        assertEquals(-ENOPROTOOPT, get(s, 60));
        assertEquals(-ENOPROTOOPT, s.ops.setsockopt(s, Net.SOL_IPV6, In.IPV6_V6ONLY, i(1), 4));
        assertEquals(-EOPNOTSUPP, s.ops.getsockopt(s, Net.SOL_IPV6, In.IPV6_V6ONLY, new byte[4], new int[] {4}));
        Socket raw = k.socket(Net.AF_INET, Net.SOCK_RAW, 255, Credentials.ROOT);
        assertEquals(1, get(raw, In.IP_HDRINCL));
        assertEquals(0, set(raw, In.IP_HDRINCL, 0));
        assertEquals(0, get(raw, In.IP_HDRINCL));
    }

    @Test void inet6Level() {
        Socket s = k.socket(Net.AF_INET6, Net.SOCK_DGRAM, 0, Credentials.ROOT);
        byte[] b = new byte[4];
        int[] len = {4};
        assertEquals(0, s.ops.getsockopt(s, Net.SOL_IPV6, In.IPV6_V6ONLY, b, len));
        assertEquals(0, b[0]);
        assertEquals(0, s.ops.getsockopt(s, Net.SOL_IPV6, In.IPV6_UNICAST_HOPS, b, len));
        assertEquals(64, b[0]);
        assertEquals(0, set(s, In.IP_TTL, 7));                          // SOL_IP works on AF_INET6
        assertEquals(7, get(s, In.IP_TTL));
    }
}
