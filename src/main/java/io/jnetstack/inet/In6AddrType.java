package io.jnetstack.inet;

/**
 * ipv6_addr_type / __ipv6_addr_needs_scope_id (net/ipv6/addrconf_core.c) for a sockaddr_in6's
 * address bytes (offset 8): enough classification for the errno order of bind and connect, which
 * must match Linux even before an IPv6 data path exists (RFC 4291 §2.4 address types, §2.7
 * multicast scopes).
 */
public final class In6AddrType {
    private In6AddrType() {}

    /** The IPV6_ADDR_* bits the socket layer looks at. */
    public static final int ANY = 0x0000, UNICAST = 0x0001, MULTICAST = 0x0002, LOOPBACK = 0x0010,
            LINKLOCAL = 0x0020, SITELOCAL = 0x0040, MAPPED = 0x1000;

    /** Multicast scopes (RFC 4291 §2.7). */
    private static final int SCOPE_NODELOCAL = 0x1, SCOPE_LINKLOCAL = 0x2;

    /** ipv6_addr_type of the 16 address bytes at {@code a[off..off+16)}. */
    public static int of(byte[] a, int off) {
        int b0 = a[off] & 0xFF, b1 = a[off + 1] & 0xFF;
        if (b0 == 0xFF) {
            int scope = b1 & 0x0F;
            int t = MULTICAST;
            if (scope == SCOPE_NODELOCAL) t |= LOOPBACK;
            else if (scope == SCOPE_LINKLOCAL) t |= LINKLOCAL;
            return t;
        }
        if (b0 == 0xFE && (b1 & 0xC0) == 0x80) return LINKLOCAL | UNICAST;
        if (b0 == 0xFE && (b1 & 0xC0) == 0xC0) return SITELOCAL | UNICAST;
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) zero10 &= a[off + i] == 0;
        if (zero10 && a[off + 10] == (byte) 0xFF && a[off + 11] == (byte) 0xFF) return MAPPED;
        boolean zero15 = zero10 && a[off + 10] == 0 && a[off + 11] == 0 && a[off + 12] == 0 && a[off + 13] == 0
                && a[off + 14] == 0;
        if (zero15 && a[off + 15] == 0) return ANY;
        if (zero15 && a[off + 15] == 1) return LOOPBACK | UNICAST;
        return UNICAST;
    }

    /**
     * __ipv6_addr_needs_scope_id: link-local unicast and interface- or link-local multicast only
     * mean something together with an interface (RFC 4007 §6).
     */
    public static boolean needsScopeId(int type) {
        return (type & LINKLOCAL) != 0 || (type & MULTICAST) != 0 && (type & LOOPBACK) != 0;
    }
}
