package io.jnetstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jns up/get/send}: argument and config-file errors, each one clear line (no device is created). */
class UpCommandTest {
    @TempDir Path tmp;

    private static void oneLine(String expected, String... args) {
        CliRun r = CliRun.run(args);
        assertNotEquals(0, r.exitCode, String.join(" ", args));
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        assertTrue(r.err.contains(expected), "'" + expected + "' in: " + r.err);
    }

    @Test void badArgumentsGetOneClearLine() {
        oneLine("exactly one of --tap NAME or --tun NAME", "up", "--addr", "198.51.100.2/24");
        oneLine("exactly one of --tap NAME or --tun NAME", "up", "--tap", "a", "--tun", "b", "--addr", "198.51.100.2/24");
        oneLine("an address is needed", "up", "--tap", "jt0");
        oneLine("'198.51.100' is not an IPv4 address", "up", "--tap", "jt0", "--addr", "198.51.100/24");
        oneLine("needs a prefix length", "up", "--tap", "jt0", "--addr", "198.51.100.2");
        oneLine("'--mtu'", "up", "--tap", "jt0", "--addr", "198.51.100.2/24", "--mtu", "big");
        oneLine("--mtu 100 outside", "up", "--tap", "jt0", "--addr", "198.51.100.2/24", "--mtu", "100");
        oneLine("device name", "up", "--tap", "much-too-long-name0", "--addr", "198.51.100.2/24");
        oneLine("must start with http://", "get", "--tap", "jt0", "--addr", "198.51.100.2/24", "ftp://198.51.100.1/");
        oneLine("must be 1..65535", "send", "--tap", "jt0", "--addr", "198.51.100.2/24", "198.51.100.1:0", "/etc/hostname");
        oneLine("is not HOST:PORT", "send", "--tap", "jt0", "--addr", "198.51.100.2/24", "198.51.100.1", "/etc/hostname");
        oneLine("Unknown option", "up", "--tap", "jt0", "--frobnicate");
    }

    @Test void configFileErrorsNameTheLine() throws Exception {
        Path f = tmp.resolve("up.conf");
        Files.writeString(f, "# a host\ntap=jt0\naddr=198.51.100.2/24\ncolour=blue\n");
        oneLine(f + " line 4: unknown option 'colour'", "up", "--config", f.toString());
        Files.writeString(f, "tap=jt0\naddr=198.51.100.2/24\nmtu=lots\n");
        oneLine(f + " line 3: mtu: 'lots' is not a number", "up", "--config", f.toString());
        Files.writeString(f, "tap jt0\n");
        oneLine(f + " line 1: expected name=value", "up", "--config", f.toString());
        // The command line wins over the file: the file's bad address is never used.
        Files.writeString(f, "tun=jt0\naddr=nonsense\n");
        oneLine("--mtu 100 outside", "up", "--config", f.toString(), "--addr", "198.51.100.2/24", "--mtu", "100");
        oneLine("cannot read", "up", "--config", tmp.resolve("missing.conf").toString());
    }
}
