package io.jnetstack.link;

import static io.jnetstack.link.TunLibc.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.jnetstack.stack.Stack;
import io.jnetstack.time.Scheduler;
import io.jnetstack.uapi.Errno;
import io.jnetstack.wire.Checksum;
import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.MacAddress;
import io.jnetstack.wire.VirtioNetHdr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Linux TUN or TAP device (drivers/net/tun.c seen from user space), opened through the JDK's
 * foreign-function API: jnetstack is the program behind {@code /dev/net/tun}, the host kernel is the
 * peer on the other side of the device.
 *
 * <ul>
 *   <li><b>TAP</b> (IFF_TAP): Ethernet frames, {@link #ARPHRD_ETHER}; the stack needs its neighbour
 *       layer (ARP). The device has its own MAC, locally administered, drawn from the stack's seeded
 *       random (eth_random_addr). Like a NIC without promiscuous mode, it drops frames addressed to
 *       another unicast MAC before the stack sees them.
 *   <li><b>TUN</b> (IFF_TUN): bare IP packets, {@link #ARPHRD_NONE}; packets that are not IPv4 (the
 *       host's IPv6 router solicitations) are dropped and counted as rx_dropped, as no IPv6 layer
 *       would take them.
 * </ul>
 *
 * <p>Both use IFF_NO_PI (no 4-byte packet-information prefix). The file descriptor is non-blocking.
 * A dedicated platform thread waits in poll(2) for the device (and for an eventfd that {@link #close}
 * signals), reads up to {@link #BATCH} packets, then enters the stack once (the scheduler's
 * enter/exit, as a NAPI poll runs a budget of packets in one softirq) and hands each to the receiver.
 * {@link #transmit} writes directly from the calling protocol thread; a full device queue (EAGAIN)
 * drops the packet and counts tx_dropped, as a full qdisc would.
 *
 * <p><b>Network namespaces.</b> The kernel creates the device in the network namespace of the task
 * that opens {@code /dev/net/tun}, and network namespaces are per thread. With {@link Config#netns}
 * set, a short-lived platform thread enters the namespace with setns(2) on
 * {@code /var/run/netns/NAME}, opens the device there and ends; the descriptor then works from any
 * thread. This is preferred over creating the device in the root namespace and moving it with
 * {@code ip link set DEV netns NS}: no window in which the device is visible (and configurable) in
 * the wrong namespace, no name clash with devices of the root namespace, and nothing left behind in
 * the root namespace if the process dies between the two steps.
 *
 * <p><b>Offloads</b> ({@link Config#vnetHdr}): with IFF_VNET_HDR every packet carries a
 * {@link VirtioNetHdr}. The device then asks the kernel for TUN_F_CSUM | TUN_F_TSO4 (TUNSETOFFLOAD):
 * the host may hand us TCP segments larger than the MTU (GRO) and packets whose checksum it left
 * unfinished (NEEDS_CSUM). Received checksums are finished here, before the stack verifies them, so
 * the layers above see ordinary packets (a GRO'd segment is simply a large one). On output, an IPv4
 * TCP segment larger than the MTU goes out as one write with gso_type TCPV4 and the checksum handed
 * to the kernel (the device advertises {@link #F_TSO}). A CHECKSUM_PARTIAL packet of any size goes
 * out with NEEDS_CSUM (the device advertises {@link #F_HW_CSUM}): the kernel finishes it, or trusts
 * it, as it does for its own. Received packets the host marked DATA_VALID, or whose NEEDS_CSUM
 * checksum we finished, go up CHECKSUM_UNNECESSARY and are not summed a second time. Without the
 * option the kernel segments and checksums everything itself before we read it.
 *
 * <p>Closing the device closes the descriptor: a non-persistent TUN/TAP device disappears with it.
 */
public final class TunTap implements NetDevice, AutoCloseable {
    /** Packets read per wakeup before the stack is entered (NAPI weight). */
    public static final int BATCH = 16;
    private static final int MAX_PACKET = 65536 + 64;

    /** How to create the device. */
    public record Config(String name, boolean tap, String netns, int mtu, long mac, boolean vnetHdr) {
        public static Config tap(String name) { return new Config(name, true, null, 1500, -1, false); }
        public static Config tun(String name) { return new Config(name, false, null, 1500, -1, false); }
        /** Create the device inside network namespace {@code ns} (a name under /var/run/netns, or a path). */
        public Config netns(String ns) { return new Config(name, tap, ns, mtu, mac, vnetHdr); }
        /** The MTU the stack uses; the caller sets the same on the Linux side (ip link set DEV mtu N). */
        public Config mtu(int m) { return new Config(name, tap, netns, m, mac, vnetHdr); }
        /** A fixed MAC (TAP only); the default draws one from the stack's random. */
        public Config mac(long m) { return new Config(name, tap, netns, mtu, m, vnetHdr); }
        /** IFF_VNET_HDR with checksum and TCPv4 segmentation offload, where the kernel offers them. */
        public Config vnetHdr(boolean on) { return new Config(name, tap, netns, mtu, mac, on); }
    }

    private final String name;
    private final boolean tap;
    private final int mtu;
    private final long mac;
    private final byte[] hwAddr;
    private final Scheduler scheduler;
    private final DeviceStats stats = new DeviceStats();
    private final Arena arena = Arena.ofShared();
    private final int fd, wakeFd;
    private final boolean vnet;
    private final int offloads;
    private final int hlen;             // bytes before the L3 header: virtio header, Ethernet header
    private final int l2;               // Ethernet header length (14 on TAP, 0 on TUN)
    private final Thread reader;
    private volatile boolean closing;
    private volatile PacketReceiver rx;

    // Transmit side: used only by the thread that owns the stack.
    private final MemorySegment txBuf, txState;
    private final VirtioNetHdr txHdr = new VirtioNetHdr();
    // Receive side: used only by the reader thread.
    private final MemorySegment rxBufs, rxState, pollFds;
    private final MemorySegment[] rxFrames = new MemorySegment[BATCH];
    private final long[] rxLens = new long[BATCH];
    private final VirtioNetHdr rxHdr = new VirtioNetHdr();
    private long rxCsumFinished, txGso;
    /** The ip_summed of the packet {@link #receiveOffload} just returned. */
    private int rxSummed;

    private TunTap(Config c, Scheduler scheduler, long mac, int fd, boolean vnet, int offloads) {
        this.name = c.name;
        this.tap = c.tap;
        this.mtu = c.mtu;
        this.mac = mac;
        this.hwAddr = tap ? MacAddress.toBytes(mac) : null;
        this.scheduler = scheduler;
        this.fd = fd;
        this.vnet = vnet;
        this.offloads = offloads;
        this.l2 = tap ? 14 : 0;
        this.hlen = (vnet ? VirtioNetHdr.LEN : 0) + l2;
        this.txBuf = arena.allocate(MAX_PACKET + VirtioNetHdr.LEN, 64);
        this.txState = state(arena);
        this.rxBufs = arena.allocate((long) BATCH * MAX_PACKET, 64);
        this.rxState = state(arena);
        this.pollFds = arena.allocate(16, 8);
        MemorySegment st = state(arena);
        int efd;
        try {
            efd = (int) EVENTFD.invokeExact(st, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        this.wakeFd = efd;
        pollFds.set(JAVA_INT, 0, fd);
        pollFds.set(JAVA_SHORT, 4, POLLIN);
        pollFds.set(JAVA_INT, 8, wakeFd);
        pollFds.set(JAVA_SHORT, 12, POLLIN);
        this.reader = Thread.ofPlatform().name("jns-" + name + "-rx").daemon(true).unstarted(this::readLoop);
    }

    /**
     * Creates the device (open /dev/net/tun, TUNSETIFF) for {@code stack}, whose scheduler runs the
     * received packets. Frames flow once the network layer opens the device ({@link #open}).
     *
     * @throws IOException with the failing call and errno (EPERM without CAP_NET_ADMIN, ENOENT without
     *     /dev/net/tun or the namespace, EBUSY when the name belongs to another device, ...)
     */
    public static TunTap open(Stack stack, Config c) throws IOException {
        if (c.name == null || c.name.isEmpty() || c.name.length() >= IFNAMSIZ)
            throw new IOException("TUNSETIFF: device name '" + c.name + "' must have 1.." + (IFNAMSIZ - 1) + " characters");
        if (c.mtu < 68 || c.mtu > 65521) throw new IOException("MTU " + c.mtu + " outside 68..65521");
        long mac = c.mac;
        if (c.tap && mac < 0) mac = randomMac(stack);
        int[] out = new int[2];
        String err = onNamespaceThread(c.netns, () -> create(c, out));
        if (err != null) throw new IOException(err);
        return new TunTap(c, stack.scheduler(), mac, out[0], c.vnetHdr, out[1]);
    }

    /** eth_random_addr: six random octets, multicast bit clear, locally-administered bit set. */
    public static long randomMac(Stack stack) {
        long m = stack.random().nextLong() & 0xFFFF_FFFF_FFFFL;
        m &= ~(1L << 40);   // I/G bit: unicast
        m |= 1L << 41;      // U/L bit: locally administered
        return m;
    }

    /**
     * Runs {@code work} on a fresh platform thread that first joins network namespace {@code ns}
     * (setns on its file); the thread ends afterwards, so no JVM thread stays in the namespace.
     */
    private static String onNamespaceThread(String ns, java.util.function.Supplier<String> work) throws IOException {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("jns-tun-create").daemon(true).start(() -> {
            try (Arena a = Arena.ofConfined()) {
                if (ns != null) {
                    String path = ns.indexOf('/') >= 0 ? ns : "/var/run/netns/" + ns;
                    MemorySegment st = state(a);
                    int nsFd = (int) OPEN.invokeExact(st, a.allocateFrom(path), O_RDONLY | O_CLOEXEC, 0);
                    if (nsFd < 0) {
                        f.complete("open " + path + ": " + Errno.name(errno(st)) + " (no such network namespace?)");
                        return;
                    }
                    int r = (int) SETNS.invokeExact(st, nsFd, CLONE_NEWNET);
                    int e = errno(st);
                    int ignored = (int) CLOSE.invokeExact(st, nsFd);
                    if (r < 0) {
                        f.complete("setns(" + path + ", CLONE_NEWNET): " + Errno.name(e)
                                + (e == Errno.EPERM ? " (CAP_SYS_ADMIN needed)" : ""));
                        return;
                    }
                }
                f.complete(work.get());
            } catch (Throwable x) {
                f.complete("creating the device failed: " + x);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | InterruptedException | ExecutionException e) {
            t.interrupt();
            throw new IOException("creating the device did not finish: " + e);
        }
    }

    /** open(/dev/net/tun) + TUNSETIFF (+ TUNSETOFFLOAD); out = {fd, offloads}. Returns an error or null. */
    private static String create(Config c, int[] out) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom("/dev/net/tun"), O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
            if (fd < 0) {
                int e = errno(st);
                return "open /dev/net/tun: " + Errno.name(e) + switch (e) {
                    case Errno.ENOENT -> " (no tun device node: modprobe tun, or mknod /dev/net/tun c 10 200)";
                    case Errno.EACCES, Errno.EPERM -> " (run as root or with CAP_NET_ADMIN)";
                    default -> "";
                };
            }
            MemorySegment ifr = a.allocate(IFREQ_SIZE);
            byte[] nm = c.name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            MemorySegment.copy(nm, 0, ifr, JAVA_BYTE, 0, nm.length);
            int flags = (c.tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI | (c.vnetHdr ? IFF_VNET_HDR : 0);
            ifr.set(JAVA_SHORT, IFR_FLAGS, (short) flags);
            int r = (int) IOCTL_PTR.invokeExact(st, fd, TUNSETIFF, ifr);
            if (r < 0) {
                int e = errno(st);
                int ignored = (int) CLOSE.invokeExact(st, fd);
                return "ioctl(TUNSETIFF, " + c.name + "): " + Errno.name(e) + switch (e) {
                    case Errno.EPERM -> " (CAP_NET_ADMIN needed)";
                    case Errno.EBUSY -> " (the name belongs to a device in use)";
                    case Errno.EINVAL -> " (the name belongs to a device of another kind)";
                    default -> "";
                };
            }
            int offloads = 0;
            if (c.vnetHdr) {
                MemorySegment sz = a.allocate(JAVA_INT);
                sz.set(JAVA_INT, 0, VirtioNetHdr.LEN);
                r = (int) IOCTL_PTR.invokeExact(st, fd, TUNSETVNETHDRSZ, sz);
                if (r < 0) {
                    int e = errno(st);
                    int ignored = (int) CLOSE.invokeExact(st, fd);
                    return "ioctl(TUNSETVNETHDRSZ, 10): " + Errno.name(e);
                }
                // Offloads are a wish: an old kernel refusing TSO4 still gets checksum offload, and one
                // refusing both leaves us with plain packets behind the (all-zero) virtio header.
                for (int want : new int[] {TUN_F_CSUM | TUN_F_TSO4, TUN_F_CSUM}) {
                    r = (int) IOCTL_INT.invokeExact(st, fd, TUNSETOFFLOAD, (long) want);
                    if (r == 0) {
                        offloads = want;
                        break;
                    }
                }
            }
            out[0] = fd;
            out[1] = offloads;
            return null;
        } catch (Throwable x) {
            return "creating the device failed: " + x;
        }
    }

    // ------------------------------------------------------------------ NetDevice

    @Override public String name() { return name; }

    @Override public int mtu() { return mtu; }

    @Override public int type() { return tap ? ARPHRD_ETHER : ARPHRD_NONE; }

    /** With offloads: the kernel takes TSO segments and finishes checksums; frames we hand up are verified by us. */
    @Override public int features() {
        return (offloads & TUN_F_TSO4) != 0 ? F_TSO | F_HW_CSUM : (offloads & TUN_F_CSUM) != 0 ? F_HW_CSUM : 0;
    }

    @Override public byte[] hwAddr() { return hwAddr == null ? null : hwAddr.clone(); }

    /** The MAC as a long (TAP), -1 on TUN. */
    public long mac() { return tap ? mac : -1; }

    /** TUN_F_* offloads the kernel accepted (0 without IFF_VNET_HDR). */
    public int offloads() { return offloads; }

    public boolean isTap() { return tap; }

    /** Received packets whose checksum the host left to us (NEEDS_CSUM) and this device finished. */
    public long rxChecksumsFinished() { return rxCsumFinished; }

    /** Packets written as one GSO super-packet for the kernel to segment. */
    public long txGsoPackets() { return txGso; }

    @Override public DeviceStats stats() { return stats; }

    /** dev_open: starts the reader thread, which hands packets to {@code receiver}. */
    @Override public synchronized void open(PacketReceiver receiver) {
        if (closing) throw new IllegalStateException(name + " is closed");
        this.rx = receiver;
        if (reader.getState() == Thread.State.NEW) reader.start();
    }

    /**
     * ndo_start_xmit: one write(2) of the packet (behind a virtio header with offloads). The caller
     * keeps {@code packet}. Runs on the thread that owns the stack.
     */
    @Override public int transmit(MemorySegment packet) { return transmit(packet, ChecksumOffload.CHECKSUM_NONE); }

    /** {@link #transmit(MemorySegment)} of a packet whose checksum may be left to the kernel (PARTIAL). */
    @Override public int transmit(MemorySegment packet, int ipSummed) {
        long len = packet.byteSize();
        if (closing || len == 0 || len > MAX_PACKET - 64) {
            stats.txDropped++;
            return XMIT_DROP;
        }
        int pre = 0;
        if (vnet) {
            pre = VirtioNetHdr.LEN;
            prepareOffload(txHdr.wrap(txBuf).clear(), packet, len);
            if (txHdr.flags() == 0 && ipSummed == ChecksumOffload.CHECKSUM_PARTIAL) partialChecksum(txHdr, packet);
        } else {
            ChecksumOffload.finish(packet, l2, ipSummed);
        }
        MemorySegment.copy(packet, 0, txBuf, pre, len);
        // A partial checksum field already holds the pseudo-header sum that NEEDS_CSUM asks for.
        if (vnet && txHdr.flags() != 0 && ipSummed != ChecksumOffload.CHECKSUM_PARTIAL)
            writePseudoChecksum(txBuf.asSlice(pre, len));
        long n;
        try {
            n = (long) WRITE.invokeExact(txState, fd, txBuf, pre + len);
        } catch (Throwable t) {
            n = -1;
        }
        if (n < 0) {
            int e = errno(txState);
            if (e == EAGAIN) stats.txDropped++;
            else stats.txErrors++;     // EIO: the Linux side of the device is down
            return XMIT_DROP;
        }
        stats.txPackets++;
        stats.txBytes += len;
        if (vnet && txHdr.gsoType() != VirtioNetHdr.GSO_NONE) txGso++;
        return XMIT_SUCCESS;
    }

    /**
     * With TSO accepted, an IPv4 TCP segment longer than the MTU goes out whole: gso_type TCPV4,
     * gso_size the payload that fits in one MTU-sized packet with these headers, and the checksum
     * left to the kernel (NEEDS_CSUM; the segmentation rewrites it per piece anyway).
     */
    private void prepareOffload(VirtioNetHdr h, MemorySegment p, long len) {
        if ((offloads & TUN_F_TSO4) == 0 || len - l2 <= mtu) return;
        if (len < l2 + Ipv4Header.MIN_LEN) return;
        if (tap && etherType(p) != 0x0800) return;
        int v = p.get(JAVA_BYTE, l2) & 0xFF;
        if (v >> 4 != 4 || p.get(JAVA_BYTE, l2 + Ipv4Header.PROTOCOL) != 6) return;
        int ihl = (v & 0xF) * 4;
        if (len < l2 + ihl + 20) return;
        int thl = ((p.get(JAVA_BYTE, l2 + ihl + 12) >> 4) & 0xF) * 4;
        int headers = l2 + ihl + thl;
        if (len < headers) return;
        h.flags(VirtioNetHdr.F_NEEDS_CSUM).gsoType(VirtioNetHdr.GSO_TCPV4).hdrLen(headers)
         .gsoSize(mtu - ihl - thl).csumStart(l2 + ihl).csumOffset(16);
    }

    /**
     * NEEDS_CSUM for a CHECKSUM_PARTIAL packet that needs no segmentation: csum_start at the
     * transport header, csum_offset at its checksum field (TCP 16, UDP 6). Anything else is
     * finished here instead.
     */
    private void partialChecksum(VirtioNetHdr h, MemorySegment p) {
        int v = p.get(JAVA_BYTE, l2) & 0xFF;
        int proto = p.get(JAVA_BYTE, l2 + Ipv4Header.PROTOCOL) & 0xFF;
        if (v >> 4 == 4 && (proto == 6 || proto == 17)) {
            h.flags(VirtioNetHdr.F_NEEDS_CSUM).csumStart(l2 + (v & 0xF) * 4).csumOffset(proto == 6 ? 16 : 6);
        } else {
            ChecksumOffload.help(p, l2);
        }
    }

    /** For NEEDS_CSUM: the TCP checksum field holds the folded pseudo-header sum (not complemented). */
    private void writePseudoChecksum(MemorySegment p) {
        int ihl = (p.get(JAVA_BYTE, l2) & 0xF) * 4;
        int src = p.get(U32, l2 + 12), dst = p.get(U32, l2 + 16);
        int l4Len = (int) p.byteSize() - l2 - ihl;
        int partial = Checksum.fold(Checksum.pseudoHeader(src, dst, 6, l4Len));
        p.set(U16, l2 + ihl + 16, (short) partial);
    }

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private int etherType(MemorySegment frame) { return Short.toUnsignedInt(frame.get(U16, 12)); }

    // ------------------------------------------------------------------ receive

    private void readLoop() {
        for (int i = 0; i < BATCH; i++) rxFrames[i] = rxBufs.asSlice((long) i * MAX_PACKET, MAX_PACKET);
        while (!closing) {
            int r;
            try {
                r = (int) POLL.invokeExact(rxState, pollFds, 2L, -1);
            } catch (Throwable t) {
                return;
            }
            if (r < 0) {
                if (errno(rxState) == EINTR) continue;
                return;
            }
            if (closing || (pollFds.get(JAVA_SHORT, 14) & POLLIN) != 0) return;
            short rev = pollFds.get(JAVA_SHORT, 6);
            if ((rev & (POLLERR | POLLNVAL)) != 0) return;
            if ((rev & POLLIN) == 0) continue;
            int n = 0;
            while (n < BATCH) {
                long got;
                try {
                    got = (long) READ.invokeExact(rxState, fd, rxFrames[n], (long) MAX_PACKET);
                } catch (Throwable t) {
                    got = -1;
                }
                if (got <= 0) break;    // EAGAIN: drained
                rxLens[n++] = got;
            }
            if (n > 0) deliver(n);
        }
    }

    /** One softirq: every packet of the batch through netif_receive_skb, under the stack. */
    private void deliver(int n) {
        scheduler.enter();
        try {
            PacketReceiver r = rx;
            for (int i = 0; i < n; i++) {
                MemorySegment frame = rxFrames[i].asSlice(0, rxLens[i]);
                frame = receiveOffload(frame);
                if (frame == null) {
                    stats.rxErrors++;
                    continue;
                }
                if (!accept(frame)) {
                    stats.rxDropped++;
                    continue;
                }
                stats.rxPackets++;
                stats.rxBytes += frame.byteSize();
                if (r == null) continue;
                try {
                    r.receive(this, frame, rxSummed);
                } catch (Throwable t) {
                    // One bad packet must not stop the device.
                    Thread th = Thread.currentThread();
                    th.getUncaughtExceptionHandler().uncaughtException(th, t);
                }
            }
        } finally {
            scheduler.exit();
        }
    }

    /**
     * Strips the virtio header and finishes a checksum the host left undone (NEEDS_CSUM: the field
     * holds the pseudo-header sum; the sum over [csum_start, end) completes it, 0 sent as 0xFFFF as
     * skb_checksum_help does). Returns null for a malformed header.
     */
    private MemorySegment receiveOffload(MemorySegment frame) {
        rxSummed = ChecksumOffload.CHECKSUM_NONE;
        if (!vnet) return frame;
        if (frame.byteSize() < VirtioNetHdr.LEN) return null;
        VirtioNetHdr h = rxHdr.wrap(frame);
        MemorySegment pkt = frame.asSlice(VirtioNetHdr.LEN);
        // virtio_net_hdr_to_skb: DATA_VALID is CHECKSUM_UNNECESSARY; a checksum we finish is right by construction.
        if ((h.flags() & (VirtioNetHdr.F_NEEDS_CSUM | VirtioNetHdr.F_DATA_VALID)) != 0)
            rxSummed = ChecksumOffload.CHECKSUM_UNNECESSARY;
        if ((h.flags() & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
            long start = h.csumStart(), at = start + h.csumOffset();
            if (at + 2 > pkt.byteSize()) return null;
            int c = Checksum.fold(Checksum.add(0, pkt, start, pkt.byteSize() - start));
            c = ~c & 0xFFFF;
            pkt.set(U16, at, (short) (c == 0 ? 0xFFFF : c));
            rxCsumFinished++;
        }
        return pkt;
    }

    /** The NIC's address filter (TAP): our MAC, broadcast and multicast pass, other unicast does not. IPv4 only on TUN. */
    private boolean accept(MemorySegment frame) {
        if (frame.byteSize() < (tap ? 14 : 1)) return false;
        if (!tap) return (frame.get(JAVA_BYTE, 0) & 0xF0) == 0x40;
        long dst = MacAddress.get(frame, 0);
        return dst == mac || MacAddress.isMulticast(dst);
    }

    // ------------------------------------------------------------------ close

    /** Stops the reader and closes the descriptor; the (non-persistent) device disappears. Idempotent. */
    @Override public void close() {
        synchronized (this) {
            if (closing) return;
            closing = true;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            MemorySegment st = state(a);
            long ignored = (long) WRITE.invokeExact(st, wakeFd, one, 8L);
        } catch (Throwable ignored) {
            // the reader still ends at its next wakeup
        }
        if (reader.getState() != Thread.State.NEW && reader != Thread.currentThread()) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Close under the stack so no transmit is writing to the descriptor meanwhile.
        boolean held = false;
        try {
            scheduler.enter();
            held = true;
        } catch (RuntimeException ignored) {
            // a scheduler that cannot be entered from here (simulation): no concurrent transmit anyway
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int r1 = (int) CLOSE.invokeExact(st, fd);
            int r2 = (int) CLOSE.invokeExact(st, wakeFd);
        } catch (Throwable ignored) {
            // nothing more to do
        } finally {
            if (held) scheduler.exit();
        }
        if (!reader.isAlive()) arena.close();
    }

    @Override public String toString() {
        return (tap ? "tap " : "tun ") + name + " mtu " + mtu + (tap ? " " + MacAddress.format(mac) : "")
                + (vnet ? " vnet_hdr offloads 0x" + Integer.toHexString(offloads) : "");
    }
}
