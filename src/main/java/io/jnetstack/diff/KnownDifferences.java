package io.jnetstack.diff;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Disagreements with Linux that are accepted on purpose, each with its reason. A case whose name
 * matches an entry's pattern may differ without failing the run (it is still printed). Keep the
 * list short and every reason concrete; an entry is a promise to revisit, not a place to hide bugs.
 */
public final class KnownDifferences {
    private KnownDifferences() {}

    /** @param pattern a regular expression matched against the whole case name */
    public record Known(String pattern, String reason) {
        boolean matches(String caseName) { return Pattern.matches(pattern, caseName); }
    }

    /**
     * A new network namespace inherits the host's congestion control, and may only switch to one in
     * the host's allowed list. Where the host runs something other than CUBIC (bbr, here), the cases
     * that read it or depend on it (bbr triples the send buffer) differ; jnetstack implements reno
     * and cubic, with cubic the default as in Linux's own build.
     */
    private static final String HOST_CC = hostCongestionControl();

    /** Differences that hold on every host. */
    private static final List<Known> ALWAYS = List.of(
            new Known("(bind|connect)/inet6-(stream|dgram)/(lo|lo-port0|lo-scope-99|len-24|port-80)"
                    + "|connect/inet6-established|opt/connected/tcp6"
                    + "|udp/sizes-v6",
                    "no IPv6 data path yet: ::1 is not a local address"),
            new Known("socket/AF_NETLINK/(SOCK_RAW|SOCK_DGRAM)/IPPROTO_TCP"
                    + "|socketpair/AF_NETLINK/(SOCK_RAW|SOCK_DGRAM)(\\|SOCK_CLOEXEC)?/6",
                    "NETLINK_XFRM (protocol 6) is not registered: jnetstack has no IPsec, only NETLINK_ROUTE"));

    /** Differences only where the host's congestion control is not cubic. */
    private static final List<Known> HOST_CC_CASES = "cubic".equals(HOST_CC) ? List.of() : List.of(
            new Known("opt/[^/]+/SOL_TCP/TCP_CONGESTION/(values|lengths)",
                    "the host's default congestion control is " + HOST_CC + ", jnetstack's is cubic"),
            new Known("opt/defaults/tcp6?",
                    "reads TCP_CONGESTION: the host's default is " + HOST_CC + ", jnetstack's is cubic"),
            new Known("opt/connected/tcp",
                    "the send buffer follows the congestion control (" + HOST_CC + " on the host, cubic here)"));

    public static final List<Known> LIST = java.util.stream.Stream.concat(ALWAYS.stream(), HOST_CC_CASES.stream()).toList();

    private static String hostCongestionControl() {
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/sys/net/ipv4/tcp_congestion_control")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    public static Optional<String> reason(String caseName) {
        return LIST.stream().filter(k -> k.matches(caseName)).map(Known::reason).findFirst();
    }
}
