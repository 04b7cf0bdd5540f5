package io.jnetstack.stack;

import java.lang.reflect.Array;

/**
 * Growing the rings of parallel arrays that per-connection queues keep (send log, send-queue
 * skbs, zerocopy and timestamp notifications): the live elements, oldest first from {@code head},
 * copied to the start of a new array of capacity {@code cap}. Rings grow by doubling and are then
 * reused, so this runs rarely and never per packet in steady state.
 */
public final class Rings {
    private Rings() {}

    /** For any primitive array type ({@code int[]}, {@code long[]}, {@code boolean[]}, ...). */
    public static <A> A unroll(A ring, int head, int n, int cap) {
        @SuppressWarnings("unchecked")
        A b = (A) Array.newInstance(ring.getClass().getComponentType(), cap);
        int first = Math.min(n, Array.getLength(ring) - head);
        System.arraycopy(ring, head, b, 0, first);
        System.arraycopy(ring, 0, b, first, n - first);
        return b;
    }
}
