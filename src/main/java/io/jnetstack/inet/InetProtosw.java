package io.jnetstack.inet;

import io.jnetstack.socket.ProtoOps;

/**
 * One entry of inetsw_array: for a socket type and protocol, the {@link Proto} and the
 * {@link ProtoOps}. {@code protocol} IPPROTO_IP (0) is the wildcard entry (raw sockets);
 * {@code permanent} entries cannot be unregistered; {@code needsNetRaw} makes inet_create answer
 * EPERM to callers without CAP_NET_RAW (raw sockets). Ping sockets check ping_group_range instead.
 */
public record InetProtosw(int type, int protocol, Proto prot, ProtoOps ops, boolean needsNetRaw) {}
