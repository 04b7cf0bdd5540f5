package io.jnetstack.udp;

import io.jnetstack.inet.InetSock;
import io.jnetstack.inet.Proto;
import io.jnetstack.stack.Stack;

/** udp_prot / udplite_prot: makes {@link UdpSock}s for inet_create. */
public final class UdpProt implements Proto {
    private final Udp udp;

    UdpProt(Udp udp) { this.udp = udp; }

    @Override public String name() { return udp.isLite() ? "UDP-Lite" : "UDP"; }

    @Override public InetSock create(Stack stack, int family, int type, int protocol) {
        return new UdpSock(udp, family, type, protocol);
    }
}
