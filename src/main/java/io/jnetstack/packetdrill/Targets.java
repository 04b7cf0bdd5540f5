package io.jnetstack.packetdrill;

import io.jnetstack.Jnetstack;
import io.jnetstack.socket.Credentials;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Task;

/** Where the runner gets its stack under test. */
public final class Targets {
    private Targets() {}

    /**
     * A fresh jnetstack ({@link Jnetstack#newStack}: loopback, IPv4, ICMP/UDP/raw, TCP, AF_UNIX)
     * with the socket calls of a root process (packetdrill runs as root), on the runner's virtual clock.
     */
    public static final Runner.TargetFactory JNETSTACK = (sched, seed) -> {
        Stack stack = Jnetstack.newStack("packetdrill", sched, seed);
        return new Runner.Target(stack, new SocketCalls(stack, new Task(1, Credentials.ROOT)));
    };
}
