package io.jnetstack.ipv4;

import io.jnetstack.link.NetDevice;
import java.lang.foreign.MemorySegment;

/**
 * dev_add_pack / ptype_all: a listener that sees every frame a device hands the stack, before the
 * network layer looks at it, and every frame the stack hands a device (dev_queue_xmit_nit) — what
 * AF_PACKET sockets hang on. {@link Ipv4} calls it only while one is installed, so a stack without
 * packet sockets pays one null check per frame. The frame is borrowed for the call: copy what you
 * keep.
 */
@FunctionalInterface
public interface PacketTap {
    /** {@code outgoing}: the frame is being transmitted on {@code dev} (PACKET_OUTGOING). */
    void tap(NetDevice dev, int ifindex, MemorySegment frame, boolean outgoing);
}
