package io.jnetstack.diff;

import static io.jnetstack.diff.Recorder.*;
import static io.jnetstack.uapi.In.*;
import static io.jnetstack.uapi.Net.*;

import io.jnetstack.uapi.Fcntl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * All differential cases, generated grids and hand-written sequences. Every case starts from a fresh
 * namespace or stack, so fixed ports (below the ephemeral range) can be reused from case to case.
 */
public final class Catalogue {
    private Catalogue() {}

    static final String LO = "127.0.0.1";
    static final int PORT = 20000, PORT2 = 20001;

    private static List<Case> cache;

    /** Every case, in a stable order; names are unique. */
    public static synchronized List<Case> all() {
        if (cache == null) {
            List<Case> l = new ArrayList<>();
            SocketCases.add(l);
            AddrCases.add(l);
            OptCases.add(l);
            IoCases.add(l);
            ErrQueueCases.add(l);
            UrgentCases.add(l);
            SpliceCases.add(l);
            Set<String> seen = new HashSet<>();
            for (Case c : l) if (!seen.add(c.name())) throw new IllegalStateException("duplicate case " + c.name());
            cache = List.copyOf(l);
        }
        return cache;
    }

    static void def(List<Case> l, String name, Consumer<Recorder> body) { l.add(new Case(name, body)); }

    // ---- shared fixtures -------------------------------------------------------------------------

    /** Listener on 127.0.0.1:PORT, a client connected to it, and the accepted fd: {listener, client, server}. */
    static int[] tcpPair(Recorder c, int clientType) {
        int l = c.socket(AF_INET, SOCK_STREAM, 0);
        c.setInt(l, SOL_SOCKET, SO_REUSEADDR, 1);
        c.bind(l, sin(LO, PORT));
        c.listen(l, 16);
        int a = c.socket(AF_INET, clientType, 0);
        c.connect(a, sin(LO, PORT));
        int b = c.accept4(l, SOCK_NONBLOCK);
        return new int[] {l, a, b};
    }

    static int[] tcpPair(Recorder c) { return tcpPair(c, SOCK_STREAM | SOCK_NONBLOCK); }

    /** Same over IPv6 loopback. */
    static int[] tcp6Pair(Recorder c) {
        int l = c.socket(AF_INET6, SOCK_STREAM, 0);
        c.bind(l, sin6("::1", PORT));
        c.listen(l, 16);
        int a = c.socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
        c.connect(a, sin6("::1", PORT));
        int b = c.accept4(l, SOCK_NONBLOCK);
        return new int[] {l, a, b};
    }

    /** Two UDP sockets bound to 127.0.0.1:PORT and :PORT2. */
    static int[] udpPair(Recorder c) {
        int a = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        c.bind(a, sin(LO, PORT));
        int b = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        c.bind(b, sin(LO, PORT2));
        return new int[] {a, b};
    }

    /** A socket of a kind by short name: tcp, udp, tcp6, udp6, unix-stream, unix-dgram, unix-seqpacket. */
    static int sock(Recorder c, String kind) {
        return switch (kind) {
            case "tcp" -> c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            case "udp" -> c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            case "tcp6" -> c.socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
            case "udp6" -> c.socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            case "unix-stream" -> c.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
            case "unix-dgram" -> c.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            case "unix-seqpacket" -> c.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The fd flags and status flags of an fd (F_GETFD, F_GETFL). */
    static void flags(Recorder c, int fd) {
        c.fcntl(fd, Fcntl.F_GETFD, 0);
        c.fcntl(fd, Fcntl.F_GETFL, 0);
    }
}
