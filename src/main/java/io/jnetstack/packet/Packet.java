package io.jnetstack.packet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.ipv4.PacketTap;
import io.jnetstack.link.NetDevice;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.NetProtoFamily;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * AF_PACKET (net/packet/af_packet.c): packet_create, and the receive hook its sockets hang on
 * (packet_rcv through ptype_all / ptype_base), see packet(7).
 *
 * <p>Sockets with a non-zero protocol are "hooked": each receives a copy of every frame of that
 * ethertype (ETH_P_ALL: every frame) from every device, or from the device it is bound to. The hook
 * is installed into {@link Ipv4} only while at least one socket is hooked, so a stack without packet
 * sockets pays a null check per frame and nothing else.
 *
 * <p>Frames of IP-only links (ARPHRD_NONE: TUN) carry no link header: SOCK_RAW and SOCK_DGRAM see
 * the same bytes. The loopback device carries bare IP here while Linux's lo has a zeroed 14-byte
 * Ethernet header; SOCK_RAW on lo gets that header synthesized, as Linux shows it.
 *
 * <p>Outgoing frames reach ETH_P_ALL sockets as PACKET_OUTGOING copies (dev_queue_xmit_nit), so on
 * lo, as on Linux, such a socket sees every packet twice: leaving, then arriving.
 *
 * <p>Gaps: no PACKET_* socket options, rings (PACKET_MMAP) or fanout; SOCK_PACKET sockets are
 * created but their sockaddr_pkt bind/sendto are not implemented (EINVAL).
 */
public final class Packet implements NetProtoFamily, PacketTap {
    /** Ethertypes (linux/if_ether.h), host order. */
    public static final int ETH_P_ALL = 0x0003, ETH_P_IP = 0x0800, ETH_P_ARP = 0x0806, ETH_P_IPV6 = 0x86DD;
    /** sll_pkttype values. */
    public static final int PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3,
            PACKET_OUTGOING = 4;
    /** sizeof(struct sockaddr_ll) and offsetof(struct sockaddr_ll, sll_addr). */
    public static final int SLL_LEN = 20, SLL_ADDR_OFF = 12;
    static final int ETH_HLEN = 14;

    final Stack stack;
    private final Tracer tr;
    private final List<PacketSock> hooked = new ArrayList<>();
    private final byte[] loHeader = new byte[ETH_HLEN];
    /** The packet socket whose frame is being transmitted (kept from seeing its own frame). */
    private PacketSock sender;

    private Packet(Stack stack) {
        this.stack = stack;
        this.tr = stack.trace();
        loHeader[12] = (byte) (ETH_P_IP >> 8);
    }

    /** Registers AF_PACKET with the stack's socket layer (after IPv4 is installed). */
    public static Packet install(Stack stack) {
        Packet p = stack.module(Packet.class);
        if (p != null) return p;
        p = new Packet(stack);
        stack.register(Packet.class, p);
        Families.of(stack).register(p);
        return p;
    }

    @Override public int family() { return Net.AF_PACKET; }

    /**
     * packet_create: CAP_NET_RAW first (EPERM), then the type (SOCK_RAW, SOCK_DGRAM or the old
     * SOCK_PACKET, else ESOCKTNOSUPPORT). The protocol is an ethertype in network byte order, of
     * which only the low 16 bits count; a non-zero one hooks the socket at once.
     */
    @Override
    public int create(Socket sock, int protocol, boolean kern, Credentials cred) {
        if (tr.on) tr.enter("packet_create", "type=" + Net.typeName(sock.type) + " protocol=" + protocol);
        if (!kern && (cred == null || !cred.netRaw())) {
            if (tr.on) tr.note("AF_PACKET needs CAP_NET_RAW");
            return tr.exit("packet_create", -Errno.EPERM);
        }
        if (sock.type != Net.SOCK_RAW && sock.type != Net.SOCK_DGRAM && sock.type != Net.SOCK_PACKET)
            return tr.exit("packet_create", -Errno.ESOCKTNOSUPPORT);
        sock.state = Socket.SS_UNCONNECTED;
        PacketSock po = new PacketSock(this, sock.type, protocol);
        if (cred != null) po.uid = cred.uid();
        sock.ops = PacketOps.INSTANCE;
        sock.graft(po);
        if (po.num != 0) hook(po);
        tr.exit();
        return 0;
    }

    /** register_prot_hook. */
    void hook(PacketSock po) {
        if (po.running) return;
        po.running = true;
        hooked.add(po);
        if (hooked.size() == 1) Ipv4.of(stack).setPacketTap(this);
    }

    /** unregister_prot_hook. */
    void unhook(PacketSock po) {
        if (!po.running) return;
        po.running = false;
        hooked.remove(po);
        if (hooked.isEmpty()) Ipv4.of(stack).setPacketTap(null);
    }

    /**
     * packet_snd's dev_queue_xmit: through the stack's transmit funnel, so other ETH_P_ALL
     * sockets see the frame as PACKET_OUTGOING, but not {@code from}.
     */
    int xmit(PacketSock from, NetDevice dev, MemorySegment frame) {
        sender = from;
        try {
            return Ipv4.of(stack).devQueueXmit(dev, frame);
        } finally {
            sender = null;
        }
    }

    NetDevice device(int ifindex) {
        List<NetDevice> d = stack.devices();
        return ifindex >= 1 && ifindex <= d.size() ? d.get(ifindex - 1) : null;
    }

    /**
     * packet_rcv for every hooked socket that wants this frame: classifies it once (ethertype,
     * sll_pkttype, source address) and queues a copy per socket.
     */
    @Override
    public void tap(NetDevice dev, int ifindex, MemorySegment frame, boolean outgoing) {
        long n = frame.byteSize();
        boolean ether = dev.type() == NetDevice.ARPHRD_ETHER;
        int proto, pkttype = outgoing ? PACKET_OUTGOING : PACKET_HOST;
        if (ether) {
            if (n < ETH_HLEN) return;
            proto = (frame.get(JAVA_BYTE, 12) & 0xFF) << 8 | (frame.get(JAVA_BYTE, 13) & 0xFF);
            if (!outgoing) {
                if ((frame.get(JAVA_BYTE, 0) & 1) != 0) pkttype = isBroadcast(frame) ? PACKET_BROADCAST : PACKET_MULTICAST;
                else if (!isMine(dev.hwAddr(), frame)) pkttype = PACKET_OTHERHOST;
            }
        } else {
            if (n < 1) return;
            proto = (frame.get(JAVA_BYTE, 0) & 0xF0) == 0x60 ? ETH_P_IPV6 : ETH_P_IP;
        }
        for (int i = 0; i < hooked.size(); i++) {
            PacketSock po = hooked.get(i);
            // dev_queue_xmit_nit shows outgoing frames to ETH_P_ALL sockets only, never back to
            // the packet socket that sent them.
            if (outgoing ? po.num != ETH_P_ALL || po == sender : po.num != ETH_P_ALL && po.num != proto) continue;
            if (po.ifindex != 0 && po.ifindex != ifindex) continue;
            if (tr.on) tr.note("packet_rcv: " + n + " bytes, ethertype 0x" + Integer.toHexString(proto)
                    + " from ifindex " + ifindex + " → packet socket");
            po.queue(dev, ifindex, frame, ether, proto, pkttype, dev.type() == NetDevice.ARPHRD_LOOPBACK ? loHeader : null);
        }
    }

    private static boolean isBroadcast(MemorySegment f) {
        for (int i = 0; i < 6; i++) if (f.get(JAVA_BYTE, i) != (byte) 0xFF) return false;
        return true;
    }

    private static boolean isMine(byte[] mac, MemorySegment f) {
        if (mac == null) return true;
        for (int i = 0; i < 6; i++) if (f.get(JAVA_BYTE, i) != mac[i]) return false;
        return true;
    }
}
