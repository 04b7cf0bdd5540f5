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
    int F_HW_CSUM = 1,        // checksums may be left for the device (never on the wire as-is)
        F_TSO = 2,            // takes TCP segments larger than the MTU and cuts them (GSO/TSO)
        F_RXCSUM = 4;         // frames it delivers have verified checksums

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

    /** Interface counters (rx/tx packets, bytes, drops), as ip -s link shows. */
    DeviceStats stats();
}
