package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static io.jnetstack.wire.IcmpHeader.*;

/**
 * A validated ICMPv4 message (RFC 792): type, code, the 32-bit rest-of-header word and the data.
 * Flat rather than one record per type: the meaning of {@code rest} follows from the type
 * (see the accessors), and unknown types pass through for raw sockets.
 *
 * @param payload echo data, or for errors the quoted IP header + at least 8 bytes of its data
 */
public record IcmpRepr(int type, int code, int rest, MemorySegment payload) {

    public IcmpRepr {
        Objects.requireNonNull(payload, "payload");
    }

    public static IcmpRepr echoRequest(int id, int seq, MemorySegment data) {
        return new IcmpRepr(ECHO_REQUEST, 0, (id & 0xFFFF) << 16 | (seq & 0xFFFF), data);
    }

    public static IcmpRepr echoReply(int id, int seq, MemorySegment data) {
        return new IcmpRepr(ECHO_REPLY, 0, (id & 0xFFFF) << 16 | (seq & 0xFFFF), data);
    }

    /** Destination Unreachable; {@code mtu} only for {@link IcmpHeader#FRAG_NEEDED}, else 0. */
    public static IcmpRepr destUnreachable(int code, int mtu, MemorySegment quoted) {
        return new IcmpRepr(DEST_UNREACH, code, code == FRAG_NEEDED ? mtu & 0xFFFF : 0, quoted);
    }

    public static IcmpRepr timeExceeded(int code, MemorySegment quoted) {
        return new IcmpRepr(TIME_EXCEEDED, code, 0, quoted);
    }

    public static IcmpRepr parameterProblem(int pointer, MemorySegment quoted) {
        return new IcmpRepr(PARAMETER_PROB, 0, (pointer & 0xFF) << 24, quoted);
    }

    /**
     * Validates with {@link IcmpHeader#check} and reads the message.
     *
     * @throws WireException TRUNCATED or BAD_CHECKSUM; never anything else
     */
    public static IcmpRepr parse(IcmpHeader h, boolean verifyChecksum) {
        WireError e = h.check(verifyChecksum);
        if (e != null) throw new WireException(e);
        return new IcmpRepr(h.type(), h.code(), h.rest(), h.payload());
    }

    public int echoId()     { return rest >>> 16; }
    public int echoSeq()    { return rest & 0xFFFF; }
    public int nextHopMtu() { return rest & 0xFFFF; }
    public int pointer()    { return rest >>> 24; }
    public int gateway()    { return rest; }
    public boolean isError() { return IcmpHeader.isError(type); }

    public int bufferLen() { return IcmpHeader.LEN + (int) payload.byteSize(); }

    /** Writes the message into a segment of exactly {@link #bufferLen()} bytes, checksum last. */
    public void emit(IcmpHeader h) {
        h.type(type).code(code).rest(rest);
        TcpRepr.copyPayload(payload, h.segment(), IcmpHeader.DATA);
        h.computeChecksum();
    }

    @Override public boolean equals(Object x) {
        return x instanceof IcmpRepr o && type == o.type && code == o.code && rest == o.rest
                && payload.byteSize() == o.payload.byteSize() && payload.mismatch(o.payload) < 0;
    }

    @Override public int hashCode() { return Objects.hash(type, code, rest, payload.byteSize()); }

    @Override public String toString() {
        return "IcmpRepr[type " + type + " code " + code + " rest 0x" + Integer.toHexString(rest) + " len " + payload.byteSize() + "]";
    }
}
