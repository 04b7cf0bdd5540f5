package io.jnetstack.packetdrill;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.cli.PacketdrillCommand;
import io.jnetstack.packetdrill.Runner.Result;
import io.jnetstack.packetdrill.Runner.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Scripts laid out as the Linux kernel's selftests lay theirs out ({@code ./defaults.sh} beside
 * the scripts, option lines on top, the suite runner's IPv4 arguments and {@code -D} symbols):
 * the runner's own fixture, written out by {@link OwnScripts} under selftests/.
 */
class SelftestsLayoutTest {
    private static final Path DIR = Corpus.own("selftests");

    /** What the kernel selftests' runner passes packetdrill for IPv4. */
    private static final List<String> SELFTEST_ARGS = List.of(
            "--ip_version=ipv4", "--local_ip=192.168.0.1", "--gateway_ip=192.168.0.1",
            "--netmask_ip=255.255.0.0", "--remote_ip=192.0.2.1",
            "-D", "CMSG_LEVEL_IP=SOL_IP", "-D", "CMSG_TYPE_RECVERR=IP_RECVERR");

    /** A script whose expectation is a symbol: -D decides whether it passes. */
    private static final String BUF_SCRIPT = """
            `sysctl -q net.ipv4.tcp_rmem="4096 8192 65536"`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
               +0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [RCVBUF], [4]) = 0
            """;

    private static Result run(Path script) { return Runner.run(script, Runner.Options.defaults()); }

    @Test void handshakeWriteCloseWithDotSlashDefaultsPasses() {
        Result r = run(DIR.resolve("handshake-write-close.pkt"));
        assertEquals(Status.PASS, r.status(), r.summaryLine() + " " + r.notes());
    }

    @Test void buffersAndWindowFollowTheFolderDefaultsAndTheScriptSysctl() {
        Result r = run(DIR.resolve("buffer-sysctls.pkt"));
        assertEquals(Status.PASS, r.status(), r.summaryLine() + " " + r.notes());
    }

    @Test void defaultsResolveAgainstTheScriptFolderNotTheWorkingDirectory() {
        // The same script reached through a path that leaves and re-enters the folder.
        Result r = run(DIR.resolve("broken").resolve("..").resolve("buffer-sysctls.pkt"));
        assertEquals(Status.PASS, r.status(), r.summaryLine());
    }

    @Test void unknownSysctlInDefaultsFailsNamingItAndTheFile() {
        Result r = run(DIR.resolve("broken").resolve("unknown-sysctl.pkt"));
        assertEquals(Status.FAIL, r.status(), r.summaryLine());
        assertEquals(2, r.line(), r.summaryLine());
        assertTrue(r.message().contains("sysctl net.ipv4.tcp_no_such_knob=1: not supported by jnetstack (in ./defaults.sh)"),
                r.message());
    }

    @Test void parentRelativeAndSourcedShellFilesResolveFromTheScriptFolder(@TempDir Path tmp) throws Exception {
        Path common = Files.createDirectories(tmp.resolve("common"));
        Path tests = Files.createDirectories(tmp.resolve("tests"));
        Files.writeString(common.resolve("defaults.sh"), "sysctl -q net.ipv4.tcp_rmem=\"4096 8192 65536\"\n");
        Files.writeString(tests.resolve("local.sh"), ". ../common/defaults.sh\n");
        Path f = tests.resolve("t.pkt");
        Files.writeString(f, """
                `bash ./local.sh`
                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [8192], [4]) = 0
                """);
        Result r = run(f);
        assertEquals(Status.PASS, r.status(), r.summaryLine());
    }

    @Test void missingShellFileFailsClearly(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("t.pkt");
        Files.writeString(f, "`./defaults.sh`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        Result r = run(f);
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.message().contains("shell file ./defaults.sh not found"), r.message());
    }

    @Test void commandLineDefinesReachTheScript(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("t.pkt");
        Files.writeString(f, BUF_SCRIPT);
        var opts = Runner.Options.defaults().withDefines(HostArgs.defines(Map.of("RCVBUF", "8192")));
        assertEquals(Status.PASS, Runner.run(f, opts).status());
        assertEquals(Status.FAIL, Runner.run(f, opts.withDefines(HostArgs.defines(Map.of("RCVBUF", "9000")))).status());
    }

    @Test void hostArgsAcceptTheFixedLinkAndRefuseAnother() {
        assertNull(HostArgs.check("local_ip", "192.168.0.1"));
        assertNull(HostArgs.check("remote_ip", "192.0.2.1/24"));
        assertNull(HostArgs.check("ip_version", "ipv4"));
        assertTrue(HostArgs.check("ip_version", "ipv6").contains("IPv4 only"));
        String err = HostArgs.check("local_ip", "10.0.0.1");
        assertTrue(err.startsWith("--local_ip=10.0.0.1: the runner's test link has fixed addresses"), err);
        assertThrows(IllegalArgumentException.class, () -> HostArgs.defines(Map.of("1BAD", "x")));
    }

    // ------------------------------------------------------------------ through the CLI

    private record Cli(int rc, String out, String err) {}

    private static synchronized Cli cli(List<String> args) {
        PrintStream savedOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = new CommandLine(new PacketdrillCommand());
            cl.setOut(new PrintWriter(System.out, true));
            cl.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
            rc = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(savedOut);
        }
        return new Cli(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test void cliRunsTheFolderWithTheSelftestArguments() {
        List<String> args = new ArrayList<>(SELFTEST_ARGS);
        args.add(DIR.resolve("handshake-write-close.pkt").toString());
        args.add(DIR.resolve("buffer-sysctls.pkt").toString());
        Cli c = cli(args);
        assertEquals(0, c.rc(), c.out() + c.err());
        assertTrue(c.out().contains("PASS " + DIR.resolve("handshake-write-close.pkt")), c.out());
        assertTrue(c.out().contains("PASS " + DIR.resolve("buffer-sysctls.pkt")), c.out());
        assertTrue(c.out().strip().endsWith("packetdrill: 2 passed, 0 failed, 0 skipped"), c.out());
    }

    @Test void cliReportsTheBrokenDefaultsAsAFailure() {
        List<String> args = new ArrayList<>(SELFTEST_ARGS);
        args.add(DIR.resolve("broken").toString());
        Cli c = cli(args);
        assertEquals(1, c.rc(), c.out() + c.err());
        assertTrue(c.out().contains("net.ipv4.tcp_no_such_knob=1: not supported by jnetstack"), c.out());
    }

    @Test void cliRefusesAnotherAddressClearly() {
        Cli c = cli(List.of("--local_ip=10.1.1.1", DIR.resolve("buffer-sysctls.pkt").toString()));
        assertEquals(2, c.rc(), c.out() + c.err());
        assertTrue(c.err().contains("--local_ip=10.1.1.1: the runner's test link has fixed addresses"), c.err());
        assertFalse(c.out().contains("PASS"), c.out());
    }

    @Test void cliDefineIsUsed(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("t.pkt");
        Files.writeString(f, BUF_SCRIPT);
        assertEquals(0, cli(List.of("-D", "RCVBUF=8192", f.toString())).rc());
        Cli bad = cli(List.of("-DRCVBUF=9000", f.toString()));
        assertEquals(1, bad.rc(), bad.out());
        assertTrue(bad.out().contains("9000"), bad.out());
    }
}
