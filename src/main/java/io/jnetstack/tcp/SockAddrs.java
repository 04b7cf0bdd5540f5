package io.jnetstack.tcp;

import io.jnetstack.socket.SockAddr;

/** Trace formatting of addresses. */
final class SockAddrs {
    private SockAddrs() {}

    static String tuple(int saddr, int sport, int daddr, int dport) {
        return SockAddr.ipString(saddr) + ":" + sport + "→" + SockAddr.ipString(daddr) + ":" + dport;
    }
}
