package io.jnetstack.tcp;

import io.jnetstack.inet.Cmsg;
import io.jnetstack.inet.InetDgramOps;
import io.jnetstack.inet.IpRecvError;
import io.jnetstack.inet.InetSock;
import io.jnetstack.inet.Proto;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.ErrQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import io.jnetstack.uapi.TcpOpts;
import io.jnetstack.wire.SeqNum;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;

/**
 * tcp_prot (struct proto for TCP) and the system-call side of tcp.c: tcp_v4_connect,
 * tcp_disconnect, tcp_close, tcp_shutdown, tcp_sendmsg, tcp_recvmsg, tcp_poll, tcp_ioctl, and
 * inet_csk_listen_start / inet_csk_accept. {@code io.jnetstack.inet.InetStreamOps} calls these;
 * they return ≥ 0 or -errno exactly as Linux does, and block (on the sock's wait queue) where
 * Linux blocks.
 */
public final class TcpProt implements Proto {
    public static final TcpProt INSTANCE = new TcpProt();

    private TcpProt() {}

    @Override public String name() { return "TCP"; }

    /** sk_alloc + tcp_v4_init_sock. */
    @Override public InetSock create(Stack stack, int family, int type, int protocol) {
        Tcp tcp = Tcp.of(stack);
        if (tcp == null) throw new IllegalStateException("Tcp.install(stack) first");
        TcpSock tp = new TcpSock(tcp, stack, family, type, protocol);
        tp.prot = this;
        return tp;
    }

    // ================================================================== helpers shared by input and output

    /** tcp_select_initial_window's rcv_wscale: the shift that lets the largest possible buffer be offered. */
    static int selectWscale(TcpSock tp) {
        var sys = tp.stack.sysctl();
        long space = Math.max(sys.tcpRmem.value(2), sys.rmemMax.value());
        if (tp.userWindowClamp > 0) space = Math.min(space, tp.userWindowClamp);
        int ws = 63 - Long.numberOfLeadingZeros(Math.max(space, 1)) - 15;
        return Math.max(0, Math.min(ws, TcpSock.MAX_WSCALE));
    }

    /** TCP_DEFER_ACCEPT's seconds → SYN-ACK retransmissions (secs_to_retrans with 1 s base, 120 s max). */
    static int secsToRetrans(int secs) {
        if (secs <= 0) return 0;
        int res = 1, timeout = 1, period = 1;
        while (secs > period && res < 255) {
            res++;
            timeout <<= 1;
            if (timeout > 120) timeout = 120;
            period += timeout;
        }
        return res;
    }

    static int retransToSecs(int retrans) {
        if (retrans <= 0) return 0;
        int timeout = 1, period = 1;
        while (--retrans > 0) {
            timeout <<= 1;
            if (timeout > 120) timeout = 120;
            period += timeout;
        }
        return period;
    }

    /** Copies what the route says into the sock's own Route (the lookup result is reused). */
    static void setRoute(TcpSock tp, Route rt) {
        tp.route.dev = rt.dev;
        tp.route.ifindex = rt.ifindex;
        tp.route.dst = rt.dst;
        tp.route.prefSrc = rt.prefSrc;
        tp.route.gateway = rt.gateway;
        tp.route.mtu = rt.mtu;
        tp.route.type = rt.type;
        tp.routeValid = true;
        int pm = tp.tcp.ip.pathMtu(tp.daddr);
        tp.pmtu = pm > 0 ? Math.min(pm, rt.mtu > 0 ? rt.mtu : pm) : rt.mtu;
    }

    /** tcp_init_transfer: the connection is established; congestion control and buffers start. */
    static void initTransfer(TcpSock tp) {
        tp.lastDataRecvNs = tp.stack.now();                     // icsk_ack.lrcvtime starts at the handshake
        tp.sndCwnd = TcpSock.INIT_CWND;
        tp.sndCwndCnt = 0;
        tp.sndSsthresh = Integer.MAX_VALUE;
        tp.cc.init(tp);
        tp.lostBoundary = tp.sndUna;
        tp.highSeq = tp.sndUna;
        tp.sndSml = tp.pushedSeq = tp.cwndUsageSeq = tp.sndUna;
        tp.rcvSpace = Math.min(tp.rcvWnd, 10 * tp.advmss);
        tp.rcvSpaceTimeNs = tp.stack.now();
        tp.rcvSpaceSeq = tp.rcvNxt();
        tp.lastRcvNs = tp.stack.now();
        tp.lastAckRecvNs = tp.stack.now();
        sndbufExpand(tp);
        if (tp.keepOpen) TcpTimers.resetKeepalive(tp, tp.keepIdleNs());
    }

    /**
     * tcp_sndbuf_expand: room for two congestion windows of segments (with their overhead) so the
     * sender never waits on the buffer while cwnd allows more, up to tcp_wmem[2]; not when the
     * user fixed SO_SNDBUF.
     */
    /** SKB_DATA_ALIGN(sizeof(struct sk_buff)) on Linux 6.18 x86-64 (measured: 2626560 = 2 * 10 * 131328). */
    static final int SKB_OVERHEAD = 256;

    static void sndbufExpand(TcpSock tp) {
        if ((tp.userLocks & Sock.SNDBUF_LOCK) != 0) return;
        // Sized from the larger of mss_clamp and mss_cache (the half-window bound must not shrink
        // the buffer), rounded up to a power of two, plus the sk_buff itself (256 bytes).
        int mss = Math.max(tp.mssClamp(), tp.mssCache);
        int perMss = Integer.highestOneBit(Math.max(mss + 576, 1) * 2 - 1) + SKB_OVERHEAD;
        long want = 2L * Math.max(Math.max(tp.sndCwnd, TcpSock.INIT_CWND), tp.reordering + 1) * perMss;
        want = Math.min(want, tp.stack.sysctl().tcpWmem.value(2));
        if (want > tp.sndBuf) tp.sndBuf = (int) want;
    }

    /**
     * __sk_stream_is_writeable(sk, 1): what poll reports as POLLOUT and what wakes a writer
     * (sk_stream_write_space). sk_stream_wspace ≥ sk_stream_min_wspace: at least a third of the
     * buffer free, counted in truesize as sk_wmem_queued is; and, with wake = 1, unsent bytes
     * below half of TCP_NOTSENT_LOWAT (tcp_stream_memory_free), so a woken writer finds room for
     * a useful amount.
     */
    static boolean streamWriteable(TcpSock tp) {
        int queued = tp.sendBuf.wmemQueued();
        return tp.sndBuf - queued >= queued >> 1 && memoryFree(tp, 1);
    }

    /** sk_stream_memory_free: may a write start a new skb? */
    static boolean memoryFree(TcpSock tp) { return memoryFree(tp, 0); }

    /** __sk_stream_memory_free + tcp_stream_memory_free(sk, wake). */
    private static boolean memoryFree(TcpSock tp, int wake) {
        if (tp.sendBuf.wmemQueued() >= tp.sndBuf) return false;
        long lowat = tp.notsentLowat != 0 ? Integer.toUnsignedLong(tp.notsentLowat)
                : tp.stack.sysctl().tcpNotsentLowat.longValue();
        return ((long) tp.notSent() << wake) < lowat;
    }

    // ================================================================== teardown

    /**
     * tcp_done: the connection is over (CLOSE). Timers stop, the sock leaves the demultiplexing
     * tables, an autobound or orphaned sock gives its port back, and a sleeping user wakes.
     */
    static void done(TcpSock tp) {
        Tcp tcp = tp.tcp;
        TcpState old = tp.st;
        tp.setState(TcpState.CLOSE);
        TcpTimers.clearAll(tp);
        tcp.fastopen.removeRequest(tp, false);
        tp.shutdown = Sock.SHUTDOWN_MASK;
        tcp.unhashEstablished(tp);
        if (old == TcpState.LISTEN) tcp.unhashListener(tp);
        if (old == TcpState.TIME_WAIT) tcp.ext.inc(TcpExtMib.TW);
        if (tp.portHeld && (tp.isOrphan() || (tp.userLocks & Sock.BINDPORT_LOCK) == 0)) {
            tcp.ports().unbind(tp);
            tp.portHeld = false;
        }
        if (tp.isOrphan()) {
            tp.sendBuf.clear();
            tp.sendBuf.trim();
            tp.rcvQueue.clear();
        } else {
            tp.stateChange();
        }
    }

    /** tcp_time_wait: 2MSL in TIME_WAIT (Linux's fixed 60 s), keeping the port and the 4-tuple. */
    static void timeWait(TcpSock tp) {
        TcpTimers.clearAll(tp);
        tp.setState(TcpState.TIME_WAIT);
        tp.shutdown = Sock.SHUTDOWN_MASK;
        tp.sendBuf.clear();
        tp.sendBuf.trim();
        tp.stack.scheduler().arm(tp.twTimer, tp.stack.now() + TcpSock.TIMEWAIT_LEN);
        if (!tp.isOrphan()) tp.stateChange();
    }

    /** tcp_close_state: the state a close/shutdown moves to, and whether a FIN goes out. */
    private static boolean closeState(TcpSock tp) {
        switch (tp.st) {
            case ESTABLISHED, SYN_RECV -> { tp.setState(TcpState.FIN_WAIT1); return true; }
            case CLOSE_WAIT -> { tp.setState(TcpState.LAST_ACK); return true; }
            case SYN_SENT, LISTEN -> { tp.setState(TcpState.CLOSE); return false; }
            default -> { return false; }
        }
    }

    /** tcp_send_fin: queue a FIN after the data (it rides on the last segment if still unsent). */
    private static void sendFin(TcpSock tp) {
        tp.finQueued = true;
        tp.finSeq = tp.sendBuf.endSeq();
        tp.tcp.output.writeXmit(tp, tp.nonagle | TcpSock.NAGLE_PUSH);
        if (SeqNum.le(tp.sndNxt, tp.finSeq) && !tp.rtxTimer.armed()) TcpTimers.armProbe(tp);
    }

    /** inet_csk_listen_stop: unaccepted children are reset, the SYN queue is forgotten. */
    private static void listenStop(TcpSock l) {
        if (l.synQueue != null) {
            for (TcpRequestSock r : l.synQueue.values()) l.stack.scheduler().cancel(r.timer);
            l.synQueue.clear();
        }
        if (l.acceptQueue != null) {
            TcpSock c;
            while ((c = l.acceptQueue.poll()) != null) {
                c.parent = null;
                disconnect(c);
                done(c);
            }
        }
    }

    /**
     * tcp_close: the file is gone. Unread data → RST (RFC 2525 §2.17, TCPAbortOnClose);
     * SO_LINGER 0 → abortive RST; otherwise the orderly FIN, waiting up to the linger time when
     * SO_LINGER is on. The sock then lives on as an orphan until the exchange completes.
     */
    public static void close(TcpSock tp, long lingerNs) {
        Tcp tcp = tp.tcp;
        Tracer tr = tp.stack.trace();
        tp.shutdown = Sock.SHUTDOWN_MASK;
        if (tp.st == TcpState.LISTEN) {
            tp.setState(TcpState.CLOSE);
            tcp.unhashListener(tp);
            listenStop(tp);
        } else if (tp.st == TcpState.TIME_WAIT) {
            // The timewait part carries on by itself.
        } else if (tp.st != TcpState.CLOSE) {
            int unread = tp.rcvQueue.readable();
            if (unread > 0) {
                if (tr.on) tr.note("tcp_close: " + unread + " bytes unread → RST");
                tp.setState(TcpState.CLOSE);
                tcp.output.sendActiveReset(tp);
                tcp.ext.inc(TcpExtMib.TCPAbortOnClose);
            } else if (tp.linger && tp.lingerSecs == 0) {
                disconnect(tp);
                tcp.ext.inc(TcpExtMib.TCPAbortOnData);
            } else if (closeState(tp)) {
                sendFin(tp);
            }
            if (lingerNs > 0) {
                long deadline = tp.deadline(lingerNs);
                while (tp.st == TcpState.FIN_WAIT1 || tp.st == TcpState.CLOSING || tp.st == TcpState.LAST_ACK) {
                    if (tp.sleep(deadline) != 0) break;
                }
            }
        }
        // adjudge_to_death: orphan it.
        tp.socket = null;
        if (tp.st == TcpState.FIN_WAIT2) {
            if (tp.linger2Ns < 0) {
                tcp.output.sendActiveReset(tp);
                tcp.ext.inc(TcpExtMib.TCPAbortOnLinger);
                done(tp);
                return;
            }
            TcpTimers.resetKeepalive(tp, tp.finTimeNs());
        }
        if (tp.st == TcpState.CLOSE) done(tp);
    }

    /**
     * tcp_disconnect (connect(AF_UNSPEC), a failed connect being cleaned up, SO_LINGER 0): back
     * to a fresh CLOSE sock, with a RST to the peer when the connection was live.
     */
    public static int disconnect(TcpSock tp) {
        Tcp tcp = tp.tcp;
        TcpState old = tp.st;
        if (old != TcpState.CLOSE) tp.setState(TcpState.CLOSE);
        if (old == TcpState.LISTEN) {
            tcp.unhashListener(tp);
            listenStop(tp);
        } else if (old.needReset() || tp.sndNxt != tp.sendBuf.endSeq() + (tp.finQueued ? 1 : 0)
                && (old == TcpState.CLOSING || old == TcpState.LAST_ACK)) {
            tcp.output.sendActiveReset(tp);
            tp.err = Errno.ECONNRESET;
        } else if (old == TcpState.SYN_SENT) {
            tp.err = Errno.ECONNRESET;
        }
        TcpTimers.clearAll(tp);
        tcp.unhashEstablished(tp);
        if (tp.portHeld && (tp.userLocks & Sock.BINDPORT_LOCK) == 0) {
            tcp.ports().unbind(tp);
            tp.portHeld = false;
            tp.sport = 0;
        }
        if ((tp.userLocks & Sock.BINDADDR_LOCK) == 0) { tp.saddr = 0; tp.rcvSaddr = 0; }
        tp.shutdown = 0;
        tp.dport = 0;
        tp.daddr = 0;
        tp.sendBuf.clear();
        tp.sendBuf.trim();
        if (tp.zc != null) tp.zc.purge(tp);
        if (tp.txStamps != null) tp.txStamps.purge();
        tp.rcvQueue.reset(0);
        tp.finQueued = tp.finReceived = tp.oooFin = false;
        tp.sacked.clear();
        tp.rexmit.clear();
        tp.sentLog.clear();
        tp.rack.reset();
        tp.sackN = 0;
        tp.dsackPending = false;
        tp.ackPending = false;
        tp.quickAcks = 0;
        tp.atoNs = 0;
        tp.srttUs = tp.mdevUs = tp.rttvarUs = tp.mdevMaxUs = 0;
        tp.minRttUs = Long.MAX_VALUE;
        tp.rtoNs = TcpSock.TIMEOUT_INIT;
        tp.backoff = tp.retransmits = tp.probesOut = tp.dupAcks = 0;
        tp.retransStampNs = 0;
        tp.sndCwnd = TcpSock.INIT_CWND;
        tp.sndSsthresh = Integer.MAX_VALUE;
        tp.caState = CongestionOps.CA_OPEN;
        tp.sndWnd = tp.maxWindow = 0;
        tp.tsRecent = 0;
        tp.tsRecentStampNs = 0;
        tp.routeValid = false;
        TcpFastOpen.disconnect(tp);
        tp.errorReport();
        return 0;
    }

    // ================================================================== connect

    /**
     * tcp_v4_connect: route, source address, source port (inet_hash_connect), ISN (RFC 6528) and
     * the SYN with Linux's option set. Returns 0 with the sock in SYN_SENT, or -errno.
     */
    public static int connect(TcpSock tp, int daddr, int dport) {
        Tcp tcp = tp.tcp;
        Tracer tr = tp.stack.trace();
        if (tp.st == TcpState.TIME_WAIT) done(tp);
        Route rt = tcp.ip.route(daddr, tp.rcvSaddr, tp.boundDevIf);
        if (rt == null) return -Errno.ENETUNREACH;
        if (rt.type == Route.RTN_MULTICAST || rt.type == Route.RTN_BROADCAST) return -Errno.ENETUNREACH;
        if (daddr == 0) daddr = 0x7f000001;                    // INADDR_ANY means this host (ip_route_connect)
        int saddr = tp.rcvSaddr != 0 ? tp.rcvSaddr : rt.prefSrc;
        tp.daddr = daddr;
        tp.dport = dport;
        if (tp.sport == 0) {
            tp.saddr = saddr;
            int r = tcp.ports().connectPort(tp, saddr, daddr, dport, tcp::tupleInUse);
            if (r < 0) {
                tp.daddr = 0;
                tp.dport = 0;
                return r;
            }
            tp.portHeld = true;
        } else if (tcp.tupleInUse(saddr, tp.sport, daddr, dport)) {
            tp.daddr = 0;
            tp.dport = 0;
            return -Errno.EADDRNOTAVAIL;
        }
        tp.saddr = saddr;
        if (tp.rcvSaddr == 0) tp.rcvSaddr = saddr;
        setRoute(tp, rt);
        if (tr.on) tr.note("tcp_v4_connect: route via ifindex " + rt.ifindex + ", " + tp);
        startConnect(tp);
        tcp.hashEstablished(tp);
        if (tcp.fastopen.deferConnect(tp)) return 0;            // TCP_FASTOPEN_CONNECT: the first write sends the SYN
        tcpConnect(tp);
        return 0;
    }

    /**
     * tcp_connect: the SYN goes out, now or at the first write of a deferred Fast Open connect;
     * a Fast Open under way decides its option and data (tcp_send_syn_data).
     */
    static void tcpConnect(TcpSock tp) {
        Tcp tcp = tp.tcp;
        tcp.mib.inc(TcpMib.ActiveOpens);
        tp.retransStampNs = tp.stack.now();
        if (tp.fastopenReq != null) tcp.fastopen.sendSynData(tp);
        else tcp.output.sendSyn(tp);
        TcpTimers.resetRetrans(tp, tp.rtoNs);
    }

    /** tcp_connect_init: the numbers of an active open. */
    static void startConnect(TcpSock tp) {
        Tcp tcp = tp.tcp;
        var sys = tp.stack.sysctl();
        tp.tsOk = sys.tcpTimestamps.value() != 0;
        tp.sackOk = sys.tcpSack.value() != 0;
        tp.wscaleOk = sys.tcpWindowScaling.value() != 0;
        tp.tsOffset = sys.tcpTimestamps.value() == 1 ? tcp.tsOffset(tp.saddr, tp.daddr) : 0;
        tp.advmss = tp.advmssFor(tp.route.mtu);
        tp.peerMss = 0;
        tp.mssCache = TcpSock.DEFAULT_MSS;
        tp.rcvWscale = tp.wscaleOk ? selectWscale(tp) : 0;
        int space = tp.fullSpace();
        // tcp_select_initial_window: 65535 rounded down to the MSS (64240 for 1460).
        tp.rcvWnd = Math.min(space, 65535) / tp.advmss * tp.advmss;
        tp.rcvSsthresh = tp.rcvWnd;
        tp.rcvWup = 0;
        tp.iss = tcp.isn(tp.saddr, tp.sport, tp.daddr, tp.dport);
        tp.sndUna = tp.iss;
        tp.sndUp = tp.iss;
        tp.sndNxt = tp.iss + 1;
        tp.sendBuf.clear();
        tp.sendBuf.headSeq = tp.iss + 1;
        tp.sndSml = tp.pushedSeq = tp.cwndUsageSeq = tp.iss + 1;
        tp.rcvQueue.reset(0);
        tp.rtoNs = TcpSock.TIMEOUT_INIT;
        tp.retransmits = 0;
        tp.backoff = 0;
        tp.synMssClamp = tp.userMss > 0 ? tp.userMss : TcpSock.DEFAULT_MSS;   // rx_opt.mss_clamp
        tp.err = 0;
        tp.shutdown = 0;
        tp.finQueued = tp.finReceived = false;
        tp.setState(TcpState.SYN_SENT);
    }

    /** tcp_create_openreq_child + tcp_v4_syn_recv_sock: the full sock for a completed handshake. */
    static TcpSock createChild(TcpSock l, TcpRequestSock req) {
        Tcp tcp = l.tcp;
        Route rt = tcp.ip.route(req.raddr, req.laddr, 0);
        if (rt == null) return null;
        // An MPTCP listener hands out the plain TCP subflow when the SYN carried no MP_CAPABLE
        // (mptcp_stream_accept's fallback): here that is every SYN, so children are IPPROTO_TCP.
        TcpSock c = (TcpSock) INSTANCE.create(l.stack, l.family, l.type, In.IPPROTO_TCP);
        // Inherited from the listener (sk_clone_lock copies the sock).
        c.rcvBuf = l.rcvBuf;
        c.sndBuf = l.sndBuf;
        c.userLocks = l.userLocks & (Sock.SNDBUF_LOCK | Sock.RCVBUF_LOCK);
        c.keepOpen = l.keepOpen;
        c.linger = l.linger;
        c.lingerSecs = l.lingerSecs;
        c.rcvLowat = l.rcvLowat;
        c.rcvTimeo = l.rcvTimeo;
        c.sndTimeo = l.sndTimeo;
        c.ttl = l.ttl;
        c.tos = l.tos;
        c.recvErr = l.recvErr;
        c.zerocopy = l.zerocopy;                 // SOCK_ZEROCOPY; sk_zckey starts again at 0
        c.tsflags = l.tsflags;
        c.tstampNew = l.tstampNew;
        c.nonagle = l.nonagle;
        c.userMss = l.userMss;
        c.keepIdleS = l.keepIdleS;
        c.keepIntvlS = l.keepIntvlS;
        c.keepCnt = l.keepCnt;
        c.linger2Ns = l.linger2Ns;
        c.userTimeoutMs = l.userTimeoutMs;
        c.notsentLowat = l.notsentLowat;
        c.userWindowClamp = l.userWindowClamp;
        c.ccName = l.ccName;
        c.cc = CongestionOps.create(l.ccName);
        c.pmtudisc = l.pmtudisc;
        c.v6 = l.v6;
        c.uid = l.uid;
        c.rcvSaddr = req.laddr;
        c.saddr = req.laddr;
        c.sport = req.lport;
        c.daddr = req.raddr;
        c.dport = req.rport;
        setRoute(c, rt);
        c.iss = req.iss;
        c.irs = req.irs;
        c.sndUna = req.iss;
        c.sndUp = req.iss;
        c.ecnFlags = req.ecnOk ? TcpEcn.OK : 0;
        c.sndNxt = req.iss + 1;
        c.sendBuf.headSeq = req.iss + 1;
        c.sndSml = c.pushedSeq = c.cwndUsageSeq = req.iss + 1;
        c.rcvQueue.reset(req.irs + 1);
        c.rcvWnd = req.rcvWnd;
        c.rcvWup = req.irs + 1;
        c.rcvSsthresh = req.rcvWnd;
        c.wscaleOk = req.wscaleOk;
        c.sndWscale = req.sndWscale;
        c.rcvWscale = req.rcvWscale;
        c.sackOk = req.sackOk;
        c.tsOk = req.tsOk;
        c.tsOffset = req.tsOffset;
        c.tsRecent = req.tsRecent;
        c.tsRecentStampNs = l.stack.now();
        c.peerMss = req.peerMss;
        c.advmss = l.advmssFor(rt.mtu);
        c.syncMss();
        c.initRcvMss();
        c.sndWnd = req.peerWindow;
        c.sndWl1 = req.irs;
        c.retransmits = req.numRetrans;
        c.retransStampNs = 0;
        // tcp_synack_rtt_meas: without timestamps the SYN-ACK's send time gives the first RTT
        // sample (this ACK is what answers it), unless it was retransmitted (Karn).
        if (!req.tsOk && req.numRetrans == 0 && req.sntSynackNs != TcpRequestSock.NOT_SENT)
            TcpTimers.rttEstimator(c, Math.max(1, (l.stack.now() - req.sntSynackNs) / 1000));
        c.setState(TcpState.SYN_RECV);
        return c;
    }

    // ================================================================== listen / accept

    /** inet_csk_listen_start (and a relisten, which only changes the backlog). */
    public static int listen(TcpSock tp, int backlog) {
        Tcp tcp = tp.tcp;
        if (tp.st == TcpState.LISTEN) {
            tp.maxAckBacklog = backlog;
            return 0;
        }
        if (tp.st != TcpState.CLOSE) return -Errno.EINVAL;
        // get_port again: another listener on an overlapping address holds the port (unless both reuseport).
        if (tp.sport != 0) {
            if (tp.portHeld) {
                int r = tcp.ports().listenCheck(tp);
                if (r < 0) return r;
            }
        } else {
            int r = tcp.ports().bind(tp, tp.rcvSaddr, 0);
            if (r < 0) return r;
            tp.portHeld = true;
        }
        tp.maxAckBacklog = backlog;
        tcp.fastopen.listenStart(tp, backlog);
        tp.acceptQueue = new ArrayDeque<>();
        tp.synQueue = new LinkedHashMap<>();
        tp.shutdown = 0;
        tp.setState(TcpState.LISTEN);
        tcp.hashListener(tp);
        return 0;
    }

    /** inet_csk_accept: the oldest established child, waiting (SO_RCVTIMEO) unless non-blocking. */
    public static int accept(TcpSock l, Socket newSock, boolean nonBlocking) {
        if (l.st != TcpState.LISTEN) return -Errno.EINVAL;
        long deadline = nonBlocking ? 0 : l.deadline(l.rcvTimeo);
        while (l.acceptQueue.isEmpty()) {
            if (nonBlocking || deadline != Long.MAX_VALUE && l.stack.now() >= deadline) return -Errno.EAGAIN;
            int r = l.sleep(deadline);
            if (r == -Errno.EINTR) return r;
            if (l.st != TcpState.LISTEN) return -Errno.EINVAL;
        }
        TcpSock c = l.acceptQueue.poll();
        c.parent = null;
        newSock.graft(c);
        newSock.state = Socket.SS_CONNECTED;
        return 0;
    }

    // ================================================================== send

    /** tcp_sendmsg. */
    public static int sendmsg(TcpSock tp, MsgHdr msg, int flags, boolean nonBlocking) {
        // Fast Open (RFC 7413): connect with this data in the SYN; the rest follows once connected.
        int copiedSyn = 0;
        if (((flags & Net.MSG_FASTOPEN) != 0 || tp.deferConnect) && !tp.repair) {
            FastOpenRequest fo = new FastOpenRequest(msg, iovTotal(msg));
            int err = tp.tcp.fastopen.sendmsg(tp, fo, msg, flags);
            if (err == -Errno.EINPROGRESS && fo.copied > 0) {
                // The SYN took the data (tcp_send_syn_data): a MSG_ZEROCOPY send still gets its
                // notification id, completed when the SYN-ACK acknowledges the data.
                if ((flags & ErrQueue.MSG_ZEROCOPY) != 0 && tp.zerocopy) {
                    if (tp.zc == null) tp.zc = new TcpZerocopy();
                    tp.zc.sent(tp, false, tp.sendBuf.endSeq(), fo.copied);
                }
                return fo.copied;
            }
            if (err != 0) return streamError(tp, err);
            copiedSyn = fo.copied;
        }
        boolean nb = nonBlocking || (flags & Net.MSG_DONTWAIT) != 0;
        long deadline = nb ? 0 : tp.deadline(tp.sndTimeo);
        if (!tp.st.canSend() && !TcpFastOpen.passive(tp)) {
            int r = waitConnect(tp, nb, deadline);
            if (r < 0) return streamError(tp, r);
        }
        long total = 0;
        for (int i = 0; i < msg.iovCount(); i++) {
            if (msg.iovLen[i] < 0 || msg.iov[i] == null && msg.iovLen[i] > 0
                    || msg.iov[i] != null && msg.iovLen[i] > msg.iov[i].length) return -Errno.EFAULT;
            total += msg.iovLen[i];
        }
        if (tp.err != 0 || (tp.shutdown & Sock.SEND_SHUTDOWN) != 0) return streamError(tp, -Errno.EPIPE);
        // MSG_ZEROCOPY counts only with SO_ZEROCOPY set; otherwise it is an ordinary send.
        boolean zc = (flags & ErrQueue.MSG_ZEROCOPY) != 0 && tp.zerocopy && total > 0;
        boolean zcExtend = false;
        if (zc) {
            if (tp.zc == null) tp.zc = new TcpZerocopy();
            zcExtend = tp.zc.canExtend(tp, (int) Math.min(total, Integer.MAX_VALUE));
        }
        int writeStart = tp.sendBuf.endSeq();
        int copied = copiedSyn;
        int skip = copiedSyn;                                    // what the SYN already took
        int err = 0;
        int sizeGoal = tp.sizeGoal();
        outer:
        for (int i = 0; i < msg.iovCount(); i++) {
            int off = Math.min(skip, msg.iovLen[i]), remaining = msg.iovLen[i] - off;
            skip -= off;
            while (remaining > 0) {
                if (tp.err != 0 || (tp.shutdown & Sock.SEND_SHUTDOWN) != 0) { err = -Errno.EPIPE; break outer; }
                int room = tp.sendBuf.tailRoom(sizeGoal, tp.sndNxt);
                if (zc && room > 0 && tp.zc.fitting(off, remaining) == 0) {
                    // skb_zerocopy_iter_stream's -EMSGSIZE: the tail skb has no frag left for the
                    // next page of the caller's buffer. tcp_mark_push, and on to a new skb.
                    markPush(tp);
                    room = 0;
                }
                if (room <= 0) {
                    // new_segment: only a new skb asks for memory; the tail one fills to size_goal regardless.
                    if (!memoryFree(tp)) {
                        tp.chrono.start(TcpChrono.SNDBUF_LIMITED, tp.stack.now());
                        if (copied > 0) {
                            // wait_for_space: tcp_push(flags & ~MSG_MORE) marks and pushes what this write queued.
                            markPush(tp);
                            tp.tcp.output.writeXmit(tp, tp.nonagle | TcpSock.NAGLE_PUSH);
                        }
                        int r = waitMemory(tp, nb, deadline);
                        if (r < 0) { err = r; break outer; }
                        sizeGoal = tp.sizeGoal();
                        continue;
                    }
                    if (tp.sendBuf.endSeq() == tp.sndNxt) {              // the first unsent skb
                        slowStartAfterIdleCheck(tp);
                        tp.chrono.start(TcpChrono.BUSY, tp.stack.now());
                    }
                    tp.sendBuf.entail();
                    if (tp.zc != null) tp.zc.tailFrags = 0;
                    room = sizeGoal;
                } else if (copied == 0) {
                    tp.sendBuf.clearTailPush();      // the earlier write's push point is no longer its end
                }
                int n = Math.min(room, remaining);
                if (zc) n = tp.zc.fitting(off, n);             // a fresh skb has every frag free
                tp.sendBuf.append(msg.iov[i], off, n);
                if (zc) {
                    tp.zc.tailFrags += TcpZerocopy.pages(off, n);
                    tp.sendBuf.markZerocopy();
                }
                off += n;
                remaining -= n;
                copied += n;
                if (copied == total || n < room) continue;
                // The tail skb is full: push it now if too much is unpushed, else send it alone if it
                // is the next to go (tcp_push_one).
                if (forcedPush(tp)) {
                    markPush(tp);
                    tp.tcp.output.writeXmit(tp, tp.nonagle | TcpSock.NAGLE_PUSH);
                } else if (tp.sendBuf.skbStartsAt(tp.sndNxt) && tp.sendBuf.skbEndOf(tp.sndNxt) == tp.sendBuf.endSeq()) {
                    tp.tcp.output.pushOne(tp);
                }
            }
        }
        if (copied > 0) {
            if (zc) tp.zc.sent(tp, zcExtend, tp.sendBuf.endSeq(), copied);
            // tcp_tx_timestamp: before the push, so the segment that sends the last byte is stamped.
            if ((tp.tsflags & ErrQueue.SOF_TIMESTAMPING_TX_RECORD_MASK) != 0) {
                if (tp.txStamps == null) tp.txStamps = new TcpTxTimestamps();
                tp.txStamps.record(tp, writeStart);
            }
            // tcp_push: the end of a write is a push point unless more is promised (MSG_MORE);
            // MSG_OOB makes its last byte urgent (tcp_mark_urg).
            if ((flags & Net.MSG_MORE) == 0 || forcedPush(tp)) markPush(tp);
            if ((flags & Net.MSG_OOB) != 0) TcpUrgent.markSend(tp, tp.sendBuf.endSeq());
            // MSG_EOR (tcp_eor_skb): this write ends a record; later data starts a new skb.
            if ((flags & Net.MSG_EOR) != 0) tp.sendBuf.markEor();
            int nonagle = (flags & Net.MSG_MORE) != 0 ? TcpSock.NAGLE_CORK : tp.nonagle;
            tp.tcp.output.writeXmit(tp, nonagle);
            return copied;
        }
        return streamError(tp, err);
    }

    /**
     * tcp_slow_start_after_idle_check + tcp_cwnd_restart (RFC 2861 / RFC 5681 §4.1): a connection
     * idle for more than an RTO with nothing in flight halves cwnd per RTO idle, down to the
     * initial window at least, and keeps three quarters of the old window in ssthresh.
     */
    static void slowStartAfterIdleCheck(TcpSock tp) {
        if (tp.stack.sysctl().tcpSlowStartAfterIdle.value() == 0 || tp.sndNxt != tp.sndUna || tp.lastDataSentNs == 0)
            return;
        long delta = tp.stack.now() - tp.lastDataSentNs;
        if (delta <= tp.rtoNs) return;
        int cwnd = tp.sndCwnd;
        int restart = Math.min(TcpSock.INIT_CWND, cwnd);
        // tcp_current_ssthresh: keep three quarters of the window as the point to slow-start back to.
        if (tp.caState < CongestionOps.CA_CWR)
            tp.sndSsthresh = Math.max(tp.sndSsthresh, (cwnd >> 1) + (cwnd >> 2));
        while ((delta -= tp.rtoNs) > 0 && cwnd > restart) cwnd >>= 1;
        tp.sndCwnd = Math.max(cwnd, restart);
        var tr = tp.stack.trace();
        if (tr.on) tr.event("tcp_cwnd_restart", tp + " cwnd " + tp.sndCwnd + " ssthresh " + tp.sndSsthresh);
    }

    /** forced_push: more than half the peer's largest window was written since the last push mark. */
    private static boolean forcedPush(TcpSock tp) {
        return SeqNum.gt(tp.sendBuf.endSeq(), tp.pushedSeq + (tp.maxWindow >>> 1));
    }

    /** tcp_mark_push: the tail skb gets PSH; pushed_seq catches up with write_seq. */
    private static void markPush(TcpSock tp) {
        tp.pushedSeq = tp.sendBuf.endSeq();
        tp.sendBuf.markPush();
    }

    /** sk_stream_error: EPIPE becomes the pending socket error if there is one. */
    private static int streamError(TcpSock tp, int err) {
        if (err == -Errno.EPIPE) {
            int e = tp.takeError();
            return e != 0 ? -e : -Errno.EPIPE;
        }
        return err;
    }

    /** The bytes a msghdr's buffers hold (the length tcp_sendmsg is asked to send). */
    private static int iovTotal(MsgHdr msg) {
        long n = 0;
        for (int i = 0; i < msg.iovCount(); i++) n += Math.max(msg.iovLen[i], 0);
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** sk_stream_wait_connect: a writer waiting here is write-pending, so the handshake's ACK can wait for its data. */
    private static int waitConnect(TcpSock tp, boolean nb, long deadline) {
        for (;;) {
            if (tp.err != 0) return -tp.takeError();
            if (!tp.st.handshake()) return tp.st.canSend() ? 0 : -Errno.EPIPE;
            if (nb || deadline != Long.MAX_VALUE && tp.stack.now() >= deadline) return -Errno.EAGAIN;
            tp.writePending++;
            int r = tp.sleep(deadline);
            tp.writePending--;
            if (r == -Errno.EINTR) return r;
        }
    }

    /**
     * inet_wait_for_connect: sleeps until the handshake is over, the deadline passes (-EAGAIN) or
     * a signal comes (-EINTR). A Fast Open sendmsg whose SYN did not take all its data waits as a
     * writer (writebias), so the handshake's ACK waits for that data.
     */
    public static int waitForConnect(TcpSock tp, long deadline) {
        int writebias = tp.fastopenReq != null && tp.fastopenReq.msg != null ? 1 : 0;
        tp.writePending += writebias;
        try {
            while (tp.st.handshake()) {
                if (deadline != Long.MAX_VALUE && tp.stack.now() >= deadline) return -Errno.EAGAIN;
                int r = tp.sleep(deadline);
                if (r == -Errno.EINTR) return r;
                if (r == -Errno.EAGAIN && tp.st.handshake()) return r;
            }
            return 0;
        } finally {
            tp.writePending -= writebias;
        }
    }

    /** sk_stream_wait_memory. */
    private static int waitMemory(TcpSock tp, boolean nb, long deadline) {
        for (;;) {
            if (tp.err != 0 || (tp.shutdown & Sock.SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
            if (memoryFree(tp)) return 0;
            if (nb || deadline != Long.MAX_VALUE && tp.stack.now() >= deadline) return -Errno.EAGAIN;
            int r = tp.sleep(deadline);
            if (r == -Errno.EINTR) return r;
        }
    }

    // ================================================================== receive

    /** tcp_recvmsg. */
    public static int recvmsg(TcpSock tp, MsgHdr msg, int flags, boolean nonBlocking) {
        // inet_recv_error comes first, in any state: zerocopy completions and transmit timestamps.
        if ((flags & Net.MSG_ERRQUEUE) != 0) {
            int len = InetDgramOps.iovTotal(msg);
            return len < 0 ? len : IpRecvError.recv(tp, msg, len);
        }
        if (tp.st == TcpState.LISTEN) return -Errno.ENOTCONN;
        if ((flags & Net.MSG_OOB) != 0) {
            long oobLen = 0;
            for (int i = 0; i < msg.iovCount(); i++) oobLen += Math.max(msg.iovLen[i], 0);
            msg.flags = 0;
            return TcpUrgent.recv(tp, msg, flags, (int) Math.min(oobLen, Integer.MAX_VALUE));
        }
        boolean nb = nonBlocking || (flags & Net.MSG_DONTWAIT) != 0;
        long deadline = nb ? 0 : tp.deadline(tp.rcvTimeo);
        boolean peek = (flags & Net.MSG_PEEK) != 0;
        boolean trunc = (flags & Net.MSG_TRUNC) != 0;
        long len = 0;
        // A negative length is a range access_ok refuses up front; memory that is not there (a
        // NULL or short buffer) only faults when data is copied into it, so an empty queue still
        // answers EAGAIN first.
        for (int i = 0; i < msg.iovCount(); i++) {
            if (msg.iovLen[i] < 0) return -Errno.EFAULT;
            len += msg.iovLen[i];
        }
        int want = (int) Math.min(len, Integer.MAX_VALUE);
        int target = (flags & Net.MSG_WAITALL) != 0 ? want : Math.max(1, Math.min(tp.rcvLowat, want));
        int copied = 0;
        int iov = 0, iovOff = 0;
        boolean timedOut = false;
        msg.flags = 0;
        // SO_PEEK_OFF: a peek starts that many bytes past the unread data's start (peek_seq).
        int peekBase = peek ? Math.max(tp.peekOff, 0) : 0;
        copying:
        while (want - copied > 0) {
            TcpReceiveQueue q = tp.rcvQueue;
            int skip = peek ? peekBase + copied : 0;
            int avail = q.readable() - skip;
            if (avail > 0 && tp.urgData != 0) {
                // Reads stop at the urgent mark; at it, the urgent byte is stepped over unless
                // SO_OOBINLINE keeps it in the stream (tcp_recvmsg's urg_hole).
                int pos = tp.copiedSeq() + skip;
                if (tp.urgSeq == pos) {
                    if (copied > 0) break;
                    if (!tp.oobInline) {
                        if (peek) peekBase++;
                        else {
                            q.consume(1);
                            TcpUrgent.readPast(tp);
                        }
                        continue;
                    }
                } else {
                    avail = TcpUrgent.beforeMark(tp, pos, avail);
                }
            }
            if (avail > 0) {
                int n = Math.min(avail, want - copied);
                if (trunc) {
                    if (!peek) q.consume(n);
                    copied += n;
                } else {
                    while (n > 0) {
                        while (iov < msg.iovCount() && iovOff >= msg.iovLen[iov]) { iov++; iovOff = 0; }
                        int chunk = Math.min(n, msg.iovLen[iov] - iovOff);
                        if (msg.iov[iov] == null || iovOff + chunk > msg.iov[iov].length) {
                            // skb_copy_datagram_msg faulted: this chunk is not consumed.
                            if (copied > 0 && !peek) cleanupRbuf(tp, copied);
                            if (copied == 0) copied = -Errno.EFAULT;
                            break copying;
                        }
                        int got = q.read(msg.iov[iov], iovOff, chunk, skip, peek);
                        iovOff += got;
                        copied += got;
                        skip += peek ? got : 0;
                        n -= got;
                    }
                }
                if (!peek) {
                    TcpUrgent.readPast(tp);
                    cleanupRbuf(tp, copied);
                }
                continue;
            }
            if (copied >= target) break;
            if (copied > 0) {
                if (nb || timedOut || tp.err != 0 || tp.st == TcpState.CLOSE || (tp.shutdown & Sock.RCV_SHUTDOWN) != 0) break;
            } else {
                if (tp.finReceived) break;
                if (tp.err != 0) { copied = -tp.takeError(); break; }
                if ((tp.shutdown & Sock.RCV_SHUTDOWN) != 0) break;
                if (tp.st == TcpState.CLOSE) { copied = -Errno.ENOTCONN; break; }
                if (nb || timedOut) { copied = -Errno.EAGAIN; break; }
            }
            if (peek && copied > 0) break;                      // a peek waits only for the first bytes
            int r = tp.sleep(deadline);
            if (r == -Errno.EINTR) {
                if (copied == 0) copied = -Errno.EINTR;
                break;
            }
            if (r == -Errno.EAGAIN) timedOut = true;
        }
        if (copied > 0 && !peek) rcvSpaceAdjust(tp);
        // sk_peek_offset_fwd / _bwd: a peek moves the offset on, a read takes back what it consumed.
        if (copied > 0 && tp.peekOff >= 0) tp.peekOff = peek ? tp.peekOff + copied : Math.max(0, tp.peekOff - copied);
        if (copied >= 0 && tp.recvmsgInq) putInqCmsg(tp, msg);
        return copied;
    }

    /**
     * tcp_splice_read: moves received bytes into {@code sink} (a pipe) while they are there and it
     * has room, as tcp_read_sock does: never past the urgent mark (at the mark, with data queued,
     * it returns 0 rather than spin: the mark needs a recv), and waiting only while nothing was
     * moved yet.
     */
    public static int spliceRead(TcpSock tp, io.jnetstack.socket.SpliceSink sink, int len, boolean nonBlocking) {
        if (tp.st == TcpState.LISTEN) return -Errno.ENOTCONN;
        long deadline = nonBlocking ? 0 : tp.deadline(tp.rcvTimeo);
        int spliced = 0;
        while (spliced < len) {
            TcpReceiveQueue q = tp.rcvQueue;
            int avail = q.readable();
            if (tp.urgData != 0) avail = TcpUrgent.beforeMark(tp, tp.copiedSeq(), avail);
            int n = Math.min(Math.min(avail, len - spliced), sink.space());
            if (n > 0) {
                byte[] chunk = new byte[n];
                q.read(chunk, 0, n, 0, false);
                sink.put(chunk, 0, n);
                spliced += n;
                TcpUrgent.readPast(tp);
                cleanupRbuf(tp, n);
                continue;
            }
            if (spliced > 0 || sink.space() == 0) break;
            if (tp.finReceived) break;
            if (tp.err != 0) return -tp.takeError();
            if ((tp.shutdown & Sock.RCV_SHUTDOWN) != 0) break;
            if (tp.st == TcpState.CLOSE) return -Errno.ENOTCONN;
            if (nonBlocking) return -Errno.EAGAIN;
            if (q.readable() > 0) break;                          // at the urgent mark
            int r = tp.sleep(deadline);
            if (r == -Errno.EINTR) return -Errno.EINTR;
            if (r == -Errno.EAGAIN) return -Errno.EAGAIN;
        }
        if (spliced > 0) rcvSpaceAdjust(tp);
        return spliced;
    }

    /**
     * tcp_inq_hint as a TCP_CM_INQ cmsg: the bytes between copied_seq and rcv_nxt, which counts a
     * received FIN as one byte, so a reader that drained the data still sees 1 and reads on to EOF.
     */
    private static void putInqCmsg(TcpSock tp, MsgHdr msg) {
        int inq = tp.rcvQueue.readable() + (tp.finReceived ? 1 : 0);
        byte[] d = tp.cmsgScratch;
        Cmsg.putInt(d, 0, inq);
        Cmsg.put(msg, Cmsg.begin(msg), Net.SOL_TCP, TcpOpts.TCP_CM_INQ, d, 4);
    }

    /**
     * tcp_cleanup_rbuf: after a read, ACK at once when an ACK is pending and either we are in
     * quickack mode or more than one full segment is unacknowledged (the every-second-segment ACK
     * that input held back because the window would have shrunk while the data sat unread: without
     * this a bulk receiver sends stretch ACKs), or when the read opened the window a lot.
     */
    private static void cleanupRbuf(TcpSock tp, int copied) {
        if (copied <= 0 || (tp.shutdown & Sock.RCV_SHUTDOWN) != 0 || !tp.st.synchronizedState()) return;
        int now = Math.max(0, tp.rcvWup + tp.rcvWnd - tp.rcvNxt());
        if (tp.ackPending && (tp.quickAcks > 0 && !tp.pingpong || tp.rcvNxt() - tp.rcvWup > tp.rcvMss)) {
            tp.tcp.output.sendAck(tp);
            return;
        }
        if (2L * now <= tp.fullSpace()) {
            int nw = tp.tcp.output.freeWindow(tp);
            if (nw != 0 && nw >= 2L * now) tp.tcp.output.sendAck(tp);
        }
    }

    /**
     * tcp_rcv_space_adjust (tcp_moderate_rcvbuf): once per RTT, if the application read more than
     * the buffer's current "space", let rcvbuf grow so the window can follow (up to tcp_rmem[2]).
     */
    private static void rcvSpaceAdjust(TcpSock tp) {
        if (tp.stack.sysctl().tcpModerateRcvbuf.value() == 0 || (tp.userLocks & Sock.RCVBUF_LOCK) != 0) return;
        long rtt = tp.srttUs != 0 ? (tp.srttUs >> 3) * 1000 : 0;
        if (rtt == 0) rtt = 10 * TcpSock.MS;
        long now = tp.stack.now();
        if (now - tp.rcvSpaceTimeNs < rtt) return;
        int copied = tp.copiedSeq() - tp.rcvSpaceSeq;
        if (copied > tp.rcvSpace) {
            long rcvbuf = Math.min(4L * copied, tp.stack.sysctl().tcpRmem.value(2));
            if (rcvbuf > tp.rcvBuf) {
                tp.rcvBuf = (int) rcvbuf;
                tp.rcvSsthresh = Math.max(tp.rcvSsthresh, Math.min(tp.fullSpace(), 2 * copied));
            }
            tp.rcvSpace = copied;
        }
        tp.rcvSpaceSeq = tp.copiedSeq();
        tp.rcvSpaceTimeNs = now;
    }

    // ================================================================== shutdown, poll, ioctl

    /** tcp_shutdown's protocol part (SHUT_WR): send our FIN. */
    public static void shutdownSend(TcpSock tp) {
        if (tp.st == TcpState.ESTABLISHED || tp.st == TcpState.SYN_SENT || tp.st == TcpState.SYN_RECV
                || tp.st == TcpState.CLOSE_WAIT) {
            if (closeState(tp)) sendFin(tp);
        }
    }

    /** tcp_poll. */
    public static int poll(TcpSock tp) {
        TcpState s = tp.st;
        if (s == TcpState.LISTEN) return tp.acceptQueue.isEmpty() ? 0 : Poll.POLLIN | Poll.POLLRDNORM;
        int mask = 0;
        boolean closed = s == TcpState.CLOSE || s == TcpState.TIME_WAIT;
        if (tp.shutdown == Sock.SHUTDOWN_MASK || closed) mask |= Poll.POLLHUP;
        if ((tp.shutdown & Sock.RCV_SHUTDOWN) != 0) mask |= Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDHUP;
        if (s != TcpState.SYN_SENT && (s != TcpState.SYN_RECV || tp.fastopenRsk != null)) {
            int target = Math.max(1, tp.rcvLowat);
            // At the mark the urgent byte is not data (unless inline): one more byte is needed.
            if (!tp.oobInline && TcpUrgent.atMark(tp)) target++;
            if (tp.rcvQueue.readable() >= target || tp.rcvQueue.readable() > 0 && tp.finReceived)
                mask |= Poll.POLLIN | Poll.POLLRDNORM;
            if ((tp.urgData & TcpUrgent.VALID) != 0) mask |= Poll.POLLPRI;
            if ((tp.shutdown & Sock.SEND_SHUTDOWN) == 0) {
                if (streamWriteable(tp)) mask |= Poll.POLLOUT | Poll.POLLWRNORM;
            } else {
                mask |= Poll.POLLOUT | Poll.POLLWRNORM;
            }
        } else if (s == TcpState.SYN_SENT && tp.deferConnect) {
            // A deferred Fast Open connect: writable, so that the application's write sends the SYN.
            mask |= Poll.POLLOUT | Poll.POLLWRNORM;
        }
        if (tp.err != 0 || !tp.errQueue.isEmpty()) mask |= Poll.POLLERR;
        return mask;
    }

    /** tcp_ioctl: SIOCINQ, SIOCATMARK, SIOCOUTQ, SIOCOUTQNSD. Writes the value to {@code arg[0]}. */
    public static int ioctl(TcpSock tp, long cmd, int[] arg) {
        int v;
        if (cmd == Fcntl.SIOCINQ) {
            if (tp.st == TcpState.LISTEN) return -Errno.EINVAL;
            v = tp.st.handshake() ? 0 : tp.rcvQueue.readable();
            // Measured on Linux 6.18: with an urgent byte pending (not inline), only the bytes
            // before the mark count.
            if (v > 0 && !tp.oobInline) v = TcpUrgent.beforeMark(tp, tp.copiedSeq(), v);
        } else if (cmd == Fcntl.SIOCATMARK) {
            v = TcpUrgent.atMark(tp) ? 1 : 0;
        } else if (cmd == Fcntl.SIOCOUTQ) {
            if (tp.st == TcpState.LISTEN) return -Errno.EINVAL;
            v = tp.st.handshake() ? 0 : tp.writeQueued() + (tp.finQueued && SeqNum.le(tp.sndUna, tp.finSeq) ? 0 : 0);
        } else if (cmd == Fcntl.SIOCOUTQNSD) {
            if (tp.st == TcpState.LISTEN) return -Errno.EINVAL;
            v = tp.st.handshake() ? 0 : tp.notSent();
        } else {
            return -Errno.ENOIOCTLCMD;
        }
        if (arg != null && arg.length > 0) arg[0] = v;
        return 0;
    }
}
