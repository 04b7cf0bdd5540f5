package io.jnetstack.link;

import io.jnetstack.wire.Checksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * skb->ip_summed: what a frame's transport checksum is as it passes between the stack and its
 * devices (include/linux/skbuff.h, "Checksumming of received and transmitted packets"). Devices
 * and the IPv4 layer hand this value along with the frame; it is never stored in the bytes.
 *
 * <ul>
 *   <li>{@link #CHECKSUM_NONE}: the field holds a complete checksum (or garbage, if the frame was
 *       damaged); a receiver verifies it.
 *   <li>{@link #CHECKSUM_UNNECESSARY}: received, already verified (by a device or by whoever
 *       finished it): a receiver trusts it.
 *   <li>{@link #CHECKSUM_PARTIAL}: the sender left the job to the device (NETIF_F_HW_CSUM): the
 *       field holds only the folded pseudo-header sum, the complement of tcp_v4_check(len, saddr,
 *       daddr, 0). A frame still in this state has never left the machine's memory, so a receiver
 *       trusts it too, as Linux does for loopback and veth (skb_csum_unnecessary).
 * </ul>
 *
 * <p>csum_start and csum_offset are not carried: the only partial checksums this stack makes are
 * TCP's and UDP's over IPv4, so both follow from the IP header. Anything that shows the bytes to
 * someone else (a pcap capture, a packet socket, a raw socket, a device that cannot finish the
 * checksum, a wire about to corrupt the frame) first calls {@link #help}, as the kernel's
 * validate_xmit_skb and netem's corruption do.
 */
public final class ChecksumOffload {
    private ChecksumOffload() {}

    /** The kernel's values of ip_summed (CHECKSUM_COMPLETE, 2, is not used here). */
    public static final int CHECKSUM_NONE = 0, CHECKSUM_UNNECESSARY = 1, CHECKSUM_PARTIAL = 3;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_UDPLITE = 136;

    /** skb_csum_unnecessary: may a receiver skip verifying the transport checksum? */
    public static boolean unnecessary(int ipSummed) { return ipSummed != CHECKSUM_NONE; }

    /** Bytes in front of the IPv4 header in a frame of a device of type {@code arphrd}. */
    public static int l3Offset(int arphrd) { return arphrd == NetDevice.ARPHRD_ETHER ? 14 : 0; }

    /**
     * skb_checksum_help: completes the PARTIAL checksum of the IPv4 TCP/UDP packet that starts at
     * {@code l3Off} in {@code frame}, in place. The field already holds the pseudo-header sum, so
     * summing from the transport header to the end of the IP packet and complementing gives the
     * same value a full computation gives. Returns {@link #CHECKSUM_NONE}, the frame's state
     * afterwards. Frames that are not such packets (malformed, fragments) are left alone.
     */
    public static int help(MemorySegment frame, long l3Off) {
        long n = frame.byteSize() - l3Off;
        if (n < 20) return CHECKSUM_NONE;
        int verIhl = frame.get(JAVA_BYTE, l3Off) & 0xFF;
        int ihl = (verIhl & 0xF) * 4;
        int totLen = Short.toUnsignedInt(frame.get(U16, l3Off + 2));
        if (verIhl >> 4 != 4 || ihl < 20 || totLen > n || totLen < ihl) return CHECKSUM_NONE;
        if ((frame.get(U16, l3Off + 6) & 0x3FFF) != 0) return CHECKSUM_NONE;   // a fragment: never partial
        int protocol = frame.get(JAVA_BYTE, l3Off + 9) & 0xFF;
        int field = protocol == IPPROTO_TCP ? 16 : protocol == IPPROTO_UDP || protocol == IPPROTO_UDPLITE ? 6 : -1;
        long l4 = l3Off + ihl, l4Len = totLen - ihl;
        if (field < 0 || l4Len < field + 2) return CHECKSUM_NONE;
        int c = Checksum.finish(Checksum.add(0, frame, l4, l4Len));
        if (c == 0 && protocol != IPPROTO_TCP) c = 0xFFFF;   // RFC 768: 0 would mean "no checksum"
        frame.set(U16, l4 + field, (short) c);
        return CHECKSUM_NONE;
    }

    /** On the way out: {@link #help} when {@code ipSummed} is PARTIAL; returns the state afterwards. */
    public static int finish(MemorySegment frame, long l3Off, int ipSummed) {
        return ipSummed == CHECKSUM_PARTIAL ? help(frame, l3Off) : ipSummed;
    }

    /**
     * On the way in: {@link #help} when {@code ipSummed} is PARTIAL, so an observer sees a valid
     * checksum; the frame stays trusted (CHECKSUM_UNNECESSARY). Returns the state afterwards.
     */
    public static int finishReceived(MemorySegment frame, long l3Off, int ipSummed) {
        if (ipSummed != CHECKSUM_PARTIAL) return ipSummed;
        help(frame, l3Off);
        return CHECKSUM_UNNECESSARY;
    }
}
