package io.jnetstack.wire;

/**
 * Why a packet was rejected by a {@code check()} or {@code *Repr.parse()} in this package.
 * One enum for every format so that input paths can map reasons to SNMP counters with a switch
 * and no allocation (e.g. IPv4: {@link #BAD_CHECKSUM} → InCsumErrors + InHdrErrors,
 * {@link #TRUNCATED} of the payload → InTruncatedPkts, the rest → InHdrErrors).
 */
public enum WireError {
    /** The buffer ends before the header, or before the length the header declares. */
    TRUNCATED,
    /** IPv4 version field is not 4. */
    BAD_VERSION,
    /** IPv4 IHL below 5 (header shorter than 20 bytes). */
    BAD_IHL,
    /** A length field is impossible: IPv4 total length below the header, UDP length below 8. */
    BAD_LENGTH,
    /** TCP data offset below 5 or beyond the segment. */
    BAD_DATA_OFFSET,
    /** The Internet checksum does not verify. */
    BAD_CHECKSUM,
    /** A well-formed packet of a kind this package does not represent (e.g. ARP for non-IPv4). */
    UNSUPPORTED
}
