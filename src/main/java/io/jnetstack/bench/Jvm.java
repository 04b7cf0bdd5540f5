package io.jnetstack.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The JVM's own meters: process CPU time, this thread's allocation, heap in use after GC. */
final class Jvm {
    private Jvm() {}

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    /** CPU time of the whole process (user + system, every thread, the JIT and GC included). */
    static long processCpuNanos() { return OS.getProcessCpuTime(); }

    /** Bytes the calling thread has allocated since it started (TLAB-accurate). */
    static long threadAllocatedBytes() { return THREADS.getCurrentThreadAllocatedBytes(); }

    /** Heap in use after full collections, taken until it stops shrinking. */
    static long heapUsedAfterGc() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (used >= last - 4096) return Math.min(used, last);
            last = used;
        }
        return last;
    }
}
