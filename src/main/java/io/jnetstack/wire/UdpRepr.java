package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A validated UDP datagram (RFC 768). {@code payload} is a slice of the parsed buffer,
 * or the data to send when emitting.
 */
public record UdpRepr(int srcPort, int dstPort, MemorySegment payload) {

    /** Largest payload the 16-bit Length field allows. */
    public static final int MAX_PAYLOAD = 0xFFFF - UdpHeader.LEN;

    public UdpRepr {
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Validates with {@link UdpHeader#check} and reads the datagram.
     *
     * @throws WireException TRUNCATED, BAD_LENGTH or BAD_CHECKSUM; never anything else
     */
    public static UdpRepr parse(UdpHeader h, int src, int dst, boolean verifyChecksum) {
        WireError e = h.check(src, dst, verifyChecksum);
        if (e != null) throw new WireException(e);
        return new UdpRepr(h.srcPort(), h.dstPort(), h.payload());
    }

    public int bufferLen() { return UdpHeader.LEN + (int) payload.byteSize(); }

    /** Writes header and payload (skipping the copy if already in place), then the checksum. */
    public void emit(UdpHeader h, int src, int dst) {
        h.srcPort(srcPort).dstPort(dstPort).length(bufferLen());
        TcpRepr.copyPayload(payload, h.segment(), UdpHeader.LEN);
        h.computeChecksum(src, dst);
    }

    @Override public boolean equals(Object x) {
        return x instanceof UdpRepr o && srcPort == o.srcPort && dstPort == o.dstPort
                && payload.byteSize() == o.payload.byteSize() && payload.mismatch(o.payload) < 0;
    }

    @Override public int hashCode() { return Objects.hash(srcPort, dstPort, payload.byteSize()); }

    @Override public String toString() { return "UdpRepr[" + srcPort + " > " + dstPort + " len " + payload.byteSize() + "]"; }
}
