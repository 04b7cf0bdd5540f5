package io.jnetstack.inet;

import io.jnetstack.socket.ProtoOps;
import io.jnetstack.stack.Stack;

/**
 * struct proto: one transport protocol as the inet family sees it (tcp_prot, udp_prot, ping_prot,
 * raw_prot). inet_create picks one through the {@link InetProtosw} table, asks it for a sock, and
 * pairs it with the protocol's {@link ProtoOps} (inet_stream_ops, inet_dgram_ops, inet_sockraw_ops).
 */
public interface Proto {
    /** "TCP", "UDP", "PING", "RAW": the name /proc/net/protocols shows. */
    String name();

    /**
     * sk_alloc + sk_prot->init (tcp_v4_init_sock, udp_init_sock...): a new sock for a socket of
     * {@code family} (AF_INET or AF_INET6), {@code type}, {@code protocol} (already resolved from 0).
     */
    InetSock create(Stack stack, int family, int type, int protocol);

    /**
     * sk_prot->init, run by inet_create after the sock is grafted: may refuse the socket (ping_init_sock
     * answers EACCES when the caller's gid is outside net.ipv4.ping_group_range). Returns 0 or -errno.
     */
    default int init(InetSock sk, io.jnetstack.socket.Credentials cred) { return 0; }
}
