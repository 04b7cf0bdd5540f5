package io.jnetstack.inet;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * inet_create / inet6_create against the table measured on Linux 6.18 (python socket() in a fresh
 * network namespace, as root and as uid/gid 1000 without capabilities). TCP and MPTCP entries
 * belong to the tcp module; a stub stands in for them here so the lookup rules are tested in full.
 */
class InetCreateTest {
    static final int[] PROTOS = {0, 1, 2, 6, 17, 41, 47, 58, 132, 136, 255, 262, 99, 256, 300, -5};
    static final int[] TYPES = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    /** Linux's answer: protocol number on success, else -errno. */
    static int linux(int family, int type, int p, boolean root) {
        if (p < 0 || p >= 263) return -Errno.EINVAL;
        switch (type) {
            case Net.SOCK_STREAM:
                return p == 0 || p == 6 ? 6 : p == 262 ? 262 : -Errno.EPROTONOSUPPORT;
            case Net.SOCK_DGRAM:
                if (p == 0 || p == 17) return 17;
                if (p == 136) return 136;
                if (family == Net.AF_INET && p == 1) return -Errno.EACCES;      // ping_group_range "1 0"
                if (family == Net.AF_INET6 && p == 58) return -Errno.EACCES;
                return -Errno.EPROTONOSUPPORT;
            case Net.SOCK_RAW:
                if (p == 0) return -Errno.EPROTONOSUPPORT;
                return root ? p : -Errno.EPERM;
            default:
                return -Errno.ESOCKTNOSUPPORT;
        }
    }

    static InetKit kit() {
        InetKit k = new InetKit();
        Proto stub = new Proto() {
            @Override public String name() { return "TCP-stub"; }
            @Override public InetSock create(Stack s, int family, int type, int protocol) {
                return new InetSock(s, family, type, protocol);
            }
        };
        for (InetFamily f : new InetFamily[] {InetFamily.of(k.stack), InetFamily.of6(k.stack)}) {
            f.register(new InetProtosw(Net.SOCK_STREAM, 6, stub, null, false));
            f.register(new InetProtosw(Net.SOCK_STREAM, 262, stub, null, false));
        }
        return k;
    }

    @Test void gridAsRootAndAsUser() {
        InetKit k = kit();
        for (Credentials cred : new Credentials[] {Credentials.ROOT, Credentials.USER}) {
            for (int family : new int[] {Net.AF_INET, Net.AF_INET6}) {
                for (int type : TYPES) {
                    for (int p : PROTOS) {
                        Socket[] out = new Socket[1];
                        int r = Families.of(k.stack).create(family, type, p, false, cred, out);
                        int got = r < 0 ? r : out[0].sk.protocol;
                        assertEquals(linux(family, type, p, cred.netRaw()), got,
                                Net.afName(family) + " " + Net.typeName(type) + " " + p + " uid " + cred.uid());
                    }
                }
            }
        }
    }

    @Test void pingAllowedInsidePingGroupRange() {
        InetKit k = kit();
        assertEquals(-Errno.EACCES, k.create(Net.AF_INET, Net.SOCK_DGRAM, 1, Credentials.ROOT));
        assertEquals(0, k.stack.sysctl().set("net.ipv4.ping_group_range", "0 2147483647"));
        assertEquals(0, k.create(Net.AF_INET, Net.SOCK_DGRAM, 1, Credentials.USER));
        assertEquals(0, k.stack.sysctl().set("net.ipv4.ping_group_range", "100 200"));
        assertEquals(-Errno.EACCES, k.create(Net.AF_INET, Net.SOCK_DGRAM, 1, Credentials.USER));
    }

    @Test void rawSocketsAreNamedByTheirProtocolAndIpprotoRawImpliesHdrincl() {
        InetKit k = kit();
        Socket s = k.socket(Net.AF_INET, Net.SOCK_RAW, 255, Credentials.ROOT);
        InetSock sk = (InetSock) s.sk;
        assertEquals(255, sk.sport);
        assertEquals(true, sk.hdrIncl);
        Socket icmp = k.socket(Net.AF_INET, Net.SOCK_RAW, 1, Credentials.ROOT);
        assertEquals(false, ((InetSock) icmp.sk).hdrIncl);
    }
}
