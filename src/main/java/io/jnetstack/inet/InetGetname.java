package io.jnetstack.inet;

import io.jnetstack.socket.SockAddr;
import io.jnetstack.uapi.Errno;

/**
 * inet_getname / inet6_getname: getsockname(2) and getpeername(2) for inet sockets. AF_INET sockets
 * answer a sockaddr_in (16 bytes); AF_INET6 sockets a sockaddr_in6 (28) with the v4-mapped address,
 * or :: for an unbound local address.
 */
public final class InetGetname {
    private InetGetname() {}

    /**
     * Writes the local ({@code peer} false) or remote address into {@code out} (≥ 28 bytes) and
     * returns its length; -ENOTCONN for the peer of a socket that has none (not connected, or a
     * TCP socket still in SYN_SENT/CLOSE).
     */
    public static int getname(InetSock sk, byte[] out, boolean peer) {
        return getname(sk, out, peer ? PEER : LOCAL);
    }

    /** inet_getname's {@code peer}: 0 the local name, 1 getpeername, 2 accept's name of the new peer. */
    public static final int LOCAL = 0, PEER = 1, PEER_ACCEPT = 2;

    /**
     * As {@link #getname(InetSock, byte[], boolean)}; with {@link #PEER_ACCEPT} only a missing peer
     * port is ENOTCONN, so accept can name a child the peer already reset.
     */
    public static int getname(InetSock sk, byte[] out, int which) {
        int addr, port;
        boolean peer = which != LOCAL;
        if (peer) {
            // No peer port, or a TCP socket in CLOSE / SYN_SENT (2): nobody to name.
            if (sk.dport == 0 || which == PEER && (sk.state == InetStates.TCP_CLOSE || sk.state == 2))
                return -Errno.ENOTCONN;
            addr = sk.daddr;
            port = sk.dport;
        } else {
            addr = sk.rcvSaddr != 0 ? sk.rcvSaddr : sk.saddr;
            port = sk.sport;
        }
        if (sk.v6) return SockAddr.writeIn6Mapped(out, addr, port, !peer && !sk.v4MappedAny);
        return SockAddr.writeIn(out, addr, port);
    }
}
