package io.jnetstack.packetdrill;

import java.util.HashMap;
import java.util.Map;

/**
 * What the runner knows about the socket under test (packetdrill's struct socket): its live
 * 4-tuple, the script's and the stack's initial sequence numbers, and the map from script TCP
 * timestamp values to the live ones seen on the wire.
 *
 * <p>Sequence numbers in scripts follow tcpdump: absolute in segments with SYN set, relative to
 * the ISN otherwise. The remote ISN is the script's own (the runner plays the remote host and
 * injects exactly what the script says), so only the local side needs mapping.
 */
final class ScriptSocket {
    enum State {
        NEW, PASSIVE_LISTENING, PASSIVE_PACKET_RECEIVED, PASSIVE_SYNACK_SENT, PASSIVE_SYNACK_ACKED,
        ACTIVE_CONNECTING, ACTIVE_SYN_SENT, ACTIVE_SYN_ACKED
    }

    State state = State.NEW;
    int protocol = 6;
    int scriptFd = -1, liveFd = -1;
    int localIp, localPort, remoteIp, remotePort;
    long scriptLocalIsn, liveLocalIsn, remoteIsn;
    /** Script TS val → live TS val, for mapping the script's echo replies (TS ecr) inbound. */
    final Map<Long, Long> tsValMap = new HashMap<>();
    boolean foundFirstTs;
    long firstScriptTsVal, firstActualTsVal;
    /** The last TCP header fields injected: seq, ack, flags, payload length, window (for the final RST). */
    long lastInjectedSeq, lastInjectedAck;
    int lastInjectedFlags, lastInjectedLen, lastInjectedWin;
    boolean injectedAny;

    /** Offset added to a script local sequence number to get the live one. */
    long localScriptToLive(boolean syn) { return syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn; }

    /** Offset added to a script remote sequence number to get the live one. */
    long remoteScriptToLive(boolean syn) { return syn ? 0 : remoteIsn; }

    @Override public String toString() {
        return "socket[" + state + " fd " + scriptFd + "->" + liveFd + " local port " + localPort + " remote port " + remotePort + "]";
    }
}
