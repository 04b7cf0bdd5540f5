package io.jnetstack.api;

import io.jnetstack.socket.SockAddr;
import io.jnetstack.uapi.Net;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** Conversions between java.net addresses and sockaddr bytes (sockaddr_in / sockaddr_in6 / sockaddr_un). */
public final class SockAddrs {
    private SockAddrs() {}

    /** sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes) for an IPv4 / IPv6 socket address. */
    public static byte[] of(InetSocketAddress a) {
        InetAddress ia = a.getAddress();
        if (ia == null) throw new IllegalArgumentException("unresolved address: " + a);
        if (ia instanceof Inet4Address) {
            byte[] b = ia.getAddress();
            int addr = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
            return SockAddr.in(addr, a.getPort());
        }
        byte[] out = new byte[28];
        SockAddr.putFamily(out, Net.AF_INET6);
        out[2] = (byte) (a.getPort() >> 8);
        out[3] = (byte) a.getPort();
        System.arraycopy(ia.getAddress(), 0, out, 8, 16);
        int scope = ((Inet6Address) ia).getScopeId();
        out[24] = (byte) scope;
        out[25] = (byte) (scope >> 8);
        out[26] = (byte) (scope >> 16);
        out[27] = (byte) (scope >> 24);
        return out;
    }

    /** The socket address in the first {@code len} bytes, or null when it is not AF_INET/AF_INET6. */
    public static InetSocketAddress toInet(byte[] a, int len) {
        int fam = SockAddr.family(a, len);
        try {
            if (fam == Net.AF_INET && len >= 8) {
                return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(a, 4, 8)), SockAddr.port(a));
            }
            if (fam == Net.AF_INET6 && len >= 24) {
                return new InetSocketAddress(InetAddress.getByAddress(SockAddr.in6Addr(a)), SockAddr.port(a));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4- or 16-byte arrays
        }
        return null;
    }

    /** sockaddr_un for a path name (with its NUL) or, when it starts with '@', an abstract name. */
    public static byte[] unix(String name) {
        if (name.startsWith("@")) return SockAddr.unAbstract(name.substring(1));
        byte[] p = name.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[2 + p.length + 1];
        SockAddr.putFamily(b, Net.AF_UNIX);
        System.arraycopy(p, 0, b, 2, p.length);
        return b;
    }
}
