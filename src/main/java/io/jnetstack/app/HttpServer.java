package io.jnetstack.app;

import io.jnetstack.api.ErrnoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A minimal but correct HTTP/1.1 static file server (RFC 9110, RFC 9112) on port 80 of a host.
 *
 * <ul>
 *   <li>GET and HEAD; any other method is 405 with {@code Allow: GET, HEAD} (§15.5.6).
 *   <li>Every response carries Content-Length, so connections persist: HTTP/1.1 keeps the
 *       connection unless the client sends {@code Connection: close}; HTTP/1.0 closes unless it
 *       sends {@code Connection: keep-alive} (RFC 9112 §9.3).
 *   <li>400 for a malformed request line or header, an HTTP/1.1 request without Host (RFC 9112
 *       §3.2), a request body with Transfer-Encoding (not supported: we answer and close, as we
 *       cannot find the next request), or a target that is not an absolute path; 431 for headers
 *       over 16 KiB; 505 for a major version other than 1.
 *   <li>The target is percent-decoded, then resolved under DIR; a path that leaves DIR (".."
 *       segments, a NUL, a symbolic link pointing outside) is 404, like a missing file: the
 *       server reveals nothing about what exists outside its root. A directory serves its
 *       index.html.
 * </ul>
 */
public final class HttpServer extends Service {
    public static final int PORT = 80;
    private static final int MAX_HEAD = 16 * 1024;
    private static final DateTimeFormatter IMF = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final Path root;

    private HttpServer(Host host, Path root, int port) throws ErrnoException {
        super(host, "http", port);
        this.root = root;
    }

    public static HttpServer start(Host host, Path dir) throws ErrnoException, IOException { return start(host, dir, PORT); }

    public static HttpServer start(Host host, Path dir, int port) throws ErrnoException, IOException {
        if (!Files.isDirectory(dir)) throw new IOException("--http " + dir + ": not a directory");
        HttpServer s = new HttpServer(host, dir.toRealPath(), port);
        s.start();
        return s;
    }

    /** One parsed request head. */
    private record Request(String method, String target, int minor, boolean close, long contentLength, String error) {}

    @Override protected void serve(Conn c) throws Exception {
        byte[] in = new byte[MAX_HEAD + 1];
        int have = 0;
        byte[] out = new byte[64 * 1024];
        for (;;) {
            // Read until the blank line that ends the head (RFC 9112 §2.1).
            int end;
            while ((end = headEnd(in, have)) < 0) {
                if (have >= MAX_HEAD) {
                    respond(c, out, 431, "Request Header Fields Too Large", true, false);
                    return;
                }
                int n = c.read(in, have, Math.min(in.length - have, MAX_HEAD + 1 - have));
                if (n == 0) return;     // the client closed between requests
                have += n;
            }
            Request rq = parse(new String(in, 0, end, StandardCharsets.ISO_8859_1));
            int consumed = end + 4;
            if (rq.error != null) {
                int code = Integer.parseInt(rq.error.substring(0, 3));
                log.info("http: " + c.peer + " bad request (" + rq.error.substring(4) + ") → " + code);
                respond(c, out, code, rq.error.substring(4), true, false);
                return;
            }
            // Discard a request body we do not use, so the next request starts where it should.
            long body = rq.contentLength;
            int inBuf = (int) Math.min(body, have - consumed);
            consumed += inBuf;
            body -= inBuf;
            while (body > 0) {
                int n = c.read(out, 0, (int) Math.min(out.length, body));
                if (n == 0) return;
                body -= n;
            }
            System.arraycopy(in, consumed, in, 0, have - consumed);
            have -= consumed;

            boolean close = rq.close || stopping();
            if (!rq.method.equals("GET") && !rq.method.equals("HEAD")) {
                log.info("http: " + c.peer + " " + rq.method + " " + rq.target + " → 405");
                respond(c, out, 405, "Method Not Allowed", close, rq.method.equals("HEAD"));
            } else {
                Path file = resolve(rq.target);
                if (file == null) {
                    log.info("http: " + c.peer + " " + rq.method + " " + rq.target + " → 404");
                    respond(c, out, 404, "Not Found", close, rq.method.equals("HEAD"));
                } else {
                    long size = sendFile(c, out, file, rq.method.equals("HEAD"), close);
                    log.info("http: " + c.peer + " " + rq.method + " " + rq.target + " → 200, " + size + " bytes");
                }
            }
            if (close) {
                c.shutdownOutput();
                return;
            }
        }
    }

    /** Index of the CRLFCRLF ending the head in b[0..len), or -1. */
    private static int headEnd(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++)
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        return -1;
    }

    private static Request parse(String head) {
        String[] lines = head.split("\r\n", -1);
        String[] rl = lines[0].split(" ", -1);
        if (rl.length != 3 || rl[0].isEmpty() || !rl[0].chars().allMatch(ch -> ch > 32 && ch < 127 && ch != ':'))
            return bad("400 Bad Request");
        String version = rl[2];
        if (!version.matches("HTTP/\\d\\.\\d")) return bad("400 Bad Request");
        if (version.charAt(5) != '1') return bad("505 HTTP Version Not Supported");
        int minor = version.charAt(7) - '0';
        boolean host = false, close = minor == 0, chunked = false;
        long length = 0;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int colon = l.indexOf(':');
            // No whitespace before the colon, none starting a line (obsolete folding): RFC 9112 §5.
            if (colon <= 0 || l.charAt(colon - 1) == ' ' || l.charAt(colon - 1) == '\t' || l.charAt(0) == ' ' || l.charAt(0) == '\t')
                return bad("400 Bad Request");
            String name = l.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).strip();
            switch (name) {
                case "host" -> {
                    if (host) return bad("400 Bad Request");    // more than one Host: §3.2
                    host = true;
                }
                case "connection" -> {
                    for (String tok : value.toLowerCase(Locale.ROOT).split(",")) {
                        if (tok.strip().equals("close")) close = true;
                        if (tok.strip().equals("keep-alive") && minor == 0) close = false;
                    }
                }
                case "content-length" -> {
                    try {
                        long v = value.matches("\\d{1,18}") ? Long.parseLong(value) : -1;
                        if (v < 0 || (length != 0 && v != length)) return bad("400 Bad Request");
                        length = v;
                    } catch (NumberFormatException e) {
                        return bad("400 Bad Request");
                    }
                }
                case "transfer-encoding" -> chunked = true;
                default -> { }
            }
        }
        if (minor >= 1 && !host) return bad("400 Bad Request");
        if (chunked) return bad("400 Bad Request");
        if (!rl[1].startsWith("/")) return bad("400 Bad Request");
        return new Request(rl[0], rl[1], minor, close, length, null);
    }

    private static Request bad(String status) { return new Request(null, null, 1, true, 0, status); }

    /** The regular file {@code target} names under the root, or null (missing, outside, unreadable). */
    Path resolve(String target) {
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        int hash = path.indexOf('#');
        if (hash >= 0) path = path.substring(0, hash);
        try {
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) return null;
        for (String seg : path.split("/")) if (seg.equals("..")) return null;
        try {
            Path p = root.resolve(path.substring(1)).normalize();
            if (!p.startsWith(root)) return null;
            if (Files.isDirectory(p)) p = p.resolve("index.html");
            if (!Files.isRegularFile(p)) return null;
            Path real = p.toRealPath();                  // a symlink may point outside the root
            if (!real.startsWith(root) || !Files.isReadable(real)) return null;
            return real;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private long sendFile(Conn c, byte[] buf, Path file, boolean head, boolean close) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long size = Files.size(file);
            String h = "HTTP/1.1 200 OK\r\nDate: " + now() + "\r\nServer: jnetstack\r\nContent-Type: "
                    + contentType(file) + "\r\nContent-Length: " + size + "\r\nLast-Modified: "
                    + IMF.format(Files.getLastModifiedTime(file).toInstant().atZone(ZoneOffset.UTC))
                    + (close ? "\r\nConnection: close" : "") + "\r\n\r\n";
            byte[] hb = h.getBytes(StandardCharsets.ISO_8859_1);
            c.writeAll(hb, 0, hb.length);
            if (head) return size;
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IOException(file + " shrank while being sent");
                c.writeAll(buf, 0, n);
                left -= n;
            }
            return size;
        }
    }

    private static void respond(Conn c, byte[] scratch, int code, String reason, boolean close, boolean head) throws ErrnoException {
        String body = code + " " + reason + "\n";
        String h = "HTTP/1.1 " + code + " " + reason + "\r\nDate: " + now() + "\r\nServer: jnetstack\r\n"
                + (code == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length() + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n" + (head ? "" : body);
        byte[] b = h.getBytes(StandardCharsets.ISO_8859_1);
        c.writeAll(b, 0, b.length);
        if (close) c.shutdownOutput();
    }

    private static String now() { return IMF.format(ZonedDateTime.now(ZoneOffset.UTC)); }

    static String contentType(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return switch (dot < 0 ? "" : n.substring(dot + 1)) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "txt", "md" -> "text/plain; charset=utf-8";
            case "css" -> "text/css";
            case "js" -> "text/javascript";
            case "json" -> "application/json";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "svg" -> "image/svg+xml";
            case "pdf" -> "application/pdf";
            default -> "application/octet-stream";
        };
    }
}
