package io.jnetstack.packetdrill;

import io.jnetstack.inet.Inet;
import io.jnetstack.inet.InetStreamOps;
import io.jnetstack.link.Loopback;
import io.jnetstack.socket.Credentials;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Task;

/** Where the runner gets its stack under test. */
public final class Targets {
    private Targets() {}

    /**
     * A fresh jnetstack: loopback, IPv4 with ICMP/UDP/raw, TCP, and the socket calls of a root
     * process (packetdrill runs as root), on the runner's virtual clock.
     */
    public static final Runner.TargetFactory JNETSTACK = (sched, seed) -> {
        Stack stack = new Stack("packetdrill", sched, seed);
        var ip = Inet.install(stack);
        InetStreamOps.install(stack);
        ip.attach(new Loopback(sched));
        return new Runner.Target(stack, new SocketCalls(stack, new Task(1, Credentials.ROOT)));
    };
}
