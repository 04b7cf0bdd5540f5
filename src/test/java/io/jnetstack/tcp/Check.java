package io.jnetstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.wire.TcpHeader;

/** Composable checks on a captured segment (gVisor's checker package, in small). */
@FunctionalInterface
interface Check {
    void check(Pkt p);

    static Check flags(int f) {
        return p -> assertEquals(TcpHeader.flagsToString(f), TcpHeader.flagsToString(p.flags()), () -> "flags of " + p);
    }

    static Check seq(int s) { return p -> assertEquals(Integer.toUnsignedString(s), Integer.toUnsignedString(p.seq()), () -> "seq of " + p); }

    static Check ack(int a) { return p -> assertEquals(Integer.toUnsignedString(a), Integer.toUnsignedString(p.ack()), () -> "ack of " + p); }

    static Check len(int n) { return p -> assertEquals(n, p.len(), () -> "len of " + p); }

    static Check window(int w) { return p -> assertEquals(w, p.window(), () -> "window of " + p); }

    static Check dstPort(int port) { return p -> assertEquals(port, p.dstPort(), () -> "dport of " + p); }

    static Check sackBlocks(int... edges) {
        return p -> {
            var o = p.opts();
            assertEquals(edges.length / 2, o.sackCount, () -> "SACK blocks of " + p);
            for (int i = 0; i < o.sackCount; i++) {
                assertEquals(edges[2 * i], o.sackLeft[i], "left edge " + i);
                assertEquals(edges[2 * i + 1], o.sackRight[i], "right edge " + i);
            }
        };
    }

    /** Option bytes as hex with the TS values masked ("........"). */
    static Check optionLayout(String hexWithDots) {
        return p -> {
            String actual = p.optionHex();
            StringBuilder masked = new StringBuilder();
            for (int i = 0; i < actual.length(); i++)
                masked.append(i < hexWithDots.length() && hexWithDots.charAt(i) == '.' ? '.' : actual.charAt(i));
            assertEquals(hexWithDots, masked.toString(), () -> "options of " + p);
        };
    }
}
