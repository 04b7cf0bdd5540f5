package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Hex text for fixtures and debugging output. Not for the data path. */
public final class Hex {
    private Hex() {}

    /** Decodes hex digits, ignoring whitespace, ':' and '|' so fixtures can be laid out like diagrams. */
    public static byte[] decode(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s:|]", ""));
    }

    /** A heap segment over {@link #decode}. */
    public static MemorySegment segment(String hex) { return MemorySegment.ofArray(decode(hex)); }

    /** Lower-case hex, no separators. */
    public static String encode(MemorySegment seg) {
        return HexFormat.of().formatHex(seg.toArray(JAVA_BYTE));
    }

    public static String encode(byte[] bytes) { return HexFormat.of().formatHex(bytes); }
}
