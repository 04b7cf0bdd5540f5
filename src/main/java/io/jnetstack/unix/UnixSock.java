package io.jnetstack.unix;

import io.jnetstack.socket.Sock;
import io.jnetstack.stack.Stack;
import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Poll;
import java.util.ArrayDeque;

/**
 * struct unix_sock: an AF_UNIX endpoint. Its receive queue holds messages (or, when listening,
 * pending connections); {@link #peer} is unix_peer(); {@link #addr} is u->addr, shared by an
 * accepted socket with its listener as on Linux.
 */
final class UnixSock extends Sock {
    /** sk_state values AF_UNIX borrows from TCP. */
    static final int TCP_ESTABLISHED = 1, TCP_CLOSE = 7, TCP_LISTEN = 10;

    /** The bound address as getsockname returns it (sun_family + name), or null when unbound. */
    byte[] addr;
    UnixSock peer;
    final ArrayDeque<UnixSkb> queue = new ArrayDeque<>();
    /** sk_wmem_alloc minus its initial reference: truesize of our messages not yet consumed. */
    int wmemAlloc;
    /** sk_max_ack_backlog: for a listener its backlog, for a datagram socket net.unix.max_dgram_qlen. */
    int maxAckBacklog;
    /** SOCK_DEAD: released. */
    boolean dead;
    /** Namespace key while bound (abstract names and paths), for unhashing at release. */
    String boundKey;
    /** u->peer_wait: writers waiting for room in this socket's queue, connectors for its backlog. */
    final WaitQueue peerWait = new WaitQueue();

    /**
     * unix_dgram_peer_wake_me's relay: a poller of this socket that found the peer's queue full
     * hooks this into the peer's {@link #peerWait}; when the peer drains, we tell our own pollers.
     */
    final WaitQueue.Entry peerWake = new WaitQueue.Entry() {
        @Override protected void wake(int events) {
            unhookPeerWake();
            wq.wakeUp(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND);
        }
    };
    /** The peer queue {@link #peerWake} is hooked into, if any. */
    private WaitQueue hookedTo;

    void hookPeerWake(UnixSock other) {
        if (hookedTo == other.peerWait) return;
        unhookPeerWake();
        hookedTo = other.peerWait;
        hookedTo.add(peerWake);
    }

    void unhookPeerWake() {
        if (hookedTo != null) hookedTo.remove(peerWake);
        hookedTo = null;
    }

    UnixSock(Stack stack, int type) {
        super(stack, io.jnetstack.uapi.Net.AF_UNIX, type, 0);
        state = TCP_CLOSE;
        maxAckBacklog = Unix.maxDgramQlen(stack);
    }

    /** unix_writable: a quarter of the send buffer or less in flight, and not listening. */
    boolean writable() { return state != TCP_LISTEN && ((long) wmemAlloc + 1) << 2 <= sndBuf; }

    /** unix_recvq_full: more queued than the backlog allows. */
    boolean recvqFull() { return queue.size() > maxAckBacklog; }

    /** unix_write_space: a message of ours was consumed. */
    void uncharge(int truesize) {
        wmemAlloc -= truesize;
        if (writable()) writeSpace();
    }

    @Override protected boolean supportsPeekOff() { return true; }
}
