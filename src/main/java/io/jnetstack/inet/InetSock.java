package io.jnetstack.inet;

import io.jnetstack.socket.Sock;
import io.jnetstack.stack.Stack;

/**
 * struct inet_sock: a sock with IPv4 addressing. Addresses are host-order ints (0x7f000001 is
 * 127.0.0.1), ports are 0..65535. AF_INET6 sockets that carry IPv4 (v4-mapped) use the same
 * fields with {@link #v6} set.
 */
public class InetSock extends Sock {
    /** inet_rcv_saddr: the bound local address (0 = INADDR_ANY). */
    public int rcvSaddr;
    /** inet_saddr: the source address used on output (chosen at connect). */
    public int saddr;
    /** inet_num / inet_sport: the local port, 0 when not bound. */
    public int sport;
    /** inet_daddr / inet_dport: the peer, 0 when not connected. */
    public int daddr, dport;
    /** uc_ttl: -1 means "use net.ipv4.ip_default_ttl". */
    public int ttl = -1;
    public int tos;
    public boolean recvErr, hdrIncl, freebind, bindAddressNoPort, recvTtl, recvTos, pktInfo;
    public int pmtudisc = io.jnetstack.uapi.In.IP_PMTUDISC_WANT;
    public int mcTtl = 1;
    public boolean mcLoop = true;
    /** An AF_INET6 socket (v4-mapped addresses on the wire); v6Only is IPV6_V6ONLY. */
    public boolean v6, v6Only;
    /** Bound to ::ffff:0.0.0.0 (sk_v6_rcv_saddr is v4-mapped): getsockname shows it, not "::". */
    public boolean v4MappedAny;
    /** IPV6_UNICAST_HOPS (-1 = default) and IPV6_TCLASS of an AF_INET6 socket; IPV6_RECVERR. */
    public int hopLimit = -1, tclass;
    public boolean v6RecvErr;
    /** IP_TRANSPARENT, IP_ROUTER_ALERT; IP_OPTIONS as set (kept and reported, not yet sent). */
    public boolean transparent, routerAlert;
    public byte[] ipOptions = new byte[0];
    /** The protocol table entry this sock was made from (tcp_prot, udp_prot...). */
    public Proto prot;

    public InetSock(Stack stack, int family, int type, int protocol) {
        super(stack, family, type, protocol);
    }

    /** The TTL to put on a unicast packet now. */
    public int effectiveTtl() { return ttl >= 0 ? ttl : stack.sysctl().ipDefaultTtl.value(); }
}
