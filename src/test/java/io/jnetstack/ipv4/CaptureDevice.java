package io.jnetstack.ipv4;

import io.jnetstack.link.DeviceStats;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.PacketReceiver;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * A point-to-point IP device for tests (gVisor's channel endpoint): transmitted packets are copied
 * into a queue the test reads; {@link #inject} hands a packet to the stack as if received.
 */
public final class CaptureDevice implements NetDevice {
    private final String name;
    private final int mtu;
    private PacketReceiver rx;
    private final DeviceStats stats = new DeviceStats();
    public final ArrayDeque<byte[]> sent = new ArrayDeque<>();

    public CaptureDevice(String name, int mtu) {
        this.name = name;
        this.mtu = mtu;
    }

    @Override public String name() { return name; }
    @Override public int mtu() { return mtu; }
    @Override public int type() { return ARPHRD_NONE; }
    @Override public int features() { return 0; }
    @Override public void open(PacketReceiver rx) { this.rx = rx; }
    @Override public DeviceStats stats() { return stats; }

    @Override public int transmit(MemorySegment packet) {
        sent.add(packet.toArray(ValueLayout.JAVA_BYTE));
        stats.txPackets++;
        return XMIT_SUCCESS;
    }

    public void inject(byte[] packet) { rx.receive(this, MemorySegment.ofArray(packet)); }

    public byte[] next() { return sent.poll(); }
}
