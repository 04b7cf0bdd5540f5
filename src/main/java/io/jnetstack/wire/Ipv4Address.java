package io.jnetstack.wire;

/**
 * IPv4 addresses as {@code int} in network order value (192.0.2.1 == 0xC0000201), the form
 * every header view returns. Static helpers only; no allocation except for text.
 */
public final class Ipv4Address {
    private Ipv4Address() {}

    public static final int ANY = 0, LOOPBACK = 0x7F00_0001, BROADCAST = 0xFFFF_FFFF;

    /** Builds a.b.c.d from four octets. */
    public static int of(int a, int b, int c, int d) {
        return (a & 0xFF) << 24 | (b & 0xFF) << 16 | (c & 0xFF) << 8 | (d & 0xFF);
    }

    /**
     * Parses strict dotted-quad "a.b.c.d" (each 0–255 decimal, no leading '+', no empty parts).
     * Like inet_pton (not inet_aton) it refuses "127.1", leading zeros and octal/hex parts.
     *
     * @throws IllegalArgumentException if the text is not a dotted quad
     */
    public static int parse(String text) {
        int addr = 0, parts = 0, i = 0, n = text.length();
        while (parts < 4) {
            int start = i, v = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
                v = v * 10 + (text.charAt(i++) - '0');
            }
            // leading zeros are refused as inet_pton does: "010" must not silently mean 8 or 10
            if (i == start || v > 255 || (i - start > 1 && text.charAt(start) == '0')) throw new IllegalArgumentException("not an IPv4 address: " + text);
            addr = addr << 8 | v;
            if (++parts < 4) {
                if (i >= n || text.charAt(i) != '.') throw new IllegalArgumentException("not an IPv4 address: " + text);
                i++;
            }
        }
        if (i != n) throw new IllegalArgumentException("not an IPv4 address: " + text);
        return addr;
    }

    /** "a.b.c.d". */
    public static String format(int addr) {
        return (addr >>> 24) + "." + (addr >>> 16 & 0xFF) + "." + (addr >>> 8 & 0xFF) + "." + (addr & 0xFF);
    }

    /** 127.0.0.0/8 (RFC 1122 §3.2.1.3). */
    public static boolean isLoopback(int addr) { return addr >>> 24 == 127; }
    /** 224.0.0.0/4, class D (RFC 1112). */
    public static boolean isMulticast(int addr) { return addr >>> 28 == 0xE; }
    /** 255.255.255.255, the limited broadcast; directed broadcast depends on the interface prefix. */
    public static boolean isBroadcast(int addr) { return addr == BROADCAST; }
    /** 0.0.0.0/8, "this network" (RFC 1122 §3.2.1.3); includes 0.0.0.0. */
    public static boolean isZeronet(int addr) { return addr >>> 24 == 0; }
    /** 0.0.0.0 (INADDR_ANY). */
    public static boolean isAny(int addr) { return addr == 0; }
    /** 169.254.0.0/16 (RFC 3927). */
    public static boolean isLinkLocal(int addr) { return addr >>> 16 == 0xA9FE; }
    /** 240.0.0.0/4 minus broadcast, reserved "class E". */
    public static boolean isReserved(int addr) { return addr >>> 28 == 0xF && addr != BROADCAST; }
    /** Directed broadcast of the subnet {@code addr} belongs to (host bits all ones); prefixLen 31/32 have none. */
    public static boolean isSubnetBroadcast(int addr, int prefixLen) {
        return prefixLen < 31 && (addr | prefixMask(prefixLen)) == BROADCAST;
    }

    /** Netmask for a prefix length 0–32 (0 → 0, 24 → 0xFFFFFF00). */
    public static int prefixMask(int prefixLen) {
        if (prefixLen < 0 || prefixLen > 32) throw new IllegalArgumentException("prefix length " + prefixLen);
        return prefixLen == 0 ? 0 : -1 << (32 - prefixLen);
    }

    /** Prefix length of a contiguous netmask, or -1 if the mask has holes. */
    public static int prefixLength(int mask) {
        int len = Integer.bitCount(mask);
        return (len == 0 ? mask == 0 : mask == -1 << (32 - len)) ? len : -1;
    }

    /** addr lies in net/prefixLen. */
    public static boolean inPrefix(int addr, int net, int prefixLen) {
        int m = prefixMask(prefixLen);
        return (addr & m) == (net & m);
    }
}
