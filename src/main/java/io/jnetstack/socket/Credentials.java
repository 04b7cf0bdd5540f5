package io.jnetstack.socket;

/**
 * The caller's identity as the socket layer checks it: uid/gid and the capabilities that change
 * socket results (CAP_NET_BIND_SERVICE for ports below ip_unprivileged_port_start, CAP_NET_RAW for
 * raw and packet sockets, CAP_NET_ADMIN for some options).
 */
public record Credentials(int uid, int gid, boolean netBindService, boolean netRaw, boolean netAdmin) {
    public static final Credentials ROOT = new Credentials(0, 0, true, true, true);
    /** An ordinary process: what the differential tests compare against. */
    public static final Credentials USER = new Credentials(1000, 1000, false, false, false);
}
