package io.jnetstack.wire;

/**
 * A validated IPv4 header without options (RFC 791). {@code fragOffset} is in bytes.
 * {@link #emit} writes a 20-byte header; options, when a caller needs them, are written
 * through {@link Ipv4Header} directly.
 *
 * @param payloadLen Total Length minus the header length
 * @param tos        the DSCP/ECN byte
 */
public record Ipv4Repr(int src, int dst, int protocol, int payloadLen, int ttl, int tos, int id,
                       boolean df, boolean mf, int fragOffset) {

    /** Linux's default TTL (net.ipv4.ip_default_ttl). */
    public static final int DEFAULT_TTL = 64;

    /** An unfragmented datagram with DF set, TTL 64, TOS 0, as Linux sends with PMTU discovery on. */
    public static Ipv4Repr of(int src, int dst, int protocol, int payloadLen) {
        return new Ipv4Repr(src, dst, protocol, payloadLen, DEFAULT_TTL, 0, 0, true, false, 0);
    }

    /**
     * Validates the header with {@link Ipv4Header#check(boolean)} and reads it.
     *
     * @throws WireException with the first problem found; never anything else
     */
    public static Ipv4Repr parse(Ipv4Header h, boolean verifyChecksum) {
        WireError e = h.check(verifyChecksum);
        if (e != null) throw new WireException(e);
        return new Ipv4Repr(h.src(), h.dst(), h.protocol(), h.payloadLen(), h.ttl(), h.tos(), h.id(),
                h.dontFrag(), h.moreFrags(), h.fragOffset());
    }

    /** Bytes {@link #emit} writes. */
    public int bufferLen() { return Ipv4Header.MIN_LEN; }

    /** Total Length this header will carry. */
    public int totalLen() { return Ipv4Header.MIN_LEN + payloadLen; }

    /** Writes the 20-byte header, checksum included, into the start of the wrapped segment. */
    public void emit(Ipv4Header h) {
        if (totalLen() > Ipv4Header.MAX_TOTAL_LEN) throw new IllegalArgumentException("IPv4 total length " + totalLen());
        h.headerLen(Ipv4Header.MIN_LEN).tos(tos).totalLen(totalLen()).id(id)
         .fragWord((df ? Ipv4Header.FLAG_DF : 0) | (mf ? Ipv4Header.FLAG_MF : 0) | (fragOffset >>> 3 & Ipv4Header.FRAG_OFFSET_MASK))
         .ttl(ttl).protocol(protocol).src(src).dst(dst).computeChecksum();
    }

    @Override public String toString() {
        return "Ipv4Repr[" + Ipv4Address.format(src) + " > " + Ipv4Address.format(dst) + " proto " + protocol
                + " payloadLen " + payloadLen + " ttl " + ttl + " tos " + tos + " id " + id + (df ? " DF" : "")
                + (mf ? " MF" : "") + " off " + fragOffset + "]";
    }
}
