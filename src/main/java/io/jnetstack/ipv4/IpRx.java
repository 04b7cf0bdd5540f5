package io.jnetstack.ipv4;

/**
 * What the IPv4 layer tells a transport about a received packet, besides its payload: the fields
 * of the IP header that transports use. One instance per stack is reused for every packet, so a
 * handler must copy what it keeps.
 */
public final class IpRx {
    public int saddr, daddr, protocol, tos, ttl, ifindex;
    /** The IP header's total length and header length, and the frame that holds it (for ICMP quotes). */
    public int totLen, ihl;
    public java.lang.foreign.MemorySegment packet;
    /** RTN_LOCAL, RTN_BROADCAST or RTN_MULTICAST: how the destination matched. */
    public int routeType;
    /**
     * skb->ip_summed as the device delivered it ({@link io.jnetstack.link.ChecksumOffload}): when
     * {@link #csumUnnecessary()}, the transport checksum was verified or never left memory, and a
     * partial one may still sit in the field.
     */
    public int ipSummed;

    /** skb_csum_unnecessary: the transport may skip verifying its checksum. */
    public boolean csumUnnecessary() { return io.jnetstack.link.ChecksumOffload.unnecessary(ipSummed); }
}
