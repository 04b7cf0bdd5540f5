package io.jnetstack.cli;

import io.jnetstack.app.Host;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options that put a jnetstack host on a device, shared by {@code up}, {@code get} and
 * {@code send} (a picocli mixin), and the {@code --config FILE} that supplies any of a command's
 * options as {@code name=value} lines (the option's long name without dashes; {@code #} starts a
 * comment). Options on the command line win over the file.
 */
final class HostOptions {
    @Option(names = "--tap", paramLabel = "NAME", description = "Create TAP device NAME (Ethernet, with ARP).")
    String tap;

    @Option(names = "--tun", paramLabel = "NAME", description = "Create TUN device NAME (bare IP).")
    String tun;

    @Option(names = "--addr", paramLabel = "ADDR/PREFIX", description = "The host's address, e.g. 198.51.100.2/24.")
    String addr;

    @Option(names = "--gateway", paramLabel = "ADDR", description = "Default route via this router.")
    String gateway;

    @Option(names = "--netns", paramLabel = "NS", description = "Create the device in network namespace NS (ip netns).")
    String netns;

    @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500", description = "Device MTU (default 1500); set the same on the Linux side.")
    int mtu;

    @Option(names = "--offload", description = "IFF_VNET_HDR with checksum and TCP segmentation offloads.")
    boolean offload;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Capture everything the device carries to FILE.")
    Path pcap;

    @Option(names = "--config", paramLabel = "FILE", description = "Read options from FILE: name=value lines, e.g. tap=jt0.")
    Path config;

    /** The host configuration these options describe; IllegalArgumentException saying what is wrong. */
    Host.Config hostConfig() {
        if ((tap == null) == (tun == null)) throw new IllegalArgumentException("give exactly one of --tap NAME or --tun NAME");
        String dev = tap != null ? tap : tun;
        if (dev.isEmpty() || dev.length() > 15 || dev.contains("/") || dev.isBlank())
            throw new IllegalArgumentException("device name '" + dev + "' must be 1..15 characters, no '/'");
        if (mtu < 576 || mtu > 65521) throw new IllegalArgumentException("--mtu " + mtu + " outside 576..65521");
        Host.Config c = tap != null ? Host.Config.tap(dev, addr) : Host.Config.tun(dev, addr);
        if (gateway != null) c = c.gateway(gateway);
        return c.netns(netns).mtu(mtu).offload(offload).pcap(pcap);
    }

    /**
     * Applies {@code --config FILE} to {@code spec}: each {@code name=value} sets option
     * {@code --name} unless the command line gave it. Unknown names and bad values are errors.
     */
    static void applyConfig(CommandSpec spec, Path file) {
        if (file == null) return;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + ": cannot read (" + e.getMessage() + ")");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String where = file + " line " + (i + 1);
            if (eq <= 0) throw new IllegalArgumentException(where + ": expected name=value, got '" + line + "'");
            String key = line.substring(0, eq).strip(), value = line.substring(eq + 1).strip();
            OptionSpec o = spec.findOption("--" + key);
            if (o == null || key.equals("config") || key.equals("help") || key.equals("version"))
                throw new IllegalArgumentException(where + ": unknown option '" + key + "'");
            if (given != null && given.hasMatchedOption(o)) continue;
            o.setValue(convert(o.type(), value, where + ": " + key));
        }
    }

    private static Object convert(Class<?> type, String v, String what) {
        try {
            if (type == int.class || type == Integer.class) return Integer.parseInt(v);
            if (type == boolean.class || type == Boolean.class) {
                if (v.equals("true") || v.equals("yes") || v.equals("1")) return true;
                if (v.equals("false") || v.equals("no") || v.equals("0")) return false;
                throw new IllegalArgumentException(what + ": '" + v + "' is not true/false");
            }
            if (type == Path.class) return Path.of(v);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + v + "' is not a number");
        }
    }
}
