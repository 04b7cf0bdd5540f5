package io.jnetstack.link;

import io.jnetstack.wire.Ipv4Address;
import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.Ipv4Repr;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;
import io.jnetstack.wire.TcpRepr;
import io.jnetstack.wire.UdpHeader;
import io.jnetstack.wire.UdpRepr;
import java.lang.foreign.MemorySegment;

/** Builds valid IPv4 datagrams (checksums included) for link-layer tests. */
final class Packets {
    static final int PROTO_TCP = 6, PROTO_UDP = 17;

    private Packets() {}

    static int addr(String dotted) { return Ipv4Address.parse(dotted); }

    /** An IPv4/UDP datagram carrying {@code payload}; the IP id is {@code id}. */
    static byte[] udp(String src, String dst, int sport, int dport, int id, byte[] payload) {
        int s = addr(src), d = addr(dst);
        UdpRepr u = new UdpRepr(sport, dport, MemorySegment.ofArray(payload));
        byte[] out = new byte[Ipv4Header.MIN_LEN + u.bufferLen()];
        MemorySegment seg = MemorySegment.ofArray(out);
        ipv4(s, d, PROTO_UDP, u.bufferLen(), id).emit(new Ipv4Header().wrap(seg));
        u.emit(new UdpHeader().wrap(seg.asSlice(Ipv4Header.MIN_LEN)), s, d);
        return out;
    }

    /** An IPv4/TCP segment. */
    static byte[] tcp(String src, String dst, int sport, int dport, int seq, int ack, int flags,
                      TcpOptions opts, byte[] payload) {
        int s = addr(src), d = addr(dst);
        TcpRepr t = new TcpRepr(sport, dport, seq, ack, flags, 65535, 0, opts, MemorySegment.ofArray(payload));
        byte[] out = new byte[Ipv4Header.MIN_LEN + t.bufferLen()];
        MemorySegment seg = MemorySegment.ofArray(out);
        ipv4(s, d, PROTO_TCP, t.bufferLen(), 0).emit(new Ipv4Header().wrap(seg));
        t.emit(new TcpHeader().wrap(seg.asSlice(Ipv4Header.MIN_LEN)), s, d);
        return out;
    }

    private static Ipv4Repr ipv4(int s, int d, int proto, int payloadLen, int id) {
        return new Ipv4Repr(s, d, proto, payloadLen, Ipv4Repr.DEFAULT_TTL, 0, id, true, false, 0);
    }

    /** The IP identification field, used by tests as a packet's serial number. */
    static int ipId(MemorySegment frame) { return new Ipv4Header().wrap(frame).id(); }
}
