package io.jnetstack.cli;

import static io.jnetstack.uapi.Net.*;

import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Tracer;
import io.jnetstack.syscall.Syscalls;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jns trace}: a short server and client program on one host's loopback, every system call
 * shown with its path through the layers under the kernel's function names.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Runs a tiny TCP server and client on loopback and shows each system call's",
            "path through the stack under the kernel's function names, with the values decided."})
final class TraceCommand implements Callable<Integer> {
    @Option(names = "--packets", negatable = true, defaultValue = "true",
            description = "Also show packets and timers in softirq context (default: on).")
    boolean packets;

    @Override public Integer call() {
        PrintStream out = System.out;
        try (SimNet net = new SimNet(7)) {
            SimNet.Host h = net.host("host", io.jnetstack.socket.Credentials.USER);
            Tracer tr = h.stack().trace();
            tr.enable(out);
            tr.events = packets;
            Syscalls sys = h.sys();
            net.spawn("program", () -> {
                int ls = sys.socket(AF_INET, SOCK_STREAM, 0);
                sys.bind(ls, SockAddr.in(0x7f000001, 8080), 16);
                sys.listen(ls, 8);
                int c = sys.socket(AF_INET, SOCK_STREAM, 0);
                sys.connect(c, SockAddr.in(0x7f000001, 8080), 16);
                byte[] peer = new byte[16];
                int[] peerLen = {16};
                int s = sys.accept(ls, peer, peerLen);
                byte[] hello = "hello, kernel".getBytes(StandardCharsets.US_ASCII);
                sys.send(c, hello, hello.length, 0);
                byte[] buf = new byte[64];
                sys.recv(s, buf, buf.length, 0);
                sys.close(c);
                sys.close(s);
                sys.close(ls);
            });
            net.run();
            tr.disable();
        }
        return 0;
    }
}
