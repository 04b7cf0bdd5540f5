package io.jnetstack.netlink;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.NetProtoFamily;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.util.HashMap;
import java.util.Map;

/**
 * AF_NETLINK (net/netlink/af_netlink.c): netlink_create and the port-id table (nl_table), with one
 * kernel protocol, NETLINK_ROUTE, answered by {@link RtNetlink} from this stack's devices and
 * addresses — so {@code ip link} / {@code ip addr}-style introspection works from Java.
 *
 * <p>Only NETLINK_ROUTE is registered: the other protocols a Linux kernel has (NETLINK_XFRM,
 * NETLINK_SOCK_DIAG, NETLINK_GENERIC, ...) answer EPROTONOSUPPORT, as they would on a kernel built
 * without them. Multicast groups are accepted at bind and recorded, but no notifications are sent.
 */
public final class Netlink implements NetProtoFamily {
    /** MAX_LINKS: protocols at or above it are EPROTONOSUPPORT. */
    public static final int MAX_LINKS = 32;
    public static final int NETLINK_ROUTE = 0;
    /** sizeof(struct sockaddr_nl). */
    public static final int NL_ADDR_LEN = 12;

    final Stack stack;
    final Tracer tr;
    /** nl_table[NETLINK_ROUTE].hash: bound port ids → sockets. */
    final Map<Integer, NetlinkSock> ports = new HashMap<>();
    final RtNetlink rtnl;

    private Netlink(Stack stack) {
        this.stack = stack;
        this.tr = stack.trace();
        this.rtnl = new RtNetlink(stack);
    }

    /** Registers AF_NETLINK with the stack's socket layer. */
    public static Netlink install(Stack stack) {
        Netlink n = stack.module(Netlink.class);
        if (n != null) return n;
        n = new Netlink(stack);
        stack.register(Netlink.class, n);
        Families.of(stack).register(n);
        return n;
    }

    @Override public int family() { return Net.AF_NETLINK; }

    /**
     * netlink_create: the type first (SOCK_RAW or SOCK_DGRAM, else ESOCKTNOSUPPORT), then the
     * protocol (0 ≤ protocol < MAX_LINKS and registered, else EPROTONOSUPPORT). No capability is
     * needed to create one.
     */
    @Override
    public int create(Socket sock, int protocol, boolean kern, Credentials cred) {
        if (tr.on) tr.enter("netlink_create", "type=" + Net.typeName(sock.type) + " protocol=" + protocol);
        sock.state = Socket.SS_UNCONNECTED;
        if (sock.type != Net.SOCK_RAW && sock.type != Net.SOCK_DGRAM) return tr.exit("netlink_create", -Errno.ESOCKTNOSUPPORT);
        if (protocol < 0 || protocol >= MAX_LINKS) return tr.exit("netlink_create", -Errno.EPROTONOSUPPORT);
        if (protocol != NETLINK_ROUTE) {
            if (tr.on) tr.note("nl_table[" + protocol + "] is not registered");
            return tr.exit("netlink_create", -Errno.EPROTONOSUPPORT);
        }
        NetlinkSock nlk = new NetlinkSock(this, sock.type, protocol);
        if (cred != null) nlk.uid = cred.uid();
        sock.ops = NetlinkOps.INSTANCE;
        sock.graft(nlk);
        tr.exit();
        return 0;
    }

    /** netlink_insert: EADDRINUSE when the port id is taken. */
    int insert(NetlinkSock nlk, int portid) {
        if (ports.containsKey(portid)) return -Errno.EADDRINUSE;
        ports.put(portid, nlk);
        nlk.portid = portid;
        nlk.bound = true;
        if (tr.on) tr.note("netlink_insert: port id " + portid);
        return 0;
    }

    /**
     * netlink_autobind: the process id first; when that is taken, a random negative id in
     * [INT_MIN, -4097], counting down from there until one is free (ids of user processes are
     * positive, so these never collide with a later explicit bind to a pid).
     */
    int autobind(NetlinkSock nlk, int pid) {
        int id = pid;
        long rover = -4096;
        while (id == 0 || ports.containsKey(id)) {
            if (rover == -4096) rover = Integer.MIN_VALUE + (long) (stack.random().nextDouble() * (-4096L - Integer.MIN_VALUE));
            else if (rover >= -4096 || rover < Integer.MIN_VALUE) rover = -4097;
            id = (int) rover--;
        }
        return insert(nlk, id);
    }

    void remove(NetlinkSock nlk) {
        if (nlk.bound && ports.get(nlk.portid) == nlk) ports.remove(nlk.portid);
        nlk.bound = false;
    }
}
