package io.jnetstack.socket;

import io.jnetstack.uapi.Net;

/**
 * Reads and writes the sockaddr structures as bytes: sockaddr_in (16), sockaddr_in6 (28) and
 * sockaddr_un (110). sa_family is host order (little-endian on x86-64); ports and IPv4 addresses are
 * network order; IPv4 addresses are handled as host-order ints (0x7f000001 = 127.0.0.1).
 */
public final class SockAddr {
    private SockAddr() {}

    public static int family(byte[] a, int len) {
        return len < 2 ? -1 : (a[0] & 0xFF) | (a[1] & 0xFF) << 8;
    }

    public static void putFamily(byte[] a, int family) {
        a[0] = (byte) family;
        a[1] = (byte) (family >> 8);
    }

    /** sin_port / sin6_port (network order in the structure). */
    public static int port(byte[] a) { return (a[2] & 0xFF) << 8 | (a[3] & 0xFF); }

    /** sin_addr as a host-order int. */
    public static int inAddr(byte[] a) {
        return (a[4] & 0xFF) << 24 | (a[5] & 0xFF) << 16 | (a[6] & 0xFF) << 8 | (a[7] & 0xFF);
    }

    /** Writes a sockaddr_in into {@code out} (16 bytes, sin_zero cleared); returns 16. */
    public static int writeIn(byte[] out, int addr, int port) {
        java.util.Arrays.fill(out, 0, 16, (byte) 0);
        putFamily(out, Net.AF_INET);
        out[2] = (byte) (port >> 8);
        out[3] = (byte) port;
        out[4] = (byte) (addr >>> 24);
        out[5] = (byte) (addr >>> 16);
        out[6] = (byte) (addr >>> 8);
        out[7] = (byte) addr;
        return 16;
    }

    public static byte[] in(int addr, int port) {
        byte[] b = new byte[16];
        writeIn(b, addr, port);
        return b;
    }

    /** sin6_flowinfo (bytes 4..7), sin6_addr (8..23), sin6_scope_id (24..27). */
    public static byte[] in6Addr(byte[] a) { return java.util.Arrays.copyOfRange(a, 8, 24); }

    public static int in6ScopeId(byte[] a) {
        return (a[24] & 0xFF) | (a[25] & 0xFF) << 8 | (a[26] & 0xFF) << 16 | (a[27] & 0xFF) << 24;
    }

    /** Is the sin6_addr ::ffff:a.b.c.d? */
    public static boolean isV4Mapped(byte[] a) {
        for (int i = 8; i < 18; i++) if (a[i] != 0) return false;
        return a[18] == (byte) 0xFF && a[19] == (byte) 0xFF;
    }

    /** Is the sin6_addr :: (all zero)? */
    public static boolean isIn6Any(byte[] a) {
        for (int i = 8; i < 24; i++) if (a[i] != 0) return false;
        return true;
    }

    /** The IPv4 address inside a v4-mapped sin6_addr, host order. */
    public static int v4MappedAddr(byte[] a) {
        return (a[20] & 0xFF) << 24 | (a[21] & 0xFF) << 16 | (a[22] & 0xFF) << 8 | (a[23] & 0xFF);
    }

    /** Writes a sockaddr_in6 for a v4-mapped (or, when {@code any} and addr 0, the :: ) address; returns 28. */
    public static int writeIn6Mapped(byte[] out, int addr, int port, boolean unspecifiedIfZero) {
        java.util.Arrays.fill(out, 0, 28, (byte) 0);
        putFamily(out, Net.AF_INET6);
        out[2] = (byte) (port >> 8);
        out[3] = (byte) port;
        if (!(unspecifiedIfZero && addr == 0)) {
            out[18] = (byte) 0xFF;
            out[19] = (byte) 0xFF;
            out[20] = (byte) (addr >>> 24);
            out[21] = (byte) (addr >>> 16);
            out[22] = (byte) (addr >>> 8);
            out[23] = (byte) addr;
        }
        return 28;
    }

    /** A sockaddr_un for an abstract name ("\0name"); the returned length is 2 + 1 + name length. */
    public static byte[] unAbstract(String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = new byte[2 + 1 + n.length];
        putFamily(b, Net.AF_UNIX);
        System.arraycopy(n, 0, b, 3, n.length);
        return b;
    }

    /** Dotted quad of a host-order IPv4 address. */
    public static String ipString(int addr) {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xFF) + "." + ((addr >>> 8) & 0xFF) + "." + (addr & 0xFF);
    }

    /** Parses a dotted quad to a host-order int; throws IllegalArgumentException when malformed. */
    public static int parseIp(String s) {
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + s);
        int v = 0;
        for (String part : p) {
            int o;
            try {
                o = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            if (o < 0 || o > 255 || part.isEmpty() || part.length() > 3) throw new IllegalArgumentException("not an IPv4 address: " + s);
            v = v << 8 | o;
        }
        return v;
    }

    /** Human form of a sockaddr for traces: "127.0.0.1:80", "[::ffff:127.0.0.1]:80", "@name". */
    public static String toString(byte[] a, int len) {
        if (a == null) return "NULL";
        int fam = family(a, len);
        if (fam == Net.AF_INET && len >= 8) return ipString(inAddr(a)) + ":" + port(a);
        if (fam == Net.AF_INET6 && len >= 24) {
            if (isV4Mapped(a)) return "[::ffff:" + ipString(v4MappedAddr(a)) + "]:" + port(a);
            if (isIn6Any(a)) return "[::]:" + port(a);
            return "[ipv6]:" + port(a);
        }
        if (fam == Net.AF_UNIX) {
            if (len <= 2) return "{AF_UNIX, unnamed}";
            if (a[2] == 0) return "@" + new String(a, 3, len - 3, java.nio.charset.StandardCharsets.UTF_8);
            int end = 2;
            while (end < len && a[end] != 0) end++;
            return new String(a, 2, end - 2, java.nio.charset.StandardCharsets.UTF_8);
        }
        return "{sa_family=" + fam + ", len=" + len + "}";
    }
}
