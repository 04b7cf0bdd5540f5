package io.jnetstack.link;

import java.lang.foreign.MemorySegment;

/** netif_receive_skb: where a device hands received frames. {@code frame} is borrowed for the call. */
@FunctionalInterface
public interface PacketReceiver {
    void receive(NetDevice dev, MemorySegment frame);
}
