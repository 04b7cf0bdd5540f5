package io.jnetstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.Jnetstack;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.Net;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * /proc/net/tcp and tcp6 against Linux's own: the same sockets (a listener on *:8080, a loopback
 * connection that moved 100 bytes, an IPv6 listener on [::]:9090) made on the host kernel in a
 * fresh namespace and on jnetstack, compared column by column. Masked: inode numbers, refcounts
 * and kernel pointers (different objects), the client's ephemeral port and the line order (hash
 * buckets). Both run Reno: a new namespace may only pick from the host's allowed congestion
 * controls, which do not include cubic here.
 */
class ProcNetTcpTest {
    static final String LINUX_SCRIPT = """
            import socket, time
            open('/proc/sys/net/ipv4/tcp_congestion_control', 'w').write('reno')
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(('0.0.0.0', 8080)); l.listen(5)
            c = socket.socket(); c.connect(('127.0.0.1', 8080))
            a, _ = l.accept()
            c.send(b'x' * 100)
            time.sleep(0.05)
            l6 = socket.socket(socket.AF_INET6); l6.bind(('::', 9090)); l6.listen(1)
            print(open('/proc/net/tcp').read(), end='')
            print('--')
            print(open('/proc/net/tcp6').read(), end='')
            """;

    static List<String>[] linux() throws Exception {
        Process p = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up && python3 -c \"$0\"", LINUX_SCRIPT)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "the Linux side (needs root and python3): " + out);
        String[] parts = out.split("--\n");
        return split(parts[0], parts[1]);
    }

    @SuppressWarnings("unchecked")
    static List<String>[] split(String v4, String v6) {
        return new List[] {List.of(v4.split("\n", -1)), List.of(v6.split("\n", -1))};
    }

    static List<String>[] jnetstack() {
        SimScheduler sched = new SimScheduler();
        Stack stack = Jnetstack.newStack("proc", sched, 7);
        stack.sysctl().set("net.ipv4.tcp_congestion_control", "reno");
        SocketCalls sys = new SocketCalls(stack, new Task(0, io.jnetstack.socket.Credentials.ROOT));
        int l = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        sys.setsockopt(l, Net.SOL_SOCKET, Net.SO_REUSEADDR, SockOpts.intOpt(1), 4);
        assertEquals(0, sys.bind(l, SockAddr.in(0, 8080), 16));
        assertEquals(0, sys.listen(l, 5));
        int c = sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        assertEquals(0, sys.connect(c, SockAddr.in(SockAddr.parseIp("127.0.0.1"), 8080), 16));
        assertTrue(sys.accept(l, null, null) >= 0);
        assertEquals(100, sys.send(c, new byte[100], 100, 0));
        sched.runFor(50_000_000L);
        int l6 = sys.socket(Net.AF_INET6, Net.SOCK_STREAM, 0);
        byte[] any6 = new byte[28];
        SockAddr.putFamily(any6, Net.AF_INET6);
        any6[2] = (byte) (9090 >> 8);
        any6[3] = (byte) 9090;
        assertEquals(0, sys.bind(l6, any6, 28));
        assertEquals(0, sys.listen(l6, 1));
        Tcp tcp = Tcp.of(stack);
        return split(ProcNetTcp.show(tcp, false), ProcNetTcp.show(tcp, true));
    }

    /** Columns with inode, refcount and pointer masked, and ephemeral ports (not 1F90/2382) too. */
    static List<String> masked(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.isBlank()) continue;
            String[] f = l.trim().split("\\s+");
            if (f[0].equals("sl")) { out.add(l); continue; }
            for (int i = 1; i <= 2; i++) {
                String port = f[i].substring(f[i].indexOf(':') + 1);
                if (!port.equals("1F90") && !port.equals("2382") && !port.equals("0000"))
                    f[i] = f[i].substring(0, f[i].indexOf(':') + 1) + "EPHM";
            }
            if (f.length > 11) { f[9] = "INO"; f[10] = "REF"; f[11] = "PTR"; }
            f[0] = "N:";
            out.add(String.join(" ", f));
        }
        // Connections are listed in hash-bucket order, which differs between kernels.
        List<String> body = new ArrayList<>(out.subList(1, out.size()));
        body.sort(null);
        body.add(0, out.get(0));
        return body;
    }

    @Test void sameSocketsShowTheSameLinesAsLinux() throws Exception {
        List<String>[] linux = linux(), ours = jnetstack();
        assertEquals(masked(linux[0]), masked(ours[0]), "/proc/net/tcp");
        assertEquals(masked(linux[1]), masked(ours[1]), "/proc/net/tcp6");
        // The padding: IPv4 lines are 149 columns, as the kernel pads them.
        for (String l : ours[0]) if (!l.isEmpty()) assertEquals(149, l.length(), l);
        for (String l : linux[0]) if (!l.isEmpty()) assertEquals(149, l.length(), l);
    }
}
