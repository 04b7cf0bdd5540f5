package io.jnetstack.wire;

/**
 * Thrown by {@code *Repr.parse()} for a packet that fails validation; the only exception
 * parse may throw on any input. Unchecked and without a stack trace: garbage from the
 * network is not a programming error, and a flood of it must stay cheap.
 */
public final class WireException extends RuntimeException {
    private final WireError error;

    public WireException(WireError error) {
        this(error, null);
    }

    public WireException(WireError error, String detail) {
        super(detail == null ? error.name() : error.name() + ": " + detail, null, false, false);
        this.error = error;
    }

    public WireError error() {
        return error;
    }
}
