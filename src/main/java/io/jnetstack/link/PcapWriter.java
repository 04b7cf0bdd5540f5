package io.jnetstack.link;

import io.jnetstack.time.Clock;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames to a classic libpcap file (the format of tcpdump -w; see pcap-savefile(5)):
 * magic 0xa1b2c3d4 with microsecond timestamps, version 2.4, snaplen 262144, in this machine's
 * byte order (readers detect it from the magic; we write little-endian like x86 tcpdump).
 *
 * <pre>
 * file header (24 bytes): magic u32 | version_major u16 = 2 | version_minor u16 = 4 |
 *                         thiszone i32 = 0 | sigfigs u32 = 0 | snaplen u32 | linktype u32
 * per record (16 bytes):  ts_sec u32 | ts_usec u32 | incl_len u32 | orig_len u32 | data
 * </pre>
 *
 * <p>Timestamps come from a {@link Clock}. A virtual clock starts near zero, so
 * {@link #VIRTUAL_EPOCH_NANOS} (2026-01-01T00:00:00Z) is added to give Wireshark sane dates; the
 * real monotonic clock is mapped to wall-clock time once, when the writer opens.
 *
 * <p>Diagnostics must never break the stack: an I/O error is remembered, further writes are
 * ignored, and the error is thrown by {@link #close()} (which is safe to call twice). Records go
 * through one reused buffer; nothing is allocated per frame. Methods are synchronized so that a
 * writer shared by devices of stacks on different threads (real mode) stays consistent.
 */
public final class PcapWriter implements Closeable {
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    public static final int SNAPLEN = 262144;
    /** LINKTYPE_* values (www.tcpdump.org/linktypes.html). */
    public static final int LINKTYPE_ETHERNET = 1, LINKTYPE_RAW = 101;
    /** 2026-01-01T00:00:00Z in nanoseconds since the Unix epoch. */
    public static final long VIRTUAL_EPOCH_NANOS = Clock.VIRTUAL_EPOCH_NANOS;

    private static final int FILE_HEADER = 24, RECORD_HEADER = 16;

    private final OutputStream out;
    private final Clock clock;
    private final long epochOffsetNanos;
    private final int linktype;
    private final byte[] buf = new byte[64 * 1024];
    private int used;
    private long records;
    private IOException error;
    private boolean closed;

    /**
     * @param out              where the file goes; closed by {@link #close()}
     * @param linktype         LINKTYPE_* of every record ({@link #linktypeOf})
     * @param epochOffsetNanos added to {@code clock} nanoseconds to get Unix-epoch nanoseconds
     */
    public PcapWriter(OutputStream out, int linktype, Clock clock, long epochOffsetNanos) {
        this.out = out;
        this.linktype = linktype;
        this.clock = clock;
        this.epochOffsetNanos = epochOffsetNanos;
        putInt(MAGIC_MICROS);
        putShort(2);
        putShort(4);
        putInt(0);              // thiszone: timestamps are UTC
        putInt(0);              // sigfigs
        putInt(SNAPLEN);
        putInt(linktype);
    }

    /** A file for captures of {@code dev}, timestamps from {@code clock} (see {@link #epochOffset}). */
    public static PcapWriter open(Path file, NetDevice dev, Clock clock) throws IOException {
        return open(file, linktypeOf(dev.type()), clock);
    }

    public static PcapWriter open(Path file, int linktype, Clock clock) throws IOException {
        return new PcapWriter(Files.newOutputStream(file), linktype, clock, epochOffset(clock));
    }

    /**
     * The pcap link type for frames of an ARPHRD_* device: Ethernet frames for ARPHRD_ETHER; raw IP
     * for IP-only links and for our loopback, whose frames carry no link header.
     */
    public static int linktypeOf(int arphrd) {
        return arphrd == NetDevice.ARPHRD_ETHER ? LINKTYPE_ETHERNET : LINKTYPE_RAW;
    }

    /**
     * Wall-clock offset for {@code clock}: for the monotonic clock, Unix time now minus its reading
     * now; for any other (virtual) clock, {@link #VIRTUAL_EPOCH_NANOS}.
     */
    public static long epochOffset(Clock clock) { return clock.realtimeNanos() - clock.nanos(); }

    public int linktype() { return linktype; }

    /** Records written so far. */
    public synchronized long records() { return records; }

    /** The first I/O error, or null. */
    public synchronized IOException error() { return error; }

    /** Records {@code frame} (borrowed for the call) at the clock's current time. */
    public void write(MemorySegment frame) { write(clock.nanos(), frame); }

    /** Records {@code frame} at {@code clockNanos} (a reading of this writer's clock). */
    public synchronized void write(long clockNanos, MemorySegment frame) {
        if (closed || error != null) return;
        long unixNanos = clockNanos + epochOffsetNanos;
        long len = frame.byteSize();
        int incl = (int) Math.min(len, SNAPLEN);
        if (used + RECORD_HEADER > buf.length) flushBuffer();
        putInt((int) Math.floorDiv(unixNanos, 1_000_000_000L));
        putInt((int) (Math.floorMod(unixNanos, 1_000_000_000L) / 1000));
        putInt(incl);
        putInt((int) Math.min(len, 0xFFFFFFFFL));
        int done = 0;
        while (done < incl && error == null) {
            if (used == buf.length) flushBuffer();
            int n = Math.min(incl - done, buf.length - used);
            MemorySegment.copy(frame, java.lang.foreign.ValueLayout.JAVA_BYTE, done, buf, used, n);
            used += n;
            done += n;
        }
        records++;
    }

    /** Pushes buffered records to the stream. */
    public synchronized void flush() {
        if (closed) return;
        flushBuffer();
        if (error == null) {
            try {
                out.flush();
            } catch (IOException e) {
                error = e;
            }
        }
    }

    /** Flushes and closes; a second call does nothing. Throws the first I/O error seen, if any. */
    @Override public synchronized void close() throws IOException {
        if (closed) return;
        flush();
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            if (error == null) error = e;
        }
        if (error != null) throw error;
    }

    /** close() for contexts that cannot throw IOException. */
    public void closeUnchecked() {
        try {
            close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flushBuffer() {
        if (used == 0 || error != null) {
            used = 0;
            return;
        }
        try {
            out.write(buf, 0, used);
        } catch (IOException e) {
            error = e;
        }
        used = 0;
    }

    // Little-endian, the byte order of the magic as written.
    private void putInt(int v) {
        buf[used] = (byte) v;
        buf[used + 1] = (byte) (v >>> 8);
        buf[used + 2] = (byte) (v >>> 16);
        buf[used + 3] = (byte) (v >>> 24);
        used += 4;
    }

    private void putShort(int v) {
        buf[used] = (byte) v;
        buf[used + 1] = (byte) (v >>> 8);
        used += 2;
    }
}
