package io.jnetstack.socket;

import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;

/**
 * The address-family registry (net_families[], sock_register) and sock_create / __sock_create.
 */
public final class Families {
    private final NetProtoFamily[] families = new NetProtoFamily[Net.AF_MAX];
    private final Stack stack;

    public Families(Stack stack) { this.stack = stack; }

    /** The registry of a stack, created on first use. */
    public static Families of(Stack stack) {
        Families f = stack.module(Families.class);
        if (f == null) {
            f = new Families(stack);
            stack.register(Families.class, f);
        }
        return f;
    }

    /** sock_register: returns 0, or -EEXIST when the family is taken, -ENOBUFS when out of range. */
    public int register(NetProtoFamily family) {
        int af = family.family();
        if (af < 0 || af >= Net.AF_MAX) return -Errno.ENOBUFS;
        if (families[af] != null) return -Errno.EEXIST;
        families[af] = family;
        return 0;
    }

    public NetProtoFamily get(int af) { return af >= 0 && af < Net.AF_MAX ? families[af] : null; }

    /**
     * __sock_create: checks family and type, allocates the socket and lets the family fill it.
     * {@code type} is the bare type (flags already stripped by the caller).
     */
    public int create(int family, int type, int protocol, boolean kern, Credentials cred, Socket[] out) {
        Tracer tr = stack.trace();
        if (tr.on) tr.enter("sock_create", "family=" + Net.afName(family) + " type=" + Net.typeName(type)
                + " protocol=" + protocol);
        {
            if (family < 0 || family >= Net.AF_MAX) return tr.exit("sock_create", -Errno.EAFNOSUPPORT);
            if (type < 0 || type >= Net.SOCK_MAX) return tr.exit("sock_create", -Errno.EINVAL);
            // Compatibility: SOCK_PACKET on AF_INET became AF_PACKET long ago.
            if (family == Net.AF_INET && type == Net.SOCK_PACKET) family = Net.AF_PACKET;
            NetProtoFamily pf = families[family];
            if (pf == null) {
                if (tr.on) tr.note("net_families[" + Net.afName(family) + "] is empty");
                return tr.exit("sock_create", -Errno.EAFNOSUPPORT);
            }
            Socket sock = new Socket(stack, type);
            sock.cred = cred;
            int err = pf.create(sock, protocol, kern, cred);
            if (err < 0) return tr.exit("sock_create", err);
            out[0] = sock;
            tr.exit();
            return 0;
        }
    }
}
