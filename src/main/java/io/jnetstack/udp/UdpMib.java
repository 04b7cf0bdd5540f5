package io.jnetstack.udp;

/** The "Udp:" (and "UdpLite:") line of /proc/net/snmp, Linux's names and order (UDP_MIB_*). */
public enum UdpMib {
    InDatagrams, NoPorts, InErrors, OutDatagrams, RcvbufErrors, SndbufErrors, InCsumErrors, IgnoredMulti, MemErrors
}
