package io.jnetstack.socket;

import io.jnetstack.stack.Stack;
import io.jnetstack.time.Scheduler;
import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Poll;

/**
 * struct sock: the network-layer half of a socket, what protocols keep their state in. Protocols
 * extend it (InetSock → TcpSock, UdpSock; UnixSock). Owned by the stack's scheduler: never touched
 * concurrently.
 *
 * <p>Buffer sizes are stored as the kernel stores them: {@code setsockopt(SO_RCVBUF, n)} keeps
 * {@code 2n} (clamped), since the kernel counts its own overhead against the buffer too.
 */
public class Sock {
    /** sk_shutdown bits. */
    public static final int RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;
    /** sk_userlocks bits: what the user fixed, so auto-tuning leaves it alone. */
    public static final int SNDBUF_LOCK = 1, RCVBUF_LOCK = 2, BINDADDR_LOCK = 4, BINDPORT_LOCK = 8;
    /** The smallest buffers the kernel allows (SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF on x86-64). */
    public static final int SOCK_MIN_SNDBUF = 4608, SOCK_MIN_RCVBUF = 2304;

    public final Stack stack;
    public final int family, type, protocol;
    /** sk_socket: null once orphaned (the file was closed but the protocol still runs, e.g. FIN_WAIT). */
    public Socket socket;
    /** sk_state: for inet, the TCP_* state value (TCP_CLOSE = 7, TCP_ESTABLISHED = 1...). */
    public int state;
    public int shutdown;
    /** sk_err (hard, reported once then cleared) and sk_err_soft (reported if nothing else): positive errno. */
    public int err, errSoft;
    public int rcvBuf, sndBuf, userLocks;
    public int rcvLowat = 1;
    /** SO_RCVTIMEO / SO_SNDTIMEO in ns; Long.MAX_VALUE = none (block forever). */
    public long rcvTimeo = Long.MAX_VALUE, sndTimeo = Long.MAX_VALUE;
    public boolean reuseAddr, keepOpen, broadcast, linger, dontRoute, oobInline, passCred, debug;
    /** SO_REUSEPORT. */
    public boolean reusePort;
    public int lingerSecs, priority, mark, boundDevIf;
    /** Owner uid, for SO_REUSEPORT's same-user rule. */
    public int uid;
    /** SO_PEERCRED (sk_peer_pid / sk_peer_cred): set by AF_UNIX at connect/socketpair/listen. */
    public int peerPid = 0, peerUid = -1, peerGid = -1;
    /** Generic SOL_SOCKET state with no protocol meaning here (kept so getsockopt reads back). */
    public int busyPollUsec, incomingCpu = -1, peekOff = -1;
    public boolean timestamp, noCheckTx;
    /** SO_RXQ_OVFL: read back as set; jnetstack delivers no drop count. */
    public boolean rxqOvfl;
    /**
     * SO_ZEROCOPY (SOCK_ZEROCOPY): MSG_ZEROCOPY sends get completion notifications. jnetstack
     * always copies, so they carry SO_EE_CODE_ZEROCOPY_COPIED, as Linux's do when it had to copy.
     */
    public boolean zerocopy;
    /** sk_zckey: the id the next MSG_ZEROCOPY send gets. */
    public int zckey;
    /**
     * SO_TIMESTAMPING: sk_tsflags (SOF_TIMESTAMPING_*), sk_tskey (what OPT_ID keys count from:
     * for TCP the sequence number the option was set at) and SOCK_TSTAMP_NEW (set through
     * SO_TIMESTAMPING_NEW, so reports use SCM_TIMESTAMPING_NEW).
     */
    public int tsflags, tskey;
    public boolean tstampNew;

    /**
     * A SOL_SOCKET option changed that the protocol may act on (see {@link SockOpts}): SO_KEEPALIVE
     * (sk_prot->keepalive: arm or stop the keepalive timer), SO_SNDBUF/SO_SNDBUFFORCE and
     * SO_RCVBUF/SO_RCVBUFFORCE (window clamps), SO_LINGER, SO_RCVLOWAT (tcp_set_rcvlowat),
     * SO_PRIORITY, SO_MARK, SO_BINDTODEVICE, SO_DONTROUTE (cached route reset), SO_OOBINLINE. The
     * new value is already in this sock's fields. Default: nothing.
     */
    protected void optionChanged(int optname) {}

    /**
     * Where SOF_TIMESTAMPING_OPT_ID keys start counting when the option is turned on: TCP keys
     * are byte offsets from snd_una, or from write_seq with {@code writeSeq}
     * (SOF_TIMESTAMPING_OPT_ID_TCP). Default: 0, datagrams are counted from the first.
     */
    public int tskeyStart(boolean writeSeq) { return 0; }

    /** Does the family support SO_PEEK_OFF (proto_ops.set_peek_off)? AF_UNIX does. */
    protected boolean supportsPeekOff() { return false; }
    /** sk_wq: callers sleeping on this socket and epoll entries watching it. */
    public final WaitQueue wq = new WaitQueue();
    /** sk_error_queue: ICMP errors, zerocopy completions and transmit timestamps for MSG_ERRQUEUE. */
    public final SockErrorQueue errQueue = new SockErrorQueue(this);

    /** The socket's inode number (sock_i_ino), as /proc/net/tcp and socket:[N] show it. */
    public final long ino;

    protected Sock(Stack stack, int family, int type, int protocol) {
        this.stack = stack;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.ino = stack.nextIno();
        // sock_init_data: buffers from the core defaults; protocols (TCP) override.
        this.rcvBuf = stack.sysctl().rmemDefault.value();
        this.sndBuf = stack.sysctl().wmemDefault.value();
    }

    public Scheduler scheduler() { return stack.scheduler(); }

    /** sk_state_change: anything about the connection's state changed. */
    public void stateChange() { wq.wakeUp(Poll.POLLIN | Poll.POLLOUT | Poll.POLLERR | Poll.POLLHUP | Poll.POLLRDHUP); }

    /** sk_data_ready: something to read. */
    public void dataReady() { wq.wakeUp(Poll.POLLIN | Poll.POLLRDNORM); }

    /** sk_write_space: room to write. */
    public void writeSpace() { wq.wakeUp(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND); }

    /** sk_error_report: sk_err was set. */
    public void errorReport() { wq.wakeUp(Poll.POLLERR); }

    /** sock_error: takes the pending hard error (positive errno, 0 if none) and clears it. */
    public int takeError() {
        int e = err;
        err = 0;
        return e;
    }

    /** SO_ERROR's read: the hard error, else the soft one; both cleared (sock_error + soft). */
    public int takeErrorForSoError() {
        int e = err != 0 ? err : errSoft;
        err = 0;
        errSoft = 0;
        return e;
    }

    /** The deadline for a blocking call with timeout {@code timeoNs} (SO_RCVTIMEO/SO_SNDTIMEO). */
    public long deadline(long timeoNs) {
        if (timeoNs == Long.MAX_VALUE) return Long.MAX_VALUE;
        long now = stack.now();
        long d = now + timeoNs;
        return d < now ? Long.MAX_VALUE : d;
    }

    /**
     * sk_wait_event's sleep: waits on this sock's queue until woken or the deadline. Returns 0 when
     * woken (the caller re-checks its condition), -EAGAIN when the deadline passed (what a timed-out
     * SO_RCVTIMEO read returns), -EINTR when interrupted.
     */
    public int sleep(long deadline) {
        return switch (stack.scheduler().await(wq, deadline)) {
            case Scheduler.WOKEN -> 0;
            case Scheduler.TIMED_OUT -> -Errno.EAGAIN;
            default -> -Errno.EINTR;
        };
    }

    /** The protocol's close (sk->sk_prot->close), called by the family's release. */
    public void destroy() {}
}
