package io.jnetstack.jmh;

import io.jnetstack.wire.Checksum;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** The Internet checksum (RFC 1071) over a 1500-byte packet and a 64 KiB super-packet. */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1) @Measurement(iterations = 5, time = 1) @Fork(1)
@State(Scope.Thread)
public class ChecksumBench {
    @Param({"1500", "65536"}) int size;
    MemorySegment seg;

    @Setup public void setup() {
        byte[] b = new byte[size];
        new SplittableRandom(1).nextBytes(b);
        seg = MemorySegment.ofArray(b);
    }

    @Benchmark public int checksum() { return Checksum.compute(seg, 0, size); }
}
