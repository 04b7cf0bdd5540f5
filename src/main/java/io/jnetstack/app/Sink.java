package io.jnetstack.app;

import io.jnetstack.api.ErrnoException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * A TCP sink (the discard service of RFC 863, with a receipt): reads each connection to its end
 * and reports the SHA-256 and byte count of what arrived when the peer closes.
 */
public final class Sink extends Service {
    /** What one connection delivered. */
    public record Receipt(String peer, long bytes, String sha256, double seconds) {
        public double mbitPerSecond() { return seconds <= 0 ? 0 : bytes * 8 / seconds / 1e6; }
    }

    private final Consumer<Receipt> receipts;

    private Sink(Host host, int port, Consumer<Receipt> receipts) throws ErrnoException {
        super(host, "sink", port);
        this.receipts = receipts;
    }

    public static Sink start(Host host, int port) throws ErrnoException { return start(host, port, r -> {}); }

    /** Starts the sink; {@code receipts} hears of each connection as it closes (tests, benchmarks). */
    public static Sink start(Host host, int port, Consumer<Receipt> receipts) throws ErrnoException {
        Sink s = new Sink(host, port, receipts);
        s.start();
        return s;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override protected void serve(Conn c) throws ErrnoException {
        MessageDigest md = sha256();
        byte[] buf = new byte[256 * 1024];
        long total = 0, t0 = System.nanoTime();
        int n;
        while ((n = c.read(buf, 0, buf.length)) > 0) {
            md.update(buf, 0, n);
            total += n;
        }
        Receipt r = new Receipt(c.peer, total, HexFormat.of().formatHex(md.digest()), (System.nanoTime() - t0) / 1e9);
        log.info(String.format("sink: %s closed: %d bytes sha256 %s (%.1f Mbit/s)", r.peer, r.bytes, r.sha256, r.mbitPerSecond()));
        receipts.accept(r);
    }
}
