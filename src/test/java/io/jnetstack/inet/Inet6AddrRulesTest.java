package io.jnetstack.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The errno order of inet6_bind, tcp_v6_connect and ip6_datagram_connect for native IPv6
 * addresses — scope ids, link-local, multicast — as measured on Linux 6.18 in a fresh network
 * namespace; none of it needs an IPv6 data path.
 */
class Inet6AddrRulesTest {
    static byte[] in6(String addr, int port, int scope) {
        byte[] a = new byte[28];
        SockAddr.putFamily(a, Net.AF_INET6);
        a[2] = (byte) (port >> 8);
        a[3] = (byte) port;
        try {
            byte[] b = InetAddress.getByName(addr).getAddress();
            if (b.length == 4) b = mapped(b); // Java folds ::ffff:a.b.c.d to IPv4
            System.arraycopy(b, 0, a, 8, 16);
        } catch (Exception e) {
            throw new IllegalArgumentException(addr, e);
        }
        a[24] = (byte) scope;
        a[25] = (byte) (scope >> 8);
        return a;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] m = new byte[16];
        m[10] = m[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, m, 12, 4);
        return m;
    }

    record Row(int type, String call, String addr, int scope, int expect) {}

    @Test void addressTypes() {
        assertEquals(In6AddrType.LINKLOCAL | In6AddrType.UNICAST, In6AddrType.of(in6("fe80::1", 0, 0), 8));
        assertEquals(In6AddrType.MULTICAST | In6AddrType.LINKLOCAL, In6AddrType.of(in6("ff02::1", 0, 0), 8));
        assertEquals(In6AddrType.MULTICAST, In6AddrType.of(in6("ff0e::1", 0, 0), 8));
        assertEquals(In6AddrType.LOOPBACK | In6AddrType.UNICAST, In6AddrType.of(in6("::1", 0, 0), 8));
        assertEquals(In6AddrType.ANY, In6AddrType.of(in6("::", 0, 0), 8));
        assertEquals(In6AddrType.UNICAST, In6AddrType.of(in6("2001:db8::1", 0, 0), 8));
        assertEquals(true, In6AddrType.needsScopeId(In6AddrType.of(in6("ff01::1", 0, 0), 8)));
        assertEquals(false, In6AddrType.needsScopeId(In6AddrType.of(in6("ff0e::1", 0, 0), 8)));
    }

    @Test void errnoOrderMatchesLinux() {
        Row[] rows = {
            new Row(Net.SOCK_STREAM, "bind", "fe80::1", 0, -Errno.EINVAL),
            new Row(Net.SOCK_DGRAM, "bind", "fe80::1", 0, -Errno.EINVAL),
            new Row(Net.SOCK_STREAM, "bind", "fe80::1", 1, -Errno.EADDRNOTAVAIL),
            new Row(Net.SOCK_DGRAM, "bind", "fe80::1", 99, -Errno.ENODEV),
            new Row(Net.SOCK_STREAM, "bind", "ff02::1", 0, -Errno.EINVAL),
            new Row(Net.SOCK_DGRAM, "bind", "ff02::1", 0, -Errno.EINVAL),
            new Row(Net.SOCK_STREAM, "bind", "ff0e::1", 0, -Errno.EINVAL),   // stream + multicast
            new Row(Net.SOCK_STREAM, "bind", "::2", 99, -Errno.EADDRNOTAVAIL),
            new Row(Net.SOCK_STREAM, "connect", "fe80::1", 0, -Errno.EINVAL),
            new Row(Net.SOCK_STREAM, "connect", "fe80::1", 99, -Errno.ENETUNREACH),
            new Row(Net.SOCK_STREAM, "connect", "ff02::1", 0, -Errno.ENETUNREACH),
            new Row(Net.SOCK_DGRAM, "connect", "fe80::1", 0, -Errno.EINVAL),
            new Row(Net.SOCK_DGRAM, "connect", "ff02::1", 0, -Errno.EINVAL),
            new Row(Net.SOCK_DGRAM, "connect", "fe80::1", 1, -Errno.ENETUNREACH),
            new Row(Net.SOCK_DGRAM, "sendto", "fe80::1", 0, -Errno.ENETUNREACH),
            new Row(Net.SOCK_DGRAM, "sendto", "ff02::1", 0, -Errno.ENETUNREACH),
        };
        try (SimNet net = new SimNet(1)) {
            SocketCalls sys = net.host("h").sys();
            for (Row r : rows) {
                int fd = sys.socket(Net.AF_INET6, r.type() | Net.SOCK_NONBLOCK, 0);
                byte[] a = in6(r.addr(), 20000, r.scope());
                int got = switch (r.call()) {
                    case "bind" -> sys.bind(fd, a, 28);
                    case "connect" -> sys.connect(fd, a, 28);
                    default -> sys.sendto(fd, new byte[1], 1, 0, a, 28);
                };
                assertEquals(r.expect(), got, r.toString());
                sys.close(fd);
            }
        }
    }

    @Test void boundToV4MappedAnyGetsocknameSaysSo() {
        try (SimNet net = new SimNet(1)) {
            SocketCalls sys = net.host("h").sys();
            for (int type : new int[] {Net.SOCK_STREAM, Net.SOCK_DGRAM}) {
                int fd = sys.socket(Net.AF_INET6, type, 0);
                assertEquals(0, sys.bind(fd, in6("::ffff:0.0.0.0", 20000, 0), 28));
                byte[] out = new byte[128];
                int[] len = {128};
                assertEquals(0, sys.getsockname(fd, out, len));
                assertEquals(In.SOCKADDR_IN6_LEN, len[0]);
                assertEquals((byte) 0xFF, out[18]);
                assertEquals((byte) 0xFF, out[19]);
                sys.close(fd);
            }
        }
    }
}
