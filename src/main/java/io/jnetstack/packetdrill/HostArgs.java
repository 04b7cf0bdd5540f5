package io.jnetstack.packetdrill;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command-line arguments wrappers pass to packetdrill, such as the Linux kernel selftests'
 * {@code ksft_runner.sh}: {@code --ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1
 * --netmask_ip=255.255.0.0 --remote_ip=192.0.2.1 -D NAME=VALUE ...}.
 *
 * <p>The runner's test link is fixed (local 192.168.0.1, remote 192.0.2.1, gateway 192.168.0.1,
 * netmask 255.255.0.0, IPv4): the address options are accepted when they restate it, so a suite's
 * own runner line works unchanged, and refused with a clear message when they ask for another
 * network (a script's own option lines may still move it). {@code -D} definitions add to, and
 * override, {@link Parser#DEFAULT_DEFINES}.
 */
public final class HostArgs {
    private HostArgs() {}

    public static final String IP_VERSION = "ipv4";
    public static final String LOCAL_IP = "192.168.0.1";
    public static final String REMOTE_IP = "192.0.2.1";
    public static final String GATEWAY_IP = "192.168.0.1";
    public static final String NETMASK_IP = "255.255.0.0";

    /** The options the runner accepts from a command line, with the only value each may take. */
    private static final Map<String, String> FIXED = Map.of(
            "ip_version", IP_VERSION, "local_ip", LOCAL_IP, "remote_ip", REMOTE_IP,
            "gateway_ip", GATEWAY_IP, "netmask_ip", NETMASK_IP);

    /**
     * Checks one address option against the runner's fixed test link. Returns null when it agrees
     * (or is null: not given), else the message to show the user.
     */
    public static String check(String name, String value) {
        if (value == null) return null;
        String want = FIXED.get(name);
        if (want == null) return "--" + name + " is not a runner option";
        String v = value.trim();
        // packetdrill accepts --remote_ip=A/prefix; the prefix does not change the address.
        if (name.equals("remote_ip") && v.contains("/")) v = v.substring(0, v.indexOf('/'));
        if (v.equals(want)) return null;
        if (name.equals("ip_version"))
            return "--ip_version=" + value + ": the runner's test link is IPv4 only (--ip_version=ipv4)";
        return "--" + name + "=" + value + ": the runner's test link has fixed addresses (local " + LOCAL_IP
                + ", remote " + REMOTE_IP + ", gateway " + GATEWAY_IP + ", netmask " + NETMASK_IP
                + "); use --" + name + "=" + want + " or leave it out";
    }

    /**
     * Checks every given address option (name without dashes → value, nulls ignored).
     *
     * @throws IllegalArgumentException naming the first option that disagrees
     */
    public static void checkAll(Map<String, String> options) {
        for (var e : options.entrySet()) {
            String err = check(e.getKey(), e.getValue());
            if (err != null) throw new IllegalArgumentException(err);
        }
    }

    /** The defines to run with: packetdrill's defaults, then the command line's {@code -D} on top. */
    public static Map<String, String> defines(Map<String, String> commandLine) {
        Map<String, String> d = new LinkedHashMap<>(Parser.DEFAULT_DEFINES);
        if (commandLine != null) {
            for (var e : commandLine.entrySet()) {
                if (e.getKey() == null || !e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*"))
                    throw new IllegalArgumentException("-D " + e.getKey() + "=" + e.getValue() + ": not a symbol name");
                d.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
        }
        return Map.copyOf(d);
    }
}
