package io.jnetstack.diff;

import io.jnetstack.syscall.Syscalls;
import java.util.function.Supplier;

/**
 * Something the differential harness runs cases against: the host kernel ({@link LinuxTarget}) or
 * jnetstack. Every case gets fresh state from {@link #open()} and gives it back with
 * {@link #release}; the harness calls them in that order, one case at a time, from one thread.
 */
public interface Target extends AutoCloseable {
    String name();

    /** Fresh state for one case: a new network namespace, a new stack. */
    Syscalls open();

    /** The case is over: free what it left open (fds, limits). Must not throw. */
    void release(Syscalls s);

    /**
     * Lets work already started finish before the next step: Linux runs loopback traffic inside the
     * sending call, so it does nothing; a simulated stack should run its event loop until idle
     * (without advancing its clock past pending timers).
     */
    default void settle(Syscalls s) {}

    @Override
    default void close() {}

    /**
     * A target from a factory of fresh instances, e.g. {@code Target.of("jnetstack", () -> new
     * SocketCalls(Stack.create()))}. An instance that is {@link AutoCloseable} is closed on release.
     */
    static Target of(String name, Supplier<? extends Syscalls> factory) {
        return new Target() {
            @Override
            public String name() { return name; }

            @Override
            public Syscalls open() { return factory.get(); }

            @Override
            public void release(Syscalls s) {
                if (s instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // a broken instance is discarded anyway
                    }
                }
            }
        };
    }
}
