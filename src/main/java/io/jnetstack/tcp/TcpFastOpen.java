package io.jnetstack.tcp;

import io.jnetstack.inet.InetStreamOps;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Sysctl;
import io.jnetstack.stack.Sysctls;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Net;
import io.jnetstack.wire.SeqNum;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;

/**
 * TCP Fast Open (RFC 7413) as Linux 6.18 runs it (tcp_fastopen.c and its hooks in the input and
 * output paths): data in the SYN, accepted by the server before the handshake completes when the
 * SYN carries a cookie the server made for that client address.
 *
 * <p><b>Server</b> (§4.2.2). A listener does Fast Open when net.ipv4.tcp_fastopen has the server
 * bit and the listener has a Fast Open queue limit (TCP_FASTOPEN, or every listener with
 * TFO_SERVER_WO_SOCKOPT1). A SYN's cookie request gets a cookie in the SYN-ACK; a SYN with a
 * valid cookie (or any SYN with data under TFO_SERVER_COOKIE_NOT_REQD) makes a child at once: in
 * SYN_RECV, holding the SYN's data, in the accept queue, its SYN-ACK acknowledging the data. The
 * child may send before the handshake completes; its retransmission timer resends the SYN-ACK
 * until the final ACK comes. An invalid cookie only gets the right one back, the data dropped.
 * Cookies are SipHash-2-4 of (client address, server address) under the stack's key
 * (net.ipv4.tcp_fastopen_key, primary and backup) or the listener's (TCP_FASTOPEN_KEY).
 *
 * <p><b>Client</b> (§4.1). sendto/sendmsg with MSG_FASTOPEN connects and sends together; with
 * TCP_FASTOPEN_CONNECT, connect() returns at once and the first write does it. With a cookie
 * for the server in the cache ({@link FastOpenCache}), the SYN carries it and as much data as the
 * cached MSS allows; without one it carries a cookie request and no data, and the data waits for
 * the handshake (a non-blocking call then says EINPROGRESS). The SYN-ACK's cookie and MSS go to
 * the cache; data the SYN-ACK did not acknowledge is sent again at once, without counting as
 * congestion. A server that answers neither kind 34 nor the experimental kind 254 is asked once
 * more in the experimental encoding. Retransmitted SYNs carry neither data nor option.
 *
 * <p>Linux's blackhole detection (tcp_fastopen_blackhole_timeout_sec) pauses active Fast Open
 * after SYNs with Fast Open time out; the default timeout 0 never pauses it.
 */
final class TcpFastOpen {
    /** net.ipv4.tcp_fastopen bits (Documentation/networking/ip-sysctl.rst). */
    static final int CLIENT_ENABLE = 0x1, SERVER_ENABLE = 0x2, CLIENT_NO_COOKIE = 0x4,
            SERVER_COOKIE_NOT_REQD = 0x200, SERVER_WO_SOCKOPT1 = 0x400;
    /** tcpi_fastopen_client_fail values (enum tcp_fastopen_client_fail). */
    static final int FAIL_UNSPEC = 0, FAIL_COOKIE_UNAVAILABLE = 1, FAIL_DATA_NOT_ACKED = 2,
            FAIL_SYN_RETRANSMITTED = 3;
    /** TCP_FASTOPEN_COOKIE_SIZE: the cookies this stack makes are 8 bytes. */
    static final int COOKIE_SIZE = 8;
    /** MAX_TCP_OPTION_SPACE: SYN data leaves room for a full option space, whatever the SYN carries. */
    static final int MAX_TCP_OPTION_SPACE = 40;

    private final Tcp tcp;
    private final Sysctl mode, blackholeTimeoutSec;
    /** net->ipv4.tcp_fastopen_ctx: null until set or first needed. */
    private FastOpenKeys keys;
    /** Scratch cookies: the one we would give (valid_foc) and the backup key's (search_foc). */
    private final FastOpenCookie valid = new FastOpenCookie(), search = new FastOpenCookie();
    /** Scratch: the option the SYN-ACK being built carries; the SYN-ACK's option (client side). */
    final FastOpenCookie synack = new FastOpenCookie();
    private final FastOpenCookie received = new FastOpenCookie();
    final FastOpenCache cache = new FastOpenCache();
    /** tfo_active_disable_times / _stamp: blackhole pauses of active Fast Open. */
    private int activeDisableTimes;
    private long activeDisableStampNs;

    TcpFastOpen(Tcp tcp) {
        this.tcp = tcp;
        Sysctls sys = tcp.stack.sysctl();
        this.mode = sys.tcpFastopen;
        this.blackholeTimeoutSec = sys.define("net.ipv4.tcp_fastopen_blackhole_timeout_sec", 0, Integer.MAX_VALUE, 0);
        sys.defineText("net.ipv4.tcp_fastopen_key", new Sysctls.TextSysctl() {
            @Override public String read() { return FastOpenKeys.format(keys); }

            @Override public int write(String text) {
                FastOpenKeys k = FastOpenKeys.parse(text);
                if (k == null) return -Errno.EINVAL;
                keys = k;
                return 0;
            }
        });
    }

    private long now() { return tcp.stack.now(); }

    /** tcp_passive_fastopen: a Fast Open child still in its handshake, which may already send. */
    static boolean passive(TcpSock tp) { return tp.st == TcpState.SYN_RECV && tp.fastopenRsk != null; }

    /** tcp_fastopen_no_cookie: Fast Open without cookies, for the whole stack or this socket. */
    private boolean noCookie(TcpSock sk, int flag) { return (mode.value() & flag) != 0 || sk.fastopenNoCookie; }

    // ================================================================== keys and cookies

    /** tcp_fastopen_init_key_once: a server that never set a key gets a random one. */
    private void initKeyOnce() {
        if (keys == null) keys = FastOpenKeys.random(tcp.stack.random());
    }

    /** tcp_fastopen_get_ctx: the listener's own keys, else the stack's. */
    private FastOpenKeys keysFor(TcpSock sk) {
        return sk.fastopenq != null && sk.fastopenq.keys != null ? sk.fastopenq.keys : keys;
    }

    private static FastOpenQueue queue(TcpSock sk) {
        if (sk.fastopenq == null) sk.fastopenq = new FastOpenQueue();
        return sk.fastopenq;
    }

    /**
     * __tcp_fastopen_cookie_gen_cipher: SipHash-2-4 of the SYN's source and destination addresses
     * (network order) under key {@code i}, stored little-endian.
     */
    private static void cookieOf(FastOpenKeys k, int i, int client, int server, FastOpenCookie out) {
        // The 8 address bytes in network order, read as SipHash reads a message: little-endian.
        long m = Integer.toUnsignedLong(Integer.reverseBytes(client)) | (long) Integer.reverseBytes(server) << 32;
        long h = SipHash.hash(k.k0(i), k.k1(i), m);
        for (int b = 0; b < COOKIE_SIZE; b++) out.val[b] = (byte) (h >>> (8 * b));
        out.len = COOKIE_SIZE;
        out.exp = false;
    }

    /**
     * tcp_fastopen_cookie_gen_check: which key made the client's cookie, 1 (primary), 2 (backup)
     * or 0. {@code valid} gets the primary key's cookie either way: what the SYN-ACK hands out.
     */
    private int cookieCheck(TcpSock l, TcpRequestSock req, FastOpenCookie orig) {
        FastOpenKeys k = keysFor(l);
        if (k == null) return 0;
        for (int i = 0; i < k.count(); i++) {
            FastOpenCookie c = i == 0 ? valid : search;
            cookieOf(k, i, req.raddr, req.laddr, c);
            if (orig.len == COOKIE_SIZE && c.sameValue(orig)) return i + 1;
        }
        return 0;
    }

    /** TCP_FASTOPEN_KEY: this listener's own keys, 16 bytes or 32 (primary then backup). */
    int setKey(TcpSock tp, byte[] optval, int optlen) {
        if (optlen != FastOpenKeys.KEY_LENGTH && optlen != FastOpenKeys.KEY_BUF_LENGTH) return -Errno.EINVAL;
        if (optval == null || optval.length < optlen) return -Errno.EFAULT;
        queue(tp).keys = FastOpenKeys.ofBytes(optval, optlen);
        return 0;
    }

    /** getsockopt(TCP_FASTOPEN_KEY): the keys in force for this socket (none: zero bytes). */
    byte[] key(TcpSock tp) {
        FastOpenKeys k = keysFor(tp);
        return k == null ? new byte[0] : k.bytes();
    }

    // ================================================================== server

    /** fastopen_queue_tune: the listener's limit, at most somaxconn. */
    private void queueTune(TcpSock sk, int backlog) {
        queue(sk).maxQlen = Math.min(backlog, tcp.stack.sysctl().somaxconn.value());
    }

    /** TCP_FASTOPEN: the Fast Open queue limit of a socket that listens or will. */
    int setQueueLimit(TcpSock tp, int val) {
        if (val < 0 || tp.st != TcpState.CLOSE && tp.st != TcpState.LISTEN) return -Errno.EINVAL;
        initKeyOnce();
        queueTune(tp, val);
        return 0;
    }

    int queueLimit(TcpSock tp) { return tp.fastopenq == null ? 0 : tp.fastopenq.maxQlen; }

    /**
     * inet_listen's part: with TFO_SERVER_WO_SOCKOPT1 (and the server bit) a new listener without
     * its own limit takes its backlog; inet_csk_listen_start empties the queue.
     */
    void listenStart(TcpSock l, int backlog) {
        int m = mode.value();
        if ((m & SERVER_WO_SOCKOPT1) != 0 && (m & SERVER_ENABLE) != 0 && queueLimit(l) == 0) {
            queueTune(l, backlog);
            initKeyOnce();
        }
        if (l.fastopenq != null) l.fastopenq.reset();
    }

    /**
     * tcp_try_fastopen with tcp_conn_request's Fast Open branch: decides what a SYN for listener
     * {@code l} gets. Returns true when it made a Fast Open child (in SYN_RECV with the SYN's
     * data, its SYN-ACK sent, in the accept queue): the caller is done. Otherwise the caller
     * sends the SYN-ACK of {@code req}, with {@link #synack} as its Fast Open option.
     */
    boolean passiveOpen(TcpSock l, TcpRequestSock req, TcpOptions opt, boolean synData) {
        FastOpenCookie foc = synack.from(opt);
        boolean exp = foc.exp;
        valid.none();
        if (foc.len == 0) tcp.ext.inc(TcpExtMib.TCPFastOpenCookieReqd);
        if ((mode.value() & SERVER_ENABLE) == 0 || !synData && foc.len < 0 || !queueCheck(l)) {
            foc.none();
            return false;
        }
        int key = 0;
        if (!noCookie(l, SERVER_COOKIE_NOT_REQD)) {
            if (foc.len == 0) {
                FastOpenKeys k = keysFor(l);
                if (k != null) cookieOf(k, 0, req.raddr, req.laddr, valid);   // tcp_fastopen_cookie_gen
            } else if (foc.len > 0) {
                key = cookieCheck(l, req, foc);
                if (key == 0) tcp.ext.inc(TcpExtMib.TCPFastOpenPassiveFail);
            }
            if (key == 0) {                                       // no child: the SYN-ACK carries our cookie
                foc.copyFrom(valid).exp = exp;
                return false;
            }
        }
        TcpSock child = createChild(l, req);
        if (child == null) {
            tcp.ext.inc(TcpExtMib.TCPFastOpenPassiveFail);
            foc.copyFrom(valid).exp = exp;
            return false;
        }
        if (key == 2) {                                           // a backup-key cookie: hand out the primary's
            foc.copyFrom(valid).exp = exp;
            tcp.ext.inc(TcpExtMib.TCPFastOpenPassiveAltKey);
        } else {
            foc.none();
        }
        tcp.ext.inc(TcpExtMib.TCPFastOpenPassive);
        child.synFastopenChild = true;
        tcp.output.sendSynAck(req, foc);
        child.parent = l;
        l.acceptQueue.add(child);
        l.dataReady();
        return true;
    }

    /** tcp_fastopen_queue_check: room for one more child that skips the handshake? */
    private boolean queueCheck(TcpSock l) {
        FastOpenQueue q = l.fastopenq;
        if (q == null || q.maxQlen == 0) return false;
        if (q.admit(now())) return true;
        tcp.ext.inc(TcpExtMib.TCPFastOpenListenOverflow);
        return false;
    }

    /**
     * tcp_fastopen_create_child: the full sock, straight from the SYN. Its window is the SYN's,
     * unscaled (RFC 7323 §2.2); it starts its transfer state now; the SYN's data is its first
     * received data; its retransmission timer stands for the SYN-ACK until the handshake ends.
     */
    private TcpSock createChild(TcpSock l, TcpRequestSock req) {
        TcpSock child = TcpProt.createChild(l, req);
        if (child == null) return null;
        l.fastopenq.qlen++;
        child.fastopenRsk = req;
        child.maxWindow = child.sndWnd;
        child.syncMss();
        tcp.mib.inc(TcpMib.PassiveOpens);
        tcp.hashEstablished(child);
        TcpProt.initTransfer(child);
        TcpTimers.resetRetrans(child, TcpSock.TIMEOUT_INIT);
        tcp.input.fastopenAddSkb(child);
        req.rcvNxt = child.rcvNxt();
        child.rcvWup = child.rcvNxt();
        return child;
    }

    /**
     * tcp_fastopen_synack_timer: the child's SYN-ACK went unanswered. Resend it (from the request,
     * so it acknowledges the SYN's data again) with exponential backoff, one try more than
     * tcp_synack_retries allows a request sock, then give up as a write timeout does.
     */
    void synackTimer(TcpSock tp) {
        TcpRequestSock req = tp.fastopenRsk;
        tcp.ext.inc(TcpExtMib.TCPTimeouts);                       // tcp_syn_ack_timeout
        int max = tp.synRetries > 0 ? tp.synRetries : tcp.stack.sysctl().tcpSynackRetries.value() + 1;
        if (req.numTimeout >= max) {
            TcpTimers.writeErr(tp);
            return;
        }
        if (tp.retransmits == 1) TcpRecovery.enterLoss(tp);       // the cwnd tcp_init_transfer would lower
        tcp.output.sendSynAck(req, null);
        tcp.mib.inc(TcpMib.RetransSegs);
        tcp.ext.inc(TcpExtMib.TCPSynRetrans);
        tp.totalRetrans++;
        req.numRetrans++;
        req.numTimeout++;
        tp.retransmits++;
        if (tp.retransStampNs == 0) tp.retransStampNs = now();
        TcpTimers.resetRetrans(tp, TcpSock.TIMEOUT_INIT << Math.min(req.numTimeout, 20));
    }

    /**
     * tcp_rcv_synrecv_state_fastopen: the final ACK reached a Fast Open child; the request is
     * done with, and the retransmission timer now watches the data the child sent meanwhile.
     */
    void synRecvDone(TcpSock tp) {
        TcpRequestSock req = tp.fastopenRsk;
        // tcp_synack_rtt_meas: without timestamps, the SYN-ACK's send time, unless it was resent (Karn).
        if (tp.srttUs == 0 && !tp.tsOk && req.numRetrans == 0)
            TcpTimers.rttEstimator(tp, Math.max(1, (now() - req.sntSynackNs) / 1000));
        tp.retransmits = 0;
        tp.retransStampNs = 0;
        removeRequest(tp, false);
        TcpTimers.rearmRto(tp);
    }

    /**
     * reqsk_fastopen_remove: a child leaves its listener's Fast Open queue (handshake done,
     * closed, reset). One the peer reset after it was accepted keeps its place for 60 s.
     */
    void removeRequest(TcpSock tp, boolean reset) {
        TcpRequestSock req = tp.fastopenRsk;
        if (req == null) return;
        tp.fastopenRsk = null;
        TcpSock l = req.listener;
        FastOpenQueue q = l.fastopenq;
        if (q == null) return;
        q.qlen--;
        if (tp.parent != null || !reset || l.st != TcpState.LISTEN) return;
        q.holdReset(now());
        q.qlen++;
    }

    // ================================================================== client

    /**
     * tcp_fastopen_cache_get + tcp_fastopen_cookie_check: may this SYN carry data? Fills in the
     * cookie option and cached MSS of {@code fo}: the cached cookie (true), or a request (in the
     * experimental encoding if the cache says so) or nothing (false); with TFO_CLIENT_NO_COOKIE
     * data goes without any option (true).
     */
    boolean cookieCheck(TcpSock tp, FastOpenRequest fo) {
        FastOpenCache.Entry e = cache.get(tp.saddr, tp.daddr);
        if (e != null) {
            if (e.mss > 0) fo.mss = e.mss;
            fo.cookie.copyFrom(e.cookie);
            if (fo.cookie.len <= 0 && e.tryExp == 1) fo.cookie.exp = true;
        }
        if (activeShouldDisable(tp)) {
            fo.cookie.none();
            return false;
        }
        if (noCookie(tp, CLIENT_NO_COOKIE)) {
            fo.cookie.none();
            return true;
        }
        if (fo.cookie.len > 0) return true;
        tp.fastopenClientFail = FAIL_COOKIE_UNAVAILABLE;
        return false;
    }

    /**
     * tcp_fastopen_defer_connect: connect() on a TCP_FASTOPEN_CONNECT socket. With a cookie in
     * hand the SYN waits for the first write, which can then carry data: true, connect() returns
     * 0 at once. Without one the SYN goes now, asking for a cookie.
     */
    boolean deferConnect(TcpSock tp) {
        if (!tp.fastopenConnect || tp.fastopenReq != null) return false;
        FastOpenRequest fo = new FastOpenRequest(null, 0);
        if (cookieCheck(tp, fo)) {
            tp.deferConnect = true;
            return true;
        }
        tp.fastopenReq = fo;                                      // so the SYN carries the request
        return false;
    }

    /**
     * tcp_sendmsg_fastopen: MSG_FASTOPEN, or the first write after a deferred connect. Connects
     * (the SYN taking what data it can, {@code fo.copied}) and waits for the handshake like
     * connect() unless the call is non-blocking. Returns 0 once connected, or -errno:
     * EINPROGRESS for a handshake still under way, EOPNOTSUPP with Fast Open off or an AF_UNSPEC
     * address, EALREADY or EISCONN from the connect.
     */
    int sendmsg(TcpSock tp, FastOpenRequest fo, MsgHdr msg, int flags) {
        if ((mode.value() & CLIENT_ENABLE) == 0
                || msg.name != null && msg.namelen >= 2 && SockAddr.family(msg.name, msg.namelen) == Net.AF_UNSPEC)
            return -Errno.EOPNOTSUPP;
        if (tp.fastopenReq != null) return -Errno.EALREADY;     // another Fast Open is in progress
        tp.fastopenReq = fo;
        if (tp.deferConnect) TcpProt.tcpConnect(tp);
        int fileFlags = (flags & Net.MSG_DONTWAIT) != 0 ? Fcntl.O_NONBLOCK : 0;
        // __inet_stream_connect with is_sendmsg: the socket layer's connect, the address from the msghdr.
        int err = ((InetStreamOps) tp.socket.ops).connect(tp.socket, msg.name, msg.name == null ? 0 : msg.namelen,
                fileFlags, true);
        if (tp.fastopenReq == fo) {
            tp.fastopenReq = null;
            tp.deferConnect = false;
        } else {
            fo.copied = 0;                                        // a failed connect took the request with it
        }
        return err;
    }

    /**
     * tcp_send_syn_data: the SYN of a Fast Open connect. With a usable cookie (or none needed) it
     * carries as much of the user's data as fits an MSS-sized segment with a full option space,
     * the MSS being the server's as cached (at most TCP_MAXSEG's) or our own, bounded by the path
     * MTU. Otherwise, or if the data cannot be read, a plain SYN with a cookie request. The SYN's
     * retransmissions carry neither data nor option.
     */
    void sendSynData(TcpSock tp) {
        FastOpenRequest fo = tp.fastopenReq;
        tp.synMssClamp = tp.advmss;                               // if the cache has no MSS
        if (cookieCheck(tp, fo)) {
            int clamp = fo.mss > 0 ? fo.mss : tp.advmss;
            if (tp.userMss > 0) clamp = Math.min(clamp, tp.userMss);
            tp.synMssClamp = clamp;
            int mss = Math.max(Math.min((tp.pmtu > 0 ? tp.pmtu : 1500) - 40, clamp), 48);   // __tcp_mtu_to_mss
            int space = Math.min(mss - MAX_TCP_OPTION_SPACE, fo.size);
            if (space > 0) space = copyIn(tp, fo, space);
            if (space > 0 || fo.size == 0) {
                if (space == fo.size) fo.msg = null;              // no more data waits for the connect
                fo.copied = space;
                tp.sndNxt = tp.iss + 1 + space;
                tp.synData = space > 0;
                if (tp.synData) {
                    tp.chrono.start(TcpChrono.BUSY, now());
                    tp.lastSegSeq = tp.iss + 1;
                }
                synOptionChosen(tp, fo.cookie);
                tcp.output.transmit(tp, tp.iss, space, TcpHeader.SYN);
                // The SYN's data is in flight like any data: RACK times it from the SYN.
                if (space > 0) tp.sentLog.onSend(tp.iss + 1, tp.iss + 1 + space, now());
                tcp.ext.inc(TcpExtMib.TCPOrigDataSent);
                fo.cookie.none();
                return;
            }
            // The data could not be read (a bad buffer): fall back to a plain SYN.
        }
        // A regular SYN with a cookie request (or with nothing, while Fast Open is paused).
        if (fo.cookie.len > 0) fo.cookie.len = 0;
        synOptionChosen(tp, fo.cookie);
        tcp.output.sendSyn(tp);
        fo.cookie.none();
    }

    /** tcp_syn_options' Fast Open part: what the SYN-ACK will be judged against. */
    private static void synOptionChosen(TcpSock tp, FastOpenCookie c) {
        if (c.len < 0) return;
        tp.synFastopen = true;
        tp.synFastopenExp = c.exp;
    }

    /**
     * The SYN's share of the user's data into the send queue (copy_page_from_iter), as an skb of
     * its own that carries PSH (its retransmissions do) and that later writes, finding it sent,
     * do not join. Stops at memory that is not there (a NULL or short buffer); returns the bytes
     * taken.
     */
    private static int copyIn(TcpSock tp, FastOpenRequest fo, int space) {
        MsgHdr m = fo.msg;
        int taken = 0;
        for (int i = 0; i < m.iovCount() && taken < space; i++) {
            int want = Math.min(m.iovLen[i], space - taken);
            if (want <= 0) continue;
            byte[] b = m.iov[i];
            int have = b == null ? 0 : Math.min(want, b.length);
            if (have > 0) {
                if (taken == 0) tp.sendBuf.entail();
                tp.sendBuf.append(b, 0, have);
                taken += have;
            }
            if (have < want) break;                               // memory that is not there: the copy faults
        }
        if (taken > 0) tp.sendBuf.markPush();
        return taken;
    }

    /** The Fast Open option our SYN (not a SYN-ACK) carries, if any. */
    static void addSynOption(TcpSock tp, TcpOptions opts) {
        if (tp.fastopenReq != null) tp.fastopenReq.cookie.emitInto(opts);
    }

    /**
     * tcp_rcv_fastopen_synack: the SYN-ACK of a connect whose SYN had a Fast Open option or data,
     * the connection just established. Caches the server's MSS and cookie (an unsolicited cookie is
     * ignored; no cookie after a plain request means: try the other option encoding next time).
     * Data the SYN-ACK did not acknowledge goes out again at once, and then there is no separate
     * ACK to send: returns true. Otherwise data in the SYN-ACK is received and false returned.
     */
    boolean rcvSynack(TcpSock tp, TcpOptions opt) {
        int mss = opt.mss > 0 ? opt.mss : tp.synMssClamp;
        FastOpenCookie cookie = received.from(opt);
        boolean dataUnacked = tp.synData && SeqNum.lt(tp.sndUna, tp.sndNxt);
        boolean synDrop = false;
        int tryExp = 0;
        if (!tp.synFastopen) {
            cookie.none();                                        // unsolicited: not cached
        } else if (tp.totalRetrans > 0) {
            // The SYN timed out and the SYN-ACK has no cookie and leaves the data unacknowledged:
            // the SYN-data or its SYN-ACK was probably dropped on the way.
            synDrop = cookie.len < 0 && dataUnacked;
        } else if (cookie.len < 0 && !tp.synData) {
            tryExp = tp.synFastopenExp ? 2 : 1;                   // asked, got nothing: other encoding next
        }
        cacheSet(tp, mss, cookie, synDrop, tryExp);
        if (dataUnacked) {
            tp.fastopenClientFail = tp.totalRetrans > 0 ? FAIL_SYN_RETRANSMITTED : FAIL_DATA_NOT_ACKED;
            TcpRecovery.nonCongestionLossRetransmit(tp);
            tcp.ext.inc(TcpExtMib.TCPFastOpenActiveFail);
            return true;
        }
        tp.synDataAcked = tp.synData;
        if (tp.synDataAcked) tcp.ext.inc(TcpExtMib.TCPFastOpenActive);
        tcp.input.fastopenAddSkb(tp);
        return false;
    }

    /** tcp_fastopen_cache_set. */
    private void cacheSet(TcpSock tp, int mss, FastOpenCookie cookie, boolean synLost, int tryExp) {
        FastOpenCache.Entry e = cache.getOrCreate(tp.saddr, tp.daddr);
        if (mss > 0) e.mss = mss;
        if (cookie.len > 0) e.cookie.copyFrom(cookie);
        else if (tryExp > e.tryExp && e.cookie.len <= 0 && !e.cookie.exp) e.tryExp = tryExp;
        if (synLost) {
            e.synLoss++;
            e.lastSynLossNs = now();
        } else {
            e.synLoss = 0;
        }
    }

    /**
     * tcp_v4_mtu_reduced in SYN_SENT (tcp_simple_retransmit): the SYN-data was too big for the path.
     * The SYN goes again at once, announcing the smaller MSS, without data and without option; the
     * data counts as lost and follows the SYN-ACK.
     */
    void mtuReduced(TcpSock tp) {
        if (!tp.synData) return;
        tp.advmss = Math.min(tp.advmss, tp.advmssFor(tp.pmtu));   // tcp_advertise_mss
        TcpRecovery.enterNonCongestionLoss(tp);
        tcp.output.sendSyn(tp);
        tcp.mib.inc(TcpMib.RetransSegs);
        tp.totalRetrans++;
        TcpTimers.resetRetrans(tp, tp.rtoNs);
    }

    /** tcp_disconnect's share: a reused socket starts with no Fast Open state. */
    static void disconnect(TcpSock tp) {
        tp.deferConnect = false;
        tp.fastopenReq = null;
        tp.synFastopen = tp.synFastopenExp = tp.synData = tp.synDataAcked = tp.synFastopenChild = false;
        tp.fastopenClientFail = FAIL_UNSPEC;
    }

    // ---------------------------------------------------------------- blackhole detection

    /** tcp_fastopen_active_should_disable: is active Fast Open paused after suspected blackholes? */
    private boolean activeShouldDisable(TcpSock tp) {
        long timeoutSec = blackholeTimeoutSec.value();
        if (timeoutSec == 0 || activeDisableTimes == 0) return false;
        long multiplier = 1L << Math.min(activeDisableTimes - 1, 6);       // at most 64 times the timeout
        return now() < activeDisableStampNs + multiplier * timeoutSec * 1_000_000_000L;
    }

    /**
     * tcp_fastopen_active_detect_blackhole: a write timeout of a connection that used Fast Open, at
     * its second timeout or when it gives up earlier, suggests a middlebox drops such SYNs: pause.
     */
    void detectBlackhole(TcpSock tp, boolean expired) {
        if (!(tp.synFastopen || tp.synData || tp.synDataAcked)) return;
        if (tp.retransmits == 2 || tp.retransmits < 2 && expired) {
            activeDisableTimes++;
            activeDisableStampNs = now();
            tcp.ext.inc(TcpExtMib.TCPFastOpenBlackhole);
            tcp.ext.inc(TcpExtMib.TCPFastOpenActiveFail);
        }
    }
}
