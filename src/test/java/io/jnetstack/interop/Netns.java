package io.jnetstack.interop;

import io.jnetstack.app.Host;
import io.jnetstack.app.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Linux network namespace for interop tests ({@code ip netns add jns-t-XXXXXX}), with
 * commands run inside it under a timeout. Requires root, /dev/net/tun and iproute2: {@link #create}
 * fails loudly with the reason otherwise, never skipping. {@link #close} deletes the namespace
 * (and with it every device still in it).
 */
public final class Netns implements AutoCloseable {
    public final String name;

    /** What a command printed and returned. */
    public record Result(int exit, String out) {
        public boolean ok() { return exit == 0; }
    }

    private Netns(String name) { this.name = name; }

    public static Netns create() {
        requireHost();
        String n = "jns-t-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        Result r = run(10, "ip", "netns", "add", n);
        if (!r.ok()) throw new AssertionError("ip netns add " + n + " failed (root and CAP_SYS_ADMIN needed): " + r.out);
        Netns ns = new Netns(n);
        // lo up; no IPv6 chatter (router solicitations, MLD) on the test devices.
        ns.sh("ip link set lo up");
        ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        ns.exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    /** Fails (never skips) when this host cannot run the interop tests, saying why. */
    public static void requireHost() {
        List<String> missing = new ArrayList<>();
        if (!Files.exists(Path.of("/dev/net/tun"))) missing.add("/dev/net/tun does not exist (modprobe tun)");
        else if (!Files.isReadable(Path.of("/dev/net/tun")) || !Files.isWritable(Path.of("/dev/net/tun")))
            missing.add("/dev/net/tun is not readable and writable by this user");
        if (!isRoot()) missing.add("not running as root (CAP_NET_ADMIN and CAP_SYS_ADMIN are needed)");
        if (!onPath("ip")) missing.add("ip(8) not found: apt-get install iproute2");
        if (!missing.isEmpty()) throw new AssertionError("interop tests cannot run here: " + String.join("; ", missing));
    }

    static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
            if (Files.isExecutable(Path.of(dir, cmd))) return true;
        return false;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("CapEff:")) return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 12 | 1L << 21)) == (1L << 12 | 1L << 21);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** {@code ip netns exec NAME cmd...}, at most 20 s; asserts success. */
    public String sh(String command) {
        Result r = exec("sh", "-c", command);
        if (!r.ok()) throw new AssertionError("in " + name + ": " + command + " → exit " + r.exit + ": " + r.out);
        return r.out;
    }

    public Result exec(String... cmd) { return execTimeout(20, cmd); }

    public Result execTimeout(int seconds, String... cmd) {
        String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return run(seconds, full);
    }

    /** Runs a command with a deadline; the process is killed when it overruns. */
    public static Result run(int seconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, String.join(" ", cmd) + ": timed out after " + seconds + " s\n"
                        + new String(p.getInputStream().readNBytes(p.getInputStream().available()), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-2, String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    /** Waits (polling, bounded) until {@code ip link show dev} works in this namespace. */
    public void awaitLink(String dev, long timeoutMs) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        Result r;
        while (!(r = exec("ip", "link", "show", dev)).ok()) {
            if (System.nanoTime() > end) throw new AssertionError("device " + dev + " never appeared in " + name + ": " + r.out);
            Thread.onSpinWait();
        }
    }

    /**
     * A jnetstack host (configured by {@code c}) on a TAP device {@code dev} it creates in this
     * namespace, with the Linux end of the device up as {@code linuxCidr}.
     */
    public Host tapHost(Host.Config c, String dev, String linuxCidr) throws IOException {
        Host h = Host.start(c.netns(name), Log.to(System.err));
        try {
            awaitLink(dev, 5_000);
            sh("ip link set " + dev + " up && ip addr add " + linuxCidr + " dev " + dev);
            return h;
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    @Override public void close() { run(10, "ip", "netns", "del", name); }
}
