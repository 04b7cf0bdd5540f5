package io.jnetstack.packetdrill;

/** A script that does not follow packetdrill's grammar: carries the line, as packetdrill's errors do. */
public final class ParseException extends Exception {
    private final int line;

    public ParseException(int line, String message) {
        super(line + ": " + message);
        this.line = line;
    }

    public int line() { return line; }
}
