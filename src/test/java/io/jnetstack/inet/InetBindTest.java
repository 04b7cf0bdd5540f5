package io.jnetstack.inet;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.uapi.Net;
import org.junit.jupiter.api.Test;

import static io.jnetstack.inet.InetKit.LO;
import static io.jnetstack.uapi.Errno.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** inet_bind / inet6_bind errors, as measured on Linux 6.18. */
class InetBindTest {
    final InetKit k = new InetKit();

    static byte[] raw(int family, int addr, int port) {
        byte[] b = SockAddr.in(addr, port);
        SockAddr.putFamily(b, family);
        return b;
    }

    @Test void inetRules() {
        Socket s = k.udp();
        assertEquals(-EINVAL, s.ops.bind(s, SockAddr.in(LO, 0), 15));
        assertEquals(-EAFNOSUPPORT, s.ops.bind(s, raw(Net.AF_UNSPEC, LO, 0), 16));
        assertEquals(-EAFNOSUPPORT, s.ops.bind(s, raw(Net.AF_INET6, 0, 0), 16));
        assertEquals(-EADDRNOTAVAIL, k.bind(s, SockAddr.parseIp("10.9.9.9"), 0));
        assertEquals(0, s.ops.bind(s, raw(Net.AF_UNSPEC, 0, 0), 16)); // old compatibility rule
        assertEquals(-EINVAL, k.bind(s, 0, 6001));                     // already bound
    }

    @Test void inUseAndReuseaddr() {
        Socket a = k.udp(), b = k.udp();
        assertEquals(0, k.bind(a, 0, 6000));
        assertEquals(-EADDRINUSE, k.bind(b, LO, 6000));
        Socket c = k.udp(), d = k.udp();
        c.sk.reuseAddr = d.sk.reuseAddr = true;
        assertEquals(0, k.bind(c, LO, 7000));
        assertEquals(0, k.bind(d, LO, 7000));
    }

    @Test void privilegedPortsAndFreebind() {
        Socket u = k.socket(Net.AF_INET, Net.SOCK_DGRAM, 0, Credentials.USER);
        assertEquals(-EACCES, k.bind(u, LO, 80));
        assertEquals(0, k.bind(u, LO, 1024));
        Socket r = k.udp();
        assertEquals(0, k.bind(r, LO, 80));
        Socket f = k.udp();
        ((InetSock) f.sk).freebind = true;
        assertEquals(0, k.bind(f, SockAddr.parseIp("10.9.9.9"), 0));
        Socket bc = k.udp();
        assertEquals(0, k.bind(bc, 0xFFFFFFFF, 0));                    // broadcast is allowed
        assertEquals(0, ((InetSock) bc.sk).saddr);                     // ...and the source comes from the device
        // EADDRNOTAVAIL is checked before EACCES (AF_INET order).
        Socket u2 = k.socket(Net.AF_INET, Net.SOCK_DGRAM, 0, Credentials.USER);
        assertEquals(-EADDRNOTAVAIL, k.bind(u2, SockAddr.parseIp("10.9.9.9"), 80));
    }

    @Test void inet6Rules() {
        Socket s = k.socket(Net.AF_INET6, Net.SOCK_DGRAM, 0, Credentials.ROOT);
        byte[] a = new byte[28];
        SockAddr.writeIn6Mapped(a, LO, 5300, false);
        assertEquals(-EINVAL, s.ops.bind(s, a, 23));
        assertEquals(0, s.ops.bind(s, a, 24));                          // SIN6_LEN_RFC2133 is enough
        byte[] out = new byte[128];
        assertEquals(28, s.ops.getname(s, out, false));
        assertEquals(LO, SockAddr.v4MappedAddr(out));
        assertEquals(5300, SockAddr.port(out));

        Socket v6only = k.socket(Net.AF_INET6, Net.SOCK_DGRAM, 0, Credentials.ROOT);
        assertEquals(0, v6only.ops.setsockopt(v6only, Net.SOL_IPV6, 26, new byte[] {1, 0, 0, 0}, 4));
        assertEquals(-EINVAL, v6only.ops.bind(v6only, a, 28));           // v4-mapped on IPV6_V6ONLY

        Socket any = k.socket(Net.AF_INET6, Net.SOCK_DGRAM, 0, Credentials.ROOT);
        byte[] in6any = new byte[28];
        SockAddr.putFamily(in6any, Net.AF_INET6);
        assertEquals(0, any.ops.bind(any, in6any, 28));
        assertEquals(28, any.ops.getname(any, out, false));
        assertEquals(true, SockAddr.isIn6Any(out));
        assertEquals(-EINVAL, any.ops.setsockopt(any, Net.SOL_IPV6, 26, new byte[] {0, 0, 0, 0}, 4)); // bound

        Socket native6 = k.socket(Net.AF_INET6, Net.SOCK_DGRAM, 0, Credentials.ROOT);
        byte[] loop6 = new byte[28];
        SockAddr.putFamily(loop6, Net.AF_INET6);
        loop6[23] = 1;                                                   // ::1
        assertEquals(-EADDRNOTAVAIL, native6.ops.bind(native6, loop6, 28));
        assertEquals(-EAFNOSUPPORT, native6.ops.bind(native6, SockAddr.in(LO, 0), 24));
    }

    @Test void dualStackSocketTalksToInetSocket() {
        Socket v6 = k.socket(Net.AF_INET6, Net.SOCK_DGRAM, 0, Credentials.ROOT);
        byte[] in6any = new byte[28];
        SockAddr.putFamily(in6any, Net.AF_INET6);
        in6any[3] = (byte) 5400 & 0xFF;
        in6any[2] = (byte) (5400 >> 8);
        assertEquals(0, v6.ops.bind(v6, in6any, 28));
        Socket v4 = k.udp();
        assertEquals(2, k.sendto(v4, new byte[] {1, 2}, LO, 5400));
        var m = InetKit.msg(10);
        assertEquals(2, k.recv(v6, m, 0));
        assertEquals(28, m.namelen);
        assertEquals(true, SockAddr.isV4Mapped(m.name));
        assertEquals(k.port(v4), SockAddr.port(m.name));
        // Native IPv6 destinations are not reachable yet.
        var out = io.jnetstack.syscall.MsgHdr.of(new byte[1], 1);
        byte[] loop6 = new byte[28];
        SockAddr.putFamily(loop6, Net.AF_INET6);
        loop6[3] = 9;
        loop6[23] = 1;
        out.name = loop6;
        out.namelen = 28;
        assertEquals(-ENETUNREACH, v6.ops.sendmsg(v6, out, 0));
    }
}
