package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TcpOptionsTest {
    static String emit(TcpOptions o) {
        MemorySegment s = MemorySegment.ofArray(new byte[40]);
        int n = o.emit(s);
        assertEquals(o.emitLen(), n);
        assertEquals(0, n % 4, "options must be 32-bit aligned");
        return Hex.encode(s.asSlice(0, n));
    }

    static TcpOptions parse(String hex) { return new TcpOptions().parse(Hex.segment(hex)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void linuxLayouts(String name, TcpOptions o, String expected) {
        assertEquals(expected.replace(" ", ""), emit(o));
        assertEquals(o, parse(expected));
    }

    static Stream<Arguments> linuxLayouts() {
        return Stream.of(
            arguments("SYN", new TcpOptions().mss(1460).sackPermitted(true).timestamp(1, 0).wscale(7),
                    "020405b4 0402080a 00000001 00000000 01030307"),
            arguments("SYN, no TS", new TcpOptions().mss(1460).sackPermitted(true).wscale(7),
                    "020405b4 01010402 01030307"),
            arguments("SYN, no SACK", new TcpOptions().mss(1460).timestamp(1, 0).wscale(7),
                    "020405b4 0101080a 00000001 00000000 01030307"),
            arguments("SYN, MSS only", new TcpOptions().mss(536), "02040218"),
            arguments("data", new TcpOptions().timestamp(0xdeadbeef, 0xcafef00d), "0101080a deadbeef cafef00d"),
            arguments("nothing", new TcpOptions(), ""),
            arguments("3 SACK blocks + TS", new TcpOptions().timestamp(5, 6).addSack(10, 20).addSack(30, 40).addSack(50, 60),
                    "0101080a 00000005 00000006 0101051a 0000000a 00000014 0000001e 00000028 00000032 0000003c"),
            arguments("4 SACK blocks", new TcpOptions().addSack(1, 2).addSack(3, 4).addSack(5, 6).addSack(7, 8),
                    "01010522 00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008"),
            arguments("TFO cookie request", new TcpOptions().mss(1460).fastOpen(new byte[0], 0, false),
                    "020405b4 22020101"),
            arguments("TFO 8-byte cookie", new TcpOptions().fastOpen(Hex.decode("0102030405060708"), 8, false),
                    "220a0102 03040506 07080101"),
            arguments("TFO exp request", new TcpOptions().fastOpen(new byte[0], 0, true), "fe04f989"),
            arguments("TFO exp 8-byte cookie", new TcpOptions().fastOpen(Hex.decode("0102030405060708"), 8, true),
                    "fe0cf989 01020304 05060708"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void tolerantParsing(String name, String hex, Consumer<TcpOptions> check) {
        check.accept(parse(hex));
    }

    static Stream<Arguments> tolerantParsing() {
        return Stream.of(
            arguments("EOL ends parsing", "020405b4 00 030307", (Consumer<TcpOptions>) o -> {
                assertEquals(1460, o.mss); assertEquals(-1, o.wscale); }),
            arguments("length 0 stops, keeps earlier", "020405b4 0800 01030307", (Consumer<TcpOptions>) o -> {
                assertEquals(1460, o.mss); assertEquals(-1, o.wscale); }),
            arguments("length 1 stops", "0201", (Consumer<TcpOptions>) o -> assertEquals(0, o.mss)),
            arguments("partial option stops", "01030307 080a0000", (Consumer<TcpOptions>) o -> {
                assertEquals(7, o.wscale); assertFalse(o.hasTs); }),
            arguments("kind without length byte", "0101 01 02", (Consumer<TcpOptions>) o -> assertEquals(0, o.mss)),
            arguments("wrong MSS length is skipped", "020305 01030307", (Consumer<TcpOptions>) o -> {
                assertEquals(0, o.mss); assertEquals(7, o.wscale); }),
            arguments("wrong TS length is skipped", "080600000001 0402", (Consumer<TcpOptions>) o -> {
                assertFalse(o.hasTs); assertTrue(o.sackPermitted); }),
            arguments("unknown kind is skipped", "1e040000 020405b4", (Consumer<TcpOptions>) o ->
                assertEquals(1460, o.mss)),
            arguments("MD5 option is skipped", "1312" + "00".repeat(16) + "0101 0402", (Consumer<TcpOptions>) o ->
                assertTrue(o.sackPermitted)),
            arguments("MSS 0 counts as absent", "02040000", (Consumer<TcpOptions>) o -> assertEquals(0, o.mss)),
            arguments("wscale above 14 kept raw, clamped on request", "0303ff", (Consumer<TcpOptions>) o -> {
                assertEquals(255, o.wscale); assertEquals(14, o.wscaleClamped()); }),
            arguments("SACK length not 2+8n ignored", "0509 0000000100000002 00", (Consumer<TcpOptions>) o ->
                assertEquals(0, o.sackCount)),
            arguments("SACK with no blocks ignored", "0502", (Consumer<TcpOptions>) o -> assertEquals(0, o.sackCount)),
            arguments("later duplicate wins", "02040218 020405b4", (Consumer<TcpOptions>) o -> assertEquals(1460, o.mss)),
            arguments("TFO odd cookie ignored", "2207 0102030405", (Consumer<TcpOptions>) o -> assertEquals(-1, o.fastOpenLen)),
            arguments("TFO 2-byte cookie invalid", "2204 0102", (Consumer<TcpOptions>) o -> assertEquals(-1, o.fastOpenLen)),
            arguments("exp option without TFO magic ignored", "fe06 e2d4c3d9", (Consumer<TcpOptions>) o ->
                assertEquals(-1, o.fastOpenLen)),
            arguments("NOPs only", "01010101", (Consumer<TcpOptions>) o -> assertEquals(new TcpOptions(), o)));
    }

    @Test void parseResetsPreviousContents() {
        var o = parse("020405b4 0402080a 00000001 00000000 01030307");
        o.parse(Hex.segment("01010101"));
        assertEquals(new TcpOptions(), o);
    }

    @Test void fastOpenCookieIsReadBack() {
        var o = parse("220a0102 03040506 07080101");
        assertEquals(8, o.fastOpenLen);
        assertFalse(o.fastOpenExp);
        assertArrayEquals(Hex.decode("0102030405060708"), java.util.Arrays.copyOf(o.fastOpenCookie, 8));
        var e = parse("fe0cf989 01020304 05060708");
        assertTrue(e.fastOpenExp);
        assertEquals(8, e.fastOpenLen);
    }

    @Test void toStringLooksLikeTcpdump() {
        assertEquals("[mss 1460,sackOK,TS val 1 ecr 0,wscale 7]",
                new TcpOptions().mss(1460).sackPermitted(true).timestamp(1, 0).wscale(7).toString());
    }

    @Test void copyIsEqualAndIndependent() {
        var o = new TcpOptions().mss(1460).addSack(1, 2);
        var c = o.copy();
        assertEquals(o, c);
        c.addSack(3, 4);
        assertNotEquals(o, c);
    }
}
