package io.jnetstack.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.interop.Netns;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bulk TCP throughput over a TAP device at MTU 1500, each direction, without and with offloads
 * (IFF_VNET_HDR: TSO/checksum), next to Linux↔Linux over a veth pair measured in the same run.
 * Prints a table; run with
 * {@code mvn -DbuildDir=/tmp/build-up -Plong test -Dtest=ThroughputBench}.
 * Size with -Djns.bench.mib=N (default 512).
 */
@Tag("long")
class ThroughputBench {
    static final String LINUX = "198.51.100.1", JNS = "198.51.100.2";

    record Row(String path, String direction, long bytes, double seconds) {
        double mbit() { return bytes * 8 / seconds / 1e6; }
    }

    @Test void throughputTable() throws Exception {
        long bytes = Long.getLong("jns.bench.mib", 512) << 20;
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (boolean offload : new boolean[] {false, true}) {
            String path = "TAP mtu 1500" + (offload ? " +offload" : "");
            try (Netns ns = Netns.create();
                 Host h = Host.start(Host.Config.tap("jt0", JNS + "/24").netns(ns.name).offload(offload), Log.SILENT)) {
                ns.awaitLink("jt0", 5_000);
                ns.sh("ip link set jt0 up && ip addr add " + LINUX + "/24 dev jt0");
                // Linux → jnetstack: socat pushes zeros into the sink.
                CompletableFuture<Sink.Receipt> got = new CompletableFuture<>();
                Sink.start(h, 9000, got::complete);
                long t0 = System.nanoTime();
                Netns.Result r = ns.execTimeout(120, "bash", "-c", "head -c " + bytes + " /dev/zero | socat -b 262144 -u STDIN TCP:" + JNS + ":9000");
                notes.add(path + " Linux → jnetstack, sender: " + ns.exec("sh", "-c", "nstat -az TcpRetransSegs TcpExtTCPTimeouts TcpExtTCPLossProbes TcpExtTCPSackRecovery | tail -n +2 | awk '{print $1\"=\"$2}' | tr '\\n' ' '").out()
                        + " jnetstack: " + h.stack.snmp().get("Tcp.OutSegs") + " segments out, rx dropped " + h.dev.stats());
                Sink.Receipt rc = got.get(30, TimeUnit.SECONDS);
                double s = (System.nanoTime() - t0) / 1e9;
                assertTrue(r.ok(), r.out());
                assertEquals(bytes, rc.bytes());
                rows.add(new Row(path, "Linux → jnetstack", bytes, s));
                // jnetstack → Linux: our client into a socat sink.
                Process sink = new ProcessBuilder("ip", "netns", "exec", ns.name, "socat", "-b", "262144", "-u", "TCP-LISTEN:9001,reuseaddr", "OPEN:/dev/null")
                        .redirectErrorStream(true).start();
                awaitListening(ns, 9001);
                Clients.Sent sent = Clients.send(h, new InetSocketAddress(LINUX, 9001), RealPeersTest.pattern(bytes));
                assertTrue(sink.waitFor(30, TimeUnit.SECONDS));
                rows.add(new Row(path, "jnetstack → Linux", bytes, sent.seconds()));
            }
        }
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Netns.run(10, "ip", "link", "add", "va", "netns", a.name, "type", "veth", "peer", "name", "vb", "netns", b.name);
            a.sh("ip link set va mtu 1500 up && ip addr add " + LINUX + "/24 dev va");
            b.sh("ip link set vb mtu 1500 up && ip addr add " + JNS + "/24 dev vb");
            Process sink = new ProcessBuilder("ip", "netns", "exec", b.name, "socat", "-b", "262144", "-u", "TCP-LISTEN:9002,reuseaddr", "OPEN:/dev/null")
                    .redirectErrorStream(true).start();
            awaitListening(b, 9002);
            long t0 = System.nanoTime();
            Netns.Result r = a.execTimeout(120, "bash", "-c", "head -c " + bytes + " /dev/zero | socat -b 262144 -u STDIN TCP:" + JNS + ":9002");
            assertTrue(sink.waitFor(30, TimeUnit.SECONDS));
            rows.add(new Row("veth mtu 1500 (Linux TSO/GRO)", "Linux → Linux", bytes, (System.nanoTime() - t0) / 1e9));
            assertTrue(r.ok(), r.out());
        }
        StringBuilder t = new StringBuilder(String.format("%n%-30s %-20s %10s %9s %12s%n", "path", "direction", "MiB", "seconds", "Mbit/s"));
        for (Row row : rows)
            t.append(String.format("%-30s %-20s %10d %9.2f %12.0f%n", row.path, row.direction, row.bytes >> 20, row.seconds, row.mbit()));
        for (String n : notes) t.append(n).append('\n');
        System.out.println(t);
    }

    private static void awaitListening(Netns ns, int port) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!ns.exec("ss", "-Hltn", "sport = :" + port).out().contains(":" + port)) {
            if (System.nanoTime() > end) throw new AssertionError("nothing listens on port " + port);
            Thread.onSpinWait();
        }
    }
}
