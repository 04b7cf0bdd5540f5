package io.jnetstack.socket;

/** struct net_proto_family: how one address family creates its sockets (inet_create, unix_create). */
public interface NetProtoFamily {
    int family();

    /**
     * Fills {@code sock} (type already set) with ops and a sock for {@code protocol}; returns 0 or
     * -errno (EPROTONOSUPPORT, ESOCKTNOSUPPORT, EPERM...). {@code kern} is true for sockets the
     * kernel makes for itself.
     */
    int create(Socket sock, int protocol, boolean kern, Credentials cred);
}
