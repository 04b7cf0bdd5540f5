package io.jnetstack.link;

/**
 * Impairments of one direction of a {@link Wire}, in the spirit of Linux's netem qdisc
 * (tc qdisc add dev eth0 root netem delay 10ms 2ms loss 1% duplicate 0.1% corrupt 0.1%
 * reorder 25% gap 5 rate 10mbit limit 1000). Immutable; start from {@link #DEFAULT} and use the
 * withers: {@code WireConfig.DEFAULT.withDelay(10_000_000).withLoss(0.01)}.
 *
 * <p>What happens to each transmitted frame, in order (see {@link Wire} for the details):
 * duplicate (a second, independent copy) → per copy: loss → in-flight limit → rate queue (tail
 * drop at {@code queueBytes}) → corruption → reorder (skip the delay) or delay + jitter.
 *
 * @param delayNs        one-way propagation delay
 * @param jitterNs       delay variation: uniform in ±jitter, or a normal with σ = jitter (clamped
 *                       to ±4σ), see {@code jitterDist}
 * @param jitterDist     shape of the jitter
 * @param jitterReorders whether jitter may deliver packets out of order, as netem's time-sorted
 *                       queue does; false (the default) keeps FIFO order: a packet is never
 *                       delivered before one sent earlier, which is what a real path mostly does
 * @param loss           independent (Bernoulli) loss probability, used when {@code burstLoss} is null
 * @param burstLoss      Gilbert-Elliott two-state loss, or null
 * @param duplicate      probability that a frame is delivered twice
 * @param reorder        probability that a frame skips the delay (and so overtakes those in
 *                       flight), taken every {@code reorderGap}-th frame as netem's "reorder P gap N";
 *                       needs a delay to have any effect
 * @param reorderGap     netem's gap: only frames after {@code gap - 1} normally delayed ones may skip
 * @param corrupt        probability that one random bit of the frame is flipped
 * @param rateBps        link rate in bits per second: frames are serialized one after another
 *                       (serialization delay = length × 8 / rate); 0 for unlimited
 * @param queueBytes     bytes the rate queue holds before tail drop (only with a rate)
 * @param limit          frames in flight in this direction before tail drop (netem's limit)
 * @param mtu            the sending end's MTU
 * @param features       the sending end's NETIF_F_* bits; with {@link NetDevice#F_TSO} frames up to
 *                       64 KiB pass whole (as between veth peers), otherwise frames above the MTU
 *                       are dropped
 */
public record WireConfig(long delayNs, long jitterNs, Jitter jitterDist, boolean jitterReorders,
                         double loss, GilbertElliott burstLoss, double duplicate,
                         double reorder, int reorderGap, double corrupt,
                         long rateBps, int queueBytes, int limit, int mtu, int features) {

    public enum Jitter { UNIFORM, NORMAL }

    /**
     * Gilbert-Elliott burst loss: a two-state Markov chain. Before each frame the chain moves
     * (good → bad with probability {@code p}, bad → good with {@code r}); the frame is then lost
     * with the loss probability of the state it is in. The mean burst length is 1/r, the share of
     * time in the bad state p/(p+r). Gilbert's original model is {@code lossGood 0, lossBad 1}.
     */
    public record GilbertElliott(double p, double r, double lossGood, double lossBad) {
        public GilbertElliott {
            checkProbability("p", p);
            checkProbability("r", r);
            checkProbability("lossGood", lossGood);
            checkProbability("lossBad", lossBad);
        }

        /** Gilbert's simple model: no loss while good, every frame lost while bad. */
        public static GilbertElliott gilbert(double p, double r) { return new GilbertElliott(p, r, 0, 1); }

        /** Long-run loss rate of the chain. */
        public double meanLoss() {
            double bad = p + r == 0 ? 0 : p / (p + r);
            return bad * lossBad + (1 - bad) * lossGood;
        }
    }

    /** 1000 frames, netem's default limit. */
    public static final int DEFAULT_LIMIT = 1000;
    /** txqueuelen 1000 × 1500 bytes. */
    public static final int DEFAULT_QUEUE_BYTES = 1_500_000;

    /** A perfect link: no delay, no loss, MTU 1500, no offloads. */
    public static final WireConfig DEFAULT = new WireConfig(0, 0, Jitter.UNIFORM, false, 0, null, 0, 0, 1, 0,
            0, DEFAULT_QUEUE_BYTES, DEFAULT_LIMIT, 1500, 0);

    public WireConfig {
        if (delayNs < 0 || jitterNs < 0) throw new IllegalArgumentException("negative delay or jitter");
        if (jitterDist == null) throw new IllegalArgumentException("jitterDist");
        checkProbability("loss", loss);
        checkProbability("duplicate", duplicate);
        checkProbability("reorder", reorder);
        checkProbability("corrupt", corrupt);
        if (reorderGap < 1) throw new IllegalArgumentException("reorderGap < 1");
        if (rateBps < 0) throw new IllegalArgumentException("rateBps < 0");
        if (queueBytes < 0 || limit < 1) throw new IllegalArgumentException("queueBytes/limit");
        if (mtu < 68 || mtu > BufferPool.GSO_MAX_SIZE) throw new IllegalArgumentException("mtu " + mtu);
    }

    private static void checkProbability(String what, double v) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(what + " not in [0, 1]: " + v);
    }

    public WireConfig withDelay(long ns) { return new WireConfig(ns, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withJitter(long ns) { return withJitter(ns, jitterDist); }

    public WireConfig withJitter(long ns, Jitter dist) { return new WireConfig(delayNs, ns, dist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withJitterReorders(boolean on) { return new WireConfig(delayNs, jitterNs, jitterDist, on, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withLoss(double p) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, p, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withBurstLoss(GilbertElliott ge) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, ge, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withDuplicate(double p) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, p, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withReorder(double p) { return withReorder(p, 1); }

    public WireConfig withReorder(double p, int gap) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, p, gap, corrupt, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withCorrupt(double p) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, p, rateBps, queueBytes, limit, mtu, features); }

    public WireConfig withRate(long bitsPerSecond) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, bitsPerSecond, queueBytes, limit, mtu, features); }

    public WireConfig withQueueBytes(int bytes) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, bytes, limit, mtu, features); }

    public WireConfig withLimit(int frames) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, frames, mtu, features); }

    public WireConfig withMtu(int bytes) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, bytes, features); }

    public WireConfig withFeatures(int netifF) { return new WireConfig(delayNs, jitterNs, jitterDist, jitterReorders, loss, burstLoss, duplicate, reorder, reorderGap, corrupt, rateBps, queueBytes, limit, mtu, netifF); }

    /** The largest frame the sending end accepts: the MTU, or a 64 KiB GSO segment with TSO. */
    int maxFrame() { return (features & NetDevice.F_TSO) != 0 ? Math.max(mtu, BufferPool.GSO_MAX_SIZE) : mtu; }
}
