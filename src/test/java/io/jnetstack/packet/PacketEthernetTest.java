package io.jnetstack.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.jnetstack.Jnetstack;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.DeviceStats;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.PacketReceiver;
import io.jnetstack.sim.SimNet;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AF_PACKET on an Ethernet (TAP-like) device: link headers, sll_pkttype, and frames built for SOCK_DGRAM. */
class PacketEthernetTest {
    static final byte[] MAC = {2, 0, 0, 0, 0, 1}, PEER = {2, 0, 0, 0, 0, 2};
    static final int ARP_BE = 0x0608, ALL_BE = 0x0300;

    /** An Ethernet device that records what it transmits. */
    static final class Nic implements NetDevice {
        final List<byte[]> sent = new ArrayList<>();
        final DeviceStats stats = new DeviceStats();
        @Override public String name() { return "tap0"; }
        @Override public int mtu() { return 1500; }
        @Override public int type() { return ARPHRD_ETHER; }
        @Override public int features() { return 0; }
        @Override public byte[] hwAddr() { return MAC.clone(); }
        @Override public void open(PacketReceiver rx) {}
        @Override public int transmit(MemorySegment f) { sent.add(f.toArray(JAVA_BYTE)); return XMIT_SUCCESS; }
        @Override public DeviceStats stats() { return stats; }
    }

    static byte[] arpRequestFrame() {
        byte[] f = new byte[42];
        Arrays.fill(f, 0, 6, (byte) 0xFF);
        System.arraycopy(PEER, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        f[14 + 1] = 1;      // htype Ethernet
        f[14 + 2] = 0x08;   // ptype IPv4
        f[14 + 4] = 6;
        f[14 + 5] = 4;
        f[14 + 7] = 1;      // request
        return f;
    }

    @Test void rawSeesTheEthernetHeaderDgramDoesNot() {
        try (SimNet net = new SimNet(5)) {
            var h = net.host("h");
            Nic nic = new Nic();
            Jnetstack.addInterface(h.stack(), nic, 0x0a000001, 24);
            int ifindex = h.stack().ifindex(nic);
            int raw = h.sys().socket(Net.AF_PACKET, Net.SOCK_RAW, ALL_BE);
            int dgram = h.sys().socket(Net.AF_PACKET, Net.SOCK_DGRAM, ARP_BE);
            byte[] frame = arpRequestFrame();
            Ipv4.of(h.stack()).receive(nic, MemorySegment.ofArray(frame));

            byte[] buf = new byte[100], from = new byte[128];
            int[] fl = {128};
            assertEquals(42, h.sys().recvfrom(raw, buf, 100, Net.MSG_DONTWAIT, from, fl));
            assertArrayEquals(frame, Arrays.copyOf(buf, 42));
            assertEquals(20, fl[0]);
            assertEquals(ARP_BE, (from[2] & 0xFF) | (from[3] & 0xFF) << 8);
            assertEquals(ifindex, PacketOps.le32(from, 4));
            assertEquals(NetDevice.ARPHRD_ETHER, from[8]);
            assertEquals(Packet.PACKET_BROADCAST, from[10]);
            assertEquals(6, from[11]);
            assertArrayEquals(PEER, Arrays.copyOfRange(from, 12, 18));
            assertEquals(28, h.sys().recvfrom(dgram, buf, 100, Net.MSG_DONTWAIT, null, null));
            assertEquals(1, buf[1]);

            // SOCK_DGRAM send: the stack builds the Ethernet header from sll_addr and sll_protocol
            nic.sent.clear();
            byte[] to = PacketSocketTest.sll(Net.AF_PACKET, ARP_BE, ifindex, PEER);
            byte[] body = Arrays.copyOfRange(frame, 14, 42);
            assertEquals(-Errno.EINVAL, h.sys().sendto(dgram, body, 28, 0, to, 17)); // shorter than sll_addr
            assertEquals(28, h.sys().sendto(dgram, body, 28, 0, to, 20));
            byte[] out = nic.sent.get(nic.sent.size() - 1);
            assertArrayEquals(PEER, Arrays.copyOfRange(out, 0, 6));
            assertArrayEquals(MAC, Arrays.copyOfRange(out, 6, 12));
            assertEquals(0x0806, (out[12] & 0xFF) << 8 | (out[13] & 0xFF));
            // the ETH_P_ALL socket saw it leave; the sender did not see its own frame
            fl[0] = 128;
            assertEquals(42, h.sys().recvfrom(raw, buf, 100, Net.MSG_DONTWAIT, from, fl));
            assertEquals(Packet.PACKET_OUTGOING, from[10]);
            assertEquals(-Errno.EAGAIN, h.sys().recvfrom(dgram, buf, 100, Net.MSG_DONTWAIT, null, null));
            // SOCK_RAW over the MTU plus the link header is EMSGSIZE
            byte[] big = new byte[1515];
            assertEquals(-Errno.EMSGSIZE, h.sys().sendto(raw, big, big.length, 0, to, 20));
            assertEquals(1514, h.sys().sendto(raw, big, 1514, 0, to, 20));
        }
    }
}
