package io.jnetstack.app;

import io.jnetstack.api.ErrnoException;
import io.jnetstack.api.SockAddrs;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/** The clients of {@code jns get} and {@code jns send}: blocking TCP through a {@link Host}'s stack. */
public final class Clients {
    private Clients() {}

    /** What {@link #send} pushed. */
    public record Sent(long bytes, String sha256, double seconds) {
        public double mbitPerSecond() { return seconds <= 0 ? 0 : bytes * 8 / seconds / 1e6; }
    }

    /** What {@link #get} fetched. */
    public record Fetched(int status, String reason, long bytes, String sha256) {}

    /** "A.B.C.D:PORT" → address; IllegalArgumentException with the reason otherwise. */
    public static InetSocketAddress parseHostPort(String s) {
        int colon = s == null ? -1 : s.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("'" + s + "' is not HOST:PORT");
        int ip = Host.parseIp(s.substring(0, colon), "host");
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port in '" + s + "' must be 1..65535");
        return new InetSocketAddress(io.jnetstack.socket.SockAddr.ipString(ip), port);
    }

    static Conn connect(Host h, InetSocketAddress to) throws ErrnoException {
        Syscalls sys = h.sys();
        int fd = ErrnoException.check("socket", sys.socket(Net.AF_INET, Net.SOCK_STREAM, 0));
        byte[] a = SockAddrs.of(to);
        int r;
        do {
            r = sys.connect(fd, a, a.length);
        } while (r == -Errno.EINTR && !Thread.currentThread().isInterrupted());
        if (r < 0) {
            sys.close(fd);
            throw new ErrnoException("connect to " + to.getAddress().getHostAddress() + ":" + to.getPort(), -r);
        }
        return new Conn(sys, fd, 64 * 1024);
    }

    /**
     * Pushes {@code in} to {@code to}, half-closes, and waits for the peer to close (so every byte
     * was acknowledged by a receiver that read it all) before closing.
     */
    public static Sent send(Host h, InetSocketAddress to, InputStream in) throws IOException {
        MessageDigest md = Sink.sha256();
        long t0 = System.nanoTime(), total = 0;
        try (Conn c = connect(h, to)) {
            h.log().info("send: connected to " + c.peer);
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                md.update(buf, 0, n);
                c.writeAll(buf, 0, n);
                total += n;
            }
            c.shutdownOutput();
            while (c.read(buf, 0, buf.length) > 0) { /* the peer has nothing to say; wait for its FIN */ }
        }
        Sent s = new Sent(total, HexFormat.of().formatHex(md.digest()), (System.nanoTime() - t0) / 1e9);
        h.log().info(String.format("send: %s:%d done: %d bytes sha256 %s (%.1f Mbit/s)",
                to.getAddress().getHostAddress(), to.getPort(), s.bytes, s.sha256, s.mbitPerSecond()));
        return s;
    }

    /**
     * HTTP/1.1 GET of {@code url} (http://A.B.C.D[:PORT]/path); the body goes to {@code out}. Bodies
     * delimited by Content-Length, chunked coding or the end of the connection are all understood.
     */
    public static Fetched get(Host h, String url, OutputStream out) throws IOException {
        if (!url.startsWith("http://")) throw new IllegalArgumentException("URL '" + url + "' must start with http://");
        String rest = url.substring(7);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        InetSocketAddress to = parseHostPort(authority.contains(":") ? authority : authority + ":80");
        MessageDigest md = Sink.sha256();
        try (Conn c = connect(h, to)) {
            h.log().info("get: connected to " + c.peer);
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: jns\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            byte[] rb = req.getBytes(StandardCharsets.ISO_8859_1);
            c.writeAll(rb, 0, rb.length);
            Reader r = new Reader(c);
            String status = r.line();
            if (status == null || !status.startsWith("HTTP/1.")) throw new IOException("not an HTTP response: " + status);
            String[] sp = status.split(" ", 3);
            int code = Integer.parseInt(sp[1]);
            long length = -1;
            boolean chunked = false;
            String line;
            while ((line = r.line()) != null && !line.isEmpty()) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(line.substring(15).strip());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            if (line == null) throw new IOException("connection closed in the response head");
            long got = 0;
            if (chunked) {
                for (;;) {
                    String sz = r.line();
                    if (sz == null) throw new IOException("connection closed in a chunked body");
                    int semi = sz.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? sz : sz.substring(0, semi)).strip(), 16);
                    if (n == 0) break;
                    got += r.copy(n, out, md);
                    r.line();
                }
            } else {
                got = r.copy(length < 0 ? Long.MAX_VALUE : length, out, md);
                if (length >= 0 && got < length) throw new IOException("connection closed after " + got + " of " + length + " bytes");
            }
            out.flush();
            Fetched f = new Fetched(code, sp.length > 2 ? sp[2] : "", got, HexFormat.of().formatHex(md.digest()));
            h.log().info("get: " + url + " → " + code + ", " + got + " bytes sha256 " + f.sha256);
            return f;
        }
    }

    /** A buffered reader of a connection: CRLF lines, then counted bytes. */
    private static final class Reader {
        final Conn c;
        final byte[] buf = new byte[64 * 1024];
        int pos, lim;

        Reader(Conn c) { this.c = c; }

        boolean fill() throws ErrnoException {
            pos = 0;
            lim = c.read(buf, 0, buf.length);
            return lim > 0;
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (;;) {
                if (pos == lim && !fill()) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                byte x = buf[pos++];
                if (x == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                if (b.size() > 16 * 1024) throw new IOException("response line too long");
                b.write(x);
            }
        }

        long copy(long n, OutputStream out, MessageDigest md) throws IOException {
            long done = 0;
            while (done < n) {
                if (pos == lim && !fill()) break;
                int k = (int) Math.min(lim - pos, n - done);
                out.write(buf, pos, k);
                md.update(buf, pos, k);
                pos += k;
                done += k;
            }
            return done;
        }
    }
}
