package io.jnetstack.diff;

import io.jnetstack.uapi.Names;

import static io.jnetstack.diff.Catalogue.def;
import static io.jnetstack.uapi.In.*;
import static io.jnetstack.uapi.Net.*;

import java.util.List;

/** socket(2) and socketpair(2): the full argument grid, and what a new socket reports about itself. */
final class SocketCases {
    private SocketCases() {}

    static final int[] FAMILIES = {AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, -1, AF_MAX, 1000};
    static final int[] TYPES = {SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET, SOCK_DCCP, SOCK_PACKET,
        0, 7, 11, -1};
    static final int[] PROTOCOLS = {0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_RAW, IPPROTO_SCTP,
        IPPROTO_UDPLITE, IPPROTO_MPTCP, IPPROTO_ICMPV6, 1000, -1};
    /** Extra bits or-ed into type: the two real flags, both, and bits that are not flags. */
    static final int[] FLAGS = {SOCK_NONBLOCK, SOCK_CLOEXEC, SOCK_NONBLOCK | SOCK_CLOEXEC, 0x100, 0x40000000};

    /** After a successful socket(): what the socket says it is. */
    static void describe(Recorder c, int fd) {
        c.getInt(fd, SOL_SOCKET, SO_TYPE);
        c.getInt(fd, SOL_SOCKET, SO_DOMAIN);
        c.getInt(fd, SOL_SOCKET, SO_PROTOCOL);
        c.getInt(fd, SOL_SOCKET, SO_ACCEPTCONN);
        Catalogue.flags(c, fd);
        c.close(fd);
    }

    static void add(List<Case> l) {
        for (int f : FAMILIES) {
            for (int t : TYPES) {
                for (int p : PROTOCOLS) {
                    def(l, "socket/" + Names.family(f) + "/" + Names.type(t) + "/" + Names.proto(p), c -> {
                        int fd = c.socket(f, t, p);
                        if (fd >= 0) describe(c, fd);
                    });
                }
                if (t == -1) continue;
                for (int fl : FLAGS) {
                    def(l, "socket-flags/" + Names.family(f) + "/" + Names.type(t | fl), c -> {
                        int fd = c.socket(f, t | fl, 0);
                        if (fd >= 0) describe(c, fd);
                    });
                }
            }
        }
        def(l, "socket/lowest-free-fd", c -> {
            int a = c.socket(AF_INET, SOCK_STREAM, 0);
            int b = c.socket(AF_INET, SOCK_DGRAM, 0);
            int d = c.socket(AF_UNIX, SOCK_STREAM, 0);
            c.close(b);
            c.socket(AF_INET6, SOCK_DGRAM, 0);
            c.close(a);
            c.close(d);
            c.socket(AF_INET, SOCK_STREAM, 0);
            c.socket(AF_INET, SOCK_STREAM, 0);
        });

        // socketpair
        int[] pairFamilies = {AF_UNIX, AF_INET, AF_INET6, AF_UNSPEC, AF_NETLINK, -1};
        int[] pairTypes = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW, SOCK_RDM, 0, SOCK_STREAM | SOCK_NONBLOCK,
            SOCK_DGRAM | SOCK_CLOEXEC, SOCK_STREAM | 0x100};
        for (int f : pairFamilies) {
            for (int t : pairTypes) {
                for (int p : new int[] {0, 1, IPPROTO_TCP}) {
                    def(l, "socketpair/" + Names.family(f) + "/" + Names.type(t) + "/" + p, c -> {
                        int[] sv = c.socketpair(f, t, p);
                        if (sv == null) return;
                        for (int fd : sv) {
                            c.getInt(fd, SOL_SOCKET, SO_TYPE);
                            Catalogue.flags(c, fd);
                        }
                        c.getpeername(sv[0]);
                        c.getsockname(sv[1]);
                        c.close(sv[0]);
                        c.close(sv[1]);
                    });
                }
            }
        }
        def(l, "socketpair/null-sv", c -> c.socketpair(AF_UNIX, SOCK_STREAM, 0, null));
        def(l, "socketpair/short-sv-1", c -> c.socketpair(AF_UNIX, SOCK_STREAM, 0, new int[1]));
        def(l, "socketpair/short-sv-0", c -> c.socketpair(AF_UNIX, SOCK_DGRAM, 0, new int[0]));
        def(l, "socketpair/inet-null-sv", c -> c.socketpair(AF_INET, SOCK_STREAM, 0, null));
        def(l, "socketpair/bad-type-null-sv", c -> c.socketpair(AF_UNIX, 7, 0, null));
    }
}
