package io.jnetstack.packetdrill;

/**
 * One lexical token of a packetdrill script, with the line it starts on.
 *
 * <p>{@code text} is the token as written (for WORD, STRING the value without quotes, for
 * BACK_QUOTED and CODE the body between the delimiters, for OPTION the name after "--");
 * {@code value} holds the option value of an OPTION (null when the option has none).
 */
record Token(Kind kind, String text, String value, int line) {
    enum Kind {
        INTEGER, HEX_INTEGER, FLOAT, IPV4_ADDR, WORD, STRING, BACK_QUOTED, CODE, OPTION,
        ELLIPSIS, PUNCT, EOF
    }

    boolean is(String punct) { return kind == Kind.PUNCT && text.equals(punct); }

    boolean isWord(String w) { return kind == Kind.WORD && text.equals(w); }

    boolean isNumber() { return kind == Kind.INTEGER || kind == Kind.HEX_INTEGER || kind == Kind.FLOAT; }

    @Override public String toString() {
        return switch (kind) {
            case EOF -> "end of script";
            case STRING -> "\"" + text + "\"";
            case BACK_QUOTED -> "`" + text + "`";
            case CODE -> "%{...}%";
            case OPTION -> "--" + text;
            default -> "'" + text + "'";
        };
    }
}
