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
    long firstAcktNs, lastAcktNs, firstSacktNs, lastSacktNs;
    /** The congestion control's RTT sample (ca_rtt_us), µs, or -1. */
    long caRttUs;

    AckSample clear() {
        acked = sacked = retransAcked = false;
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
