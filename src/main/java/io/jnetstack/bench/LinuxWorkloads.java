package io.jnetstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The same workloads on the host Linux kernel: Java NIO channels over 127.0.0.1 in this JVM
 * (loopback: MTU 65536, GSO), driven the same way as {@link JnsWorkloads} — one thread, non-blocking
 * sockets, the same message sizes — so the two columns differ only in the stack underneath.
 */
public final class LinuxWorkloads {
    private LinuxWorkloads() {}

    /** A connected non-blocking pair over loopback. */
    static final class Pair implements AutoCloseable {
        final ServerSocketChannel listener;
        SocketChannel client, server;

        Pair() throws IOException {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        }

        void connect(boolean noDelay) throws IOException {
            client = SocketChannel.open(listener.getLocalAddress());
            server = listener.accept();
            client.configureBlocking(false);
            server.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
            server.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
        }

        @Override public void close() throws IOException {
            if (client != null) client.close();
            if (server != null) server.close();
            listener.close();
        }
    }

    public static JnsWorkloads.Bulk bulk(long warmNs, long runNs) {
        try (Pair p = new Pair()) {
            p.connect(false);
            ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024), in = ByteBuffer.allocateDirect(256 * 1024);
            JnsWorkloads.Meter m = new JnsWorkloads.Meter();
            long t0 = System.nanoTime(), measureFrom = t0 + warmNs, end = measureFrom + runNs;
            long received = 0;
            boolean measuring = false;
            for (long now = t0; now < end; now = System.nanoTime()) {
                if (!measuring && now >= measureFrom) {
                    measuring = true;
                    m.start(received, 0);
                }
                for (;;) {
                    out.clear();
                    if (p.client.write(out) <= 0) break;
                }
                int n;
                for (;;) {
                    in.clear();
                    if ((n = p.server.read(in)) <= 0) break;
                    received += n;
                }
                if (n < 0) throw new IOException("end of stream");
            }
            return m.stop(received, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Latencies rr(long warmNs, long runNs) {
        try (Pair p = new Pair()) {
            p.connect(true);
            return pingPong(p, ByteBuffer.allocateDirect(1), warmNs, runNs, new Latencies(), System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Latencies pingPong(Pair p, ByteBuffer b, long warmNs, long runNs, Latencies lat, long t0)
            throws IOException {
        long measureFrom = t0 + warmNs, end = measureFrom + runNs;
        for (long now = t0; now < end; ) {
            exchange(p, b);
            long after = System.nanoTime();
            if (now >= measureFrom) lat.add(after - now);
            now = after;
        }
        return lat;
    }

    private static void exchange(Pair p, ByteBuffer b) throws IOException {
        b.clear();
        if (p.client.write(b) != 1) throw new IOException("short write");
        awaitByte(p.server, b);
        b.flip();
        if (p.server.write(b) != 1) throw new IOException("short write");
        awaitByte(p.client, b);
    }

    private static void awaitByte(SocketChannel ch, ByteBuffer b) throws IOException {
        b.clear();
        int n;
        while ((n = ch.read(b)) == 0) Thread.onSpinWait();
        if (n < 0) throw new IOException("end of stream");
    }

    /** crr: connect, 1-byte exchange, close with SO_LINGER 0 (RST: no TIME_WAIT), as on jnetstack. */
    public static Latencies crr(long warmNs, long runNs) {
        try (Pair p = new Pair()) {
            ByteBuffer b = ByteBuffer.allocateDirect(1);
            Latencies lat = new Latencies();
            long t0 = System.nanoTime(), measureFrom = t0 + warmNs, end = measureFrom + runNs;
            for (long now = t0; now < end; ) {
                p.connect(true);
                exchange(p, b);
                p.client.setOption(StandardSocketOptions.SO_LINGER, 0);
                p.client.close();
                p.server.close();
                long after = System.nanoTime();
                if (now >= measureFrom) lat.add(after - now);
                now = after;
            }
            p.client = p.server = null;
            return lat;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
