package io.jnetstack.ipv4;

import java.lang.foreign.MemorySegment;

/**
 * raw_local_deliver: before a packet reaches its transport, raw sockets of its protocol get a copy
 * of the whole IP packet. Installed by the raw module.
 */
public interface RawDeliver {
    /** Returns true when at least one raw socket took a copy (then no "protocol unreachable"). */
    boolean deliver(IpRx ip, MemorySegment packet);

    /** raw_icmp_error: an ICMP error quoting a packet of {@code protocol}; default ignores it. */
    default void error(int protocol, int icmpType, int icmpCode, int info, int quotedSaddr, int quotedDaddr,
                       MemorySegment icmpPacket) {}
}
