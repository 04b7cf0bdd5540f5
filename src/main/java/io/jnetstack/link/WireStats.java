package io.jnetstack.link;

/**
 * What happened to the frames sent in one direction of a {@link Wire} (netem's qdisc statistics,
 * plus what it did to them). Plain counters, written only by the thread owning the scheduler.
 *
 * <p>Accounting: every frame handed to transmit is {@code sent}; a duplicate adds one copy. Each
 * copy is then exactly one of {@code lost}, {@code queueDropped} or (eventually) {@code delivered},
 * or still in flight, or {@code undeliverable} (the far end was not open); {@code oversize} frames
 * are refused before any of that.
 */
public final class WireStats {
    public long sent, bytesSent;
    public long delivered, bytesDelivered;
    public long lost, duplicated, reordered, corrupted, queueDropped, oversize, undeliverable;

    @Override public String toString() {
        return "sent " + sent + " (" + bytesSent + " bytes) delivered " + delivered + " (" + bytesDelivered
                + " bytes) lost " + lost + " duplicated " + duplicated + " reordered " + reordered
                + " corrupted " + corrupted + " queue-dropped " + queueDropped + " oversize " + oversize
                + " undeliverable " + undeliverable;
    }
}
