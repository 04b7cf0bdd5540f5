package io.jnetstack.tcp;

/**
 * TCP connection states in include/net/tcp_states.h order: {@code ordinal() + 1} is Linux's
 * TCP_* value (what sk_state, TCP_INFO's tcpi_state and /proc/net/tcp show). NEW_SYN_RECV is the
 * state of request socks (the SYN queue), never of a full sock.
 */
public enum TcpState {
    ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT,
    CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV;

    private static final TcpState[] BY_VALUE = values();

    public int linuxValue() { return ordinal() + 1; }

    /** TCPF_* bit of this state, as Linux tests state sets: {@code (1 << sk_state) & (TCPF_A | TCPF_B)}. */
    public int flag() { return 1 << linuxValue(); }

    public static TcpState ofLinux(int v) { return BY_VALUE[v - 1]; }

    /** The user may queue data that will be sent (tcp_sendmsg's precondition). */
    public boolean canSend() { return this == ESTABLISHED || this == CLOSE_WAIT; }

    /** Data from the peer may still arrive: our receive side is open (RFC 9293 §3.10.7.4 step 7). */
    public boolean canRecv() { return this == ESTABLISHED || this == FIN_WAIT1 || this == FIN_WAIT2; }

    /** The three-way handshake is still in progress. */
    public boolean handshake() { return this == SYN_SENT || this == SYN_RECV; }

    /** RFC 9293's synchronized states: both sides know each other's ISN. */
    public boolean synchronizedState() { return this != CLOSE && this != LISTEN && this != SYN_SENT && this != NEW_SYN_RECV; }

    /** We have sent a FIN (our send side is closed at the protocol level). */
    public boolean finSent() {
        return this == FIN_WAIT1 || this == FIN_WAIT2 || this == CLOSING || this == LAST_ACK || this == TIME_WAIT;
    }

    /** tcp_need_reset(): states where an abortive close tells the peer with a RST. */
    public boolean needReset() {
        return this == ESTABLISHED || this == CLOSE_WAIT || this == FIN_WAIT1 || this == FIN_WAIT2 || this == SYN_RECV;
    }
}
