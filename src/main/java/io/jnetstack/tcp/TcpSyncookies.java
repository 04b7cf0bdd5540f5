package io.jnetstack.tcp;

import io.jnetstack.stack.Stack;

/**
 * SYN cookies (RFC 4987 §3.6; Linux's syncookies.c): when a listener's SYN queue is full, the
 * state of the would-be request sock is folded into the SYN-ACK's ISN instead of being kept, and the
 * final ACK brings it back, so a SYN flood cannot exhaust memory.
 *
 * <p>The ISN carries a keyed hash of the 4-tuple, the peer's ISN, a minute counter in its top 8
 * bits and, under a second hash, the index of the peer's MSS in {@link #MSS_TABLE}; an ACK is
 * accepted in that minute and the next. Window scale, SACK and ECN ride in the low 6 bits of
 * the SYN-ACK's TSval when timestamps are on, as in Linux; without timestamps a cookie connection
 * has none of them. Hash: {@link SipHash} under a per-stack secret.
 */
final class TcpSyncookies {
    /** msstab for IPv4: the MSS values a cookie can carry; the peer's MSS is rounded down to one. */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /** A cookie is good in the minute it was made in and the next one (MAX_SYNCOOKIE_AGE). */
    static final int MAX_AGE = 2;
    /** Listeners take cookies for this long after their last overflow (TCP_SYNCOOKIE_VALID). */
    static final long VALID_NS = 2 * 60 * 1_000_000_000L;
    static final int COUNT_BITS = 8, COOKIE_BITS = 24;
    static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;
    /** TSval's low bits: 4 for the window scale (0xf = none), then SACK, then ECN (TSBITS = 6). */
    static final int TS_BITS = 6, TS_MASK = (1 << TS_BITS) - 1, TS_WSCALE_NONE = 0xf, TS_SACK = 1 << 4, TS_ECN = 1 << 5;

    private final Stack stack;
    private final long k0, k1, k2, k3;

    TcpSyncookies(Stack stack) {
        this.stack = stack;
        var rnd = stack.random();
        k0 = rnd.nextLong();
        k1 = rnd.nextLong();
        k2 = rnd.nextLong();
        k3 = rnd.nextLong();
    }

    private int minute() { return (int) (stack.now() / 60_000_000_000L); }

    private int hash1(int saddr, int daddr, int sport, int dport) {
        return (int) SipHash.hash(k0, k1, (long) saddr << 32 | (daddr & 0xFFFFFFFFL), (long) sport << 16 | dport);
    }

    private int hash2(int saddr, int daddr, int sport, int dport, int count) {
        return (int) SipHash.hash(k2, k3, (long) saddr << 32 | (daddr & 0xFFFFFFFFL), (long) sport << 16 | dport, count);
    }

    /** The index of the largest table MSS not above {@code mss} (the smallest entry at worst). */
    static int mssIndex(int mss) {
        int i = MSS_TABLE.length - 1;
        while (i > 0 && mss < MSS_TABLE[i]) i--;
        return i;
    }

    /**
     * cookie_v4_init_sequence: the ISN of a cookie SYN-ACK from the listener's address {@code laddr}
     * and port to the peer, answering the peer's ISN {@code irs}, remembering {@code mssIdx}.
     */
    int initSequence(int laddr, int lport, int raddr, int rport, int irs, int mssIdx) {
        int count = minute();
        return hash1(raddr, laddr, rport, lport) + irs + (count << COOKIE_BITS)
                + ((hash2(raddr, laddr, rport, lport, count & 0xFF) + mssIdx) & COOKIE_MASK);
    }

    /**
     * __cookie_v4_check: the MSS a cookie ACK's {@code ack} - 1 carries for peer ISN {@code irs},
     * or 0 when it is forged or from before the previous minute.
     */
    int check(int laddr, int lport, int raddr, int rport, int irs, int cookie) {
        int c = cookie - irs - hash1(raddr, laddr, rport, lport);
        int count = c >>> COOKIE_BITS;
        int age = (minute() - count) & ((1 << COUNT_BITS) - 1);
        if (age >= MAX_AGE) return 0;
        int idx = (c - hash2(raddr, laddr, rport, lport, count)) & COOKIE_MASK;
        return idx < MSS_TABLE.length ? MSS_TABLE[idx] : 0;
    }

    /**
     * cookie_init_timestamp: {@code tsval} with its low bits replaced by the negotiated options,
     * never ahead of the real clock (the bits are taken from one period back when needed).
     */
    static int encodeTs(int tsval, int sndWscale, boolean sack, boolean ecn) {
        int options = (sndWscale >= 0 ? sndWscale & 0xf : TS_WSCALE_NONE) | (sack ? TS_SACK : 0) | (ecn ? TS_ECN : 0);
        int ts = tsval;
        if ((ts & TS_MASK) < options) ts -= TS_MASK + 1;
        return (ts & ~TS_MASK) | options;
    }

    static int decodeWscale(int tsecr) { int w = tsecr & 0xf; return w == TS_WSCALE_NONE ? -1 : w; }

    static boolean decodeSack(int tsecr) { return (tsecr & TS_SACK) != 0; }

    static boolean decodeEcn(int tsecr) { return (tsecr & TS_ECN) != 0; }
}
