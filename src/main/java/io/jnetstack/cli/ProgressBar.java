package io.jnetstack.cli;

import io.jnetstack.time.Clock;
import java.io.PrintStream;

/**
 * A one-line progress bar on a terminal: {@code [#########.....]  48%  32.0/64.0 MiB  t=1.234s}.
 * Redraws at most every 100 ms of wall time, so a fast simulation is not slowed by printing; when
 * the output is not a terminal it prints a plain line every 10 %.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean tty;
    private long lastDrawWall = Long.MIN_VALUE;
    private int lastDecile = -1;

    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.tty = System.console() != null && System.getenv("CI") == null;
    }

    /** Reports {@code done} of total at virtual time {@code virtualNanos}. */
    public void update(long done, long virtualNanos) {
        int pct = (int) Math.min(100, done * 100 / total);
        if (tty) {
            long wall = Clock.MONOTONIC.nanos();
            if (done < total && wall - lastDrawWall < 100_000_000L) return;
            lastDrawWall = wall;
            int width = 32, filled = pct * width / 100;
            out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
                    + String.format("%3d%%  %.1f/%.1f MiB  t=%.3fs", pct, done / 1048576.0, total / 1048576.0,
                    virtualNanos / 1e9));
            if (done >= total) out.println();
            out.flush();
        } else {
            int decile = pct / 10;
            if (decile == lastDecile) return;
            lastDecile = decile;
            out.printf("%s %3d%%  %.1f/%.1f MiB  t=%.3fs%n", label, pct, done / 1048576.0, total / 1048576.0,
                    virtualNanos / 1e9);
        }
    }
}
