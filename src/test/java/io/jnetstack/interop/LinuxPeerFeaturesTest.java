package io.jnetstack.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.api.SockAddrs;
import io.jnetstack.app.Host;
import io.jnetstack.app.Log;
import io.jnetstack.link.Tshark;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import io.jnetstack.uapi.TcpOpts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP features Linux negotiates with a peer, tried against a real Linux 6.18 peer: Fast Open
 * (RFC 7413), ECN (RFC 3168) with CE marks from a Linux router, urgent data and SYN cookies, each
 * with jnetstack on either side where both make sense. jnetstack is a {@link Host} on TAP jt0 in a
 * namespace the test creates (198.51.100.0/24: Linux .1, jnetstack .2; 203.0.113.0/24 behind a
 * router); Linux's side is python3 sockets. Results are checked on both sides (return values,
 * TCP_INFO's tcpi_options, TcpExt counters) and on the wire, with tshark reading the host's capture.
 * Needs root, /dev/net/tun, python3, tshark and (for the CE marks) nft: fails saying so otherwise.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinuxPeerFeaturesTest {
    static final String LINUX = "198.51.100.1", JNS = "198.51.100.2", FAR = "203.0.113.2";
    /** tcpi_options bits (include/uapi/linux/tcp.h); the byte at offset 5 of struct tcp_info. */
    static final int OPT_TS = 1, OPT_SACK = 2, OPT_WSCALE = 4, OPT_ECN = 8, OPT_ECN_SEEN = 16, OPT_SYN_DATA = 32,
            OPT_TFO_CHILD = 128;
    /** Python helpers every Linux-side script starts with: tcpi_options, read to EOF, SIOCATMARK. */
    static final String PY_PRELUDE = """
            import socket, select, fcntl, struct, errno, time, sys
            def opts(s): return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)[5]
            def drain(s):
                out = b''
                while True:
                    d = s.recv(65536)
                    if not d: return out
                    out += d
            def atmark(s): return struct.unpack('i', fcntl.ioctl(s, 0x8905, b'\\0' * 4))[0]
            def listener(addr, port, tfo=0):
                l = socket.socket()
                l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                l.bind((addr, port))
                if tfo: l.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, tfo)
                l.listen(8)
                return l
            """;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp;

    // ------------------------------------------------------------------ TCP Fast Open

    /**
     * A Linux client (TCP_FASTOPEN_CONNECT) connects twice to a jnetstack Fast Open listener: the
     * first SYN asks for a cookie and gets one, the second carries the cookie and its data, which
     * the SYN-ACK acknowledges and the child, accepted as a Fast Open child, reads.
     */
    @Test void fastOpenLinuxClientToJnetstackServer() throws Exception {
        Path pcap = tmp.resolve("tfo-in.pcap");
        try (Netns ns = Netns.create(); Host h = tapHost(ns, pcap)) {
            sysctl(h, "net.ipv4.tcp_fastopen", "3");
            ns.sh("sysctl -qw net.ipv4.tcp_fastopen=1");
            Syscalls sys = h.sys();
            int l = jnsListener(h, 9100, 8);
            assertEquals(0, setInt(sys, l, In.IPPROTO_TCP, TcpOpts.TCP_FASTOPEN, 16));
            CompletableFuture<String> served = serve(h, l, 2, (fd, data) -> "jns got " + data + " options " + tcpiOptions(sys, fd));
            String out = python(ns, """
                    res = []
                    for msg in (b'first', b'second'):
                        s = socket.socket()
                        s.setsockopt(socket.IPPROTO_TCP, 30, 1)          # TCP_FASTOPEN_CONNECT
                        s.connect(('%s', 9100))
                        s.sendall(msg)
                        s.shutdown(socket.SHUT_WR)
                        res.append('%%s/%%d' %% (drain(s).decode(), opts(s)))
                        s.close()
                    print('|'.join(res))
                    """.formatted(JNS));
            int plain = OPT_TS | OPT_SACK | OPT_WSCALE;
            String first = "jns got first options " + plain, second = "jns got second options " + (plain | OPT_SYN_DATA | OPT_TFO_CHILD);
            assertEquals(first + "|" + second, served.get(10, TimeUnit.SECONDS), "the second child came from a Fast Open SYN");
            // Linux's view: its second SYN's data was acknowledged by the SYN-ACK (TCPI_OPT_SYN_DATA).
            assertEquals(first + "/" + plain + "|" + second + "/" + (plain | OPT_SYN_DATA), out);
            assertEquals(1, ext(h, "TCPFastOpenPassive"), h.stack.snmp().format());
            assertEquals(1, ext(h, "TCPFastOpenCookieReqd"), h.stack.snmp().format());
        }
        assertSynData(pcap, LINUX, JNS, "second");
    }

    /** jnetstack as the Fast Open client (sendto MSG_FASTOPEN) of a Linux listener with tcp_fastopen = 3. */
    @Test void fastOpenJnetstackClientToLinuxServer() throws Exception {
        Path pcap = tmp.resolve("tfo-out.pcap");
        Process py = null;
        try (Netns ns = Netns.create(); Host h = tapHost(ns, pcap)) {
            ns.sh("sysctl -qw net.ipv4.tcp_fastopen=3");
            py = pythonBackground(ns, """
                    l = listener('%s', 9101, 16)
                    print('listening', flush=True)
                    res = []
                    for i in range(2):
                        c, _ = l.accept()
                        o = opts(c)
                        d = drain(c)
                        c.sendall(b'linux got ' + d)
                        c.close()
                        res.append('%%s/%%d' %% (d.decode(), o))
                    print('|'.join(res))
                    """.formatted(LINUX));
            awaitListening(ns, 9101);
            Syscalls sys = h.sys();
            List<String> got = new ArrayList<>();
            for (String msg : List.of("first", "second")) {
                int fd = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
                setRcvTimeo(sys, fd);
                byte[] a = SockAddrs.of(new InetSocketAddress(LINUX, 9101)), m = msg.getBytes(StandardCharsets.US_ASCII);
                assertEquals(m.length, sys.sendto(fd, m, m.length, Net.MSG_FASTOPEN, a, a.length), msg);
                assertEquals(0, sys.shutdown(fd, Net.SHUT_WR));
                got.add(readAll(sys, fd) + "/" + tcpiOptions(sys, fd));
                assertEquals(0, sys.close(fd));
            }
            assertEquals("linux got first/7|linux got second/" + (7 | OPT_SYN_DATA), String.join("|", got));
            assertEquals("listening\nfirst/7|second/" + (7 | OPT_SYN_DATA | OPT_TFO_CHILD), finish(py, 10));
            assertEquals(1, ext(h, "TCPFastOpenActive"), h.stack.snmp().format());
            assertTrue(ns.sh("nstat -az TcpExtTCPFastOpenPassive").matches("(?s).*TcpExtTCPFastOpenPassive\\s+1\\s.*"),
                    "Linux counted no Fast Open child");
        } finally {
            if (py != null) py.destroyForcibly();
        }
        assertSynData(pcap, JNS, LINUX, "second");
    }

    /**
     * On the wire, from {@code client}: two SYNs, the first with a cookie request and no data,
     * the second with a cookie and {@code data}; the second SYN-ACK acknowledges the data.
     */
    private static void assertSynData(Path pcap, String client, String server, String data) {
        List<String[]> syns = tshark(pcap, "ip.src==" + client + " && tcp.flags.syn==1 && tcp.flags.ack==0",
                "tcp.seq_raw", "tcp.len", "tcp.options.tfo.request", "tcp.options.tfo.cookie");
        assertEquals(2, syns.size(), "two SYNs, no retransmission: " + rows(syns));
        assertEquals("0", syns.get(0)[1], "the first SYN carries no data");
        assertEquals("1", syns.get(0)[2], "the first SYN asks for a cookie");
        assertEquals(String.valueOf(data.length()), syns.get(1)[1], "the second SYN carries the data");
        assertEquals(16, syns.get(1)[3].replace(":", "").length(), "an 8-byte cookie: " + rows(syns));
        List<String[]> synAcks = tshark(pcap, "ip.src==" + server + " && tcp.flags.syn==1 && tcp.flags.ack==1",
                "tcp.ack_raw", "tcp.options.tfo.cookie");
        assertEquals(2, synAcks.size(), rows(synAcks));
        assertEquals(syns.get(1)[3], synAcks.get(0)[1], "the cookie the second SYN carries is the one the first SYN-ACK gave");
        assertEquals(Long.parseLong(syns.get(1)[0]) + 1 + data.length(), Long.parseLong(synAcks.get(1)[0]),
                "the second SYN-ACK acknowledges the SYN's data");
        assertClean(pcap);
    }

    // ------------------------------------------------------------------ ECN

    /** jnetstack asks for ECN (tcp_ecn = 1); Linux, with its default 2, agrees. */
    @Test void ecnJnetstackInitiates() throws Exception {
        Path pcap = tmp.resolve("ecn-out.pcap");
        Process py = null;
        try (Netns ns = Netns.create(); Host h = tapHost(ns, pcap)) {
            sysctl(h, "net.ipv4.tcp_ecn", "1");
            py = pythonBackground(ns, echoServer(LINUX, 9110));
            awaitListening(ns, 9110);
            int jnsOpts = jnsEchoClient(h, LINUX, 9110, 256 << 10);
            assertEquals(OPT_ECN | OPT_ECN_SEEN, jnsOpts & (OPT_ECN | OPT_ECN_SEEN), "jnetstack's tcpi_options " + jnsOpts);
            int linuxOpts = Integer.parseInt(finish(py, 10).lines().reduce((a, b) -> b).orElseThrow().trim());
            assertEquals(OPT_ECN | OPT_ECN_SEEN, linuxOpts & (OPT_ECN | OPT_ECN_SEEN), "Linux's tcpi_options " + linuxOpts);
        } finally {
            if (py != null) py.destroyForcibly();
        }
        assertEcnNegotiatedAndMarked(pcap, JNS, LINUX);
    }

    /** Linux asks for ECN (tcp_ecn = 1 in its namespace); jnetstack, with the default 2, agrees. */
    @Test void ecnLinuxInitiates() throws Exception {
        Path pcap = tmp.resolve("ecn-in.pcap");
        try (Netns ns = Netns.create(); Host h = tapHost(ns, pcap)) {
            ns.sh("sysctl -qw net.ipv4.tcp_ecn=1");
            Syscalls sys = h.sys();
            int l = jnsListener(h, 9111, 8);
            CompletableFuture<String> served = serveEcho(h, l);
            String out = python(ns, """
                    s = socket.create_connection(('%s', 9111))
                    blob = bytes(range(256)) * 1024
                    s.sendall(blob)
                    s.shutdown(socket.SHUT_WR)
                    back = drain(s)
                    print(back == blob, opts(s))
                    """.formatted(JNS));
            int jnsOpts = Integer.parseInt(served.get(10, TimeUnit.SECONDS));
            assertEquals(OPT_ECN | OPT_ECN_SEEN, jnsOpts & (OPT_ECN | OPT_ECN_SEEN), "jnetstack's tcpi_options " + jnsOpts);
            String[] o = out.split(" ");
            assertEquals("True", o[0], "the echo came back whole");
            int linuxOpts = Integer.parseInt(o[1]);
            assertEquals(OPT_ECN | OPT_ECN_SEEN, linuxOpts & (OPT_ECN | OPT_ECN_SEEN), "Linux's tcpi_options " + linuxOpts);
        }
        assertEcnNegotiatedAndMarked(pcap, LINUX, JNS);
    }

    /**
     * RFC 3168 on the wire: the SYN carries ECE|CWR, the SYN-ACK ECE alone; new data from both
     * sides goes out ECT(0); SYNs and pure ACKs stay not-ECT (§6.1.1, §6.1.4); no CE, no ECE
     * after the handshake (nothing marked on this path).
     */
    private static void assertEcnNegotiatedAndMarked(Path pcap, String client, String server) {
        List<String[]> syn = tshark(pcap, "tcp.flags.syn==1", "ip.src", "tcp.flags.ack", "tcp.flags.ece", "tcp.flags.cwr", "ip.dsfield.ecn");
        assertEquals(2, syn.size(), rows(syn));
        assertEquals(List.of(client, "0", "1", "1", "0"), List.of(syn.get(0)), "the SYN asks for ECN: " + rows(syn));
        assertEquals(List.of(server, "1", "1", "0", "0"), List.of(syn.get(1)), "the SYN-ACK agrees: " + rows(syn));
        for (String src : List.of(client, server)) assertEctOnNewDataOnly(pcap, src);
        assertEquals(0, count(pcap, "tcp.flags.syn==0 && (tcp.flags.ece==1 || tcp.flags.cwr==1 || ip.dsfield.ecn==3)"),
                "congestion signals on an unmarked path");
        assertClean(pcap);
    }

    /**
     * CE end to end: jnetstack (tcp_ecn = 1) ↔ a Linux router that marks every 8th ECT(0)
     * packet CE in both directions (nft in the forward hook) ↔ a Linux echo server. Each receiver
     * echoes ECE until the sender's CWR; each sender answers with CWR. The capture (on jnetstack's
     * device: before the router for what jnetstack sends, after it for what it receives) shows all
     * four signals.
     */
    @Test void ecnCongestionMarksFromALinuxRouter() throws Exception {
        requireTool("nft", "nftables");
        Path pcap = tmp.resolve("ecn-ce.pcap");
        Process py = null;
        try (Netns r = Netns.create(); Netns s = Netns.create();
             Host h = Host.start(Host.Config.tap("jt0", JNS + "/24").gateway(LINUX).pcap(pcap).netns(r.name), Log.to(System.err))) {
            r.awaitLink("jt0", 5_000);
            r.sh("ip link set jt0 up && ip addr add " + LINUX + "/24 dev jt0");
            Netns.Result veth = Netns.run(10, "ip", "link", "add", "r0", "netns", r.name, "type", "veth", "peer", "name", "s0", "netns", s.name);
            assertTrue(veth.ok(), veth.out());
            r.sh("sysctl -qw net.ipv4.ip_forward=1 && ip link set r0 up && ip addr add 203.0.113.1/24 dev r0");
            r.sh("nft 'add table ip ce; add chain ip ce forward { type filter hook forward priority 0; };"
                    + " add rule ip ce forward ip ecn ect0 numgen inc mod 8 == 0 ip ecn set ce counter'");
            s.sh("ip link set s0 up && ip addr add " + FAR + "/24 dev s0 && ip route add default via 203.0.113.1");
            sysctl(h, "net.ipv4.tcp_ecn", "1");
            py = pythonBackground(s, echoServer(FAR, 9112));
            awaitListening(s, 9112);
            int jnsOpts = jnsEchoClient(h, FAR, 9112, 1 << 20);
            assertEquals(OPT_ECN | OPT_ECN_SEEN, jnsOpts & (OPT_ECN | OPT_ECN_SEEN), "jnetstack's tcpi_options " + jnsOpts);
            finish(py, 10);
            String marked = r.sh("nft list chain ip ce forward");
            assertTrue(!marked.contains("packets 0 "), "the router marked nothing: " + marked);
        } finally {
            if (py != null) py.destroyForcibly();
        }
        String toJns = "ip.src==" + FAR, fromJns = "ip.src==" + JNS;
        assertTrue(count(pcap, toJns + " && ip.dsfield.ecn==3") >= 1, "no CE arrived at jnetstack");
        assertTrue(count(pcap, fromJns + " && tcp.flags.syn==0 && tcp.flags.ece==1") >= 1, "jnetstack echoed no CE (ECE)");
        assertTrue(count(pcap, toJns + " && tcp.len>0 && tcp.flags.cwr==1") >= 1, "Linux never answered jnetstack's ECE with CWR");
        assertTrue(count(pcap, toJns + " && tcp.flags.syn==0 && tcp.flags.ece==1") >= 1, "Linux echoed no CE on jnetstack's data");
        assertTrue(count(pcap, fromJns + " && tcp.len>0 && tcp.flags.cwr==1") >= 1, "jnetstack never answered Linux's ECE with CWR");
        assertEctOnNewDataOnly(pcap, JNS);
        assertClean(pcap);
    }

    /**
     * From {@code src}: every new data segment ECT(0) (at least 10 of them); retransmissions
     * (RFC 3168 §6.1.5: a tail loss probe when a delayed ACK outlasts the probe timeout, say),
     * pure ACKs and SYNs not-ECT.
     */
    private static void assertEctOnNewDataOnly(Path pcap, String src) {
        String data = "ip.src==" + src + " && tcp.len>0", rtx = "tcp.analysis.retransmission || tcp.analysis.fast_retransmission";
        int ect0 = count(pcap, data + " && !(" + rtx + ") && ip.dsfield.ecn==2");
        int fresh = count(pcap, data + " && !(" + rtx + ")");
        assertTrue(ect0 >= 10 && ect0 == fresh, src + ": " + ect0 + " of " + fresh + " new data segments ECT(0)");
        assertEquals(0, count(pcap, data + " && (" + rtx + ") && ip.dsfield.ecn!=0"), src + ": an ECT retransmission");
        assertEquals(0, count(pcap, "ip.src==" + src + " && tcp.len==0 && ip.dsfield.ecn!=0"), src + ": an ECT pure ACK or SYN");
    }

    private static String echoServer(String addr, int port) {
        return """
                l = listener('%s', %d)
                print('listening', flush=True)
                c, _ = l.accept()
                d = drain(c)
                c.sendall(d)
                o = opts(c)
                c.close()
                print(o)
                """.formatted(addr, port);
    }

    /** Sends {@code n} bytes to an echo server, half-closes, reads them back; returns tcpi_options. */
    private static int jnsEchoClient(Host h, String addr, int port, int n) {
        Syscalls sys = h.sys();
        int fd = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        setRcvTimeo(sys, fd);
        byte[] a = SockAddrs.of(new InetSocketAddress(addr, port));
        assertEquals(0, sys.connect(fd, a, a.length));
        byte[] blob = new byte[n];
        for (int i = 0; i < n; i++) blob[i] = (byte) i;
        // Write and read concurrently: the echo server sends while we may still be sending.
        CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> readAllBytes(sys, fd));
        for (int off = 0; off < n; ) {
            int w = sys.send(fd, Arrays.copyOfRange(blob, off, n), n - off, 0);
            assertTrue(w > 0, "send: " + Errno.describe(w));
            off += w;
        }
        assertEquals(0, sys.shutdown(fd, Net.SHUT_WR));
        assertTrue(Arrays.equals(blob, back.join()), "the echo differs");
        int o = tcpiOptions(sys, fd);
        assertEquals(0, sys.close(fd));
        return o;
    }

    /** A one-connection echo server on listener {@code l}; completes with the child's tcpi_options. */
    private static CompletableFuture<String> serveEcho(Host h, int l) {
        Syscalls sys = h.sys();
        CompletableFuture<String> done = new CompletableFuture<>();
        Thread.ofPlatform().name("jns-echo").start(() -> {
            try {
                int c = sys.accept(l, null, null);
                if (c < 0) throw new AssertionError("accept: " + Errno.describe(c));
                setRcvTimeo(sys, c);
                byte[] d = readAllBytes(sys, c);
                for (int off = 0; off < d.length; ) {
                    int w = sys.send(c, Arrays.copyOfRange(d, off, d.length), d.length - off, 0);
                    if (w <= 0) throw new AssertionError("send: " + Errno.describe(w));
                    off += w;
                }
                String o = String.valueOf(tcpiOptions(sys, c));
                sys.close(c);
                done.complete(o);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    // ------------------------------------------------------------------ urgent data

    /**
     * Linux sends "abc", the urgent byte "!" (MSG_OOB) and "def" to jnetstack: recv(MSG_OOB)
     * returns "!", the stream reads "abc" up to the mark (SIOCATMARK 1 there) and then "def".
     */
    @Test void urgentDataFromLinux() throws Exception {
        Path pcap = tmp.resolve("urg-in.pcap");
        try (Netns ns = Netns.create(); Host h = tapHost(ns, pcap)) {
            Syscalls sys = h.sys();
            int l = jnsListener(h, 9120, 8);
            CompletableFuture<String> got = new CompletableFuture<>();
            Thread.ofPlatform().name("jns-urg").start(() -> {
                try {
                    int c = sys.accept(l, null, null);
                    setRcvTimeo(sys, c);
                    got.complete(readUrgent(sys, c));
                    sys.close(c);
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            });
            String out = python(ns, """
                    s = socket.create_connection(('%s', 9120))
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    s.send(b'abc'); s.send(b'!', socket.MSG_OOB); s.send(b'def')
                    s.shutdown(socket.SHUT_WR)
                    print(drain(s) == b'', flush=True)
                    """.formatted(JNS));
            assertEquals("True", out);
            assertEquals("oob=! first=abc atmark=1 rest=def", got.get(10, TimeUnit.SECONDS));
        }
        assertUrgentPointer(pcap, LINUX);
    }

    /** jnetstack sends the same to a Linux reader: Linux's recv(MSG_OOB) gets "!", the stream "abcdef". */
    @Test void urgentDataToLinux() throws Exception {
        Path pcap = tmp.resolve("urg-out.pcap");
        Process py = null;
        try (Netns ns = Netns.create(); Host h = tapHost(ns, pcap)) {
            py = pythonBackground(ns, """
                    l = listener('%s', 9121)
                    print('listening', flush=True)
                    c, _ = l.accept()
                    p = select.poll(); p.register(c, select.POLLPRI); p.poll(5000)
                    end = time.time() + 5
                    while True:
                        try:
                            oob = c.recv(1, socket.MSG_OOB); break
                        except OSError as e:
                            if e.errno not in (errno.EAGAIN, errno.EINVAL) or time.time() > end: raise
                    first = c.recv(100)
                    m = atmark(c)
                    print('oob=%%s first=%%s atmark=%%d rest=%%s' %% (oob.decode(), first.decode(), m, drain(c).decode()))
                    """.formatted(LINUX));
            awaitListening(ns, 9121);
            Syscalls sys = h.sys();
            int fd = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
            byte[] a = SockAddrs.of(new InetSocketAddress(LINUX, 9121));
            assertEquals(0, sys.connect(fd, a, a.length));
            assertEquals(0, setInt(sys, fd, In.IPPROTO_TCP, TcpOpts.TCP_NODELAY, 1));
            assertEquals(3, sys.send(fd, "abc".getBytes(StandardCharsets.US_ASCII), 3, 0));
            assertEquals(1, sys.send(fd, "!".getBytes(StandardCharsets.US_ASCII), 1, Net.MSG_OOB));
            assertEquals(3, sys.send(fd, "def".getBytes(StandardCharsets.US_ASCII), 3, 0));
            assertEquals(0, sys.close(fd));
            assertEquals("listening\noob=! first=abc atmark=1 rest=def", finish(py, 10));
        } finally {
            if (py != null) py.destroyForcibly();
        }
        assertUrgentPointer(pcap, JNS);
    }

    /** poll for POLLPRI, recv(MSG_OOB) once the byte is in, then the stream up to and past the mark. */
    private static String readUrgent(Syscalls sys, int c) {
        PollFd[] p = {new PollFd(c, Poll.POLLPRI)};
        assertEquals(1, sys.poll(p, 1, 5_000), "no POLLPRI: urgent data never announced");
        byte[] b = new byte[100];
        long end = System.nanoTime() + 5_000_000_000L;
        int n;
        // The urgent pointer may arrive before its byte: EAGAIN until then (tcp_recv_urg).
        while ((n = sys.recv(c, b, 1, Net.MSG_OOB)) == -Errno.EAGAIN || n == -Errno.EINVAL) {
            if (System.nanoTime() > end) break;
            Thread.onSpinWait();
        }
        assertEquals(1, n, "recv(MSG_OOB): " + Errno.describe(n));
        String oob = new String(b, 0, 1, StandardCharsets.US_ASCII);
        n = sys.recv(c, b, b.length, 0);
        assertTrue(n > 0, "recv: " + Errno.describe(n));
        String first = new String(b, 0, n, StandardCharsets.US_ASCII);
        int[] mark = {-1};
        assertEquals(0, sys.ioctl(c, Fcntl.SIOCATMARK, mark));
        return "oob=" + oob + " first=" + first + " atmark=" + mark[0] + " rest=" + readAll(sys, c);
    }

    /**
     * The URG segments {@code src} sent: each points just past the urgent byte, at relative
     * sequence 5 ("abc!" from 1), as Linux's BSD-style urgent pointer does (tcp_stdurg = 0).
     */
    private static void assertUrgentPointer(Path pcap, String src) {
        List<String[]> urg = tshark(pcap, "ip.src==" + src + " && tcp.flags.urg==1", "tcp.seq", "tcp.len", "tcp.urgent_pointer");
        assertTrue(!urg.isEmpty(), "no URG segment from " + src);
        for (String[] u : urg)
            assertEquals(5, Integer.parseInt(u[0]) + Integer.parseInt(u[2]), "urgent pointer of " + String.join(" ", u) + " in " + rows(urg));
        assertEquals(0, count(pcap, "ip.src==" + src + " && tcp.flags.urg==0 && tcp.urgent_pointer!=0"), "a pointer without URG");
        assertClean(pcap);
    }

    // ------------------------------------------------------------------ SYN cookies

    /** tcp_syncookies = 2 on jnetstack: every SYN is answered with a cookie; Linux with timestamps keeps wscale and SACK. */
    @Test void synCookiesWithTimestamps() throws Exception { synCookies(true); }

    /** Without timestamps the cookie carries only the MSS: window scaling and SACK are lost, as on Linux. */
    @Test void synCookiesWithoutTimestamps() throws Exception { synCookies(false); }

    private void synCookies(boolean timestamps) throws Exception {
        Path pcap = tmp.resolve("cookies-" + timestamps + ".pcap");
        int want = timestamps ? OPT_TS | OPT_SACK | OPT_WSCALE : 0;
        try (Netns ns = Netns.create(); Host h = tapHost(ns, pcap)) {
            sysctl(h, "net.ipv4.tcp_syncookies", "2");
            if (!timestamps) ns.sh("sysctl -qw net.ipv4.tcp_timestamps=0");
            int l = jnsListener(h, 9130, 1);
            CompletableFuture<String> served = serveEcho(h, l);
            String out = python(ns, """
                    s = socket.create_connection(('%s', 9130))
                    blob = bytes(range(256)) * 2048
                    s.sendall(blob)
                    s.shutdown(socket.SHUT_WR)
                    print(drain(s) == blob, opts(s) & 7)
                    """.formatted(JNS));
            assertEquals("True " + want, out, "Linux: echo whole, tcpi_options & 7");
            assertEquals(String.valueOf(want), String.valueOf(Integer.parseInt(served.get(10, TimeUnit.SECONDS)) & 7),
                    "jnetstack child's tcpi_options & 7");
            // One cookie per SYN: a SYN Linux sent again (a slow first handshake on a loaded
            // machine) is answered with a cookie again; one of them completes.
            assertTrue(ext(h, "SyncookiesSent") >= 1, "SyncookiesSent " + ext(h, "SyncookiesSent") + "\n" + h.stack.snmp().format());
            assertEquals(1, ext(h, "SyncookiesRecv"), h.stack.snmp().format());
            assertEquals(0, ext(h, "SyncookiesFailed"), h.stack.snmp().format());
        }
        List<String[]> synAck = tshark(pcap, "tcp.flags.syn==1 && tcp.flags.ack==1",
                "tcp.options.wscale.shift", "tcp.options.sack_perm", "tcp.options.timestamp.tsval");
        assertTrue(!synAck.isEmpty(), rows(synAck));
        for (String[] sa : synAck) {
            if (timestamps) assertTrue(!sa[0].isEmpty() && !sa[1].isEmpty(), "options kept: " + rows(synAck));
            else assertEquals(List.of("", "", ""), List.of(sa), "only the MSS survives a cookie without timestamps");
        }
        assertClean(pcap);
    }

    // ------------------------------------------------------------------ helpers

    private static Host tapHost(Netns ns, Path pcap) throws IOException {
        requireTool("python3", "python3");
        return ns.tapHost(Host.Config.tap("jt0", JNS + "/24").pcap(pcap), "jt0", LINUX + "/24");
    }

    private static void requireTool(String cmd, String pkg) {
        if (!Netns.onPath(cmd)) throw new AssertionError(cmd + " not found: apt-get install " + pkg);
    }

    private static void sysctl(Host h, String name, String value) {
        assertEquals(0, (int) h.locked(() -> h.stack.sysctl().set(name, value)), name);
    }

    private static long ext(Host h, String counter) {
        return h.locked(() -> h.stack.snmp().get("TcpExt." + counter));
    }

    private static int setInt(Syscalls sys, int fd, int level, int name, int v) {
        return sys.setsockopt(fd, level, name, new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)}, 4);
    }

    /** SO_RCVTIMEO of 10 s: a peer that never answers fails the test instead of hanging it. */
    private static void setRcvTimeo(Syscalls sys, int fd) {
        byte[] tv = new byte[16];
        tv[0] = 10;
        assertEquals(0, sys.setsockopt(fd, Net.SOL_SOCKET, Net.SO_RCVTIMEO, tv, 16));
    }

    private static int tcpiOptions(Syscalls sys, int fd) {
        byte[] info = new byte[104];
        int r = sys.getsockopt(fd, In.IPPROTO_TCP, TcpOpts.TCP_INFO, info, new int[] {info.length});
        assertEquals(0, r, "TCP_INFO: " + Errno.describe(r));
        return info[5] & 0xFF;
    }

    private static int jnsListener(Host h, int port, int backlog) {
        Syscalls sys = h.sys();
        int fd = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        assertEquals(0, setInt(sys, fd, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1));
        setRcvTimeo(sys, fd);
        byte[] a = SockAddrs.of(new InetSocketAddress(JNS, port));
        assertEquals(0, sys.bind(fd, a, a.length));
        assertEquals(0, sys.listen(fd, backlog));
        return fd;
    }

    interface Reply { String to(int fd, String data); }

    /** Accepts {@code n} connections one after another, answers each request with {@code reply}; completes with the replies joined by '|'. */
    private static CompletableFuture<String> serve(Host h, int l, int n, Reply reply) {
        Syscalls sys = h.sys();
        CompletableFuture<String> done = new CompletableFuture<>();
        Thread.ofPlatform().name("jns-serve").start(() -> {
            try {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int c = sys.accept(l, null, null);
                    if (c < 0) throw new AssertionError("accept: " + Errno.describe(c));
                    setRcvTimeo(sys, c);
                    String r = reply.to(c, readAll(sys, c));
                    byte[] b = r.getBytes(StandardCharsets.US_ASCII);
                    assertEquals(b.length, sys.send(c, b, b.length, 0));
                    out.add(r);
                    sys.close(c);
                }
                done.complete(String.join("|", out));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private static String readAll(Syscalls sys, int fd) { return new String(readAllBytes(sys, fd), StandardCharsets.US_ASCII); }

    private static byte[] readAllBytes(Syscalls sys, int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[65536];
        int n;
        while ((n = sys.recv(fd, b, b.length, 0)) > 0) out.write(b, 0, n);
        if (n < 0) throw new AssertionError("recv: " + Errno.describe(n));
        return out.toByteArray();
    }

    /** Runs a python3 script (after {@link #PY_PRELUDE}) in {@code ns}; asserts success, returns its output trimmed. */
    private static String python(Netns ns, String script) {
        Netns.Result r = ns.execTimeout(20, "python3", "-c", PY_PRELUDE + script);
        assertTrue(r.ok(), "python in " + ns.name + " → exit " + r.exit() + ":\n" + r.out());
        return r.out().strip();
    }

    private static Process pythonBackground(Netns ns, String script) throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", ns.name, "python3", "-c", PY_PRELUDE + script).redirectErrorStream(true).start();
    }

    private static String finish(Process p, int seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Linux side did not finish in " + seconds + " s: "
                    + new String(p.getInputStream().readNBytes(p.getInputStream().available()), StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), "Linux side failed:\n" + out);
        return out;
    }

    /** Polls ss(8) until something listens on tcp {@code port} in {@code ns} (bounded). */
    private static void awaitListening(Netns ns, int port) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!ns.exec("ss", "-Hltn", "sport = :" + port).out().contains(":" + port)) {
            if (System.nanoTime() > end) throw new AssertionError("nothing listens on port " + port + " in " + ns.name);
            Thread.onSpinWait();
        }
    }

    /** tshark's fields for the packets matching {@code filter}, one array per packet. */
    static List<String[]> tshark(Path pcap, String filter, String... fields) {
        assertTrue(Tshark.available(), "tshark not found: apt-get install tshark");
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-n", "-Y", filter, "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=f"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tshark failed on " + pcap + " with " + filter);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("tshark", e);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n"))
            if (!line.isEmpty()) rows.add(Arrays.copyOf(line.split("\t", -1), fields.length));
        for (String[] row : rows) for (int i = 0; i < row.length; i++) if (row[i] == null) row[i] = "";
        return rows;
    }

    static int count(Path pcap, String filter) { return tshark(pcap, filter, "frame.number").size(); }

    static String rows(List<String[]> rows) {
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) b.append("\n  ").append(String.join(" ", r));
        return b.toString();
    }

    /** No malformed packet, no bad checksum (tshark validating them), nothing tshark calls an error. */
    private static void assertClean(Path pcap) {
        Tshark.Result r = Tshark.check(pcap);
        if (!r.clean()) {
            try {
                Files.copy(pcap, Path.of("/tmp/jns-failed-" + pcap.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the message says what is wrong
            }
        }
        assertTrue(r.clean(), "capture kept as /tmp/jns-failed-" + pcap.getFileName() + ":\n" + r.output());
    }
}
