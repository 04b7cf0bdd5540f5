package io.jnetstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * 48-bit Ethernet MAC addresses held in the low 48 bits of a {@code long}
 * (00:11:22:33:44:55 == 0x0000_0011_2233_4455L). Static helpers only.
 */
public final class MacAddress {
    private MacAddress() {}

    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL, ZERO = 0L;
    public static final int LEN = 6;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);

    /** Reads six bytes at {@code off}. */
    public static long get(MemorySegment seg, long off) {
        return (long) Short.toUnsignedInt(seg.get(U16, off)) << 32 | Integer.toUnsignedLong(seg.get(U32, off + 2));
    }

    /** Writes the low 48 bits of {@code mac} as six bytes at {@code off}. */
    public static void set(MemorySegment seg, long off, long mac) {
        seg.set(U16, off, (short) (mac >>> 32));
        seg.set(U32, off + 2, (int) mac);
    }

    public static long fromBytes(byte[] b) {
        if (b.length != LEN) throw new IllegalArgumentException("MAC needs 6 bytes, got " + b.length);
        return get(MemorySegment.ofArray(b), 0);
    }

    public static byte[] toBytes(long mac) {
        byte[] b = new byte[LEN];
        set(MemorySegment.ofArray(b), 0, mac);
        return b;
    }

    /** "aa:bb:cc:dd:ee:ff", lower case as iproute2 prints it. */
    public static String format(long mac) {
        var sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) sb.append(':');
            int b = (int) (mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /**
     * Parses six ':' or '-' separated hex octets of one or two digits.
     *
     * @throws IllegalArgumentException on anything else
     */
    public static long parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != LEN) throw new IllegalArgumentException("not a MAC address: " + text);
        long mac = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) throw new IllegalArgumentException("not a MAC address: " + text);
            int v = 0;
            for (int i = 0; i < p.length(); i++) {
                int d = Character.digit(p.charAt(i), 16);
                if (d < 0) throw new IllegalArgumentException("not a MAC address: " + text);
                v = v << 4 | d;
            }
            mac = mac << 8 | v;
        }
        return mac;
    }

    /** Group bit: least significant bit of the first octet (IEEE 802). Broadcast is multicast too. */
    public static boolean isMulticast(long mac) { return (mac >>> 40 & 1) != 0; }
    public static boolean isBroadcast(long mac) { return (mac & BROADCAST) == BROADCAST; }
    public static boolean isUnicast(long mac) { return !isMulticast(mac); }
    /** Locally administered bit: second least significant bit of the first octet. */
    public static boolean isLocal(long mac) { return (mac >>> 40 & 2) != 0; }

    /** The Ethernet multicast MAC for an IPv4 group: 01:00:5e + low 23 bits (RFC 1112 §6.4). */
    public static long ofIpv4Multicast(int group) { return 0x01005E000000L | (group & 0x7FFFFF); }
}
