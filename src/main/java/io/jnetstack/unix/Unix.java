package io.jnetstack.unix;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.NetProtoFamily;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Sysctl;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.util.HashMap;
import java.util.Map;

/**
 * AF_UNIX for one stack (net/unix/af_unix.c): the family (unix_create) and its namespace.
 *
 * <p>Names. Abstract names ("\0name") live in a per-stack table, one per socket type, as Linux's
 * hash includes the type: a datagram socket cannot reach a stream socket's abstract name
 * (ECONNREFUSED). Since there is no filesystem, path names live in an in-memory table of
 * "socket inodes" per stack: bind creates the node (EADDRINUSE if it exists) and, as on Linux, the
 * node outlives the socket — connecting to it afterwards is ECONNREFUSED and binding it again is
 * EADDRINUSE until {@link #unlink}. Directories are a fixed set ({@code /tmp}, {@code /run}...)
 * plus what {@link #mkdir} adds; a name below any other is ENOENT.
 *
 * <p>Install with {@link #install(Stack)}; then socket(AF_UNIX, ...) works on that stack.
 */
public final class Unix implements NetProtoFamily {
    /** Abstract names: key is type + ':' + the name bytes as ISO-8859-1. */
    final Map<String, UnixSock> abstractNames = new HashMap<>();
    /** Path "inodes": path → the socket bound there (null once it was closed). */
    final Map<String, UnixSock[]> paths = new HashMap<>();
    /**
     * Directories that exist for path names: a bind or connect below any other directory is
     * ENOENT, as on Linux. Relative names are taken to be in an existing working directory.
     */
    final java.util.Set<String> dirs = new java.util.HashSet<>(java.util.List.of(
            "/", "/tmp", "/run", "/var", "/var/run", "/var/tmp", "/dev", "/dev/shm", "/home", "/root"));
    final Stack stack;
    final Sysctl maxDgramQlen;
    final UnixOps stream, dgram, seqpacket;

    private Unix(Stack stack) {
        this.stack = stack;
        this.maxDgramQlen = stack.sysctl().define("net.unix.max_dgram_qlen", 0, Integer.MAX_VALUE, 10);
        this.stream = new UnixOps(this, Net.SOCK_STREAM);
        this.dgram = new UnixOps(this, Net.SOCK_DGRAM);
        this.seqpacket = new UnixOps(this, Net.SOCK_SEQPACKET);
    }

    /** af_unix_init: registers AF_UNIX with the stack's families; returns the module (idempotent). */
    public static Unix install(Stack stack) {
        Unix u = stack.module(Unix.class);
        if (u != null) return u;
        u = new Unix(stack);
        stack.register(Unix.class, u);
        Families.of(stack).register(u);
        return u;
    }

    static int maxDgramQlen(Stack stack) {
        Unix u = stack.module(Unix.class);
        return u == null ? 10 : u.maxDgramQlen.value();
    }

    @Override public int family() { return Net.AF_UNIX; }

    /**
     * unix_create: protocol must be 0 or PF_UNIX (EPROTONOSUPPORT); SOCK_RAW is quietly made
     * SOCK_DGRAM; other types are ESOCKTNOSUPPORT.
     */
    @Override
    public int create(Socket sock, int protocol, boolean kern, Credentials cred) {
        Tracer tr = stack.trace();
        if (tr.on) tr.enter("unix_create", "type=" + Net.typeName(sock.type) + " protocol=" + protocol);
        if (protocol != 0 && protocol != Net.AF_UNIX) return tr.exit("unix_create", -Errno.EPROTONOSUPPORT);
        UnixOps ops;
        int type;
        switch (sock.type) {
            case Net.SOCK_STREAM -> { ops = stream; type = Net.SOCK_STREAM; }
            case Net.SOCK_RAW, Net.SOCK_DGRAM -> {
                if (sock.type == Net.SOCK_RAW && tr.on) tr.note("SOCK_RAW is treated as SOCK_DGRAM");
                ops = dgram;
                type = Net.SOCK_DGRAM;
            }
            case Net.SOCK_SEQPACKET -> { ops = seqpacket; type = Net.SOCK_SEQPACKET; }
            default -> { return tr.exit("unix_create", -Errno.ESOCKTNOSUPPORT); }
        }
        sock.ops = ops;
        UnixSock sk = new UnixSock(stack, type);
        sk.uid = cred.uid();
        sock.graft(sk);
        if (tr.on) tr.note("sk_sndbuf=" + sk.sndBuf + " sk_rcvbuf=" + sk.rcvBuf);
        tr.exit();
        return 0;
    }

    /** mkdir(2), for tests and programs that bind below their own directories. */
    public static void mkdir(Stack stack, String dir) {
        install(stack).dirs.add(dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
    }

    /** Does the directory holding {@code path} exist? */
    boolean parentExists(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) return true;
        return dirs.contains(slash == 0 ? "/" : path.substring(0, slash));
    }

    /** unlink(2) of a socket path: removes the node; 0 or -ENOENT. */
    public static int unlink(Stack stack, String path) {
        Unix u = stack.module(Unix.class);
        if (u == null || u.paths.remove(path) == null) return -Errno.ENOENT;
        return 0;
    }

    /** Does the path exist as a socket node? */
    public static boolean exists(Stack stack, String path) {
        Unix u = stack.module(Unix.class);
        return u != null && u.paths.containsKey(path);
    }
}
