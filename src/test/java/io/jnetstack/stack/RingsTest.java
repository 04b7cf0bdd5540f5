package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RingsTest {
    @Property void unrollReadsTheRingOldestFirst(@ForAll @IntRange(min = 1, max = 64) int len,
                                                 @ForAll @IntRange(min = 0, max = 63) int head,
                                                 @ForAll @IntRange(min = 0, max = 64) int n) {
        head %= len;
        n = Math.min(n, len);
        int[] a = new int[len];
        for (int i = 0; i < n; i++) a[(head + i) % len] = 1000 + i;
        int[] b = Rings.unroll(a, head, n, len * 2);
        assertEquals(len * 2, b.length);
        for (int i = 0; i < n; i++) assertEquals(1000 + i, b[i]);
        long[] la = new long[len];
        for (int i = 0; i < n; i++) la[(head + i) % len] = 7L * i;
        long[] lb = Rings.unroll(la, head, n, len * 2);
        for (int i = 0; i < n; i++) assertEquals(7L * i, lb[i]);
    }
}
