package io.jnetstack.wire;

/**
 * A validated IPv4-over-Ethernet ARP packet (RFC 826). Operations other than request and
 * reply parse too; the neighbour layer ignores them as Linux does.
 */
public record ArpRepr(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {

    public static ArpRepr request(long senderMac, int senderIp, int targetIp) {
        return new ArpRepr(ArpPacket.OP_REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    public static ArpRepr reply(long senderMac, int senderIp, long targetMac, int targetIp) {
        return new ArpRepr(ArpPacket.OP_REPLY, senderMac, senderIp, targetMac, targetIp);
    }

    /**
     * @throws WireException TRUNCATED under 28 bytes, UNSUPPORTED unless htype 1 / ptype 0x0800 /
     *         hlen 6 / plen 4; never anything else
     */
    public static ArpRepr parse(ArpPacket p) {
        if (p.segment().byteSize() < ArpPacket.PLEN + 1) throw new WireException(WireError.TRUNCATED);
        if (p.htype() != ArpPacket.HTYPE_ETHERNET || p.ptype() != EthernetFrame.ETHERTYPE_IPV4
                || p.hlen() != MacAddress.LEN || p.plen() != 4) throw new WireException(WireError.UNSUPPORTED);
        if (!p.checkLen()) throw new WireException(WireError.TRUNCATED);
        return new ArpRepr(p.operation(), p.senderMac(), p.senderIp(), p.targetMac(), p.targetIp());
    }

    public int bufferLen() { return ArpPacket.LEN; }

    public void emit(ArpPacket p) {
        p.htype(ArpPacket.HTYPE_ETHERNET).ptype(EthernetFrame.ETHERTYPE_IPV4).hlen(MacAddress.LEN).plen(4)
         .operation(operation).senderMac(senderMac).senderIp(senderIp).targetMac(targetMac).targetIp(targetIp);
    }

    @Override public String toString() {
        return "ArpRepr[op " + operation + " " + MacAddress.format(senderMac) + "/" + Ipv4Address.format(senderIp)
                + " > " + MacAddress.format(targetMac) + "/" + Ipv4Address.format(targetIp) + "]";
    }
}
