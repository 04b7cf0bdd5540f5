package io.jnetstack.netlink;

import io.jnetstack.socket.Sock;
import io.jnetstack.uapi.Net;
import java.util.ArrayDeque;

/** struct netlink_sock: its port id, its destination (connect), groups, and queue of datagrams. */
final class NetlinkSock extends Sock {
    final Netlink family;
    int portid, groups, dstPortid, dstGroup;
    boolean bound;
    final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    int queuedBytes;

    /** One received datagram and the port id it came from (0: the kernel). */
    record Datagram(byte[] data, int fromPortid) {}

    NetlinkSock(Netlink family, int type, int protocol) {
        super(family.stack, Net.AF_NETLINK, type, protocol);
        this.family = family;
    }

    /** netlink_unicast's __netlink_sendskb: false (the sender sees ENOBUFS/EAGAIN) when over sk_rcvbuf. */
    boolean deliver(byte[] data, int from) {
        if (queuedBytes + data.length > rcvBuf) return false;
        queue.add(new Datagram(data, from));
        queuedBytes += data.length;
        dataReady();
        return true;
    }
}
