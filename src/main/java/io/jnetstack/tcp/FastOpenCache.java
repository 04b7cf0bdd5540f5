package io.jnetstack.tcp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Fast Open part of tcp_metrics (tcp_fastopen_cache_get / _set): what a client remembers per
 * server address pair between connections, RFC 7413 §4.1.3's cookie cache. For each (source,
 * destination) pair: the cookie the server gave (and in which option encoding), the server's MSS
 * (which sizes the data the next SYN can carry), whether to try the experimental option encoding
 * next time, and SYN losses seen. {@code ip tcp_metrics flush|delete} empties it.
 *
 * <p>Bounded like Linux's hash of metrics (least recently used entries go first).
 */
final class FastOpenCache {
    /** About what Linux's tcp_metrics hash holds on a small machine before it recycles entries. */
    static final int MAX_ENTRIES = 1024;

    /** struct tcp_fastopen_metrics. */
    static final class Entry {
        final int saddr, daddr;
        int mss;
        final FastOpenCookie cookie = new FastOpenCookie();
        /** 1: ask for a cookie in the experimental encoding next time; 2: that did not work either. */
        int tryExp;
        int synLoss;
        long lastSynLossNs;

        Entry(int saddr, int daddr) {
            this.saddr = saddr;
            this.daddr = daddr;
            cookie.len = 0;                                       // known to have no cookie yet: ask for one
        }
    }

    private final Map<Long, Entry> entries = new LinkedHashMap<Long, Entry>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Long, FastOpenCache.Entry> eldest) { return size() > MAX_ENTRIES; }
    };

    private static long key(int saddr, int daddr) { return (long) saddr << 32 | (daddr & 0xFFFFFFFFL); }

    /** The entry for a pair, or null (tcp_get_metrics without create). */
    Entry get(int saddr, int daddr) { return entries.get(key(saddr, daddr)); }

    /** The entry for a pair, created empty if needed (tcp_get_metrics with create). */
    Entry getOrCreate(int saddr, int daddr) {
        return entries.computeIfAbsent(key(saddr, daddr), k -> new Entry(saddr, daddr));
    }

    /** {@code ip tcp_metrics flush all}. */
    void flush() { entries.clear(); }

    /**
     * {@code ip tcp_metrics flush PREFIX} / {@code delete ADDRESS}: every entry whose destination
     * is in {@code addr/prefixLen}. Returns how many went.
     */
    int flush(int addr, int prefixLen) {
        int mask = prefixLen == 0 ? 0 : -1 << (32 - prefixLen);
        int n = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (((it.next().daddr ^ addr) & mask) == 0) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    int size() { return entries.size(); }
}
