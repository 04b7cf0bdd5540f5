package io.jnetstack.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A strict reader of classic pcap files, for tests: every field checked, every record returned. */
final class PcapReader {
    record Header(int magic, int major, int minor, int thiszone, int sigfigs, int snaplen, int linktype) {}

    record Record(long tsSec, int tsUsec, int inclLen, int origLen, byte[] data) {
        long nanos() { return tsSec * 1_000_000_000L + tsUsec * 1000L; }
    }

    record Capture(Header header, List<Record> records) {}

    private PcapReader() {}

    static Capture read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) throw new IOException("short file header");
        b.order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xa1b2c3d4) throw new IOException("bad magic " + Integer.toHexString(magic));
        }
        b.position(4);
        Header h = new Header(magic, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getInt(), b.getInt(), b.getInt(), b.getInt());
        List<Record> recs = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 16) throw new IOException("truncated record header at " + b.position());
            long sec = Integer.toUnsignedLong(b.getInt());
            int usec = b.getInt();
            int incl = b.getInt(), orig = b.getInt();
            if (usec < 0 || usec >= 1_000_000) throw new IOException("ts_usec out of range: " + usec);
            if (incl < 0 || incl > h.snaplen() || incl > orig) throw new IOException("bad incl_len " + incl + " orig " + orig);
            if (b.remaining() < incl) throw new IOException("truncated record data");
            byte[] data = new byte[incl];
            b.get(data);
            recs.add(new Record(sec, usec, incl, orig, data));
        }
        return new Capture(h, recs);
    }
}
