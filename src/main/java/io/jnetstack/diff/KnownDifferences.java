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

    public static final List<Known> LIST = List.of(
            new Known("opt/[^/]+/SOL_TCP/TCP_CONGESTION/values",
                    "the host's default congestion control is bbr (so only reno and bbr are allowed to an "
                    + "unprivileged process); jnetstack implements reno and cubic, with cubic the default")
    );

    public static Optional<String> reason(String caseName) {
        return LIST.stream().filter(k -> k.matches(caseName)).map(Known::reason).findFirst();
    }
}
