package io.jnetstack.app;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/** Where hosts and services say what they are doing: one line per event. */
@FunctionalInterface
public interface Log {
    void info(String line);

    /** Lines to {@code out}, each prefixed with the wall-clock time (HH:mm:ss.SSS). */
    static Log to(PrintStream out) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        return line -> {
            synchronized (out) {
                out.println(LocalTime.now().format(f) + " " + line);
            }
        };
    }

    /** Lines to a consumer and to this log. */
    default Log and(Consumer<String> also) {
        return line -> {
            also.accept(line);
            info(line);
        };
    }

    Log SILENT = line -> {};
}
