package io.jnetstack.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.api.SockAddrs;
import io.jnetstack.interop.Netns;
import io.jnetstack.link.Tshark;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnetstack hosts ({@link Host} with its services and clients, in-process) talking to real Linux
 * through a TAP device in network namespaces each test creates and deletes (198.51.100.0/24:
 * Linux .1, jnetstack .2; 203.0.113.0/24 behind a router). Linux's side uses curl, ping, socat and
 * python3 under {@code ip netns exec}. Needs root and /dev/net/tun: fails saying so otherwise.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealPeersTest {
    static final String LINUX = "198.51.100.1", JNS = "198.51.100.2";
    static final long BIG = 256L << 20;

    @TempDir Path tmp;

    /** A host on TAP jt0 in {@code ns}, the Linux side of jt0 up with LINUX/24. */
    private static Host tapHost(Netns ns, Host.Config c) throws IOException { return ns.tapHost(c, "jt0", LINUX + "/24"); }

    private static Host tapHost(Netns ns) throws IOException { return tapHost(ns, Host.Config.tap("jt0", JNS + "/24")); }

    /**
     * tshark with checksum validation finds no malformed packet and no bad checksum. One exception:
     * the TCP checksum of a segment quoted inside an ICMP error (a router quotes only the first 576
     * bytes, RFC 1812 §4.3.2.3) cannot match its truncated payload; for ICMP packets the outer IP
     * and the ICMP checksums are what the sender computed, and those must be good.
     */
    private static void assertCleanCapture(Path pcap) {
        Tshark.Result r = Tshark.check(pcap);
        assertTrue(r.packets() > 0, "empty capture");
        int malformed = 0, bad = 0;
        for (String line : r.output().split("\n")) {
            if (line.isEmpty()) continue;
            String[] col = line.split("\t", -1);
            if (!col[0].isEmpty() || col[1].toLowerCase(java.util.Locale.ROOT).contains("malformed")) malformed++;
            boolean icmp = col.length > 5 && !col[5].isEmpty();
            for (int i = 2; i < col.length; i++) {
                String[] v = col[i].split(",");
                if (icmp && i != 2 && i != 5) continue;      // quoted, truncated headers
                for (int k = 0; k < (icmp && i == 2 ? 1 : v.length); k++) if (v[k].equals("0")) bad++;
            }
        }
        if (malformed != 0 || bad != 0) {
            try {
                Files.copy(pcap, Path.of("/tmp/jns-failed-" + pcap.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the message below still says what is wrong
            }
        }
        assertEquals(0, malformed + bad, "capture kept as /tmp/jns-failed-" + pcap.getFileName() + ": "
                + malformed + " malformed, " + bad + " bad checksums\n" + r.output());
    }

    /** Polls ss(8) until something listens on tcp {@code port} in {@code ns} (bounded). */
    private static void awaitListening(Netns ns, int port) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!ns.exec("ss", "-Hltn", "sport = :" + port).out().contains(":" + port)) {
            if (System.nanoTime() > end) throw new AssertionError("nothing listens on port " + port + " in " + ns.name);
            Thread.onSpinWait();
        }
    }

    private static Process startIn(Netns ns, String shell) throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", ns.name, "bash", "-c", shell).redirectErrorStream(true).start();
    }

    private static String finish(Process p, int seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Linux side did not finish in " + seconds + " s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** {@code n} bytes of a repeated random 1 MiB block: big transfers without big files. */
    static InputStream pattern(long n) {
        byte[] block = patternBlock();
        return new InputStream() {
            long left = n;
            int pos;

            @Override public int read() { byte[] b = new byte[1]; return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF; }

            @Override public int read(byte[] b, int off, int len) {
                if (left == 0) return -1;
                int k = (int) Math.min(Math.min(len, left), block.length - pos);
                System.arraycopy(block, pos, b, off, k);
                pos = (pos + k) % block.length;
                left -= k;
                return k;
            }
        };
    }

    static byte[] patternBlock() {
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        return block;
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] b = new byte[1 << 20];
        int n;
        while ((n = in.read(b, 0, b.length)) > 0) md.update(b, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    // ------------------------------------------------------------------ Linux → jnetstack

    @Test void curlFetchesAFileByteIdenticalOverKeepAlive() throws Exception {
        Path www = Files.createDirectories(tmp.resolve("www")), pcap = tmp.resolve("http.pcap");
        byte[] data = new byte[3_000_001];
        new Random(1).nextBytes(data);
        Files.write(www.resolve("file.bin"), data);
        try (Netns ns = Netns.create(); Host h = tapHost(ns, Host.Config.tap("jt0", JNS + "/24").pcap(pcap))) {
            HttpServer.start(h, www);
            // Twice over one connection (curl reuses it: HTTP/1.1 keep-alive), then compare.
            Netns.Result r = ns.execTimeout(20, "sh", "-c", "curl -sS -f -m 15 -o /tmp/" + ns.name + ".a -o /tmp/" + ns.name
                    + ".b -w '%{num_connects}\\n' http://" + JNS + "/file.bin http://" + JNS + "/file.bin");
            try {
                assertTrue(r.ok(), "curl: " + r.out());
                assertEquals("1\n0", r.out().strip(), "the second fetch reused the connection");
                assertEquals(sha256(www.resolve("file.bin")), sha256(Path.of("/tmp/" + ns.name + ".a")));
                assertEquals(sha256(www.resolve("file.bin")), sha256(Path.of("/tmp/" + ns.name + ".b")));
            } finally {
                Files.deleteIfExists(Path.of("/tmp/" + ns.name + ".a"));
                Files.deleteIfExists(Path.of("/tmp/" + ns.name + ".b"));
            }
            Netns.Result missing = ns.exec("curl", "-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is",
                    "http://" + JNS + "/../../../etc/passwd");
            assertEquals("404", missing.out().strip());
            Netns.Result post = ns.exec("curl", "-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "-d", "x", "http://" + JNS + "/file.bin");
            assertEquals("405", post.out().strip());
            String noHost = ns.sh("printf 'GET /file.bin HTTP/1.1\\r\\n\\r\\n' | socat -t 5 - TCP:" + JNS + ":80");
            assertTrue(noHost.startsWith("HTTP/1.1 400 "), noHost);
        }
        assertCleanCapture(pcap);
    }

    @Test void pingGetsReplies() throws Exception {
        try (Netns ns = Netns.create(); Host h = tapHost(ns)) {
            Netns.Result r = ns.execTimeout(20, "ping", "-c", "3", "-i", "0.2", "-W", "2", JNS);
            assertTrue(r.ok() && r.out().contains("3 received"), r.out());
        }
    }

    @Test void socatPushes256MiBIntoTheSink() throws Exception {
        try (Netns ns = Netns.create(); Host h = tapHost(ns)) {
            CompletableFuture<Sink.Receipt> got = new CompletableFuture<>();
            Sink.start(h, 9000, got::complete);
            // The same bytes as pattern(BIG): the 1 MiB block, 256 times over.
            Path block = Files.write(tmp.resolve("block.bin"), patternBlock());
            Netns.Result r = ns.execTimeout(40, "bash", "-c", "set -o pipefail; for i in $(seq " + (BIG >> 20) + "); do cat "
                    + block + "; done | socat -u STDIN TCP:" + JNS + ":9000");
            assertTrue(r.ok(), r.out());
            Sink.Receipt rc = got.get(10, TimeUnit.SECONDS);
            assertEquals(BIG, rc.bytes());
            assertEquals(sha256(pattern(BIG)), rc.sha256());
        }
    }

    @Test void udpEchoRoundTrips() throws Exception {
        try (Netns ns = Netns.create(); Host h = tapHost(ns)) {
            Echo.start(h, 7);
            String py = "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5);"
                    + " s.sendto(b'hello jnetstack', ('" + JNS + "', 7)); d, a = s.recvfrom(2048); print(d.decode(), a[0], a[1])";
            assertEquals("hello jnetstack " + JNS + " 7", ns.sh("python3 -c \"" + py + "\"").strip());
            assertEquals("tcp echo", ns.sh("echo 'tcp echo' | socat -t 5 - TCP:" + JNS + ":7").strip());
        }
    }

    // ------------------------------------------------------------------ jnetstack → Linux

    @Test void getFetchesFromPythonHttpServer() throws Exception {
        Path www = Files.createDirectories(tmp.resolve("pyw")), pcap = tmp.resolve("get.pcap");
        byte[] data = new byte[2_500_000];
        new Random(2).nextBytes(data);
        Files.write(www.resolve("f.bin"), data);
        Process py = null;
        try (Netns ns = Netns.create(); Host h = tapHost(ns, Host.Config.tap("jt0", JNS + "/24").pcap(pcap))) {
            py = startIn(ns, "exec python3 -m http.server 8000 --bind " + LINUX + " --directory " + www);
            awaitListening(ns, 8000);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Clients.Fetched f = Clients.get(h, "http://" + LINUX + ":8000/f.bin", body);
            assertEquals(200, f.status());
            assertTrue(java.util.Arrays.equals(data, body.toByteArray()), "body differs");
            assertEquals(404, Clients.get(h, "http://" + LINUX + ":8000/nope", new ByteArrayOutputStream()).status());
        } finally {
            if (py != null) py.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        assertCleanCapture(pcap);
    }

    @Test void sendPushes256MiBToSocat() throws Exception {
        try (Netns ns = Netns.create(); Host h = tapHost(ns)) {
            Process sink = startIn(ns, "socat -u TCP-LISTEN:9001,reuseaddr STDOUT | sha256sum");
            awaitListening(ns, 9001);
            Clients.Sent s = Clients.send(h, new InetSocketAddress(LINUX, 9001), pattern(BIG));
            assertEquals(BIG, s.bytes());
            assertEquals(s.sha256(), finish(sink, 10).strip().split(" ")[0]);
        }
    }

    @Test void connectToAClosedLinuxPortIsRefused() throws Exception {
        try (Netns ns = Netns.create(); Host h = tapHost(ns)) {
            Syscalls sys = h.sys();
            int fd = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            byte[] a = SockAddrs.of(new InetSocketAddress(LINUX, 9));
            assertEquals(-Errno.ECONNREFUSED, sys.connect(fd, a, a.length));
            assertEquals(0, sys.close(fd));
        }
    }

    @Test void udpSendToAClosedLinuxPortIsRefusedOnTheNextCall() throws Exception {
        try (Netns ns = Netns.create(); Host h = tapHost(ns)) {
            Syscalls sys = h.sys();
            int fd = sys.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
            byte[] a = SockAddrs.of(new InetSocketAddress(LINUX, 9));
            assertEquals(0, sys.connect(fd, a, a.length));
            byte[] msg = "anyone?".getBytes(StandardCharsets.US_ASCII);
            assertEquals(msg.length, sys.send(fd, msg, msg.length, 0));
            // Linux's port unreachable sets the socket error: POLLERR, then the next call reports it once.
            PollFd[] p = {new PollFd(fd, Poll.POLLIN)};
            assertEquals(1, sys.poll(p, 1, 5_000), "no ICMP port unreachable within 5 s");
            assertTrue((p[0].revents & Poll.POLLERR) != 0, "revents " + p[0].revents);
            assertEquals(-Errno.ECONNREFUSED, sys.send(fd, msg, msg.length, 0));
            assertEquals(msg.length, sys.send(fd, msg, msg.length, 0), "the error is reported once");
            assertEquals(0, sys.close(fd));
        }
    }

    // ------------------------------------------------------------------ path MTU

    /**
     * jnetstack (198.51.100.2) → router (198.51.100.1 | 203.0.113.1, MTU 1280 on its far side) →
     * Linux (203.0.113.2). Full-size segments leave with DF; the router answers "fragmentation
     * needed, next-hop MTU 1280"; jnetstack lowers its path MTU and the transfer completes.
     */
    @Test void pathMtuDiscoveryThroughARouter() throws Exception {
        Path pcap = tmp.resolve("pmtu.pcap");
        long size = 8L << 20;
        try (Netns r = Netns.create(); Netns s = Netns.create();
             Host h = tapHost(r, Host.Config.tap("jt0", JNS + "/24").gateway(LINUX).pcap(pcap))) {
            Netns.run(10, "ip", "link", "add", "r0", "netns", r.name, "type", "veth", "peer", "name", "s0", "netns", s.name);
            r.sh("sysctl -qw net.ipv4.ip_forward=1 && ip link set r0 mtu 1280 up && ip addr add 203.0.113.1/24 dev r0");
            s.sh("ip link set s0 up && ip addr add 203.0.113.2/24 dev s0 && ip route add default via 203.0.113.1");
            Process sink = startIn(s, "socat -u TCP-LISTEN:9002,reuseaddr STDOUT | sha256sum");
            awaitListening(s, 9002);
            Clients.Sent sent = Clients.send(h, new InetSocketAddress("203.0.113.2", 9002), pattern(size));
            assertEquals(sent.sha256(), finish(sink, 10).strip().split(" ")[0]);
            assertTrue(h.stack.snmp().get("Icmp.InDestUnreachs") >= 1, "no fragmentation-needed arrived: " + h.stack.snmp().format());
            assertEquals(1280, h.locked(() -> io.jnetstack.ipv4.Ipv4.of(h.stack).pathMtu(SockAddr.parseIp("203.0.113.2"))));
        }
        assertCleanCapture(pcap);
    }
}
