package io.jnetstack.ipv4;

import java.lang.foreign.MemorySegment;

/**
 * The last slice cut from a segment, kept for the next packet. {@link MemorySegment#asSlice} builds
 * a new 40-byte view each call, and the view escapes through the device and protocol interfaces, so
 * the JIT cannot elide it; per-packet code asks for the same (base, offset, length) again and again
 * (full-sized segments built in the same transmit buffer), so reusing the last view makes that path
 * allocation-free. Safe because a view is immutable and receivers only borrow it for the call (they
 * copy what they keep).
 */
final class SliceCache {
    private MemorySegment base, slice;
    private long offset, length;

    /** {@code seg.asSlice(off, len)}, or {@code seg} itself when the slice is all of it. */
    MemorySegment slice(MemorySegment seg, long off, long len) {
        if (off == 0 && len == seg.byteSize()) return seg;
        if (seg == base && off == offset && len == length) return slice;
        base = seg;
        offset = off;
        length = len;
        return slice = seg.asSlice(off, len);
    }
}
