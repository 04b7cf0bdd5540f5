package io.jnetstack.packet;

import io.jnetstack.link.NetDevice;
import io.jnetstack.socket.ProtoOps;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Tracer;
import io.jnetstack.syscall.Iov;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import java.lang.foreign.MemorySegment;

/**
 * packet_ops: the socket calls of AF_PACKET sockets (SOCK_RAW and SOCK_DGRAM), addressed with
 * struct sockaddr_ll { u16 sll_family; be16 sll_protocol; s32 sll_ifindex; u16 sll_hatype;
 * u8 sll_pkttype; u8 sll_halen; u8 sll_addr[8]; } (20 bytes).
 *
 * <p>connect, listen, accept and shutdown are sock_no_* (EOPNOTSUPP), as on Linux.
 */
final class PacketOps implements ProtoOps {
    static final PacketOps INSTANCE = new PacketOps();

    /** One frame being built for dev_queue_xmit; the stack runs one call at a time. */
    private final byte[] tx = new byte[Packet.ETH_HLEN + 0x10000];
    private final MemorySegment txSeg = MemorySegment.ofArray(tx);

    private PacketOps() {}

    private static PacketSock po(Socket sock) { return (PacketSock) sock.sk; }

    @Override public int family() { return Net.AF_PACKET; }

    /** packet_release: off the hook, queue dropped. */
    @Override public int release(Socket sock) {
        PacketSock po = po(sock);
        if (po == null) return 0;
        po.family.unhook(po);
        po.queue.clear();
        po.queuedBytes = 0;
        sock.sk = null;
        po.socket = null;
        return 0;
    }

    /**
     * packet_bind → packet_do_bind: a sockaddr_ll of at least 20 bytes with sll_family AF_PACKET
     * (else EINVAL), an existing sll_ifindex or 0 (else ENODEV); sll_protocol 0 keeps the current
     * protocol. The hook is re-registered for the new (device, protocol) pair.
     */
    @Override public int bind(Socket sock, byte[] addr, int addrlen) {
        PacketSock po = po(sock);
        Tracer tr = po.stack.trace();
        if (tr.on) tr.enter("packet_bind", SockAddr.toString(addr, addrlen));
        if (sock.type == Net.SOCK_PACKET) return tr.exit("packet_bind", -Errno.EINVAL); // sockaddr_pkt: not implemented
        if (addrlen < Packet.SLL_LEN) return tr.exit("packet_bind", -Errno.EINVAL);
        if (SockAddr.family(addr, addrlen) != Net.AF_PACKET) return tr.exit("packet_bind", -Errno.EINVAL);
        int proto = (addr[2] & 0xFF) << 8 | (addr[3] & 0xFF);
        int ifindex = le32(addr, 4);
        if (ifindex != 0 && po.family.device(ifindex) == null) return tr.exit("packet_bind", -Errno.ENODEV);
        po.family.unhook(po);
        po.ifindex = ifindex;
        if (proto != 0) po.num = proto;
        if (po.num != 0) po.family.hook(po);
        if (tr.on) tr.note("listening for ethertype 0x" + Integer.toHexString(po.num)
                + (ifindex == 0 ? " on every device" : " on ifindex " + ifindex));
        tr.exit();
        return 0;
    }

    @Override public int connect(Socket sock, byte[] addr, int addrlen, int fileFlags) { return -Errno.EOPNOTSUPP; }

    /** packet_getname: sockaddr_ll of the binding, its length 12 + sll_halen; no peer (EOPNOTSUPP). */
    @Override public int getname(Socket sock, byte[] out, boolean peer) {
        if (peer) return -Errno.EOPNOTSUPP;
        PacketSock po = po(sock);
        java.util.Arrays.fill(out, 0, Packet.SLL_LEN, (byte) 0);
        SockAddr.putFamily(out, Net.AF_PACKET);
        out[2] = (byte) (po.num >> 8);
        out[3] = (byte) po.num;
        putLe32(out, 4, po.ifindex);
        NetDevice dev = po.family.device(po.ifindex);
        if (dev == null) return Packet.SLL_ADDR_OFF;
        byte[] mac = dev.hwAddr();
        int halen = mac == null ? (dev.type() == NetDevice.ARPHRD_LOOPBACK ? 6 : 0) : mac.length;
        out[8] = (byte) dev.type();
        out[9] = (byte) (dev.type() >> 8);
        out[11] = (byte) halen;
        if (mac != null) System.arraycopy(mac, 0, out, Packet.SLL_ADDR_OFF, mac.length);
        return Packet.SLL_ADDR_OFF + halen;
    }

    @Override public int poll(Socket sock) {
        PacketSock po = po(sock);
        int mask = Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
        if (!po.queue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        if (po.err != 0) mask |= Poll.POLLERR;
        return mask;
    }

    @Override public int shutdown(Socket sock, int how) { return -Errno.EOPNOTSUPP; }

    /**
     * packet_snd: the device from sll_ifindex (or the bound one when no address is given: ENXIO if
     * none), ENETDOWN never (devices here are always up), EMSGSIZE over the MTU plus the link
     * header. SOCK_RAW sends the caller's bytes as the frame; SOCK_DGRAM gets an Ethernet header
     * built from sll_addr (destination), the device's address and sll_protocol.
     */
    @Override public int sendmsg(Socket sock, MsgHdr msg, int flags) {
        PacketSock po = po(sock);
        Tracer tr = po.stack.trace();
        if (tr.on) tr.enter("packet_snd", Iov.total(msg) + " bytes");
        if (sock.type == Net.SOCK_PACKET) return tr.exit("packet_snd", -Errno.EINVAL);
        int proto, ifindex;
        byte[] dst = null;
        if (msg.name == null) {
            proto = po.num;
            ifindex = po.ifindex;
        } else {
            byte[] a = msg.name;
            if (msg.namelen < Packet.SLL_LEN) return tr.exit("packet_snd", -Errno.EINVAL);
            int halen = a[11] & 0xFF;
            if (msg.namelen < Packet.SLL_ADDR_OFF + halen) return tr.exit("packet_snd", -Errno.EINVAL);
            proto = (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
            ifindex = le32(a, 4);
            if (halen >= 6) dst = java.util.Arrays.copyOfRange(a, Packet.SLL_ADDR_OFF, Packet.SLL_ADDR_OFF + 6);
        }
        NetDevice dev = po.family.device(ifindex);
        if (dev == null) return tr.exit("packet_snd", -Errno.ENXIO);
        long total = Iov.total(msg);
        boolean ether = dev.type() == NetDevice.ARPHRD_ETHER;
        boolean lo = dev.type() == NetDevice.ARPHRD_LOOPBACK;
        int hh = ether || lo ? Packet.ETH_HLEN : 0;
        int reserve = sock.type == Net.SOCK_RAW ? hh : 0;
        if (total > dev.mtu() + reserve) return tr.exit("packet_snd", -Errno.EMSGSIZE);
        int len = (int) total;
        if (sock.type == Net.SOCK_RAW && len < hh) return tr.exit("packet_snd", -Errno.EINVAL);
        int off = 0;
        if (sock.type == Net.SOCK_DGRAM && ether) {
            if (dst == null) return tr.exit("packet_snd", -Errno.EINVAL);
            System.arraycopy(dst, 0, tx, 0, 6);
            byte[] mac = dev.hwAddr();
            if (mac != null) System.arraycopy(mac, 0, tx, 6, 6);
            tx[12] = (byte) (proto >> 8);
            tx[13] = (byte) proto;
            off = Packet.ETH_HLEN;
        }
        int r = Iov.copyFrom(msg, 0, tx, off, len);
        if (r < 0) return tr.exit("packet_snd", r);
        // Loopback carries bare IP here: the Ethernet header a SOCK_RAW caller wrote is dropped.
        int start = lo && sock.type == Net.SOCK_RAW ? Packet.ETH_HLEN : 0;
        int x = po.family.xmit(po, dev, txSeg.asSlice(start, off + len - start));
        if (x != NetDevice.XMIT_SUCCESS) return tr.exit("packet_snd", -Errno.ENOBUFS);
        if (tr.on) tr.note("dev_queue_xmit on " + dev.name() + ": " + (off + len - start) + " bytes");
        tr.exit();
        return len;
    }

    /**
     * packet_recvmsg: one frame per call; MSG_TRUNC in msg_flags when the buffer was short (and the
     * frame's full length returned when the caller asked with MSG_TRUNC); the source as a 20-byte
     * sockaddr_ll.
     */
    @Override public int recvmsg(Socket sock, MsgHdr msg, int flags) {
        PacketSock po = po(sock);
        long deadline = po.deadline(po.rcvTimeo);
        while (po.queue.isEmpty()) {
            if (po.err != 0) return -po.takeError();
            if ((flags & Net.MSG_DONTWAIT) != 0) return -Errno.EAGAIN;
            int r = po.sleep(deadline);
            if (r < 0) return r;
        }
        PacketSock.Frame f = (flags & Net.MSG_PEEK) != 0 ? po.queue.peek() : po.queue.poll();
        if ((flags & Net.MSG_PEEK) == 0) po.queuedBytes -= f.data().length;
        long room = Iov.total(msg);
        int n = (int) Math.min(room, f.data().length);
        int r = Iov.copyTo(msg, 0, f.data(), 0, n);
        if (r < 0) return r;
        msg.flags = n < f.data().length ? Net.MSG_TRUNC : 0;
        if (msg.name != null) {
            byte[] a = msg.name;
            java.util.Arrays.fill(a, 0, Packet.SLL_LEN, (byte) 0);
            SockAddr.putFamily(a, Net.AF_PACKET);
            a[2] = (byte) (f.proto() >> 8);
            a[3] = (byte) f.proto();
            putLe32(a, 4, f.ifindex());
            a[8] = (byte) f.hatype();
            a[9] = (byte) (f.hatype() >> 8);
            a[10] = (byte) f.pkttype();
            a[11] = (byte) f.addr().length;
            System.arraycopy(f.addr(), 0, a, Packet.SLL_ADDR_OFF, f.addr().length);
            msg.namelen = Packet.SLL_LEN;
        }
        return (flags & Net.MSG_TRUNC) != 0 ? f.data().length : n;
    }

    static int le32(byte[] a, int off) {
        return (a[off] & 0xFF) | (a[off + 1] & 0xFF) << 8 | (a[off + 2] & 0xFF) << 16 | (a[off + 3] & 0xFF) << 24;
    }

    static void putLe32(byte[] a, int off, int v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >> 8);
        a[off + 2] = (byte) (v >> 16);
        a[off + 3] = (byte) (v >> 24);
    }
}
