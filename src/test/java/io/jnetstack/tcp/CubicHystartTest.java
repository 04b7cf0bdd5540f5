package io.jnetstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * HyStart in {@link Cubic}, driven sample by sample on the virtual clock: each ACK is a call to
 * pkts_acked with its RTT, as tcp_clean_rtx_queue makes it.
 */
class CubicHystartTest {
    static final long MS = 1_000_000L;
    final TcpTestContext ctx = new TcpTestContext();
    final TcpSock tp = ctx.newSock();
    final Cubic cubic = new Cubic();
    int una = 1;

    CubicHystartTest() {
        tp.sndUna = 1;
        tp.sndNxt = 1;
        tp.srttUs = 200_000L << 3;
        cubic.init(tp);
    }

    /** One ACK advancing snd_una by 2000 with RTT {@code rttMs}, {@code gapMs} after the previous. */
    void ack(long gapMs, long rttMs) {
        ctx.advance(gapMs * MS);
        una += 2000;
        tp.sndUna = una;
        cubic.pktsAcked(tp, 2, rttMs * 1000);
    }

    /** A first round below hystart_low_window sets the minimum RTT to {@code minMs}, then cwnd is 20. */
    void firstRound(long minMs) {
        tp.sndCwnd = 10;
        tp.sndNxt = 20_001;
        ack(minMs, minMs);
        tp.sndCwnd = 20;
        tp.sndNxt = 60_001;
    }

    @Test void delayIncreaseEndsSlowStartAfterEightSamples() {
        firstRound(200);
        for (int i = 0; i < 8; i++) {
            ack(i == 0 ? 240 : 1, 240 + i);
            assertEquals(Integer.MAX_VALUE, tp.sndSsthresh, "sample " + (i + 1) + " must not judge yet");
        }
        ack(1, 248);                       // 9th sample: min 240 > 200 + 16 ms
        assertEquals(20, tp.sndSsthresh);
        assertEquals(1, tp.tcp.ext.get(TcpExtMib.TCPHystartDelayDetect));
        assertEquals(20, tp.tcp.ext.get(TcpExtMib.TCPHystartDelayCwnd));
    }

    @Test void smallDelayIncreaseKeepsSlowStart() {
        firstRound(200);
        for (int i = 0; i < 12; i++) ack(i == 0 ? 210 : 1, 210 + i);   // within 200 + 16 ms
        assertEquals(Integer.MAX_VALUE, tp.sndSsthresh);
    }

    @Test void rttDropAfterTheEighthSampleIsNoExit() {
        firstRound(200);
        for (int i = 0; i < 8; i++) ack(i == 0 ? 200 : 1, 200 + i);
        ack(1, 100);                       // the minimum falls: the round's min is not above it
        ack(1, 110);
        assertEquals(Integer.MAX_VALUE, tp.sndSsthresh);
    }

    @Test void ackTrainLongerThanHalfTheMinimumRttEndsSlowStart() {
        tp.srttUs = 10_000L << 3;
        firstRound(10);
        // Back-to-back ACKs (1 ms apart) for longer than (10 ms + ack delay) / 2.
        int i = 0;
        while (tp.sndSsthresh == Integer.MAX_VALUE && i < 20) { ack(i == 0 ? 10 : 1, 10); i++; }
        assertEquals(20, tp.sndSsthresh);
        assertEquals(1, tp.tcp.ext.get(TcpExtMib.TCPHystartTrainDetect));
        assertEquals(7, i, "the train is judged once it spans more than half the min RTT plus the ACK delay");
    }

    @Test void detectorsFollowTheModuleParameter() {
        tp.stack.moduleParams().cubicHystartDetect.set(0);
        firstRound(200);
        for (int i = 0; i < 12; i++) ack(i == 0 ? 240 : 1, 260);
        assertEquals(Integer.MAX_VALUE, tp.sndSsthresh);
    }

    @Test void belowTheLowWindowHystartWaits() {
        firstRound(200);
        tp.sndCwnd = 15;
        for (int i = 0; i < 12; i++) ack(i == 0 ? 240 : 1, 260);
        assertEquals(Integer.MAX_VALUE, tp.sndSsthresh);
    }
}
