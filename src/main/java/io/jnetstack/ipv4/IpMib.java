package io.jnetstack.ipv4;

/**
 * The "Ip:" line of /proc/net/snmp (RFC 4293 ipSystemStats, Linux's IPSTATS_MIB_*), in Linux's
 * column order. Forwarding (2 = not a router) and DefaultTTL are gauges Linux prints in the same line.
 */
public enum IpMib {
    Forwarding, DefaultTTL, InReceives, InHdrErrors, InAddrErrors, ForwDatagrams, InUnknownProtos,
    InDiscards, InDelivers, OutRequests, OutDiscards, OutNoRoutes, ReasmTimeout, ReasmReqds, ReasmOKs,
    ReasmFails, FragOKs, FragFails, FragCreates, OutTransmits
}
