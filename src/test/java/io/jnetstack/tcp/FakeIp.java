package io.jnetstack.tcp;

import io.jnetstack.ipv4.Ip;
import io.jnetstack.ipv4.IpRx;
import io.jnetstack.ipv4.NetProtocol;
import io.jnetstack.ipv4.Route;
import io.jnetstack.link.ChecksumOffload;
import io.jnetstack.wire.TcpHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A capturing IPv4 layer for TCP tests (gVisor's channel endpoint): what TCP sends is queued (or
 * handed to {@link #link}), and {@link #inject} delivers a segment to TCP as if it had arrived.
 */
final class FakeIp implements Ip {
    final int addr;
    int mtu = 1500;
    final MemorySegment tx = Arena.ofAuto().allocate(65536 + HEADROOM);
    final ArrayDeque<Pkt> out = new ArrayDeque<>();
    NetProtocol tcp;
    Consumer<Pkt> link;
    long sent;
    private final IpRx rx = new IpRx();

    FakeIp(int addr) { this.addr = addr; }

    @Override public Route route(int daddr, int saddr, int oif) {
        Route r = new Route();
        r.dst = daddr;
        r.prefSrc = addr;
        r.mtu = mtu;
        r.ifindex = 2;
        return r;
    }

    @Override public int output(Route rt, int saddr, int daddr, int protocol, int tos, int ttl, boolean df,
                                MemorySegment buf, long l4Off, int l4Len, int ipSummed) {
        // A link without checksum offload: what is captured carries a finished checksum.
        if (ipSummed == ChecksumOffload.CHECKSUM_PARTIAL) {
            TcpHeader h = new TcpHeader().wrap(buf, l4Off, l4Len);
            h.computeChecksum(saddr, daddr);
        }
        Pkt p = new Pkt(saddr, daddr, buf.asSlice(l4Off, l4Len).toArray(ValueLayout.JAVA_BYTE), tos);
        sent++;
        if (link != null) link.accept(p);
        else out.add(p);
        return 0;
    }

    @Override public boolean isLocal(int a) { return a == addr || (a >>> 24) == 127; }

    @Override public boolean isBroadcast(int a) { return false; }

    @Override public void register(int protocol, NetProtocol handler) { tcp = handler; }

    @Override public MemorySegment txBuffer() { return tx; }

    @Override public int pathMtu(int daddr) { return mtu; }

    /** Delivers {@code l4} (a TCP segment from {@code saddr} to us) to TCP. */
    void inject(int saddr, byte[] l4) { inject(saddr, l4, 0); }

    /** Delivers {@code l4} with IP TOS {@code tos} (ECN bits included). */
    void inject(int saddr, byte[] l4, int tos) {
        rx.tos = tos;
        rx.saddr = saddr;
        rx.daddr = addr;
        rx.protocol = 6;
        rx.ttl = 64;
        rx.routeType = Route.RTN_LOCAL;
        tcp.receive(rx, MemorySegment.ofArray(l4), 0, l4.length);
    }

    Pkt next() { return out.poll(); }
}
