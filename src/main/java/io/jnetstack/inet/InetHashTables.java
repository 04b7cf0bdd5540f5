package io.jnetstack.inet;

import io.jnetstack.stack.Stack;

/**
 * The port tables of one inet transport (tcp_hashinfo's bind hash, udp_table): who holds which
 * local port, the bind-conflict rules (SO_REUSEADDR, SO_REUSEPORT, TIME_WAIT and listeners), and
 * ephemeral port choice in net.ipv4.ip_local_port_range (RFC 6056, from the stack's seeded random).
 *
 * <p>TCP keeps its established and listening demultiplexing tables itself; this class answers only
 * "may this sock have this local address and port".
 */
public final class InetHashTables {
    /** Decides whether a candidate 4-tuple is already taken by an established/TIME_WAIT connection. */
    @FunctionalInterface
    public interface TupleInUse {
        boolean test(int saddr, int sport, int daddr, int dport);
    }

    private final Stack stack;
    private final int protocol;

    public InetHashTables(Stack stack, int protocol) {
        this.stack = stack;
        this.protocol = protocol;
    }

    /** The table for {@code protocol} (IPPROTO_TCP, IPPROTO_UDP...) of a stack, created on first use. */
    public static InetHashTables of(Stack stack, int protocol) {
        throw new UnsupportedOperationException("implemented by the inet module");
    }

    /**
     * inet_csk_get_port / udp_lib_get_port: binds {@code sk} to ({@code addr}, {@code port});
     * port 0 picks a free ephemeral port. On success sets sk.rcvSaddr, sk.saddr, sk.sport.
     * Returns 0 or -EADDRINUSE.
     */
    public int bind(InetSock sk, int addr, int port) {
        throw new UnsupportedOperationException("implemented by the inet module");
    }

    /** inet_put_port: releases the sock's port (close, or TIME_WAIT ending). */
    public void unbind(InetSock sk) {
        throw new UnsupportedOperationException("implemented by the inet module");
    }

    /**
     * inet_hash_connect: for a connect() by an unbound sock, picks a source port so that the
     * 4-tuple (saddr, port, daddr, dport) is unique ({@code inUse} says which are taken) and binds
     * it. Returns 0 or -EADDRNOTAVAIL when the range is exhausted.
     */
    public int connectPort(InetSock sk, int saddr, int daddr, int dport, TupleInUse inUse) {
        throw new UnsupportedOperationException("implemented by the inet module");
    }

    /** True when {@code sk} holds a port in this table. */
    public boolean isBound(InetSock sk) {
        throw new UnsupportedOperationException("implemented by the inet module");
    }

    /** Socks bound to {@code port} (any address), for demultiplexing (UDP). Do not modify. */
    public java.util.List<InetSock> owners(int port) {
        throw new UnsupportedOperationException("implemented by the inet module");
    }
}
