package io.jnetstack.bench;

/**
 * One line of the table: a workload measured on both stacks.
 *
 * @param key          short name used in the JSON and the summary line ("bulk1500")
 * @param title        what was measured, for people
 * @param unit         unit of both values
 * @param jnetstack    jnetstack's figure
 * @param linux        Linux's figure (NaN when not measured)
 * @param higherBetter whether more is better (throughput) or worse (cost)
 * @param linuxSource  how the Linux figure was obtained ("measured" or where it was published)
 * @param detail       extra figures (latency percentiles...), free text
 */
public record BenchRow(String key, String title, String unit, double jnetstack, double linux,
                       boolean higherBetter, String linuxSource, String detail) {
    /** jnetstack ÷ Linux, NaN without a Linux figure. */
    public double ratio() { return linux > 0 && !Double.isNaN(jnetstack) ? jnetstack / linux : Double.NaN; }
}
