package io.jnetstack.wire;

import org.junit.jupiter.api.Test;

import static io.jnetstack.wire.SeqNum.*;
import static org.junit.jupiter.api.Assertions.*;

class SeqNumTest {
    @Test void comparesAcrossWrap() {
        int a = 0xFFFF_FFF0, b = 0x10;                   // b is 32 after a
        assertTrue(lt(a, b));
        assertTrue(le(a, b));
        assertTrue(gt(b, a));
        assertTrue(ge(b, a));
        assertTrue(le(a, a) && ge(a, a) && !lt(a, a) && !gt(a, a));
        assertEquals(32, diff(b, a));
        assertEquals(-32, diff(a, b));
        assertEquals(b, max(a, b));
        assertEquals(a, min(a, b));
        assertEquals("4294967280", SeqNum.toString(a));
    }

    @Test void windows() {
        int start = 0xFFFF_FF00;
        assertTrue(inWindow(start, start, 1));
        assertFalse(inWindow(start, start, 0));
        assertTrue(inWindow(0x10, start, 0x200));       // across the wrap
        assertFalse(inWindow(start + 0x200, start, 0x200));
        assertFalse(inWindow(start - 1, start, 0x200));
        assertTrue(between(start, start, start));
        assertTrue(between(0x10, start, 0x20));
        assertTrue(between(0x20, start, 0x20));
        assertFalse(between(0x21, start, 0x20));
    }
}
