/**
 * Link layer: devices the network layer sends through and receives from.
 *
 * <ul>
 *   <li>{@link io.jnetstack.link.NetDevice}, {@link io.jnetstack.link.PacketReceiver}: the contract
 *       (struct net_device, netif_receive_skb); frames are borrowed for the call, each with its
 *       checksum state ({@link io.jnetstack.link.ChecksumOffload}, skb->ip_summed).
 *   <li>{@link io.jnetstack.link.Loopback}: "lo", delivered in softirq before the sending syscall
 *       returns.
 *   <li>{@link io.jnetstack.link.Wire}: two stacks joined by an in-memory link with netem-style
 *       impairments ({@link io.jnetstack.link.WireConfig}), deterministic per seed.
 *   <li>{@link io.jnetstack.link.PcapWriter}, {@link io.jnetstack.link.PcapTap}: tcpdump -w for any
 *       device.
 *   <li>{@link io.jnetstack.link.TunTap}: a real TUN or TAP device of the host kernel (FFM on
 *       /dev/net/tun), optionally created inside a network namespace, optionally with virtio-net
 *       offloads (checksum, TSO); TAP needs the stack's ARP ({@code io.jnetstack.neighbour.Arp.of(stack)}).
 * </ul>
 *
 * <p>Installing into a stack: {@code stack.addDevice(new Loopback(stack.scheduler()))} first (ifindex
 * 1), then wire ends; wrap a device in a {@code PcapTap} before adding it to capture it. The network
 * layer calls {@code open(receiver)} to start receiving.
 */
package io.jnetstack.link;
