package io.jnetstack.socket;

/**
 * Where splice(2) puts what a socket's splice_read takes from its receive queue: a pipe's free
 * room. Bytes go straight from the protocol's queue into the sink, never through a user buffer.
 */
public interface SpliceSink {
    /** How many bytes fit now. */
    int space();

    /** Takes {@code n} bytes of {@code src} from {@code off} (n ≤ {@link #space()}). */
    void put(byte[] src, int off, int n);
}
