package io.jnetstack.neighbour;

import io.jnetstack.ipv4.IcmpSender;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.ipv4.Neighbour;
import io.jnetstack.ipv4.Route;
import io.jnetstack.link.NetDevice;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.wire.ArpPacket;
import io.jnetstack.wire.EthernetFrame;
import io.jnetstack.wire.Ipv4Address;
import io.jnetstack.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;

/**
 * ARP (RFC 826; net/ipv4/arp.c) and Ethernet framing for IPv4 on ARPHRD_ETHER devices: the stack's
 * {@link Neighbour}, installed into IPv4 by {@link #of}.
 *
 * <ul>
 *   <li>Output (ip_finish_output2 → neigh_output): broadcast and multicast next hops map to their
 *       MACs (arp_mc_map) without resolution; unicast next hops go through the {@link NeighTable}.
 *       The frame is Ethernet II, source the device's MAC, not padded (the device or the kernel
 *       behind a TAP pads what goes on a real wire, as Linux leaves it).
 *   <li>Input (arp_rcv → arp_process): a request for one of our addresses creates the requester's
 *       entry (STALE) and is answered by unicast; a request from 0.0.0.0 (RFC 5227 probe) is answered
 *       without creating anything; any request or reply from a neighbour we already have updates it
 *       (a reply to us: REACHABLE). Unsolicited news about strangers is ignored (arp_accept 0).
 *   <li>Requests (arp_solicit): broadcast while INCOMPLETE, unicast to the cached MAC while PROBE;
 *       sender IP is the source of the packet waiting, if local (arp_announce 0), else the device's
 *       address on the target's subnet; target MAC zero.
 *   <li>Gratuitous ARP (inetdev_send_gratuitous_arp) when an address is added to an Ethernet
 *       device: a broadcast request with sender and target both the new address.
 *   <li>Failure (arp_error_report): each packet that waited is answered with ICMP host unreachable
 *       towards its source, this host, so its socket reports EHOSTUNREACH.
 * </ul>
 */
public final class Arp implements Neighbour, NeighOps {
    private static final int ETH_HLEN = EthernetFrame.HEADER_LEN, ARP_FRAME = ETH_HLEN + ArpPacket.LEN;
    /** ICMP destination unreachable / host unreachable. */
    private static final int ICMP_DEST_UNREACH = 3, ICMP_HOST_UNREACH = 1;

    private final Stack stack;
    private final Tracer tr;
    private final Ipv4 ip;
    private final NeighTable tbl;
    private final Counters<ArpMib> mib;
    /** Device → its MAC, read once (dev->dev_addr). */
    private final IdentityHashMap<NetDevice, long[]> macs = new IdentityHashMap<>();
    // Reused per packet: one packet at a time.
    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final MemorySegment frame = MemorySegment.ofArray(new byte[ETH_HLEN + 0x10000]);
    private final MemorySegment arpFrame = MemorySegment.ofArray(new byte[ARP_FRAME]);

    private Arp(Stack stack) {
        this.stack = stack;
        this.tr = stack.trace();
        this.ip = Ipv4.of(stack);
        this.mib = stack.snmp().group("Arp", ArpMib.class);
        this.tbl = new NeighTable(stack, this);
    }

    /** arp_init: the stack's ARP, created and set as IPv4's neighbour layer on first use. */
    public static Arp of(Stack stack) {
        Arp a = stack.module(Arp.class);
        if (a == null) {
            a = new Arp(stack);
            stack.register(Arp.class, a);
            Ipv4.of(stack).setNeighbour(a);
        }
        return a;
    }

    public NeighTable table() { return tbl; }

    public Counters<ArpMib> mib() { return mib; }

    /** The entry for {@code addr} on {@code dev} (ip neigh show ADDR dev DEV), or null. */
    public Neigh neighbour(NetDevice dev, int addr) { return tbl.lookup(dev, addr); }

    /** dev->dev_addr as a long; -1 for a device without one (it cannot speak ARP). */
    private long macOf(NetDevice dev) {
        long[] m = macs.get(dev);
        if (m == null) {
            byte[] hw = dev.hwAddr();
            m = new long[] {hw != null && hw.length == MacAddress.LEN ? MacAddress.fromBytes(hw) : -1};
            macs.put(dev, m);
        }
        return m[0];
    }

    // ------------------------------------------------------------------ output

    /** neigh_output for one IPv4 packet to {@code nextHop} on {@code dev}. */
    @Override public int output(NetDevice dev, int nextHop, MemorySegment ipPacket) {
        long src = macOf(dev);
        if (src < 0) return -io.jnetstack.uapi.Errno.EINVAL;
        if (nextHop == 0xFFFFFFFF || ip.isBroadcast(nextHop))
            return xmit(dev, MacAddress.BROADCAST, src, EthernetFrame.ETHERTYPE_IPV4, ipPacket);
        if (Ipv4.isMulticast(nextHop))
            return xmit(dev, MacAddress.ofIpv4Multicast(nextHop), src, EthernetFrame.ETHERTYPE_IPV4, ipPacket);
        Neigh n = tbl.lookupOrCreate(dev, nextHop);
        if (n == null) return -io.jnetstack.uapi.Errno.ENOBUFS;
        return tbl.eventSend(n, ipPacket);
    }

    /** neigh_hh_output: the IPv4 packet behind an Ethernet header to the entry's MAC. */
    @Override public int transmit(Neigh n, MemorySegment ipPacket) {
        return xmit(n.dev, n.lladdr, macOf(n.dev), EthernetFrame.ETHERTYPE_IPV4, ipPacket);
    }

    private int xmit(NetDevice dev, long dst, long src, int type, MemorySegment payload) {
        int len = (int) payload.byteSize();
        if (len > frame.byteSize() - ETH_HLEN) return -io.jnetstack.uapi.Errno.EMSGSIZE;
        eth.wrap(frame).dst(dst).src(src).etherType(type);
        MemorySegment.copy(payload, 0, frame, ETH_HLEN, len);
        return dev.transmit(frame.asSlice(0, ETH_HLEN + len)) == NetDevice.XMIT_SUCCESS ? 0
                : -io.jnetstack.uapi.Errno.ENOBUFS;
    }

    // ------------------------------------------------------------------ ARP messages

    /** arp_send / arp_create: one ARP packet in an Ethernet frame. */
    private void send(NetDevice dev, int op, long ethDst, int sip, long tha, int tip) {
        long sha = macOf(dev);
        if (sha < 0) return;
        eth.wrap(arpFrame).dst(ethDst).src(sha).etherType(EthernetFrame.ETHERTYPE_ARP);
        arp.wrap(arpFrame.asSlice(ETH_HLEN)).htype(ArpPacket.HTYPE_ETHERNET).ptype(EthernetFrame.ETHERTYPE_IPV4)
           .hlen(MacAddress.LEN).plen(4).operation(op).senderMac(sha).senderIp(sip).targetMac(tha).targetIp(tip);
        if (tr.on) tr.event("arp_send", arp + (ethDst == MacAddress.BROADCAST ? " (broadcast)" : ""));
        dev.transmit(arpFrame);
    }

    /** arp_solicit. */
    @Override public void solicit(Neigh n, boolean unicast) {
        int saddr = n.probeSaddr != 0 && ip.isLocal(n.probeSaddr) && (n.probeSaddr >>> 24) != 127 ? n.probeSaddr
                : ip.selectAddr(n.dev, n.key);
        mib.inc(ArpMib.OutRequests);
        send(n.dev, ArpPacket.OP_REQUEST, unicast ? n.lladdr : MacAddress.BROADCAST, saddr, MacAddress.ZERO, n.key);
    }

    /** arp_error_report → ipv4_link_failure: ICMP host unreachable about the packet, to its (our) source. */
    @Override public void errorReport(Neigh n, MemorySegment ipPacket) {
        if (tr.on) tr.event("arp_error_report", "no answer from " + Ipv4Address.format(n.key) + " → ICMP host unreachable");
        IcmpSender icmp = stack.module(IcmpSender.class);
        if (icmp != null) icmp.send(ipPacket, Route.RTN_UNICAST, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
    }

    /**
     * inetdev_send_gratuitous_arp: announces {@code addr} on {@code dev} (a broadcast request for our
     * own address), so neighbours that cached an old MAC for it update their entry.
     */
    public void announce(NetDevice dev, int addr) {
        if (dev.type() != NetDevice.ARPHRD_ETHER || macOf(dev) < 0) return;
        mib.inc(ArpMib.OutGratuitous);
        send(dev, ArpPacket.OP_REQUEST, MacAddress.BROADCAST, addr, MacAddress.ZERO, addr);
    }

    @Override public void addressAdded(NetDevice dev, int addr, int prefixLen) { announce(dev, addr); }

    // ------------------------------------------------------------------ input

    /** arp_rcv + arp_process for a frame of a non-IPv4 EtherType on an Ethernet device. */
    @Override public void receive(NetDevice dev, MemorySegment f) {
        if (f.byteSize() < ETH_HLEN) return;
        EthernetFrame e = eth.wrap(f);
        if (e.etherType() != EthernetFrame.ETHERTYPE_ARP) return;   // IPv6 and others: no handler here
        long ours = macOf(dev);
        if (ours < 0) return;
        MemorySegment body = f.asSlice(ETH_HLEN);
        ArpPacket a = arp.wrap(body);
        if (!a.checkLen() || a.htype() != ArpPacket.HTYPE_ETHERNET || a.ptype() != EthernetFrame.ETHERTYPE_IPV4
                || a.hlen() != MacAddress.LEN || a.plen() != 4) {
            mib.inc(ArpMib.InMalformed);
            if (tr.on) tr.event("arp_rcv", "not IPv4-over-Ethernet ARP or truncated, dropped");
            return;
        }
        int op = a.operation();
        if (op != ArpPacket.OP_REQUEST && op != ArpPacket.OP_REPLY) {
            mib.inc(ArpMib.InMalformed);
            if (tr.on) tr.event("arp_rcv", "operation " + op + " ignored");
            return;
        }
        long sha = a.senderMac();
        int sip = a.senderIp(), tip = a.targetIp();
        boolean toUs = e.dst() == ours;
        mib.inc(op == ArpPacket.OP_REQUEST ? ArpMib.InRequests : ArpMib.InReplies);
        if (tr.on) tr.event("arp_rcv", a.toString());
        // Bad requests for 127/8 and multicast targets; senders that cannot be a host.
        if (Ipv4.isMulticast(tip) || Ipv4.isLoopbackAddr(tip) || Ipv4.isMulticast(sip) || Ipv4.isLoopbackAddr(sip)
                || sip == 0xFFFFFFFF || MacAddress.isMulticast(sha) || sha == ours) {
            mib.inc(ArpMib.InMartians);
            if (tr.on) tr.event("arp_process", "martian sender or target, dropped");
            return;
        }
        if (sip == 0) {
            // RFC 5227 address probe: defend our address, learn nothing.
            if (op == ArpPacket.OP_REQUEST && ip.isLocal(tip)) reply(dev, sha, tip, sha, 0);
            return;
        }
        if (op == ArpPacket.OP_REQUEST && ip.isLocal(tip)) {
            // neigh_event_ns: the requester will talk to us; remember it (STALE) and answer.
            Neigh n = tbl.lookupOrCreate(dev, sip);
            if (n != null) {
                tbl.update(n, sha, Nud.STALE, !tbl.locked(n));
                reply(dev, sha, tip, sha, sip);
            }
            return;
        }
        Neigh n = tbl.lookup(dev, sip);
        if (n == null) {
            if (tr.on) tr.event("arp_process", "nothing cached for " + Ipv4Address.format(sip) + " (arp_accept 0), ignored");
            return;
        }
        boolean garp = sip == tip;
        int state = op == ArpPacket.OP_REPLY && toUs ? Nud.REACHABLE : Nud.STALE;
        tbl.update(n, sha, state, garp || !tbl.locked(n));
    }

    /** An ARP reply from our address {@code sip} to ({@code tha}, {@code tip}), unicast to {@code ethDst}. */
    private void reply(NetDevice dev, long ethDst, int sip, long tha, int tip) {
        mib.inc(ArpMib.OutReplies);
        send(dev, ArpPacket.OP_REPLY, ethDst, sip, tha, tip);
    }
}
