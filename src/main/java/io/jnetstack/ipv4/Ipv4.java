package io.jnetstack.ipv4;

import io.jnetstack.link.ChecksumOffload;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.PacketReceiver;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Sysctl;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.wire.Ipv4Header;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The IPv4 layer of one stack (net/ipv4/ip_input.c, ip_output.c, route.c, fib_frontend.c):
 * addresses, the routing tables, input validation and local delivery, output with fragmentation,
 * reassembly ({@link IpDefrag}) and the path-MTU cache.
 *
 * <p>Routing follows Linux's two tables: the "local" table (this host's addresses, 127.0.0.0/8 on
 * the loopback device, and subnet broadcasts), consulted first, then the "main" {@link Fib}
 * (longest prefix match). Packets to a local address leave through the loopback device, as Linux's
 * local routes say {@code dev lo}.
 *
 * <p>Devices of type ARPHRD_LOOPBACK and ARPHRD_NONE carry bare IPv4 packets; ARPHRD_ETHER devices
 * carry Ethernet II frames and need a {@link Neighbour} for output. The host does not forward
 * (net.ipv4.ip_forward = 0): a packet for another host is counted in InAddrErrors and dropped.
 */
public final class Ipv4 implements Ip, PacketReceiver {
    /** ip_rt_min_pmtu and ip_rt_mtu_expires (10 minutes), Linux's defaults. */
    public static final int MIN_PMTU = 552;
    public static final long PMTU_EXPIRES_NS = 600L * 1_000_000_000L;
    private static final int ETH_HLEN = 14, ETH_P_IP = 0x0800;

    /** struct in_ifaddr: one address on one device. */
    public record IfAddr(NetDevice dev, int addr, int prefixLen) {
        public int mask() { return Fib.mask(prefixLen); }
        /** The subnet broadcast address; none (0) on /31 and /32 (RFC 3021). */
        public int broadcast() { return prefixLen >= 31 ? 0 : addr | ~mask(); }
        public boolean onLink(int a) { return (a & mask()) == (addr & mask()); }
    }

    private final Stack stack;
    private final Tracer tr;
    private final Counters<IpMib> mib;
    private final Counters<IpExtMib> ext;
    private final Sysctl ipForward;
    private final List<IfAddr> addrs = new ArrayList<>();
    private final Fib main = new Fib();
    private final NetProtocol[] protocols = new NetProtocol[256];
    private final IpDefrag defrag;
    private RawDeliver raw;
    private IcmpSender icmp;
    private Neighbour neighbour;
    private NetDevice loopback;
    /** AF_PACKET's receive hook (ptype_all), null while no packet socket listens. */
    private PacketTap packetTap;
    /** The path-MTU cache (the nexthop exceptions of fib_nh_exception): daddr → {mtu, expires}. */
    private final Map<Integer, long[]> pmtu = new HashMap<>();
    /** ip_idents: per-destination-bucket identification counters for non-DF packets (RFC 6864). */
    private final int[] idents = new int[2048];
    private final int identSeed;

    // Reused per packet: the stack runs one packet at a time.
    private final Route rt = new Route();
    private final IpRx rx = new IpRx();
    private final Ipv4Header iph = new Ipv4Header();
    private final Ipv4Header fragh = new Ipv4Header();
    private final MemorySegment tx = MemorySegment.ofArray(new byte[HEADROOM + 0x10000]);
    private final MemorySegment fragBuf = MemorySegment.ofArray(new byte[HEADROOM + 0x10000]);
    /** Reused views (no allocation per packet): the header being built, the frame handed down. */
    private final SliceCache outSlice = new SliceCache(), xmitSlice = new SliceCache();

    private Ipv4(Stack stack) {
        this.stack = stack;
        this.tr = stack.trace();
        this.mib = stack.snmp().group("Ip", IpMib.class);
        this.ext = stack.snmp().group("IpExt", IpExtMib.class);
        this.ipForward = stack.sysctl().define("net.ipv4.ip_forward", 0, 1, 0);
        mib.add(IpMib.Forwarding, 2); // RFC 4293: 2 = "notForwarding"
        mib.add(IpMib.DefaultTTL, stack.sysctl().ipDefaultTtl.value());
        this.defrag = new IpDefrag(stack, mib, ext);
        for (int i = 0; i < idents.length; i++) idents[i] = stack.random().nextInt() & 0xFFFF;
        this.identSeed = stack.random().nextInt();
    }

    /** The stack's IPv4 layer, created and registered (as {@link Ip} and {@link Ipv4}) on first use. */
    public static Ipv4 of(Stack stack) {
        Ipv4 ip = stack.module(Ipv4.class);
        if (ip == null) {
            ip = new Ipv4(stack);
            stack.register(Ipv4.class, ip);
            stack.register(Ip.class, ip);
        }
        return ip;
    }

    public Stack stack() { return stack; }

    // ------------------------------------------------------------------ configuration

    /**
     * Adds {@code dev} to the stack (if not yet there) and opens it with this layer as its receiver
     * (dev_open + ip_rcv registration). A loopback device (ARPHRD_LOOPBACK) gets 127.0.0.1/8, as
     * {@code ip link set lo up} gives it, and becomes the device local traffic leaves through.
     */
    public void attach(NetDevice dev) {
        if (stack.ifindex(dev) == 0) stack.addDevice(dev);
        dev.open(this);
        if (dev.type() == NetDevice.ARPHRD_LOOPBACK && loopback == null) {
            loopback = dev;
            addAddress(dev, 0x7f000001, 8);
        }
    }

    /**
     * {@code ip addr add addr/prefixLen dev dev}: the address becomes local, and the prefix route
     * (the subnet on-link through {@code dev}, preferred source {@code addr}) enters the main table.
     * Returns 0, -EEXIST when the address is already there, -EINVAL for a bad prefix.
     */
    public int addAddress(NetDevice dev, int addr, int prefixLen) {
        if (prefixLen < 0 || prefixLen > 32 || dev == null) return -Errno.EINVAL;
        for (IfAddr a : addrs) if (a.addr == addr && a.dev == dev) return -Errno.EEXIST;
        IfAddr ifa = new IfAddr(dev, addr, prefixLen);
        addrs.add(ifa);
        if (dev.type() != NetDevice.ARPHRD_LOOPBACK && prefixLen < 32)
            main.add(addr & ifa.mask(), prefixLen, 0, dev, addr);
        if (tr.on) tr.note("inet_insert_ifa: " + SockAddr.ipString(addr) + "/" + prefixLen + " dev " + dev.name());
        if (neighbour != null && dev.type() == NetDevice.ARPHRD_ETHER) neighbour.addressAdded(dev, addr, prefixLen);
        return 0;
    }

    /** {@code ip route add dst/prefixLen [via gateway] dev dev}; returns 0, -EEXIST or -EINVAL. */
    public int addRoute(int dst, int prefixLen, int gateway, NetDevice dev) {
        return main.add(dst, prefixLen, gateway, dev, 0);
    }

    /** {@code ip route add default via gateway dev dev}. */
    public int setDefaultGateway(int gateway, NetDevice dev) { return addRoute(0, 0, gateway, dev); }

    public int removeRoute(int dst, int prefixLen) { return main.remove(dst, prefixLen); }

    public Fib fib() { return main; }

    public List<IfAddr> addresses() { return addrs; }

    public NetDevice loopbackDevice() { return loopback; }

    public void setRawDeliver(RawDeliver r) { this.raw = r; }

    public RawDeliver rawDeliver() { return raw; }

    public void setIcmpSender(IcmpSender s) {
        this.icmp = s;
        defrag.icmp = s;
    }

    public void setNeighbour(Neighbour n) { this.neighbour = n; }

    /**
     * Installs (or with null removes) the packet tap that sees every received frame first
     * (AF_PACKET's ptype_all hook). Its owner keeps it null while it has no listeners.
     */
    public void setPacketTap(PacketTap t) { this.packetTap = t; }

    public NetProtocol protocol(int p) { return protocols[p & 0xFF]; }

    // ------------------------------------------------------------------ address classification

    @Override public boolean isLocal(int addr) {
        if ((addr >>> 24) == 127) return loopback != null;
        for (int i = 0, n = addrs.size(); i < n; i++) if (addrs.get(i).addr == addr) return true;
        return false;
    }

    @Override public boolean isBroadcast(int addr) {
        if (addr == 0xFFFFFFFF) return true;
        for (int i = 0, n = addrs.size(); i < n; i++) {
            IfAddr a = addrs.get(i);
            if (a.broadcast() != 0 && a.broadcast() == addr) return true;
        }
        return false;
    }

    public static boolean isMulticast(int addr) { return (addr >>> 28) == 0xE; }

    public static boolean isLoopbackAddr(int addr) { return (addr >>> 24) == 127; }

    /** inet_addr_type: RTN_LOCAL, RTN_BROADCAST, RTN_MULTICAST or RTN_UNICAST. */
    public int addrType(int addr) {
        if (isLocal(addr)) return Route.RTN_LOCAL;
        if (isBroadcast(addr) || addr == 0) return addr == 0 ? Route.RTN_BROADCAST : Route.RTN_BROADCAST;
        if (isMulticast(addr)) return Route.RTN_MULTICAST;
        return Route.RTN_UNICAST;
    }

    // ------------------------------------------------------------------ routing

    /**
     * ip_route_output_key: local table first (local addresses and broadcasts), then the main table.
     * The returned Route is this layer's one scratch object, valid until the next lookup.
     */
    @Override public Route route(int daddr, int saddr, int oif) {
        NetDevice oifDev = oif == 0 ? null : device(oif);
        if (oif != 0 && oifDev == null) return null;
        if (saddr != 0 && !isLocal(saddr)) return null; // ip_route_output_slow: EINVAL; callers check earlier
        rt.gateway = 0;
        rt.dst = daddr;
        if (isLocal(daddr) || (daddr == 0 && loopback != null)) {
            // Linux routes INADDR_ANY as a destination to the host itself.
            if (loopback == null) return null;
            rt.type = Route.RTN_LOCAL;
            rt.dev = loopback;
            rt.prefSrc = saddr != 0 ? saddr : daddr == 0 ? 0x7f000001 : daddr;
        } else {
            Fib.Entry e = daddr == 0xFFFFFFFF ? firstRouteFor(oifDev) : main.lookup(daddr, oifDev);
            if (e == null) return null;
            rt.type = isBroadcast(daddr) ? Route.RTN_BROADCAST : isMulticast(daddr) ? Route.RTN_MULTICAST
                    : Route.RTN_UNICAST;
            rt.dev = e.dev;
            rt.gateway = rt.type == Route.RTN_UNICAST ? e.gateway : 0;
            rt.prefSrc = saddr != 0 ? saddr : e.prefSrc != 0 ? e.prefSrc : selectAddr(e.dev, rt.nextHop());
            if (rt.prefSrc == 0) return null;
        }
        rt.ifindex = stack.ifindex(rt.dev);
        rt.mtu = rt.type == Route.RTN_UNICAST ? pathMtu(daddr, rt.dev.mtu()) : rt.dev.mtu();
        return rt;
    }

    /** 255.255.255.255 goes out of the bound device, else the device of the first route. */
    private Fib.Entry firstRouteFor(NetDevice dev) {
        for (int i = 0; i < main.size(); i++) if (dev == null || main.get(i).dev == dev) return main.get(i);
        return null;
    }

    /** inet_select_addr: an address of {@code dev} on the same subnet as {@code dst}, else any of its, else any. */
    public int selectAddr(NetDevice dev, int dst) {
        int any = 0;
        for (IfAddr a : addrs) {
            if (a.dev != dev) continue;
            if (a.onLink(dst)) return a.addr;
            if (any == 0) any = a.addr;
        }
        if (any != 0) return any;
        for (IfAddr a : addrs) if (a.dev != loopback) return a.addr;
        return 0;
    }

    private NetDevice device(int ifindex) {
        List<NetDevice> d = stack.devices();
        return ifindex >= 1 && ifindex <= d.size() ? d.get(ifindex - 1) : null;
    }

    @Override public int pathMtu(int daddr) {
        Route r = route(daddr, 0, 0);
        return r == null ? 0 : r.mtu;
    }

    private int pathMtu(int daddr, int devMtu) {
        long[] e = pmtu.get(daddr);
        if (e == null) return devMtu;
        if (stack.now() >= e[1]) {
            pmtu.remove(daddr);
            return devMtu;
        }
        return (int) Math.min(e[0], devMtu);
    }

    /**
     * __ip_rt_update_pmtu: an ICMP "fragmentation needed" (RFC 1191) lowered the MTU towards
     * {@code daddr}. Clamped to ip_rt_min_pmtu (552); only ever lowers; expires after 10 minutes.
     */
    public void updatePmtu(int daddr, int mtu) {
        if (mtu < MIN_PMTU) mtu = MIN_PMTU;
        int cur = pathMtu(daddr);
        if (cur != 0 && mtu >= cur) return;
        pmtu.put(daddr, new long[] {mtu, stack.now() + PMTU_EXPIRES_NS});
        if (tr.on) tr.event("ip_rt_update_pmtu", SockAddr.ipString(daddr) + " mtu " + mtu);
    }

    // ------------------------------------------------------------------ output

    @Override public MemorySegment txBuffer() { return tx; }

    @Override public void register(int protocol, NetProtocol handler) { protocols[protocol & 0xFF] = handler; }

    @Override
    public int output(Route rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df,
                      MemorySegment buf, long l4Off, int l4Len, int ipSummed) {
        return output(rt, saddr, daddr, protocol, tos, ttl, df, -1, buf, l4Off, l4Len, ipSummed);
    }

    /**
     * {@link #output(Route, int, int, int, int, int, boolean, MemorySegment, long, int, int)} with an explicit
     * Identification: {@code id} ≥ 0 is used as is (a connected socket's inet_id), -1 lets this
     * layer choose as ip_select_ident does: 0 for DF packets (RFC 6864 §4.1: an atomic datagram's ID
     * means nothing), a per-destination counter otherwise.
     */
    public int output(Route rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df, int id,
                      MemorySegment buf, long l4Off, int l4Len, int ipSummed) {
        mib.inc(IpMib.OutRequests);
        long off = l4Off - Ipv4Header.MIN_LEN;
        int totLen = Ipv4Header.MIN_LEN + l4Len;
        if (off < 0) return -Errno.ENOBUFS;
        if (totLen > Ipv4Header.MAX_TOTAL_LEN) return -Errno.EMSGSIZE;
        if (rt == null || rt.dev == null) {
            mib.inc(IpMib.OutNoRoutes);
            return -Errno.ENETUNREACH;
        }
        Ipv4Header h = iph.wrap(outSlice.slice(buf, off, totLen));
        h.headerLen(Ipv4Header.MIN_LEN).tos(tos).totalLen(totLen)
         .id(id >= 0 ? id : df ? 0 : selectIdent(daddr, saddr, protocol))
         .fragWord(df ? Ipv4Header.FLAG_DF : 0).ttl(ttl).protocol(protocol).src(saddr).dst(daddr)
         .computeChecksum();
        if (tr.on) tr.note("ip_queue_xmit: " + h);
        return send(rt, h, ipSummed);
    }

    /**
     * ip_output for a packet whose header is already built (raw sockets with IP_HDRINCL, ICMP
     * replies): fragments when needed and allowed, and transmits. {@code h} wraps the whole packet.
     */
    public int send(Route rt, Ipv4Header h) { return send(rt, h, ChecksumOffload.CHECKSUM_NONE); }

    private int send(Route rt, Ipv4Header h, int ipSummed) {
        int totLen = h.totalLen();
        if (totLen > rt.mtu) {
            if (h.dontFrag()) {
                mib.inc(IpMib.FragFails);
                if (tr.on) tr.note("ip_fragment: DF set and " + totLen + " > mtu " + rt.mtu + " → EMSGSIZE");
                return -Errno.EMSGSIZE;
            }
            // ip_do_fragment: each fragment carries a piece of the checksummed data, so finish it first.
            ChecksumOffload.finish(h.segment(), 0, ipSummed);
            return fragment(rt, h);
        }
        return transmit(rt, h.segment(), totLen, ipSummed);
    }

    /** __ip_select_ident: a counter per (daddr, saddr, protocol) bucket, seeded from the stack's random. */
    private int selectIdent(int daddr, int saddr, int protocol) {
        int hsh = (daddr * 0x9E3779B1) ^ (saddr * 0x85EBCA6B) ^ (protocol * 0xC2B2AE35) ^ identSeed;
        hsh ^= hsh >>> 15;
        int b = hsh & (idents.length - 1);
        return idents[b]++ & 0xFFFF;
    }

    /**
     * ip_fragment / ip_do_fragment (RFC 791 §3.2): cuts the packet into pieces of the route's MTU,
     * each payload but the last a multiple of 8 bytes, copying the header (options are copied into
     * every fragment only if their "copied" flag says so; this stack sends no options).
     */
    private int fragment(Route rt, Ipv4Header h) {
        int hl = h.headerLen();
        int total = h.totalLen();
        int maxData = (rt.mtu - hl) & ~7;
        if (maxData < 8) {
            mib.inc(IpMib.FragFails);
            return -Errno.EMSGSIZE;
        }
        MemorySegment src = h.segment();
        int baseOff = h.fragOffset();
        boolean lastHasMf = h.moreFrags();
        int n = 0;
        for (int pos = hl; pos < total; ) {
            int len = Math.min(maxData, total - pos);
            boolean last = pos + len >= total;
            MemorySegment f = fragBuf.asSlice(HEADROOM, hl + len);
            MemorySegment.copy(src, 0, f, 0, hl);
            MemorySegment.copy(src, pos, f, hl, len);
            Ipv4Header fh = fragh.wrap(f);
            fh.totalLen(hl + len).fragWord(0).fragOffset(baseOff + pos - hl).moreFrags(!last || lastHasMf)
              .computeChecksum();
            int err = transmit(rt, f, hl + len, ChecksumOffload.CHECKSUM_NONE);
            if (err < 0) {
                mib.inc(IpMib.FragFails);
                return err;
            }
            mib.inc(IpMib.FragCreates);
            n++;
            pos += len;
        }
        mib.inc(IpMib.FragOKs);
        if (tr.on) tr.note("ip_fragment: " + total + " bytes → " + n + " fragments of ≤ " + (hl + maxData));
        return 0;
    }

    /** ip_finish_output2: to the device (through the neighbour layer on Ethernet). */
    private int transmit(Route rt, MemorySegment pkt, int len, int ipSummed) {
        NetDevice dev = rt.type == Route.RTN_LOCAL && loopback != null ? loopback : rt.dev;
        mib.inc(IpMib.OutTransmits);
        ext.add(IpExtMib.OutOctets, len);
        if (rt.type == Route.RTN_BROADCAST) ext.inc(IpExtMib.OutBcastPkts);
        if (dev.type() == NetDevice.ARPHRD_ETHER) {
            if (neighbour == null) {
                mib.inc(IpMib.OutDiscards);
                return -Errno.EHOSTUNREACH;
            }
            // The neighbour layer may park the packet while it resolves, and frames a plain one.
            ChecksumOffload.finish(pkt, 0, ipSummed);
            return neighbour.output(dev, rt.nextHop(), xmitSlice.slice(pkt, 0, len));
        }
        int r = devQueueXmit(dev, xmitSlice.slice(pkt, 0, len), ipSummed);
        if (r != NetDevice.XMIT_SUCCESS) {
            mib.inc(IpMib.OutDiscards);
            return -Errno.ENOBUFS;
        }
        return 0;
    }

    /**
     * dev_queue_xmit: hands one frame to {@code dev}, showing it first to the packet tap (as
     * dev_queue_xmit_nit does) when one is installed. Returns the device's NET_XMIT_* result.
     */
    public int devQueueXmit(NetDevice dev, MemorySegment frame) {
        return devQueueXmit(dev, frame, ChecksumOffload.CHECKSUM_NONE);
    }

    /**
     * dev_queue_xmit of a frame whose checksum may be partial: validate_xmit_skb finishes it
     * (skb_checksum_help) for a device without NETIF_F_HW_CSUM, and so does a listening packet tap
     * here, so that what packet sockets read is what goes on a wire.
     */
    public int devQueueXmit(NetDevice dev, MemorySegment frame, int ipSummed) {
        if (ipSummed == ChecksumOffload.CHECKSUM_PARTIAL && (packetTap != null || (dev.features() & NetDevice.F_HW_CSUM) == 0))
            ipSummed = ChecksumOffload.help(frame, ChecksumOffload.l3Offset(dev.type()));
        if (packetTap != null) packetTap.tap(dev, stack.ifindex(dev), frame, true);
        return dev.transmit(frame, ipSummed);
    }

    // ------------------------------------------------------------------ input

    @Override public void receive(NetDevice dev, MemorySegment frame) { receive(dev, frame, ChecksumOffload.CHECKSUM_NONE); }

    /** netif_receive_skb → ip_rcv for the frames of every attached device. The frame is borrowed. */
    @Override public void receive(NetDevice dev, MemorySegment frame, int ipSummed) {
        if (packetTap != null) {
            ipSummed = ChecksumOffload.finishReceived(frame, ChecksumOffload.l3Offset(dev.type()), ipSummed);
            packetTap.tap(dev, stack.ifindex(dev), frame, false);
        }
        if (dev.type() == NetDevice.ARPHRD_ETHER) {
            if (frame.byteSize() < ETH_HLEN) return;
            int type = (frame.get(JAVA_BYTE, 12) & 0xFF) << 8 | (frame.get(JAVA_BYTE, 13) & 0xFF);
            if (type != ETH_P_IP) {
                if (neighbour != null) neighbour.receive(dev, frame);
                return;
            }
            frame = frame.asSlice(ETH_HLEN);
        }
        ipRcv(dev, stack.ifindex(dev), frame, ipSummed);
    }

    /**
     * ip_rcv + ip_rcv_core: the header checks of RFC 1122 §3.2.1, each failure counted as Linux
     * counts it and the packet dropped. Never throws on any input.
     */
    public void ipRcv(NetDevice dev, int ifindex, MemorySegment pkt) { ipRcv(dev, ifindex, pkt, ChecksumOffload.CHECKSUM_NONE); }

    /** {@link #ipRcv(NetDevice, int, MemorySegment)} of a packet with the device's ip_summed. */
    public void ipRcv(NetDevice dev, int ifindex, MemorySegment pkt, int ipSummed) {
        mib.inc(IpMib.InReceives);
        long n = pkt.byteSize();
        ext.add(IpExtMib.InOctets, n);
        Ipv4Header h = iph.wrap(pkt);
        if (n < Ipv4Header.MIN_LEN) { hdrError("shorter than an IPv4 header (" + n + " bytes)"); return; }
        if (h.version() != 4) { hdrError("version " + h.version()); return; }
        if (h.ihl() < 5) { hdrError("ihl " + h.ihl()); return; }
        if (h.headerLen() > n) { hdrError("ihl " + h.ihl() + " beyond the frame"); return; }
        if (!h.verifyChecksum()) {
            ext.inc(IpExtMib.InCsumErrors);
            hdrError("bad header checksum 0x" + Integer.toHexString(h.checksum()));
            return;
        }
        int totLen = h.totalLen();
        if (totLen > n) {
            ext.inc(IpExtMib.InTruncatedPkts);
            if (tr.on) tr.event("ip_rcv", "total length " + totLen + " > frame " + n + ": truncated, dropped");
            return;
        }
        if (totLen < h.headerLen()) { hdrError("total length " + totLen + " < header"); return; }
        // pskb_trim_rcsum: link-layer padding after Total Length is not part of the packet.
        if (totLen < n) h.wrap(pkt = pkt.asSlice(0, totLen));
        rcvFinish(dev, ifindex, h, ipSummed);
    }

    private void hdrError(String why) {
        mib.inc(IpMib.InHdrErrors);
        if (tr.on) tr.event("ip_rcv", why + " → InHdrErrors, dropped");
    }

    /** ip_rcv_finish: the input route decides: local delivery, broadcast, or not ours. */
    private void rcvFinish(NetDevice dev, int ifindex, Ipv4Header h, int ipSummed) {
        int saddr = h.src(), daddr = h.dst();
        boolean fromLoopback = dev == loopback;
        // Martian sources (RFC 1812 §5.3.7): never from multicast/broadcast, never 127/8 off loopback.
        if (isMulticast(saddr) || saddr == 0xFFFFFFFF || (!fromLoopback && isLoopbackAddr(saddr))) {
            if (tr.on) tr.event("ip_route_input", "martian source " + SockAddr.ipString(saddr) + ", dropped");
            return;
        }
        int type;
        if (!fromLoopback && isLoopbackAddr(daddr)) {
            if (tr.on) tr.event("ip_route_input", "martian destination " + SockAddr.ipString(daddr) + ", dropped");
            return;
        } else if (isLocal(daddr)) {
            type = Route.RTN_LOCAL;
        } else if (isBroadcast(daddr) || daddr == 0) {
            type = Route.RTN_BROADCAST;
            ext.inc(IpExtMib.InBcastPkts);
        } else if (isMulticast(daddr)) {
            if (tr.on) tr.event("ip_route_input", "multicast group " + SockAddr.ipString(daddr) + " not joined, dropped");
            return;
        } else {
            // ip_error: not for us and not forwarding.
            mib.inc(IpMib.InAddrErrors);
            if (tr.on) tr.event("ip_route_input", SockAddr.ipString(daddr) + " is not local and ip_forward="
                    + ipForward.value() + " → InAddrErrors, dropped");
            return;
        }
        localDeliver(ifindex, h, type, ipSummed);
    }

    /** ip_local_deliver: reassemble if needed, then raw sockets and the transport. */
    private void localDeliver(int ifindex, Ipv4Header h, int routeType, int ipSummed) {
        if (h.isFragment()) {
            MemorySegment whole = defrag.defrag(h, routeType);
            if (whole == null) return;
            h = iph.wrap(whole);
            ipSummed = ChecksumOffload.CHECKSUM_NONE;   // the pieces' data, checked by the transport
        }
        int proto = h.protocol();
        IpRx r = rx;
        r.saddr = h.src();
        r.daddr = h.dst();
        r.protocol = proto;
        r.tos = h.tos();
        r.ttl = h.ttl();
        r.ifindex = ifindex;
        r.totLen = h.totalLen();
        r.ihl = h.headerLen();
        r.packet = h.segment();
        r.routeType = routeType;
        r.ipSummed = ipSummed;
        MemorySegment packet = h.segment();
        if (tr.on) tr.event("ip_local_deliver", SockAddr.ipString(r.saddr) + " → " + SockAddr.ipString(r.daddr)
                + " proto " + proto + " len " + r.totLen);
        // ip_protocol_deliver_rcu
        boolean rawTook = raw != null && raw.deliver(r, packet);
        NetProtocol p = protocols[proto];
        if (p != null) {
            p.receive(r, packet, r.ihl, r.totLen - r.ihl);
            mib.inc(IpMib.InDelivers);
        } else if (rawTook) {
            mib.inc(IpMib.InDelivers);
        } else {
            mib.inc(IpMib.InUnknownProtos);
            if (tr.on) tr.event("ip_protocol_deliver", "no handler for protocol " + proto + " → ICMP protocol unreachable");
            if (icmp != null) icmp.send(packet, routeType, 3, 2, 0);
        }
    }

    /** The reassembly state (tests, /proc/net/sockstat). */
    public int fragQueues() { return defrag.queues(); }

    public long fragMemory() { return defrag.memory(); }

    /**
     * skb->truesize of a received datagram of {@code len} payload bytes, as charged against sk_rcvbuf
     * and fragment memory: the kmalloc bucket holding data, headers and skb_shared_info, plus the
     * sk_buff. Fitted to Linux 6.18 on x86-64 loopback: a 131072-byte rcvbuf admits 157 datagrams of
     * 1..100 bytes, 56 of 1000..1472 bytes, 15 of 4000 bytes.
     */
    public static int truesize(int len) {
        int need = len + 364;
        int bucket = need <= 512 ? 512 : Integer.highestOneBit(need - 1) << 1;
        return bucket + 328;
    }

    public Counters<IpMib> mib() { return mib; }

    public Counters<IpExtMib> extMib() { return ext; }
}
