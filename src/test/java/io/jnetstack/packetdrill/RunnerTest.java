package io.jnetstack.packetdrill;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.packetdrill.Runner.Result;
import io.jnetstack.packetdrill.Runner.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on its own small scripts, against jnetstack. */
class RunnerTest {
    private static Result run(String name) { return Runner.run(Corpus.own(name), Runner.Options.defaults()); }

    private static Result runText(Path dir, String text) throws Exception {
        Path f = dir.resolve("t.pkt");
        Files.writeString(f, text);
        return Runner.run(f, Runner.Options.defaults());
    }

    @Test void handshakeDataClosePasses() {
        Result r = run("server-handshake-data-close.pkt");
        assertEquals(Status.PASS, r.status(), r.summaryLine());
    }

    @Test void mismatchFailsAtItsLine() {
        Result r = run("mismatch-ack.pkt");
        assertEquals(Status.FAIL, r.status());
        assertEquals(15, r.line());
        assertTrue(r.message().startsWith("error handling packet: live packet field tcp_ack_seq: expected: 7 (0x7) vs actual: 1 (0x1)"),
                r.message());
    }

    @Test void blockingReadReturnsWhenDataArrives() {
        Result r = run("blocking-read.pkt");
        assertEquals(Status.PASS, r.status(), r.summaryLine());
    }

    @Test void pythonCodeSeesTcpInfoAndFailsAtItsLine() {
        Result r = run("python-tcpinfo.pkt");
        assertEquals(Status.FAIL, r.status(), r.summaryLine());
        assertEquals(14, r.line(), r.summaryLine());
        assertTrue(r.message().contains("AssertionError: ca_state=0"), r.message());
    }

    @Test void unsupportedShellCommandFails() {
        Result r = run("unknown-shell.pkt");
        assertEquals(Status.FAIL, r.status());
        assertEquals(2, r.line());
        assertTrue(r.message().contains("unsupported shell command `ss -tin > /dev/null`"), r.message());
    }

    @Test void pspIsSkipped() {
        Result r = run("psp-skip.pkt");
        assertEquals(Status.SKIP, r.status());
        assertTrue(r.summaryLine().startsWith("SKIP "), r.summaryLine());
    }

    @Test void lateOutboundPacketIsATimingError(@TempDir Path dir) throws Exception {
        // The SYN-ACK goes out at once; the script expects it 50 ms later (tolerance 4 ms).
        Result r = runText(dir, """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 bind(3, ..., ...) = 0
                +0 listen(3, 1) = 0
                +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +.05 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>
                """);
        assertEquals(Status.FAIL, r.status());
        assertEquals(5, r.line());
        assertTrue(r.message().contains("timing error: expected outbound packet at 0.050000 sec but happened at 0.000000 sec"), r.message());
    }

    @Test void errnoMismatchIsReported(@TempDir Path dir) throws Exception {
        Result r = runText(dir, """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 accept(3, ..., ...) = -1 EINVAL (Invalid argument)
                +0 accept(3, ..., ...) = -1 EAGAIN (Resource temporarily unavailable)
                """);
        assertEquals(Status.FAIL, r.status(), r.summaryLine());
        assertEquals(3, r.line(), r.summaryLine());
        assertEquals("runtime error in accept call: Expected errno 11 (Resource temporarily unavailable) but got 22 (Invalid argument)",
                r.message());
    }

    @Test void sysctlsGoToTheStack(@TempDir Path dir) throws Exception {
        Result ok = runText(dir, """
                `sysctl -q net.ipv4.tcp_rmem="4096 540000 $((15*1024*1024))" net.ipv4.tcp_fastopen=0x70403`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        assertEquals(Status.PASS, ok.status(), ok.summaryLine());
        Result bad = runText(dir, """
                `sysctl -q net.ipv4.no_such_thing=1`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        assertEquals(Status.FAIL, bad.status());
        assertTrue(bad.message().contains("net.ipv4.no_such_thing=1: not supported by jnetstack"), bad.message());
    }

    @Test void moduleParametersAreWritableAndUnknownOnesFailClearly(@TempDir Path dir) throws Exception {
        Result ok = runText(dir, """
                `echo 3 > /sys/module/tcp_cubic/parameters/hystart_detect
                echo 1000 > /proc/sys/net/ipv4/tcp_notsent_lowat`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        assertEquals(Status.PASS, ok.status(), ok.summaryLine());
        Result unknown = runText(dir, """
                `echo 1 > /sys/module/tcp_cubic/parameters/no_such_param`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        assertEquals(Status.FAIL, unknown.status());
        assertTrue(unknown.message().contains("tcp_cubic has no parameter no_such_param"), unknown.message());
        Result elsewhere = runText(dir, """
                `echo 1 > /tmp/somewhere`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        assertEquals(Status.FAIL, elsewhere.status());
        assertTrue(elsewhere.message().contains("unsupported shell command `echo 1 > /tmp/somewhere`"), elsewhere.message());
    }

    @Test void scratchFilesOnlyUnderTmp(@TempDir Path dir) throws Exception {
        Result bad = runText(dir, """
                `rm -f /etc/jnetstack-never`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        assertEquals(Status.FAIL, bad.status());
        assertTrue(bad.message().contains("only files under /tmp may be written"), bad.message());
        Result ok = runText(dir, """
                `rm -f /tmp/jnetstack-runner-test
                dd bs=1 count=3 if=/dev/zero of=/tmp/jnetstack-runner-test status=none`
                0 open("/tmp/jnetstack-runner-test", O_RDONLY) = 3
                +0 close(3) = 0
                """);
        assertEquals(Status.PASS, ok.status(), ok.summaryLine());
        Result malformed = runText(dir, """
                `dd bs=x count=1 if=/dev/zero of=/tmp/jnetstack-runner-test`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        assertEquals(Status.FAIL, malformed.status());
        assertTrue(malformed.message().contains("dd: bad number in bs=x"), malformed.message());
    }

    @Test void realDefaultsShellFileApplies() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Corpus.present());
        Path script = Corpus.root().resolve("gtests/net/tcp/blocking/blocking-accept.pkt");
        Result r = Runner.run(script, Runner.Options.defaults());
        assertFalse(r.message() != null && r.message().contains("sysctl"), r.summaryLine());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("tc qdisc")), r.notes().toString());
    }
}
