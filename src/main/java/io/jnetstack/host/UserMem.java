package io.jnetstack.host;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The "user memory" of one host call: Java arrays copied into native memory for the call and back
 * afterwards, following {@link io.jnetstack.syscall.Syscalls}' model. A null array is a NULL
 * pointer; an array shorter than the length the kernel is told lives at the very end of a
 * read-write mapping followed by a PROT_NONE page, so the kernel faults (EFAULT) exactly where a
 * real short buffer would end. One instance per call, confined to the calling thread.
 */
final class UserMem implements AutoCloseable {
    static final long PAGE = 4096;

    final Arena arena = Arena.ofConfined();
    final MemorySegment state = Libc.state(arena);
    private final List<long[]> maps = new ArrayList<>(1);

    /**
     * A region of {@code have} bytes that the call will be told is {@code need} bytes long (need is
     * unsigned: a negative int length sign-extended to size_t is huge). Zero-filled.
     */
    MemorySegment region(long have, long need) {
        if (Long.compareUnsigned(have, need) >= 0) {
            return arena.allocate(Math.max(have, 1), 16).asSlice(0, have);
        }
        long dataPages = (have + PAGE - 1) / PAGE;
        long size = (dataPages + 1) * PAGE;
        MemorySegment base;
        try {
            base = (MemorySegment) Libc.MMAP.invokeExact(state, MemorySegment.NULL, size,
                    Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (base.address() == -1L || base.address() == 0L) throw new IllegalStateException("mmap failed: errno " + Libc.errno(state));
        maps.add(new long[] {base.address(), size});
        MemorySegment all = base.reinterpret(size);
        long guard = dataPages * PAGE;
        int rc;
        try {
            rc = (int) Libc.MPROTECT.invokeExact(state, all.asSlice(guard), PAGE, Libc.PROT_NONE);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (rc != 0) throw new IllegalStateException("mprotect failed: errno " + Libc.errno(state));
        return all.asSlice(guard - have, have);
    }

    /** Bytes in: NULL for null, else a copy of the array in a region told to be {@code need} long. */
    MemorySegment in(byte[] a, long need) {
        if (a == null) return MemorySegment.NULL;
        MemorySegment s = region(a.length, need);
        MemorySegment.copy(a, 0, s, JAVA_BYTE, 0, a.length);
        return s;
    }

    /** ints in (socklen_t *, int sv[2], int *arg): NULL for null. */
    MemorySegment ints(int[] a, long needInts) {
        if (a == null) return MemorySegment.NULL;
        MemorySegment s = region(a.length * 4L, needInts * 4L);
        MemorySegment.copy(a, 0, s, JAVA_INT, 0, a.length);
        return s;
    }

    /** loff_t in (splice's offsets): NULL for null. */
    MemorySegment longs(long[] a) {
        if (a == null) return MemorySegment.NULL;
        MemorySegment s = region(a.length * 8L, 8);
        MemorySegment.copy(a, 0, s, JAVA_LONG, 0, a.length);
        return s;
    }

    static void out(MemorySegment s, long[] a) {
        if (a == null || s.address() == 0) return;
        MemorySegment.copy(s, JAVA_LONG, 0, a, 0, (int) Math.min(a.length, s.byteSize() / 8));
    }

    static void out(MemorySegment s, byte[] a) {
        if (a == null || s.address() == 0) return;
        MemorySegment.copy(s, JAVA_BYTE, 0, a, 0, (int) Math.min(a.length, s.byteSize()));
    }

    static void out(MemorySegment s, int[] a) {
        if (a == null || s.address() == 0) return;
        MemorySegment.copy(s, JAVA_INT, 0, a, 0, (int) Math.min(a.length, s.byteSize() / 4));
    }

    int errno() { return Libc.errno(state); }

    @Override
    public void close() {
        for (long[] m : maps) {
            try {
                int unused = (int) Libc.MUNMAP.invokeExact(state, MemorySegment.ofAddress(m[0]), m[1]);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        arena.close();
    }
}
