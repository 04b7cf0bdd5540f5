package io.jnetstack.packet;

import io.jnetstack.link.NetDevice;
import io.jnetstack.socket.Sock;
import io.jnetstack.uapi.Net;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * struct packet_sock: the protocol it listens for ({@code num}, host order), the device it is bound
 * to, and its receive queue of frame copies with their sockaddr_ll fields.
 */
final class PacketSock extends Sock {
    final Packet family;
    /** po->num: the ethertype listened for, host byte order; 0 = none (not hooked). */
    int num;
    /** po->ifindex: 0 = every device. */
    int ifindex;
    /** Is the hook registered (po->running)? */
    boolean running;
    final ArrayDeque<Frame> queue = new ArrayDeque<>();
    int queuedBytes;
    long drops;

    /** One queued frame: the bytes the socket reads and the sockaddr_ll that goes with them. */
    record Frame(byte[] data, int proto, int ifindex, int hatype, int pkttype, byte[] addr) {}

    PacketSock(Packet family, int type, int protocol) {
        super(family.stack, Net.AF_PACKET, type, protocol);
        this.family = family;
        this.num = ntohs(protocol);
    }

    static int ntohs(int be) { return (be & 0xFF) << 8 | (be >> 8 & 0xFF); }

    /**
     * packet_rcv's copy: SOCK_RAW keeps the link header, SOCK_DGRAM starts at the network header.
     * Over sk_rcvbuf the frame is dropped and counted (PACKET_STATISTICS' tp_drops).
     */
    void queue(NetDevice dev, int ifindex, MemorySegment frame, boolean ether, int proto, int pkttype, byte[] loHeader) {
        int n = (int) frame.byteSize();
        int skip = ether && type == Net.SOCK_DGRAM ? Packet.ETH_HLEN : 0;
        int pre = !ether && loHeader != null && type != Net.SOCK_DGRAM ? loHeader.length : 0;
        int len = n - skip + pre;
        if (queuedBytes + len > rcvBuf) { drops++; return; }
        byte[] data = new byte[len];
        if (pre > 0) System.arraycopy(loHeader, 0, data, 0, pre);
        MemorySegment.copy(frame, skip, MemorySegment.ofArray(data), pre, n - skip);
        byte[] addr;
        if (ether) {
            addr = new byte[6];
            MemorySegment.copy(frame, 6, MemorySegment.ofArray(addr), 0, 6);
        } else {
            addr = loHeader != null ? new byte[6] : new byte[0];
        }
        queue.add(new Frame(data, proto, ifindex, dev.type(), pkttype, addr));
        queuedBytes += len;
        dataReady();
    }
}
