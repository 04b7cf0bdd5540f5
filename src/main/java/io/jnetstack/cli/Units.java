package io.jnetstack.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Human units on the command line: sizes (64MiB), durations (20ms), fractions (1%), rates (100Mbit). */
final class Units {
    private Units() {}

    private static final Pattern NUM_UNIT = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z%/]*)\\s*");

    private static Matcher parse(String s, String what) {
        Matcher m = NUM_UNIT.matcher(s == null ? "" : s);
        if (!m.matches()) throw new TypeConversionException("'" + s + "' is not a " + what);
        return m;
    }

    /** Bytes: plain numbers, k/M/G (powers of 1000) and KiB/MiB/GiB (powers of 1024). */
    static final class Size implements ITypeConverter<Long> {
        @Override public Long convert(String s) {
            Matcher m = parse(s, "size (try 64MiB, 500k or 1048576)");
            double v = Double.parseDouble(m.group(1));
            double mult = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "", "b" -> 1;
                case "k", "kb" -> 1e3;
                case "m", "mb" -> 1e6;
                case "g", "gb" -> 1e9;
                case "kib" -> 1024;
                case "mib" -> 1024.0 * 1024;
                case "gib" -> 1024.0 * 1024 * 1024;
                default -> throw new TypeConversionException("unknown size unit '" + m.group(2) + "' in '" + s + "'");
            };
            double r = v * mult;
            if (r > Long.MAX_VALUE / 2) throw new TypeConversionException("size '" + s + "' is too large");
            return (long) r;
        }
    }

    /** Nanoseconds from ns/us/ms/s (a bare number is milliseconds). */
    static final class Duration implements ITypeConverter<Long> {
        @Override public Long convert(String s) {
            Matcher m = parse(s, "duration (try 20ms or 1s)");
            double v = Double.parseDouble(m.group(1));
            double mult = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ns" -> 1;
                case "us" -> 1e3;
                case "", "ms" -> 1e6;
                case "s" -> 1e9;
                default -> throw new TypeConversionException("unknown time unit '" + m.group(2) + "' in '" + s + "'");
            };
            double r = v * mult;
            if (r > 3.6e15) throw new TypeConversionException("duration '" + s + "' is too long");
            return (long) r;
        }
    }

    /** A probability: "1%" or "0.01". */
    static final class Fraction implements ITypeConverter<Double> {
        @Override public Double convert(String s) {
            Matcher m = parse(s, "fraction (try 1% or 0.01)");
            double v = Double.parseDouble(m.group(1));
            if (m.group(2).equals("%")) v /= 100;
            else if (!m.group(2).isEmpty()) throw new TypeConversionException("'" + s + "' is not a fraction (try 1% or 0.01)");
            if (v < 0 || v > 1) throw new TypeConversionException("'" + s + "' is not between 0 and 100%");
            return v;
        }
    }

    /** Bits per second: bit, kbit, Mbit, Gbit (as tc writes them). */
    static final class Rate implements ITypeConverter<Long> {
        @Override public Long convert(String s) {
            Matcher m = parse(s, "rate (try 100Mbit or 1Gbit)");
            double v = Double.parseDouble(m.group(1));
            double mult = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "", "bit", "bps" -> 1;
                case "k", "kbit", "kbps" -> 1e3;
                case "m", "mbit", "mbps" -> 1e6;
                case "g", "gbit", "gbps" -> 1e9;
                default -> throw new TypeConversionException("unknown rate unit '" + m.group(2) + "' in '" + s + "'");
            };
            long r = (long) (v * mult);
            if (r <= 0) throw new TypeConversionException("rate '" + s + "' must be positive");
            return r;
        }
    }

    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 20) == 0) return String.format("%.1f GiB", n / 1073741824.0);
        if (n >= 1L << 20) return String.format("%.1f MiB", n / 1048576.0);
        if (n >= 1L << 10) return String.format("%.1f KiB", n / 1024.0);
        return n + " B";
    }

    static String duration(long ns) {
        if (ns >= 1_000_000_000L) return String.format("%.3g s", ns / 1e9);
        if (ns >= 1_000_000L) return String.format("%.3g ms", ns / 1e6);
        return String.format("%.3g us", ns / 1e3);
    }

    static String percent(double f) { return String.format("%.3g%%", f * 100); }

    static String rate(long bps) {
        if (bps >= 1_000_000_000L) return String.format("%.2f Gbit/s", bps / 1e9);
        if (bps >= 1_000_000L) return String.format("%.2f Mbit/s", bps / 1e6);
        return String.format("%.1f kbit/s", bps / 1e3);
    }
}
