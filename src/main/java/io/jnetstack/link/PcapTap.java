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
 *
 * <p>Checksums: a frame whose checksum was left to the device (CHECKSUM_PARTIAL) is finished before
 * it is recorded, so the capture always carries valid checksums (tcpdump on Linux would show the
 * partial value as "incorrect"; a capture that tshark can check is worth more here). The finished
 * frame goes on as CHECKSUM_NONE when sent and stays trusted (CHECKSUM_UNNECESSARY) when received.
 */
public final class PcapTap implements NetDevice {
    private final NetDevice inner;
    private final PcapWriter writer;
    private final boolean recordRx;
    private final PacketReceiver tapRx = new PacketReceiver() {
        @Override public void receive(NetDevice dev, MemorySegment frame) { received(frame, ChecksumOffload.CHECKSUM_NONE); }

        @Override public void receive(NetDevice dev, MemorySegment frame, int ipSummed) { received(frame, ipSummed); }
    };
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

    @Override public int transmit(MemorySegment packet) { return transmit(packet, ChecksumOffload.CHECKSUM_NONE); }

    @Override public int transmit(MemorySegment packet, int ipSummed) {
        ipSummed = ChecksumOffload.finish(packet, ChecksumOffload.l3Offset(type()), ipSummed);
        writer.write(packet);
        return inner.transmit(packet, ipSummed);
    }

    /** The stack sees frames as coming from the tap, the device it installed. */
    private void received(MemorySegment frame, int ipSummed) {
        if (recordRx) {
            ipSummed = ChecksumOffload.finishReceived(frame, ChecksumOffload.l3Offset(type()), ipSummed);
            writer.write(frame);
        }
        PacketReceiver r = rx;
        if (r != null) r.receive(this, frame, ipSummed);
    }

    @Override public String toString() { return inner + " [pcap]"; }
}
