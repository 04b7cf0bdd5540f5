package io.jnetstack.ipv4;

import java.lang.foreign.MemorySegment;

/**
 * struct net_protocol: a transport's receive hooks, registered with {@link Ip#register} under an
 * IP protocol number (inet_add_protocol).
 */
public interface NetProtocol {
    /**
     * The handler (tcp_v4_rcv, udp_rcv, icmp_rcv): the IP payload is {@code pkt[off, off + len)}
     * (the whole packet is borrowed for the call; parse it in place, with flyweights wrapped at
     * {@code off}: cutting a view would allocate per packet). {@code ip} describes the IP header.
     * The transport verifies its own checksum unless {@link IpRx#csumUnnecessary()}.
     */
    void receive(IpRx ip, MemorySegment pkt, int off, int len);

    /**
     * The err_handler (tcp_v4_err, udp_err): an ICMP error arrived that quotes a packet this
     * protocol sent. {@code quotedSaddr/quotedDaddr} are from the quoted IP header (our packet, so
     * saddr is ours); {@code quotedL4} holds at least the first 8 bytes of our transport header.
     * {@code info} is the next-hop MTU for "fragmentation needed".
     */
    void error(int icmpType, int icmpCode, int info, int quotedSaddr, int quotedDaddr, MemorySegment quotedL4);
}
