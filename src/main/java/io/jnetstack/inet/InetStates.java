package io.jnetstack.inet;

/** The sk_state values datagram sockets use (include/net/tcp_states.h): TCP_ESTABLISHED when connected. */
public final class InetStates {
    private InetStates() {}

    public static final int TCP_ESTABLISHED = 1, TCP_CLOSE = 7, TCP_LISTEN = 10;
    /** IPPROTO_MAX: protocols at or above it are EINVAL in socket(2). */
    public static final int IPPROTO_MAX = 263;
}
