package io.jnetstack.ipv4;

/** The "IpExt:" line of /proc/net/netstat (the part this stack maintains), Linux's names. */
public enum IpExtMib {
    InNoRoutes, InTruncatedPkts, InBcastPkts, OutBcastPkts, InOctets, OutOctets, InBcastOctets,
    OutBcastOctets, InCsumErrors, ReasmOverlaps
}
