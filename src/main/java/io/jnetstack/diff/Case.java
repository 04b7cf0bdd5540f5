package io.jnetstack.diff;

import java.util.function.Consumer;

/**
 * One differential case: a short, named syscall sequence written against a {@link Recorder}. The
 * body must not block: sockets that could wait are non-blocking, or the call is one that Linux
 * completes at once over loopback (connect to a listener, accept of a queued connection).
 *
 * @param name unique, "group/what" (e.g. "bind/inet-stream/port-80")
 */
public record Case(String name, Consumer<Recorder> body) {
    public String group() {
        int i = name.indexOf('/');
        return i < 0 ? name : name.substring(0, i);
    }
}
