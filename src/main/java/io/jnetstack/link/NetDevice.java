package io.jnetstack.link;

import java.lang.foreign.MemorySegment;

/**
 * A network device (struct net_device): what the network layer transmits through and receives
 * from. Loopback, the in-memory {@link Wire}, and TUN/TAP implement it; {@link PcapTap} wraps any
 * of them.
 *
 * <p>Ownership: {@link #transmit} borrows {@code packet} for the duration of the call only; a device
 * that keeps the bytes (a queue, a wire in flight) copies them. Likewise a {@link PacketReceiver}
 * borrows the segment it is handed and copies whatever it keeps. This keeps one scratch buffer per
 * stack enough for output, and no allocation per packet.
 */
public interface NetDevice {
    /** ARPHRD_* link types: what a frame handed to transmit/receive starts with. */
    int ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772, ARPHRD_NONE = 0xFFFE;

    /** Feature bits (NETIF_F_*): what the device does for the stack. */
    int F_HW_CSUM = 1,        // takes CHECKSUM_PARTIAL frames and finishes or keeps them (never on the wire as-is)
        F_TSO = 2,            // takes TCP segments larger than the MTU and cuts them (GSO/TSO)
        F_RXCSUM = 4;         // may deliver frames marked verified (CHECKSUM_UNNECESSARY / PARTIAL)

    /** NET_XMIT_* results. */
    int XMIT_SUCCESS = 0, XMIT_DROP = 1;

    String name();

    int mtu();

    /** ARPHRD_* value. */
    int type();

    int features();

    /** Hardware address, or null for IP-only links. */
    default byte[] hwAddr() { return null; }

    /** dev_open: start delivering received frames to {@code rx}. */
    void open(PacketReceiver rx);

    /** dev_queue_xmit: sends one frame. The caller keeps ownership of {@code packet}. */
    int transmit(MemorySegment packet);

    /**
     * ndo_start_xmit with the frame's {@link ChecksumOffload ip_summed}. The stack hands
     * CHECKSUM_PARTIAL frames only to devices with {@link #F_HW_CSUM}; those override this to keep
     * the state with the frame. The default finishes the checksum and sends a plain frame.
     */
    default int transmit(MemorySegment packet, int ipSummed) {
        ChecksumOffload.finish(packet, ChecksumOffload.l3Offset(type()), ipSummed);
        return transmit(packet);
    }

    /** Interface counters (rx/tx packets, bytes, drops), as ip -s link shows. */
    DeviceStats stats();
}
