package io.jnetstack.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.link.NetDevice;
import io.jnetstack.link.TunTap;
import io.jnetstack.neighbour.Neigh;
import io.jnetstack.neighbour.Nud;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.wire.MacAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real Linux talking to jnetstack through TUN and TAP devices in a network namespace each test
 * creates (documentation range 198.51.100.0/24: Linux .1, jnetstack .2). Needs root and
 * /dev/net/tun; fails with the reason when they are missing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TunTapInteropTest {
    static final String LINUX = "198.51.100.1", JNS = "198.51.100.2";

    private static void linuxSide(Netns ns, String dev) {
        ns.awaitLink(dev, 5_000);
        ns.sh("ip link set " + dev + " up && ip addr add " + LINUX + "/24 dev " + dev);
    }

    private static void ping(Netns ns) {
        Netns.Result r = ns.execTimeout(20, "ping", "-c", "3", "-W", "1", JNS);
        assertTrue(r.ok(), "ping from Linux to jnetstack failed:\n" + r.out());
        assertTrue(r.out().contains("3 received"), r.out());
    }

    @Test void linuxPingsJnetstackOverTap() throws Exception {
        try (Netns ns = Netns.create(); JnsHost h = new JnsHost(TunTap.Config.tap("jt0").netns(ns.name), JNS, 24)) {
            assertEquals(NetDevice.ARPHRD_ETHER, h.dev.type());
            linuxSide(ns, "jt0");
            ping(ns);
            // Linux learned our MAC from our ARP reply; we learned Linux's from its request.
            String neigh = ns.sh("ip neigh show " + JNS + " dev jt0");
            assertTrue(neigh.contains(MacAddress.format(h.dev.mac())), "Linux's entry for us: " + neigh);
            String linuxMac = ns.sh("cat /sys/class/net/jt0/address").trim();
            Neigh n = h.locked(() -> h.arp.neighbour(h.dev, SockAddr.parseIp(LINUX)));
            assertNotNull(n, "no neighbour entry for Linux");
            assertEquals(linuxMac, MacAddress.format(n.lladdr()));
            assertTrue((n.state() & Nud.VALID) != 0, n.toString());
            assertTrue(h.locked(() -> h.arp.mib().get(io.jnetstack.neighbour.ArpMib.OutReplies)) >= 1);
            assertTrue(h.stack.snmp().get("Icmp.OutEchoReps") >= 3, h.stack.snmp().format());
        }
    }

    @Test void linuxPingsJnetstackOverTun() throws Exception {
        try (Netns ns = Netns.create(); JnsHost h = new JnsHost(TunTap.Config.tun("jt0").netns(ns.name), JNS, 24)) {
            assertEquals(NetDevice.ARPHRD_NONE, h.dev.type());
            linuxSide(ns, "jt0");
            ping(ns);
            h.dev.close();
            assertTrue(!ns.exec("ip", "link", "show", "jt0").ok(), "closing the descriptor removes the device");
        }
    }

    @Test void openingInAMissingNamespaceSaysWhy() {
        Netns.requireHost();
        try (JnsHost h = new JnsHost(TunTap.Config.tap("jt0").netns("jns-t-does-not-exist"), JNS, 24)) {
            throw new AssertionError("opened " + h.dev);
        } catch (java.io.IOException e) {
            assertTrue(e.getMessage().contains("/var/run/netns/jns-t-does-not-exist: ENOENT"), e.getMessage());
        }
    }

    @Test void linuxPingsJnetstackOverTapWithVnetHdr() throws Exception {
        try (Netns ns = Netns.create();
             JnsHost h = new JnsHost(TunTap.Config.tap("jt0").netns(ns.name).vnetHdr(true), JNS, 24)) {
            linuxSide(ns, "jt0");
            ping(ns);
        }
    }

    @Test void udpRoundTripOverTap() throws Exception {
        try (Netns ns = Netns.create(); JnsHost h = new JnsHost(TunTap.Config.tap("jt0").netns(ns.name), JNS, 24)) {
            linuxSide(ns, "jt0");
            udpEcho(ns, h);
        }
    }

    @Test void udpRoundTripOverTun() throws Exception {
        try (Netns ns = Netns.create(); JnsHost h = new JnsHost(TunTap.Config.tun("jt0").netns(ns.name), JNS, 24)) {
            linuxSide(ns, "jt0");
            udpEcho(ns, h);
        }
    }

    /** With offloads Linux leaves UDP checksums to us (NEEDS_CSUM): the device finishes them. */
    @Test void udpRoundTripOverTapWithChecksumOffload() throws Exception {
        try (Netns ns = Netns.create();
             JnsHost h = new JnsHost(TunTap.Config.tap("jt0").netns(ns.name).vnetHdr(true), JNS, 24)) {
            assertTrue(h.dev.offloads() != 0, "kernel refused TUNSETOFFLOAD");
            linuxSide(ns, "jt0");
            udpEcho(ns, h);
            assertEquals(0, h.stack.snmp().get("Udp.InCsumErrors"), h.stack.snmp().format());
            assertTrue(h.locked(h.dev::rxChecksumsFinished) >= 1, "Linux left no checksum to us: offload not exercised");
        }
    }

    /** A jnetstack UDP socket on port 7777 echoes one datagram back to a Python client in the namespace. */
    private static void udpEcho(Netns ns, JnsHost h) throws Exception {
        Socket s = h.udp();
        assertEquals(0, h.locked(() -> s.ops.bind(s, SockAddr.in(0, 7777), 16)));
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Thread server = Thread.ofPlatform().name("jns-udp-echo").start(() -> {
            h.sched.enter();
            try {
                s.sk.rcvTimeo = 15_000_000_000L;
                MsgHdr m = MsgHdr.of(new byte[2048], 2048);
                m.name = new byte[128];
                m.namelen = 128;
                int n = s.ops.recvmsg(s, m, 0);
                if (n < 0) {
                    echoed.complete("recvmsg = " + io.jnetstack.uapi.Errno.describe(n));
                    return;
                }
                byte[] data = java.util.Arrays.copyOf(m.iov[0], n);
                MsgHdr out = MsgHdr.of(data, n);
                out.name = m.name;
                out.namelen = 16;
                int w = s.ops.sendmsg(s, out, 0);
                echoed.complete(w == n ? new String(data, StandardCharsets.UTF_8) : "sendmsg = " + w);
            } finally {
                h.sched.exit();
            }
        });
        String py = "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5);"
                + " s.sendto(b'hello jnetstack', ('" + JNS + "', 7777)); d, a = s.recvfrom(2048);"
                + " print(d.decode(), a[0], a[1])";
        Netns.Result r = ns.execTimeout(20, "python3", "-c", py);
        server.join(20_000);
        assertEquals("hello jnetstack", echoed.getNow("server never finished"));
        assertTrue(r.ok(), "python client: " + r.out());
        assertEquals("hello jnetstack " + JNS + " 7777", r.out().trim());
    }

    /**
     * TSO through the device: a 3000-byte TCP segment written as one GSO packet (gso_size 1460).
     * Linux takes it whole: its RST to the closed port acknowledges all 3000 bytes, seen here on a
     * raw socket.
     */
    @Test void gsoSegmentGoesOutInOneWrite() throws Exception {
        try (Netns ns = Netns.create();
             JnsHost h = new JnsHost(TunTap.Config.tap("jt0").netns(ns.name).vnetHdr(true), JNS, 24)) {
            assertTrue((h.dev.offloads() & 2) != 0, "kernel refused TUN_F_TSO4: offloads 0x" + Integer.toHexString(h.dev.offloads()));
            assertTrue((h.dev.features() & NetDevice.F_TSO) != 0);
            linuxSide(ns, "jt0");
            long linuxMac = MacAddress.parse(ns.sh("cat /sys/class/net/jt0/address").trim());
            Socket raw = h.locked(() -> {
                Socket[] out = new Socket[1];
                int r = io.jnetstack.socket.Families.of(h.stack).create(io.jnetstack.uapi.Net.AF_INET,
                        io.jnetstack.uapi.Net.SOCK_RAW, 6, false, io.jnetstack.socket.Credentials.ROOT, out);
                assertEquals(0, r);
                return out[0];
            });
            int payload = 3000, seq = 1000;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(14 + 20 + 20 + payload);
            b.put(MacAddress.toBytes(linuxMac)).put(MacAddress.toBytes(h.dev.mac())).putShort((short) 0x0800);
            var seg = java.lang.foreign.MemorySegment.ofArray(b.array());
            new io.jnetstack.wire.Ipv4Header().wrap(seg.asSlice(14, 20)).version(4).ihl(5).totalLen(40 + payload)
                    .fragWord(0x4000).ttl(64).protocol(6).src(SockAddr.parseIp(JNS)).dst(SockAddr.parseIp(LINUX))
                    .computeChecksum();
            b.position(34);
            b.putShort((short) 40000).putShort((short) 9).putInt(seq).putInt(0).put((byte) 0x50).put((byte) 0x08)
             .putShort((short) 65535).putShort((short) 0).putShort((short) 0);
            assertEquals(NetDevice.XMIT_SUCCESS, (int) h.locked(() -> h.dev.transmit(seg)));
            assertEquals(1, (long) h.locked(h.dev::txGsoPackets));
            // The RST: ack = seq + 3000 when Linux received the whole segment.
            int rstAck = h.locked(() -> {
                raw.sk.rcvTimeo = 5_000_000_000L;
                MsgHdr m = MsgHdr.of(new byte[2048], 2048);
                for (;;) {
                    int n = raw.ops.recvmsg(raw, m, 0);
                    if (n < 0) return n;
                    var p = java.nio.ByteBuffer.wrap(m.iov[0], 0, n);
                    int ihl = (p.get(0) & 0xF) * 4;
                    if (n >= ihl + 20 && (p.get(ihl + 13) & 0x04) != 0) return p.getInt(ihl + 8);
                }
            });
            assertEquals(seq + payload, rstAck, "Linux's RST acknowledges what it received");
        }
    }
}
