package io.jnetstack.neighbour;

/**
 * Neighbour Unreachability Detection states (include/uapi/linux/neighbour.h NUD_*, RFC 4861 §7.3.2
 * carried over to ARP), with Linux's bit values so that state masks read as in the kernel.
 *
 * <pre>
 *   NONE/FAILED --send--> INCOMPLETE --reply--> REACHABLE --reachable_time--> STALE
 *                           | 3 probes                ^                         | send
 *                           v                         | confirmed               v
 *                         FAILED  <--3 probes-- PROBE <--delay_first_probe-- DELAY
 * </pre>
 */
public final class Nud {
    private Nud() {}

    public static final int NONE = 0x00, INCOMPLETE = 0x01, REACHABLE = 0x02, STALE = 0x04, DELAY = 0x08,
            PROBE = 0x10, FAILED = 0x20, NOARP = 0x40, PERMANENT = 0x80;

    /** States the neighbour timer runs in. */
    public static final int IN_TIMER = INCOMPLETE | REACHABLE | DELAY | PROBE;
    /** States with a usable link-layer address. */
    public static final int VALID = PERMANENT | NOARP | REACHABLE | PROBE | STALE | DELAY;
    /** States that need no confirmation before use. */
    public static final int CONNECTED = PERMANENT | NOARP | REACHABLE;

    /** The name ip-neighbour(8) prints. */
    public static String name(int state) {
        return switch (state) {
            case NONE -> "NONE";
            case INCOMPLETE -> "INCOMPLETE";
            case REACHABLE -> "REACHABLE";
            case STALE -> "STALE";
            case DELAY -> "DELAY";
            case PROBE -> "PROBE";
            case FAILED -> "FAILED";
            case NOARP -> "NOARP";
            case PERMANENT -> "PERMANENT";
            default -> "0x" + Integer.toHexString(state);
        };
    }
}
