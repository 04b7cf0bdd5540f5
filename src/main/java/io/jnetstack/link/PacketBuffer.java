package io.jnetstack.link;

import java.lang.foreign.MemorySegment;

/**
 * A pooled frame held by a device between transmit and delivery (the part of an sk_buff a link
 * needs: the bytes, their length and when they are due). Devices copy a borrowed frame into one of
 * these, keep it while queued or in flight, and give it back to its {@link BufferPool}.
 *
 * <p>{@link #frame()} returns a view of exactly the frame's length. Building a slice allocates a
 * small object, so the last view is kept and reused while the length repeats, which it does for
 * bulk traffic (full-sized segments): steady state allocates nothing.
 */
final class PacketBuffer {
    final byte[] bytes;
    final MemorySegment whole;
    final int sizeClass;
    int length;
    /** The frame's {@link ChecksumOffload ip_summed}, kept with it from transmit to delivery. */
    int ipSummed;
    /** Delivery time and tie-break order while in a {@link FlightHeap}. */
    long due, seq;
    private MemorySegment view;

    PacketBuffer(int capacity, int sizeClass) {
        this.bytes = new byte[capacity];
        this.whole = MemorySegment.ofArray(bytes);
        this.sizeClass = sizeClass;
    }

    int capacity() { return bytes.length; }

    /** Copies {@code src} in; the buffer must be large enough (the pool chose it for this length). */
    void fill(MemorySegment src) {
        int n = (int) src.byteSize();
        MemorySegment.copy(src, 0, whole, 0, n);
        length = n;
    }

    /** The frame, exactly {@link #length} bytes long. Valid until the buffer is released. */
    MemorySegment frame() {
        MemorySegment v = view;
        if (v == null || v.byteSize() != length) view = v = whole.asSlice(0, length);
        return v;
    }
}
