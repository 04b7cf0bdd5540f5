package io.jnetstack.tcp;

/**
 * What one ACK delivered, gathered while the scoreboard is updated (Linux's first_ackt/last_ackt
 * in tcp_clean_rtx_queue and first_sackt/last_sackt in struct tcp_sacktag_state): the send times
 * of the first and last never-retransmitted segments newly acknowledged and newly SACKed, and
 * whether the ACK covered a retransmission. Its RTT samples come from these. One instance per
 * stack's TCP input, cleared per ACK.
 */
final class AckSample {
    boolean acked, sacked, retransAcked;
    /**
     * FLAG_ORIG_SACK_ACKED: a segment never retransmitted and sent before high_seq was newly
     * (S)ACKed (F-RTO's proof that an RTO was spurious).
     */
    boolean origSackAcked;
    /** FLAG_DSACKING_ACK: the ACK carried a D-SACK that counted; FLAG_DSACK_TLP: it matched the loss probe. */
    boolean dsack, dsackTlp;
    /** Segments the D-SACK reports delivered twice (they count as delivered, tcp_dsack_seen). */
    int dsackSegs;
    long firstAcktNs, lastAcktNs, firstSacktNs, lastSacktNs;
    /** The congestion control's RTT sample (ca_rtt_us), µs, or -1. */
    long caRttUs;

    AckSample clear() {
        acked = sacked = retransAcked = origSackAcked = dsack = dsackTlp = false;
        dsackSegs = 0;
        caRttUs = -1;
        return this;
    }

    /** A never-retransmitted segment sent at {@code sentNs} is newly covered by the cumulative ACK. */
    void acked(long sentNs) {
        if (!acked) firstAcktNs = sentNs;
        lastAcktNs = sentNs;
        acked = true;
    }

    /** A never-retransmitted segment sent at {@code sentNs} is newly SACKed. */
    void sacked(long sentNs) {
        if (!sacked) firstSacktNs = sentNs;
        lastSacktNs = sentNs;
        sacked = true;
    }
}
