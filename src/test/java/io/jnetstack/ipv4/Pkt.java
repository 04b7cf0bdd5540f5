package io.jnetstack.ipv4;

import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.UdpHeader;
import java.lang.foreign.MemorySegment;

/** Builds IPv4 test packets as bytes. */
public final class Pkt {
    private Pkt() {}

    public static byte[] ipv4(int src, int dst, int proto, int id, int fragWord, byte[] payload) {
        byte[] b = new byte[20 + payload.length];
        Ipv4Header h = new Ipv4Header().wrap(MemorySegment.ofArray(b));
        h.headerLen(20).tos(0).totalLen(b.length).id(id).fragWord(fragWord).ttl(64).protocol(proto).src(src).dst(dst)
         .computeChecksum();
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    /** A UDP datagram (checksum computed) inside an IPv4 packet. */
    public static byte[] udp(int src, int sport, int dst, int dport, byte[] data) {
        byte[] u = new byte[8 + data.length];
        System.arraycopy(data, 0, u, 8, data.length);
        new UdpHeader().wrap(MemorySegment.ofArray(u)).srcPort(sport).dstPort(dport).length(u.length)
                .computeChecksum(src, dst);
        return ipv4(src, dst, 17, 1, 0, u);
    }

    public static Ipv4Header view(byte[] p) { return new Ipv4Header().wrap(MemorySegment.ofArray(p)); }

    /** Re-computes the header checksum after a test edited a field. */
    public static byte[] fix(byte[] p) {
        view(p).computeChecksum();
        return p;
    }
}
