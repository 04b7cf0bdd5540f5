package io.jnetstack.ipv4;

import java.lang.foreign.MemorySegment;

/**
 * The IPv4 layer as transports use it: route lookup, output, local-address checks and protocol
 * registration. Implemented by {@link Ipv4}.
 */
public interface Ip {
    /** Bytes a transport must leave free in front of its header for IP and link headers. */
    int HEADROOM = 64;

    /**
     * ip_route_output: a route to {@code daddr}, preferring source {@code saddr} (0 = choose) and
     * device {@code oif} (0 = any). Returns null when there is none (the caller answers
     * ENETUNREACH). The returned object may be reused by the next lookup: copy what you keep.
     */
    Route route(int daddr, int saddr, int oif);

    /**
     * ip_queue_xmit / ip_build_and_send_pkt: prepends an IPv4 header to the transport segment at
     * {@code buf[l4Off, l4Off + l4Len)} (at least {@link #HEADROOM} bytes must be free before it)
     * and sends it, fragmenting when allowed and needed. {@code ipSummed} says what the transport
     * checksum is ({@link io.jnetstack.link.ChecksumOffload}): complete (CHECKSUM_NONE), or only
     * the pseudo-header sum (CHECKSUM_PARTIAL), which this layer or the device finishes if the frame
     * is ever to be seen or fragmented. {@code buf} stays the caller's. Returns 0 or -errno
     * (EMSGSIZE when DF and too big for a datagram socket, ENETUNREACH, ENOBUFS).
     */
    int output(Route rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df,
               MemorySegment buf, long l4Off, int l4Len, int ipSummed);

    /** {@link #output(Route, int, int, int, int, int, boolean, MemorySegment, long, int, int)} of a segment whose checksum is complete. */
    default int output(Route rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df,
                       MemorySegment buf, long l4Off, int l4Len) {
        return output(rt, saddr, daddr, protocol, tos, ttl, df, buf, l4Off, l4Len,
                io.jnetstack.link.ChecksumOffload.CHECKSUM_NONE);
    }

    /** inet_addr_type(addr) == RTN_LOCAL: is {@code addr} one of this stack's addresses (127/8 included)? */
    boolean isLocal(int addr);

    /** Broadcast address of a local subnet, or 255.255.255.255. */
    boolean isBroadcast(int addr);

    /** inet_add_protocol. */
    void register(int protocol, NetProtocol handler);

    /**
     * A scratch buffer for building one outgoing packet (64 KiB + headroom). Valid until the next
     * call on this stack that transmits; never retained by callers.
     */
    MemorySegment txBuffer();

    /** The MTU towards {@code daddr} as far as known (route MTU, lowered by PMTU discovery). */
    int pathMtu(int daddr);
}
