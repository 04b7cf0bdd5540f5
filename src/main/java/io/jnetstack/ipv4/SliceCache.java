package io.jnetstack.ipv4;

import java.lang.foreign.MemorySegment;

/**
 * Recently cut slices, kept for the next packet. {@link MemorySegment#asSlice} builds a new 40-byte
 * view each call, and the view escapes through the device and protocol interfaces, so the JIT cannot
 * elide it; per-packet code asks for the same (base, offset, length) again and again — full-sized
 * segments built in one transmit buffer, frames arriving in the same few pooled device buffers — so
 * reusing views makes that path allocation-free.
 *
 * <p>Direct-mapped by the base segment's identity, offset and length: one entry per slot, so the
 * few buffers a device keeps in flight, and the few lengths one buffer is cut to (full segments,
 * bare ACKs), each find their own view. Safe because a view is immutable and receivers only
 * borrow it for the call (they copy what they keep). The cache holds at most {@link #SLOTS} bases;
 * with pooled device buffers those live anyway.
 */
final class SliceCache {
    static final int SLOTS = 64;
    private final MemorySegment[] base = new MemorySegment[SLOTS], slice = new MemorySegment[SLOTS];
    private final long[] offset = new long[SLOTS], length = new long[SLOTS];

    /** {@code seg.asSlice(off, len)}, or {@code seg} itself when the slice is all of it. */
    MemorySegment slice(MemorySegment seg, long off, long len) {
        if (off == 0 && len == seg.byteSize()) return seg;
        int h = System.identityHashCode(seg) ^ (int) off * 0x85EBCA6B ^ (int) len * 0x9E3779B1;
        int i = (h ^ h >>> 16) & (SLOTS - 1);
        if (base[i] == seg && offset[i] == off && length[i] == len) return slice[i];
        base[i] = seg;
        offset[i] = off;
        length[i] = len;
        return slice[i] = seg.asSlice(off, len);
    }
}
