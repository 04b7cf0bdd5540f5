package io.jnetstack.neighbour;

import io.jnetstack.link.DeviceStats;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.PacketReceiver;
import io.jnetstack.time.Scheduler;
import io.jnetstack.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * An in-memory Ethernet cable between two ARPHRD_ETHER ends, for neighbour tests: every frame sent
 * is recorded (a copy) and delivered to the other end in softirq (posted), unless the cable is cut.
 * Each end filters on its MAC as a NIC does.
 */
final class EtherCable {
    final End a, b;
    /** Every frame sent by either end, in order. */
    final List<byte[]> log = new ArrayList<>();
    boolean cut;

    EtherCable(Scheduler sched, long macA, long macB) {
        a = new End("eth0", macA, sched);
        b = new End("eth0", macB, sched);
        a.peer = b;
        b.peer = a;
    }

    final class End implements NetDevice {
        final String name;
        final long mac;
        final Scheduler sched;
        final DeviceStats stats = new DeviceStats();
        End peer;
        PacketReceiver rx;
        final List<byte[]> sent = new ArrayList<>();

        End(String name, long mac, Scheduler sched) {
            this.name = name;
            this.mac = mac;
            this.sched = sched;
        }

        @Override public String name() { return name; }
        @Override public int mtu() { return 1500; }
        @Override public int type() { return ARPHRD_ETHER; }
        @Override public int features() { return 0; }
        @Override public byte[] hwAddr() { return MacAddress.toBytes(mac); }
        @Override public void open(PacketReceiver r) { this.rx = r; }
        @Override public DeviceStats stats() { return stats; }

        @Override public int transmit(MemorySegment frame) {
            byte[] copy = frame.toArray(JAVA_BYTE);
            log.add(copy);
            sent.add(copy);
            stats.txPackets++;
            if (cut) return XMIT_SUCCESS;
            sched.post(() -> peer.deliver(copy));
            return XMIT_SUCCESS;
        }

        void deliver(byte[] f) {
            long dst = MacAddress.get(MemorySegment.ofArray(f), 0);
            if (rx == null || (dst != mac && !MacAddress.isMulticast(dst))) return;
            stats.rxPackets++;
            rx.receive(this, MemorySegment.ofArray(f));
        }

        /** A frame as if received from the cable. */
        void inject(byte[] f) { rx.receive(this, MemorySegment.ofArray(f)); }
    }
}
