package io.jnetstack.link;

import io.jnetstack.time.Scheduler;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The loopback device "lo" (drivers/net/loopback.c). Frames are raw IP packets (no Ethernet header,
 * unlike Linux's lo, which carries a zeroed one; captures therefore use LINKTYPE_RAW).
 *
 * <p>{@link #transmit} is loopback_xmit + netif_rx: the packet is copied into a pooled buffer and
 * queued on the backlog, and the backlog is processed in softirq context ({@link Scheduler#post}).
 * The scheduler runs posted work before the sending system call returns ({@link Scheduler#exit},
 * as local_bh_enable runs pending softirqs), so a datagram sent to 127.0.0.1 is already in the
 * receiver's queue when sendto() returns, at the same virtual instant.
 *
 * <p>The backlog is processed like process_backlog: at most {@link #WEIGHT} packets per run, then
 * the task re-posts itself, so a ping-pong of replies cannot starve other softirq work. The backlog
 * holds at most {@link #MAX_BACKLOG} packets (net.core.netdev_max_backlog); beyond that the packet
 * is dropped and counted in rx_dropped, and transmit still reports success, as loopback_xmit does.
 *
 * <p>Checksums: lo has {@link #F_HW_CSUM}, so the stack leaves TCP checksums partial; the state
 * travels with the packet and the receiving side trusts it (skb_csum_unnecessary), as on Linux's
 * lo, where no TCP checksum is ever computed. Frames sent complete arrive CHECKSUM_NONE and are
 * verified: a raw socket's bad checksum is still caught.
 *
 * <p>Steady state allocates nothing: buffers come from a pool, and the posted task is this one
 * object, posted at most once at a time.
 */
public final class Loopback implements NetDevice {
    /** dev_weight: packets per backlog run. */
    public static final int WEIGHT = 64;
    /** netdev_max_backlog default. */
    public static final int MAX_BACKLOG = 1000;
    /** 64 KiB, Linux's loopback MTU since 3.x. */
    public static final int MTU = 65536;

    private final Scheduler scheduler;
    private final BufferPool pool = new BufferPool();
    private final ArrayDeque<PacketBuffer> backlog = new ArrayDeque<>(MAX_BACKLOG);
    private final DeviceStats stats = new DeviceStats();
    private final Runnable processBacklog = this::processBacklog;
    private PacketReceiver rx;
    private boolean scheduled;      // processBacklog is posted and has not run yet
    private int mtu = MTU;

    public Loopback(Scheduler scheduler) { this.scheduler = scheduler; }

    @Override public String name() { return "lo"; }

    @Override public int mtu() { return mtu; }

    /** ip link set lo mtu N. */
    public void mtu(int mtu) { this.mtu = mtu; }

    @Override public int type() { return ARPHRD_LOOPBACK; }

    @Override public int features() { return F_TSO | F_HW_CSUM | F_RXCSUM; }

    @Override public void open(PacketReceiver rx) { this.rx = rx; }

    @Override public DeviceStats stats() { return stats; }

    @Override public int transmit(MemorySegment packet) { return transmit(packet, ChecksumOffload.CHECKSUM_NONE); }

    /** loopback_xmit: queue to the backlog and raise the softirq. The caller keeps {@code packet}. */
    @Override public int transmit(MemorySegment packet, int ipSummed) {
        long len = packet.byteSize();
        // A closed device or an oversize frame never gets this far in Linux (dev_queue_xmit checks
        // IFF_UP; the IP layer fragments to the MTU); here they are dropped and counted.
        if (rx == null || len > Math.max(mtu, BufferPool.GSO_MAX_SIZE) || len == 0) {
            stats.txDropped++;
            return XMIT_DROP;
        }
        if (backlog.size() >= MAX_BACKLOG) {  // enqueue_to_backlog: queue full
            stats.rxDropped++;
            return XMIT_SUCCESS;
        }
        PacketBuffer b = pool.acquire((int) len);
        b.fill(packet);
        b.ipSummed = ipSummed;
        backlog.add(b);
        // lo counts each packet once as sent and once as received (loopback_get_stats64).
        stats.txPackets++;
        stats.txBytes += len;
        if (!scheduled) {
            scheduled = true;
            scheduler.post(processBacklog);
        }
        return XMIT_SUCCESS;
    }

    /** process_backlog: hands up to WEIGHT queued packets to the stack, then yields. */
    private void processBacklog() {
        scheduled = false;
        for (int budget = WEIGHT; budget > 0; budget--) {
            PacketBuffer b = backlog.poll();
            if (b == null) return;
            stats.rxPackets++;
            stats.rxBytes += b.length;
            try {
                PacketReceiver r = rx;
                if (r != null) r.receive(this, b.frame(), b.ipSummed);
            } finally {
                pool.release(b);
            }
        }
        if (!backlog.isEmpty() && !scheduled) {
            scheduled = true;
            scheduler.post(processBacklog);
        }
    }

    /** Packets waiting in the backlog (for tests). */
    public int backlogLength() { return backlog.size(); }

    /** Buffers the pool ever allocated (for allocation tests). */
    int buffersAllocated() { return pool.allocated(); }

    @Override public String toString() { return "lo mtu " + mtu + " backlog " + backlog.size(); }
}
