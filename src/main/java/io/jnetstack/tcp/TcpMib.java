package io.jnetstack.tcp;

/** The "Tcp" group of /proc/net/snmp (RFC 4022 tcpStats), in Linux's order and names. */
public enum TcpMib {
    RtoAlgorithm, RtoMin, RtoMax, MaxConn, ActiveOpens, PassiveOpens, AttemptFails, EstabResets, CurrEstab,
    InSegs, OutSegs, RetransSegs, InErrs, OutRsts, InCsumErrors
}
