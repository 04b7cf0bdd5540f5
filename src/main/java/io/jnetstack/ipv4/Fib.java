package io.jnetstack.ipv4;

import io.jnetstack.link.NetDevice;
import io.jnetstack.socket.SockAddr;
import java.util.Arrays;

/**
 * The main routing table (fib_table "main"): prefixes with a device and an optional gateway,
 * looked up by longest prefix match (RFC 1812 §5.2.4.3). Local addresses live in {@link Ipv4}'s
 * local table, consulted first, as Linux consults its "local" table before "main".
 *
 * <p>Entries are kept sorted by prefix length, longest first, so the first match is the longest;
 * among equal prefixes the one added first wins (a later duplicate is refused, as
 * {@code ip route add} answers EEXIST). Tables here hold tens of routes, so a scan is the honest
 * data structure; a lookup allocates nothing.
 */
public final class Fib {
    /** One route: {@code dst/prefixLen via gateway dev dev src prefSrc}. */
    public static final class Entry {
        public final int dst, prefixLen, mask, gateway, prefSrc;
        public final NetDevice dev;

        Entry(int dst, int prefixLen, int gateway, NetDevice dev, int prefSrc) {
            this.mask = mask(prefixLen);
            this.dst = dst & mask;
            this.prefixLen = prefixLen;
            this.gateway = gateway;
            this.dev = dev;
            this.prefSrc = prefSrc;
        }

        public boolean matches(int addr) { return (addr & mask) == dst; }

        @Override public String toString() {
            return (prefixLen == 0 ? "default" : SockAddr.ipString(dst) + "/" + prefixLen)
                    + (gateway != 0 ? " via " + SockAddr.ipString(gateway) : "") + " dev " + dev.name()
                    + (prefSrc != 0 ? " src " + SockAddr.ipString(prefSrc) : "");
        }
    }

    private Entry[] entries = new Entry[8];
    private int size;

    public static int mask(int prefixLen) { return prefixLen == 0 ? 0 : -1 << (32 - prefixLen); }

    /** fib_table_insert: returns 0, -EINVAL for a bad prefix length, -EEXIST for a duplicate. */
    public int add(int dst, int prefixLen, int gateway, NetDevice dev, int prefSrc) {
        if (prefixLen < 0 || prefixLen > 32 || dev == null) return -io.jnetstack.uapi.Errno.EINVAL;
        Entry e = new Entry(dst, prefixLen, gateway, dev, prefSrc);
        int at = size;
        for (int i = 0; i < size; i++) {
            Entry x = entries[i];
            if (x.prefixLen == e.prefixLen && x.dst == e.dst) return -io.jnetstack.uapi.Errno.EEXIST;
            if (x.prefixLen < e.prefixLen) { at = i; break; }
        }
        if (size == entries.length) entries = Arrays.copyOf(entries, size * 2);
        System.arraycopy(entries, at, entries, at + 1, size - at);
        entries[at] = e;
        size++;
        return 0;
    }

    /** fib_table_delete; returns 0 or -ESRCH. */
    public int remove(int dst, int prefixLen) {
        int m = mask(prefixLen);
        for (int i = 0; i < size; i++) {
            Entry x = entries[i];
            if (x.prefixLen == prefixLen && x.dst == (dst & m)) {
                System.arraycopy(entries, i + 1, entries, i, size - i - 1);
                entries[--size] = null;
                return 0;
            }
        }
        return -io.jnetstack.uapi.Errno.ESRCH;
    }

    /** fib_table_lookup: the longest prefix containing {@code daddr}, restricted to {@code dev} if non-null. */
    public Entry lookup(int daddr, NetDevice dev) {
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (e.matches(daddr) && (dev == null || e.dev == dev)) return e;
        }
        return null;
    }

    public int size() { return size; }

    public Entry get(int i) { return entries[i]; }

    /** As {@code ip route show} would list the table. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) sb.append(entries[i]).append('\n');
        return sb.toString();
    }
}
