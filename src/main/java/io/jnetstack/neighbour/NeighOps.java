package io.jnetstack.neighbour;

import java.lang.foreign.MemorySegment;

/**
 * struct neigh_ops: what the generic {@link NeighTable} asks of the address-resolution protocol
 * (ARP here; NDP would be the second).
 */
interface NeighOps {
    /** arp_solicit: send a request for {@code n}; unicast to its known address when {@code unicast}. */
    void solicit(Neigh n, boolean unicast);

    /** arp_error_report: resolution failed for a queued packet (an IPv4 packet from its header on). */
    void errorReport(Neigh n, MemorySegment ipPacket);

    /** neigh_hh_output: frames {@code ipPacket} for {@code n.lladdr} and transmits it; 0 or -errno. */
    int transmit(Neigh n, MemorySegment ipPacket);
}
