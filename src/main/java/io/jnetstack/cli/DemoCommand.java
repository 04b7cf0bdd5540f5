package io.jnetstack.cli;

import static io.jnetstack.uapi.In.IPPROTO_TCP;
import static io.jnetstack.uapi.Net.*;

import io.jnetstack.link.Wire;
import io.jnetstack.link.WireConfig;
import io.jnetstack.link.WireStats;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.TcpOpts;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jns demo}: two stacks on an in-memory wire (20 ms RTT, 1 % loss by default); a TCP server
 * and client move 64 MiB, verify it by SHA-256, print each end as {@code ss -ti} would, and leave
 * a pcap of the client's side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Two jnetstack hosts on a simulated wire move data over TCP on a virtual clock,",
            "verify it by SHA-256, and print a per-connection summary and a pcap."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "64MiB", converter = Units.Size.class,
            description = "Bytes to move (e.g. 64MiB, 1GiB, 500k). Default: ${DEFAULT-VALUE}.")
    long size;

    @Option(names = "--rtt", defaultValue = "20ms", converter = Units.Duration.class,
            description = "Round-trip time of the wire. Default: ${DEFAULT-VALUE}.")
    long rttNs;

    @Option(names = "--loss", defaultValue = "1%", converter = Units.Fraction.class,
            description = "Loss probability in each direction. Default: ${DEFAULT-VALUE}.")
    double loss;

    @Option(names = "--rate", converter = Units.Rate.class,
            description = "Wire rate (e.g. 100Mbit); unlimited when absent.")
    Long rateBps;

    @Option(names = "--mtu", defaultValue = "1500", description = "Wire MTU. Default: ${DEFAULT-VALUE}.")
    int mtu;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every random choice. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--pcap", defaultValue = "jns-demo.pcap",
            description = "Capture of the client's side (\"none\" for no capture). Default: ${DEFAULT-VALUE}.")
    String pcap;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    private static final int SERVER = 0x0a000001, CLIENT = 0x0a000002, PORT = 5001;

    /** What one end saw, for the summary. */
    private static final class End {
        String name;
        byte[] digest;
        long bytes;
        byte[] info = new byte[512];
        int infoLen;
        String local = "?", peer = "?";
        String error;
    }

    @Override public Integer call() throws Exception {
        if (size <= 0) throw new IllegalArgumentException("--size must be positive");
        if (mtu < 576 || mtu > 65535) throw new IllegalArgumentException("--mtu must be within 576..65535");
        if (loss < 0 || loss >= 1) throw new IllegalArgumentException("--loss must be within 0%..99%");
        PrintStream out = System.out;
        Path pcapPath = "none".equals(pcap) ? null : Path.of(pcap);
        WireConfig cfg = WireConfig.DEFAULT.withDelay(rttNs / 2).withLoss(loss).withMtu(mtu);
        if (rateBps != null) cfg = cfg.withRate(rateBps);

        out.printf("jns demo: %s over TCP, wire RTT %s, loss %s, MTU %d%s, seed %d%n", Units.bytes(size),
                Units.duration(rttNs), Units.percent(loss), mtu, rateBps == null ? "" : ", rate " + Units.rate(rateBps), seed);
        End server = new End(), client = new End();
        server.name = "server";
        client.name = "client";
        long wallStart = io.jnetstack.time.Clock.MONOTONIC.nanos();
        Wire wire;
        long virtualEnd;
        String recovery;
        try (SimNet net = new SimNet(seed)) {
            SimNet.Host a = net.host("server"), b = net.host("client");
            // Wire.a() is the client's end so that the capture shows the client's view.
            wire = net.link(b, "10.0.0.2/24", a, "10.0.0.1/24", cfg, cfg, pcapPath);
            ProgressBar bar = quiet ? null : new ProgressBar(System.err, "transfer", size);
            net.spawn("server", () -> serve(a.sys(), server, bar, net));
            net.spawn("client", () -> send(b.sys(), client));
            net.run();
            virtualEnd = net.now();
            recovery = recoveryCounters(b.stack().snmp());
        }
        double wallSec = (io.jnetstack.time.Clock.MONOTONIC.nanos() - wallStart) / 1e9;

        out.println();
        for (End e : new End[] {client, server}) {
            if (e.error != null) out.println(e.name + ": " + e.error);
        }
        out.println("State      Recv-Q Send-Q Local Address:Port      Peer Address:Port");
        for (End e : new End[] {client, server}) {
            TcpInfoView ti = new TcpInfoView(e.info, e.infoLen);
            out.printf("%-10s %-6d %-6d %-24s %s   (%s)%n", TcpInfoView.stateName(ti.state()), 0, 0, e.local, e.peer, e.name);
            out.println(ti.ssDetail("cubic"));
        }
        out.println("client TcpExt:" + recovery);
        out.println();
        printWire(out, "client→server", wire.statsAb());
        printWire(out, "server→client", wire.statsBa());
        boolean ok = client.error == null && server.error == null && client.digest != null && server.digest != null
                && MessageDigest.isEqual(client.digest, server.digest) && server.bytes == size;
        HexFormat hex = HexFormat.of();
        out.println("sha256 sent     " + (client.digest == null ? "-" : hex.formatHex(client.digest)));
        out.println("sha256 received " + (server.digest == null ? "-" : hex.formatHex(server.digest)));
        double secs = virtualEnd / 1e9;
        out.printf("moved %s in %.3f s of virtual time (%s goodput), %.2f s of wall time%n", Units.bytes(server.bytes),
                secs, Units.rate((long) (server.bytes * 8 / Math.max(secs, 1e-9))), wallSec);
        if (pcapPath != null) {
            out.println("pcap: " + pcapPath + " (" + Files.size(pcapPath) / 1024 + " KiB) — open it with wireshark or tshark -r");
        }
        out.println(ok ? "demo: OK, every byte arrived intact" : "demo: FAILED");
        return ok ? 0 : 1;
    }

    /** The sender's loss-recovery counters (nstat's names), the ones that are not zero. */
    private static final String[] RECOVERY_COUNTERS = {"TCPSackRecovery", "TCPRenoRecovery", "TCPFastRetrans",
        "TCPLossProbes", "TCPLossProbeRecovery", "TCPTimeouts", "TCPLostRetransmit", "TCPDSACKRecv", "TCPFullUndo",
        "TCPPartialUndo", "TCPDSACKUndo", "TCPLossUndo", "TCPSpuriousRTOs"};

    private static String recoveryCounters(io.jnetstack.stack.Snmp snmp) {
        StringBuilder sb = new StringBuilder();
        for (String c : RECOVERY_COUNTERS) {
            long v = snmp.get("TcpExt." + c);
            if (v > 0) sb.append(' ').append(c).append(' ').append(v);
        }
        return sb.isEmpty() ? " no loss recovery" : sb.toString();
    }

    private static void printWire(PrintStream out, String dir, WireStats s) {
        out.printf("wire %s: %d packets sent, %d delivered, %d lost (%.2f%%), %d bytes%n", dir, s.sent, s.delivered,
                s.lost, s.sent == 0 ? 0.0 : 100.0 * s.lost / s.sent, s.bytesSent);
    }

    private static int check(int r, String what) {
        if (r < 0) throw new IllegalStateException(what + ": " + Errno.describe(r));
        return r;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void tcpInfo(Syscalls sys, int fd, End e) {
        int[] len = {e.info.length};
        if (sys.getsockopt(fd, IPPROTO_TCP, TcpOpts.TCP_INFO, e.info, len) == 0) e.infoLen = len[0];
    }

    /** getsockname/getpeername while connected (a TIME_WAIT socket has no peer to report). */
    private static void names(Syscalls sys, int fd, End e) {
        byte[] sa = new byte[128];
        int[] salen = {128};
        if (sys.getsockname(fd, sa, salen) == 0) e.local = SockAddr.toString(sa, salen[0]);
        salen[0] = 128;
        if (sys.getpeername(fd, sa, salen) == 0) e.peer = SockAddr.toString(sa, salen[0]);
    }

    private void serve(Syscalls sys, End e, ProgressBar bar, SimNet net) {
        try {
            int ls = check(sys.socket(AF_INET, SOCK_STREAM, 0), "socket");
            check(sys.setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, new byte[] {1, 0, 0, 0}, 4), "setsockopt");
            check(sys.bind(ls, SockAddr.in(SERVER, PORT), 16), "bind");
            check(sys.listen(ls, 16), "listen");
            int c = check(sys.accept(ls, null, null), "accept");
            names(sys, c, e);
            MessageDigest md = sha256();
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = sys.recv(c, buf, buf.length, 0)) > 0) {
                md.update(buf, 0, n);
                e.bytes += n;
                if (bar != null) bar.update(e.bytes, net.now());
            }
            check(n, "recv");
            e.digest = md.digest();
            tcpInfo(sys, c, e);
            check(sys.close(c), "close");
            check(sys.close(ls), "close");
        } catch (RuntimeException ex) {
            e.error = ex.getMessage();
        }
    }

    private void send(Syscalls sys, End e) {
        try {
            int s = check(sys.socket(AF_INET, SOCK_STREAM, 0), "socket");
            check(sys.connect(s, SockAddr.in(SERVER, PORT), 16), "connect");
            names(sys, s, e);
            MessageDigest md = sha256();
            SplittableRandom data = new SplittableRandom(seed);
            byte[] chunk = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int len = (int) Math.min(chunk.length, left);
                for (int i = 0; i < len; i += 8) {
                    long v = data.nextLong();
                    for (int k = 0; k < 8 && i + k < len; k++) chunk[i + k] = (byte) (v >>> (8 * k));
                }
                md.update(chunk, 0, len);
                int off = 0;
                while (off < len) {
                    byte[] part = off == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, off, len);
                    off += check(sys.send(s, part, len - off, MSG_NOSIGNAL), "send");
                }
                e.bytes += len;
                left -= len;
            }
            e.digest = md.digest();
            check(sys.shutdown(s, SHUT_WR), "shutdown");
            byte[] sink = new byte[64];
            int n = sys.recv(s, sink, sink.length, 0); // the server closes once it has everything
            check(n, "recv");
            tcpInfo(sys, s, e);
            check(sys.close(s), "close");
        } catch (RuntimeException ex) {
            e.error = ex.getMessage();
        }
    }
}
