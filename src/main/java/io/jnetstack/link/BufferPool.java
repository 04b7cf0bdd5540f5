package io.jnetstack.link;

import java.util.ArrayDeque;

/**
 * Free lists of {@link PacketBuffer}s in power-of-two size classes from 256 bytes to 128 KiB: a
 * 60-byte ACK does not pin a 64 KiB buffer, and a TSO segment still fits. Buffers are allocated on
 * first need and then recycled forever, so a device in steady state allocates nothing per packet.
 *
 * <p>Not thread-safe: a pool belongs to one device and is used only by the thread owning the
 * scheduler.
 */
final class BufferPool {
    static final int MIN_SHIFT = 8, MAX_SHIFT = 17;
    /** The largest frame a pool holds: a 64 KiB GSO segment plus any link header, with room to spare. */
    static final int MAX_FRAME = 1 << MAX_SHIFT;

    /** gso_max_size: the largest segment a device that offloads segmentation accepts. */
    static final int GSO_MAX_SIZE = 65536;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<PacketBuffer>[] free = new ArrayDeque[MAX_SHIFT - MIN_SHIFT + 1];
    private int allocated;

    BufferPool() {
        for (int i = 0; i < free.length; i++) free[i] = new ArrayDeque<>();
    }

    /** A buffer of at least {@code length} bytes, or null when {@code length} exceeds {@link #MAX_FRAME}. */
    PacketBuffer acquire(int length) {
        if (length > MAX_FRAME) return null;
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(length, 1) - 1));
        int cls = shift - MIN_SHIFT;
        PacketBuffer b = free[cls].poll();
        if (b == null) {
            b = new PacketBuffer(1 << shift, cls);
            allocated++;
        }
        return b;
    }

    void release(PacketBuffer b) {
        b.length = 0;
        free[b.sizeClass].push(b); // LIFO: the buffer most likely still in cache goes out next
    }

    /** Buffers ever allocated (for tests: stays flat in steady state). */
    int allocated() { return allocated; }
}
