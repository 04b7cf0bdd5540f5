package io.jnetstack.neighbour;

/**
 * ARP message counters, the stack's counter group "Arp". Linux keeps none for ARP itself (only the
 * neighbour table's {@link NeighStat}); these are jnetstack's, for tests and for people watching a
 * stack resolve addresses. Drops name their reason.
 */
public enum ArpMib {
    InRequests, InReplies, OutRequests, OutReplies, OutGratuitous,
    /** Not an IPv4-over-Ethernet ARP packet, truncated, or an operation other than request/reply. */
    InMalformed,
    /** Sender or target address that cannot be a host (multicast, loopback, our own MAC). */
    InMartians
}
