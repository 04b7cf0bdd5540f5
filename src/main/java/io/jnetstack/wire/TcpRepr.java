package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A validated TCP segment: header fields, parsed options and a payload slice.
 *
 * <p>Flag combinations are not judged here (unlike smoltcp): Linux accepts SYN+FIN in some
 * states and answers others with RST, so the state machine decides. {@code options} is owned
 * by the record and must be treated as read-only; {@code payload} is a slice of the parsed
 * buffer (valid while that buffer is), or the bytes to send when emitting.
 *
 * @param seq     compare with {@link SeqNum} only
 * @param flags   {@link TcpHeader#FIN} … {@link TcpHeader#CWR}
 * @param window  the raw 16-bit field (unscaled)
 * @param urgent  the urgent pointer field
 */
public record TcpRepr(int srcPort, int dstPort, int seq, int ack, int flags, int window, int urgent,
                      TcpOptions options, MemorySegment payload) {

    /** An empty payload for segments without data. */
    public static final MemorySegment NO_PAYLOAD = MemorySegment.ofArray(new byte[0]);

    public TcpRepr {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Checks the segment with {@link TcpHeader#check} (the view must span exactly the IP
     * payload) and reads it; options are parsed Linux-tolerantly and never fail the parse.
     *
     * @param src IPv4 source address for the pseudo-header
     * @param dst IPv4 destination address for the pseudo-header
     * @throws WireException TRUNCATED, BAD_DATA_OFFSET or BAD_CHECKSUM; never anything else
     */
    public static TcpRepr parse(TcpHeader h, int src, int dst, boolean verifyChecksum) {
        WireError e = h.check(src, dst, verifyChecksum);
        if (e != null) throw new WireException(e);
        return new TcpRepr(h.srcPort(), h.dstPort(), h.seq(), h.ack(), h.flags(), h.window(), h.urgentPtr(),
                new TcpOptions().parse(h.options()), h.payload());
    }

    public boolean has(int flag) { return (flags & flag) != 0; }

    /** Sequence space occupied: data plus SYN and FIN (RFC 9293 §3.4). */
    public int seqLen() { return (int) payload.byteSize() + (has(TcpHeader.SYN) ? 1 : 0) + (has(TcpHeader.FIN) ? 1 : 0); }

    public int headerLen() { return TcpHeader.MIN_LEN + options.emitLen(); }

    /** Bytes {@link #emit} writes: header, options and payload. */
    public int bufferLen() { return headerLen() + (int) payload.byteSize(); }

    /**
     * Writes header, options (Linux layout) and payload into the wrapped segment, which must be
     * exactly {@link #bufferLen()} bytes, then the checksum. The payload may already sit in
     * place (same memory): the copy is then skipped.
     */
    public void emit(TcpHeader h, int src, int dst) {
        MemorySegment s = h.segment();
        long at = h.offset();
        int hl = headerLen();
        if (hl > TcpHeader.MAX_LEN) throw new IllegalArgumentException("TCP options exceed 40 bytes: " + options);
        h.srcPort(srcPort).dstPort(dstPort).seq(seq).ack(ack).flags(flags).window(window).urgentPtr(urgent);
        s.set(JAVA_BYTE, at + TcpHeader.DATA_OFF, (byte) (hl << 2));     // data offset, reserved bits 0
        options.emit(s.asSlice(at + TcpHeader.OPTIONS, hl - TcpHeader.OPTIONS));
        copyPayload(payload, s, at + hl);
        h.computeChecksum(src, dst);
    }

    /** Copies {@code payload} into {@code dst} at {@code off} unless it is already there. */
    static void copyPayload(MemorySegment payload, MemorySegment dst, long off) {
        long n = payload.byteSize();
        if (n == 0) return;
        if (payload.isNative() == dst.isNative() && payload.heapBase().equals(dst.heapBase())
                && payload.address() == dst.address() + off) return;
        MemorySegment.copy(payload, 0, dst, off, n);
    }

    /** Value equality with payload compared by content (MemorySegment.equals compares identity). */
    @Override public boolean equals(Object x) {
        return x instanceof TcpRepr o && srcPort == o.srcPort && dstPort == o.dstPort && seq == o.seq && ack == o.ack
                && flags == o.flags && window == o.window && urgent == o.urgent && options.equals(o.options)
                && payload.byteSize() == o.payload.byteSize() && payload.mismatch(o.payload) < 0;
    }

    @Override public int hashCode() {
        return Objects.hash(srcPort, dstPort, seq, ack, flags, window, urgent, options, payload.byteSize());
    }

    @Override public String toString() {
        return "TcpRepr[" + srcPort + " > " + dstPort + " " + TcpHeader.flagsToString(flags) + " seq "
                + SeqNum.toString(seq) + " ack " + SeqNum.toString(ack) + " win " + window
                + (urgent != 0 ? " urg " + urgent : "") + " opts " + options + " len " + payload.byteSize() + "]";
    }
}
