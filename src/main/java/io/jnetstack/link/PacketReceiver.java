package io.jnetstack.link;

import java.lang.foreign.MemorySegment;

/** netif_receive_skb: where a device hands received frames. {@code frame} is borrowed for the call. */
@FunctionalInterface
public interface PacketReceiver {
    void receive(NetDevice dev, MemorySegment frame);

    /**
     * A frame with its {@link ChecksumOffload ip_summed}: what devices call. Receivers that can use
     * the state (the IPv4 layer, a capture tap) override this; the default finishes a partial
     * checksum so the frame reads like any other, and drops the state.
     */
    default void receive(NetDevice dev, MemorySegment frame, int ipSummed) {
        ChecksumOffload.finish(frame, ChecksumOffload.l3Offset(dev.type()), ipSummed);
        receive(dev, frame);
    }
}
