package io.jnetstack.link;

import java.lang.foreign.MemorySegment;

/**
 * A capture point on a device, the analogue of tcpdump -i DEV: wraps any {@link NetDevice},
 * records every frame it transmits and receives to a {@link PcapWriter}, and otherwise passes
 * everything through unchanged. Install the tap in the stack instead of the device it wraps.
 *
 * <p>On loopback each packet is recorded once, when sent: on Linux, tcpdump -i lo shows a looped
 * datagram once, not once leaving and once arriving (measured). Frames are recorded as handed
 * over: a TSO device's 64 KiB segment appears whole, as tcpdump on the sending host shows it.
 */
public final class PcapTap implements NetDevice {
    private final NetDevice inner;
    private final PcapWriter writer;
    private final boolean recordRx;
    private final PacketReceiver tapRx = this::received;
    private PacketReceiver rx;

    public PcapTap(NetDevice inner, PcapWriter writer) {
        this.inner = inner;
        this.writer = writer;
        this.recordRx = inner.type() != ARPHRD_LOOPBACK;
    }

    /** The device being captured. */
    public NetDevice inner() { return inner; }

    public PcapWriter writer() { return writer; }

    @Override public String name() { return inner.name(); }

    @Override public int mtu() { return inner.mtu(); }

    @Override public int type() { return inner.type(); }

    @Override public int features() { return inner.features(); }

    @Override public byte[] hwAddr() { return inner.hwAddr(); }

    @Override public DeviceStats stats() { return inner.stats(); }

    @Override public void open(PacketReceiver rx) {
        this.rx = rx;
        inner.open(rx == null ? null : tapRx);
    }

    @Override public int transmit(MemorySegment packet) {
        writer.write(packet);
        return inner.transmit(packet);
    }

    /** The stack sees frames as coming from the tap, the device it installed. */
    private void received(NetDevice dev, MemorySegment frame) {
        if (recordRx) writer.write(frame);
        PacketReceiver r = rx;
        if (r != null) r.receive(this, frame);
    }

    @Override public String toString() { return inner + " [pcap]"; }
}
