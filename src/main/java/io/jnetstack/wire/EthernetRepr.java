package io.jnetstack.wire;

/** An Ethernet II header: destination, source, EtherType. The payload is the caller's. */
public record EthernetRepr(long dst, long src, int etherType) {

    /** @throws WireException TRUNCATED if shorter than 14 bytes; never anything else */
    public static EthernetRepr parse(EthernetFrame f) {
        if (!f.checkLen()) throw new WireException(WireError.TRUNCATED);
        return new EthernetRepr(f.dst(), f.src(), f.etherType());
    }

    public int bufferLen() { return EthernetFrame.HEADER_LEN; }

    public void emit(EthernetFrame f) { f.dst(dst).src(src).etherType(etherType); }

    @Override public String toString() {
        return "EthernetRepr[" + MacAddress.format(src) + " > " + MacAddress.format(dst) + " type 0x" + Integer.toHexString(etherType) + "]";
    }
}
