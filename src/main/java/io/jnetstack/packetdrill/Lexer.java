package io.jnetstack.packetdrill;

import io.jnetstack.packetdrill.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a packetdrill script into tokens.
 *
 * <p>What is special about packetdrill's lexical grammar:
 * <ul>
 *   <li>Comments are C and C++ style ({@code /* *}{@code /}, {@code //}); {@code #} is not a comment
 *       outside shell commands.
 *   <li>{@code --name=value} at the start of a script is a command-line option; its value is
 *       taken raw up to white space (it may be an address such as {@code 192.0.2.1} or
 *       {@code fd::1}).
 *   <li>A number swallows a '.' only when a digit follows it: {@code 0...0.100} is
 *       INTEGER, ELLIPSIS, FLOAT, and {@code .005} is a FLOAT.
 *   <li>A run of letters and digits that starts with a digit but is not a number (a TCP Fast
 *       Open cookie such as {@code 00abaaabe8e954c2}) is a WORD.
 *   <li>{@code `...`} (a shell command, possibly over several lines) and {@code %{ ... }%}
 *       (Python code) are single tokens.
 * </ul>
 */
final class Lexer {
    private final String src;
    private int pos;
    private int line = 1;
    private final List<Token> out = new ArrayList<>();

    private Lexer(String src) { this.src = src; }

    static List<Token> tokenize(String src) throws ParseException {
        Lexer lx = new Lexer(src);
        lx.run();
        return lx.out;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private void run() throws ParseException {
        while (true) {
            skipSpaceAndComments();
            if (pos >= src.length()) break;
            char c = peek(0);
            int startLine = line;
            if (c == '-' && peek(1) == '-' && Character.isLetter(peek(2))) {
                option(startLine);
            } else if (c == '`') {
                delimited(startLine, 1, "`", Kind.BACK_QUOTED);
            } else if (c == '%' && peek(1) == '{') {
                delimited(startLine, 2, "}%", Kind.CODE);
            } else if (c == '"') {
                string(startLine);
            } else if (c == '.' && peek(1) == '.' && peek(2) == '.') {
                pos += 3;
                out.add(new Token(Kind.ELLIPSIS, "...", null, startLine));
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))
                    || (c == '-' && Character.isDigit(peek(1)))) {
                number(startLine);
            } else if (Character.isLetter(c) || c == '_') {
                int s = pos;
                while (pos < src.length() && isWordChar(peek(0))) pos++;
                out.add(new Token(Kind.WORD, src.substring(s, pos), null, startLine));
            } else if ("()[]{}<>,:=|+*.-~;!/".indexOf(c) >= 0) {
                pos++;
                out.add(new Token(Kind.PUNCT, String.valueOf(c), null, startLine));
            } else {
                throw new ParseException(startLine, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Kind.EOF, "", null, line));
    }

    private static boolean isWordChar(char c) { return Character.isLetterOrDigit(c) || c == '_'; }

    private void skipSpaceAndComments() throws ParseException {
        while (pos < src.length()) {
            char c = peek(0);
            if (c == '\n') { line++; pos++; }
            else if (Character.isWhitespace(c)) pos++;
            else if (c == '/' && peek(1) == '/') {
                while (pos < src.length() && peek(0) != '\n') pos++;
            } else if (c == '/' && peek(1) == '*') {
                int start = line;
                pos += 2;
                while (pos < src.length() && !(peek(0) == '*' && peek(1) == '/')) {
                    if (peek(0) == '\n') line++;
                    pos++;
                }
                if (pos >= src.length()) throw new ParseException(start, "unterminated /* comment");
                pos += 2;
            } else return;
        }
    }

    /** {@code --name} or {@code --name=value}; the value runs to white space (or is a quoted string). */
    private void option(int startLine) throws ParseException {
        pos += 2;
        int s = pos;
        while (pos < src.length() && (isWordChar(peek(0)) || peek(0) == '-')) pos++;
        String name = src.substring(s, pos);
        String value = null;
        if (peek(0) == '=') {
            pos++;
            if (peek(0) == '"') {
                int vs = ++pos;
                while (pos < src.length() && peek(0) != '"' && peek(0) != '\n') pos++;
                if (peek(0) != '"') throw new ParseException(startLine, "unterminated option string");
                value = src.substring(vs, pos++);
            } else {
                int vs = pos;
                while (pos < src.length() && !Character.isWhitespace(peek(0))) pos++;
                value = src.substring(vs, pos);
            }
        }
        out.add(new Token(Kind.OPTION, name, value, startLine));
    }

    private void delimited(int startLine, int openLen, String close, Kind kind) throws ParseException {
        pos += openLen;
        int s = pos;
        int end = src.indexOf(close, pos);
        if (end < 0) throw new ParseException(startLine, "unterminated " + (kind == Kind.CODE ? "%{ code }%" : "`command`"));
        String body = src.substring(s, end);
        for (int i = 0; i < body.length(); i++) if (body.charAt(i) == '\n') line++;
        pos = end + close.length();
        out.add(new Token(kind, body, null, startLine));
    }

    private void string(int startLine) throws ParseException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || peek(0) == '\n') throw new ParseException(startLine, "unterminated string");
            char c = src.charAt(pos++);
            if (c == '"') break;
            if (c == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    case 'x' -> {
                        int v = 0, n = 0;
                        while (n < 2 && pos < src.length() && Character.digit(peek(0), 16) >= 0) {
                            v = v * 16 + Character.digit(src.charAt(pos++), 16);
                            n++;
                        }
                        sb.append((char) v);
                    }
                    default -> sb.append(e);
                }
            } else sb.append(c);
        }
        out.add(new Token(Kind.STRING, sb.toString(), null, startLine));
    }

    private void number(int startLine) {
        int s = pos;
        if (peek(0) == '-') pos++;
        if (peek(0) == '0' && (peek(1) == 'x' || peek(1) == 'X') && Character.digit(peek(2), 16) >= 0) {
            pos += 2;
            while (Character.digit(peek(0), 16) >= 0) pos++;
            if (!isWordChar(peek(0))) {
                out.add(new Token(Kind.HEX_INTEGER, src.substring(s, pos), null, startLine));
                return;
            }
        }
        while (Character.isDigit(peek(0))) pos++;
        // A run like "00abaaabe8" is a word (a hex blob), not a number followed by a word.
        if (isWordChar(peek(0))) {
            while (isWordChar(peek(0))) pos++;
            out.add(new Token(Kind.WORD, src.substring(s, pos), null, startLine));
            return;
        }
        int dots = 0;
        while (peek(0) == '.' && Character.isDigit(peek(1))) {
            pos++;
            dots++;
            while (Character.isDigit(peek(0))) pos++;
        }
        String text = src.substring(s, pos);
        Kind k = dots == 0 ? Kind.INTEGER : dots == 1 ? Kind.FLOAT : Kind.IPV4_ADDR;
        out.add(new Token(k, text, null, startLine));
    }
}
