package io.jnetstack.ipv4;

import io.jnetstack.link.NetDevice;
import java.lang.foreign.MemorySegment;

/**
 * neigh_output: how an IPv4 packet reaches a device that needs a link-layer header (ARPHRD_ETHER):
 * address resolution (ARP) and the Ethernet header. Devices of type ARPHRD_LOOPBACK and
 * ARPHRD_NONE take bare IPv4 packets and need no neighbour layer.
 */
public interface Neighbour {
    /** Sends {@code ipPacket} to {@code nextHop} on {@code dev}; the packet is borrowed (copy it into a frame). */
    int output(NetDevice dev, int nextHop, MemorySegment ipPacket);

    /** A non-IPv4 frame (ARP) received on an Ethernet device. */
    default void receive(NetDevice dev, MemorySegment frame) {}

    /** An address was added to {@code dev} (inetaddr notifier): ARP announces it (gratuitous ARP). */
    default void addressAdded(NetDevice dev, int addr, int prefixLen) {}
}
