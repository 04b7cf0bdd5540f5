package io.jnetstack.ipv4;

import java.lang.foreign.MemorySegment;

/**
 * icmp_send as the IPv4 layer and transports reach it: report a problem with a received packet
 * back to its sender. Implemented by the ICMP module, which applies RFC 1122 §3.2.2's "never about"
 * rules and Linux's rate limits.
 */
public interface IcmpSender {
    /**
     * @param offending the offending IP packet from its header on (borrowed for the call)
     * @param routeType how its destination matched (Route.RTN_LOCAL, RTN_BROADCAST...): no errors
     *     about broadcasts or multicasts
     * @param info the next-hop MTU for fragmentation needed, else 0
     */
    void send(MemorySegment offending, int routeType, int type, int code, int info);
}
