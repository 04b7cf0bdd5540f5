package io.jnetstack.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** AF_PACKET: creation rules as Linux checks them, and frames seen and sent between two stacks on a Wire. */
class PacketSocketTest {
    static final int ALL_BE = 0x0300; // htons(ETH_P_ALL)
    static final int IP_BE = 0x0008;  // htons(ETH_P_IP)

    @Test void withoutCapNetRawEveryTypeIsEperm() {
        try (SimNet net = new SimNet(1)) {
            var h = net.host("u", Credentials.USER);
            for (int type : new int[] {Net.SOCK_RAW, Net.SOCK_DGRAM, Net.SOCK_STREAM, Net.SOCK_PACKET, 0, 7})
                assertEquals(-Errno.EPERM, h.sys().socket(Net.AF_PACKET, type, ALL_BE), "type " + type);
            // SOCK_PACKET on AF_INET is AF_PACKET (the compatibility path of __sock_create)
            assertEquals(-Errno.EPERM, h.sys().socket(Net.AF_INET, Net.SOCK_PACKET, 0));
        }
    }

    @Test void withCapNetRawTheTypeDecides() {
        try (SimNet net = new SimNet(1)) {
            var h = net.host("r");
            assertEquals(-Errno.ESOCKTNOSUPPORT, h.sys().socket(Net.AF_PACKET, Net.SOCK_STREAM, 0));
            assertEquals(-Errno.ESOCKTNOSUPPORT, h.sys().socket(Net.AF_PACKET, Net.SOCK_SEQPACKET, 0));
            int fd = h.sys().socket(Net.AF_PACKET, Net.SOCK_RAW, ALL_BE);
            assertTrue(fd >= 0);
            byte[] v = new byte[4];
            int[] l = {4};
            assertEquals(0, h.sys().getsockopt(fd, Net.SOL_SOCKET, Net.SO_PROTOCOL, v, l));
            assertEquals(ALL_BE, v[0] & 0xFF | (v[1] & 0xFF) << 8);
            byte[] name = new byte[128];
            int[] nl = {128};
            assertEquals(0, h.sys().getsockname(fd, name, nl));
            assertEquals(12, nl[0]); // unbound: no device, sll_halen 0
            assertEquals(Net.AF_PACKET, SockAddr.family(name, nl[0]));
            byte[] bad = sll(Net.AF_PACKET, ALL_BE, 99, null);
            assertEquals(-Errno.ENODEV, h.sys().bind(fd, bad, 20));
            assertEquals(-Errno.EINVAL, h.sys().bind(fd, sll(Net.AF_PACKET, ALL_BE, 1, null), 19));
            assertEquals(-Errno.EINVAL, h.sys().bind(fd, sll(Net.AF_INET, ALL_BE, 1, null), 20));
            assertEquals(-Errno.EOPNOTSUPP, h.sys().connect(fd, sll(Net.AF_PACKET, ALL_BE, 1, null), 20));
            assertEquals(0, h.sys().close(fd));
        }
    }

    @Test void seesTheFramesOfItsDeviceAndSendsRawOnes() {
        try (SimNet net = new SimNet(7)) {
            var a = net.host("a");
            var b = net.host("b");
            net.link(a, "10.0.0.1/24", b, "10.0.0.2/24", WireConfig.DEFAULT.withDelay(1_000_000));
            int[] got = new int[4];
            byte[][] seen = new byte[2][];
            net.spawn("b", () -> {
                int pfd = b.sys().socket(Net.AF_PACKET, Net.SOCK_DGRAM, IP_BE);
                assertEquals(0, b.sys().bind(pfd, sll(Net.AF_PACKET, IP_BE, 2, null), 20));
                int ufd = b.sys().socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
                assertEquals(0, b.sys().bind(ufd, SockAddr.in(0, 9000), 16));
                byte[] buf = new byte[2000];
                byte[] from = new byte[128];
                int[] fl = {128};
                got[0] = b.sys().recvfrom(pfd, buf, buf.length, 0, from, fl); // the IP packet, seen by the tap
                seen[0] = Arrays.copyOf(buf, Math.max(got[0], 0));
                seen[1] = Arrays.copyOf(from, fl[0]);
                got[1] = b.sys().recvfrom(ufd, buf, buf.length, 0, null, null); // and UDP still gets it
                got[2] = b.sys().recvfrom(ufd, buf, buf.length, 0, null, null); // the frame a's packet socket built
                got[3] = buf[0];
            });
            net.spawn("a", () -> {
                int ufd = a.sys().socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
                byte[] hello = "hello".getBytes();
                assertEquals(5, a.sys().sendto(ufd, hello, 5, 0, SockAddr.in(0x0a000002, 9000), 16));
                int pfd = a.sys().socket(Net.AF_PACKET, Net.SOCK_DGRAM, 0);
                byte[] pkt = udpPacket(0x0a000001, 0x0a000002, 4000, 9000, new byte[] {42, 43, 44});
                assertEquals(-Errno.ENXIO, a.sys().sendto(pfd, pkt, pkt.length, 0, null, 0));
                assertEquals(-Errno.EINVAL, a.sys().sendto(pfd, pkt, pkt.length, 0, sll(Net.AF_PACKET, IP_BE, 2, null), 19));
                assertEquals(pkt.length, a.sys().sendto(pfd, pkt, pkt.length, 0, sll(Net.AF_PACKET, IP_BE, 2, null), 20));
            });
            net.run();
            assertEquals(28 + 5, got[0]);
            assertEquals(0x45, seen[0][0] & 0xFF);
            assertEquals(20, seen[1].length);
            assertEquals(Net.AF_PACKET, SockAddr.family(seen[1], 20));
            assertEquals(IP_BE, (seen[1][2] & 0xFF) | (seen[1][3] & 0xFF) << 8);
            assertEquals(2, PacketOps.le32(seen[1], 4));
            assertEquals(5, got[1]);
            assertEquals(3, got[2]);
            assertEquals(42, got[3]);
        }
    }

    @Test void noTapWhileNoSocketListens() {
        try (SimNet net = new SimNet(3)) {
            var h = net.host("h");
            Packet p = h.stack().module(Packet.class);
            int fd = h.sys().socket(Net.AF_PACKET, Net.SOCK_RAW, 0); // protocol 0: not hooked
            assertTrue(fd >= 0);
            int fd2 = h.sys().socket(Net.AF_PACKET, Net.SOCK_RAW, ALL_BE);
            // loopback traffic reaches the hooked socket with the zeroed Ethernet header of lo
            int u = h.sys().socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
            assertEquals(1, h.sys().sendto(u, new byte[] {1}, 1, 0, SockAddr.in(0x7f000001, 9), 16));
            byte[] buf = new byte[100];
            // as on Linux: the packet leaving lo (PACKET_OUTGOING), then arriving (PACKET_HOST),
            // each behind lo's zeroed Ethernet header; sockaddr_ll says ARPHRD_LOOPBACK, halen 6
            for (int pkttype : new int[] {Packet.PACKET_OUTGOING, Packet.PACKET_HOST}) {
                byte[] from = new byte[128];
                int[] fl = {128};
                int n = h.sys().recvfrom(fd2, buf, 100, Net.MSG_DONTWAIT, from, fl);
                assertEquals(14 + 29, n);
                assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0}, Arrays.copyOf(buf, 14));
                assertEquals(20, fl[0]);
                assertEquals(772, (from[8] & 0xFF) | (from[9] & 0xFF) << 8);
                assertEquals(pkttype, from[10]);
                assertEquals(6, from[11]);
            }
            assertEquals(-Errno.EAGAIN, h.sys().recvfrom(fd, buf, 100, Net.MSG_DONTWAIT, null, null));
            assertEquals(0, h.sys().close(fd2));
            assertEquals(0, h.sys().close(fd));
            assertTrue(p != null);
        }
    }

    static byte[] sll(int family, int protoBe, int ifindex, byte[] mac) {
        byte[] a = new byte[20];
        SockAddr.putFamily(a, family);
        a[2] = (byte) protoBe;
        a[3] = (byte) (protoBe >> 8);
        PacketOps.putLe32(a, 4, ifindex);
        if (mac != null) {
            a[11] = (byte) mac.length;
            System.arraycopy(mac, 0, a, 12, mac.length);
        }
        return a;
    }

    static byte[] udpPacket(int src, int dst, int sport, int dport, byte[] payload) {
        int len = 28 + payload.length;
        byte[] p = new byte[len];
        p[0] = 0x45;
        p[2] = (byte) (len >> 8);
        p[3] = (byte) len;
        p[8] = 64;
        p[9] = (byte) In.IPPROTO_UDP;
        for (int i = 0; i < 4; i++) {
            p[12 + i] = (byte) (src >>> (24 - 8 * i));
            p[16 + i] = (byte) (dst >>> (24 - 8 * i));
        }
        int sum = 0;
        for (int i = 0; i < 20; i += 2) sum += (p[i] & 0xFF) << 8 | (p[i + 1] & 0xFF);
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = ~sum & 0xFFFF;
        p[10] = (byte) (sum >> 8);
        p[11] = (byte) sum;
        p[20] = (byte) (sport >> 8);
        p[21] = (byte) sport;
        p[22] = (byte) (dport >> 8);
        p[23] = (byte) dport;
        p[24] = (byte) ((8 + payload.length) >> 8);
        p[25] = (byte) (8 + payload.length); // checksum 0: none (RFC 768)
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }
}
