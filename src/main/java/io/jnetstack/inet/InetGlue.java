package io.jnetstack.inet;

import io.jnetstack.ipv4.Ip;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.tcp.TcpSock;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;

/**
 * What inet_stream_ops needs from the inet module (inet_bind, the IPPROTO_IP options, the
 * protocol switch), in one place so that switching to the inet module's InetBind / InetSockopt /
 * InetFamily is a one-file change when that branch is merged. Until then: a faithful minimal
 * inet_bind and ENOPROTOOPT for IP options.
 */
final class InetGlue {
    private InetGlue() {}

    /** inet_bind → __inet_bind for AF_INET. */
    static int bind(InetSock sk, Socket sock, byte[] addr, int addrlen, InetHashTables table) {
        if (addr == null || addrlen < 16) return -Errno.EINVAL;
        if (SockAddr.family(addr, addrlen) != Net.AF_INET) return -Errno.EAFNOSUPPORT;
        int a = SockAddr.inAddr(addr);
        int port = SockAddr.port(addr);
        Stack stack = sk.stack;
        Ip ip = stack.module(Ip.class);
        boolean ok = a == 0 || ip.isLocal(a) || ip.isBroadcast(a) || sk.freebind;
        if (!ok) return -Errno.EADDRNOTAVAIL;
        if (port != 0 && port < stack.sysctl().ipUnprivilegedPortStart.value()
                && !sock.cred.netBindService()) return -Errno.EACCES;
        if (sk.sport != 0 || sk.state != 7 /* TCP_CLOSE */) return -Errno.EINVAL;
        int r = table.bind(sk, a, port);
        if (r < 0) return r;
        if (a != 0) sk.userLocks |= Sock.BINDADDR_LOCK;
        if (port != 0) sk.userLocks |= Sock.BINDPORT_LOCK;
        return 0;
    }

    static void markPortHeld(TcpSock tp) { tp.markPortHeld(); }

    static int setIp(InetSock sk, int optname, byte[] optval, int optlen) { return -Errno.ENOPROTOOPT; }

    static int getIp(InetSock sk, int optname, byte[] optval, int[] optlen) { return -Errno.ENOPROTOOPT; }

    /** inet_register_protosw through the inet module's InetFamily, when it is installed. */
    static void registerProtosw(Stack stack, InetProtosw sw) {
        try {
            Class<?> fam = Class.forName("io.jnetstack.inet.InetFamily");
            Object f = fam.getMethod("of", Stack.class).invoke(null, stack);
            fam.getMethod("register", InetProtosw.class).invoke(f, sw);
        } catch (ReflectiveOperationException e) {
            // The inet family is not built yet: sockets can still be made with TcpProt.create.
        }
    }
}
