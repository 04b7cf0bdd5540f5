package io.jnetstack.tcp;

import io.jnetstack.ipv4.IpRx;
import io.jnetstack.ipv4.NetProtocol;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.Sock;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.Errno;
import io.jnetstack.wire.SeqNum;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * tcp_ipv4.c's tcp_v4_rcv and tcp_input.c: demultiplexing an arriving segment to its connection,
 * listener or nobody (RST), then RFC 9293 §3.10.7's processing per state (tcp_rcv_state_process,
 * tcp_rcv_synsent_state_process, tcp_check_req for the SYN queue, tcp_timewait_state_process),
 * with RFC 5961's blind-attack defences (challenge ACKs), RFC 7323's PAWS, the ACK processing of
 * tcp_ack and the receive path of tcp_data_queue.
 *
 * <p>One instance per stack; the current segment's fields live here (tcp_skb_cb), parsed once.
 */
final class TcpInput implements NetProtocol {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);
    /** nop, nop, TS kind 8 len 10: the one option layout of almost every segment (tcp_fast_parse_options). */
    private static final int TS_ALIGNED = 0x0101080A;

    private final Tcp tcp;
    private final TcpHeader th = new TcpHeader();
    final TcpOptions opt = new TcpOptions();

    // tcp_skb_cb of the segment being processed. Its data lies in the received IP packet
    // rcvPkt at dataOff (no slice is cut per packet): read it as rcvPkt[dataOff, dataOff + len).
    private MemorySegment rcvPkt;
    private int dataOff;
    int saddr, daddr, sport, dport, seq, ack, flags, win, hlen, len, endSeq, tos;

    TcpInput(Tcp tcp) { this.tcp = tcp; }

    private boolean has(int f) { return (flags & f) != 0; }

    /** ICSK_ACK_NOW for the segment being processed (data carrying CWR is ACKed at once). */
    private boolean ackNow;

    /** What the ACK being processed delivered, for its RTT samples (reused: one ACK at a time). */
    private final AckSample sample = new AckSample();

    // ================================================================== tcp_v4_rcv

    @Override
    public void receive(IpRx ip, MemorySegment pkt, int off, int n) {
        if (ip.routeType != Route.RTN_LOCAL) return;            // TCP is unicast only
        tcp.mib.inc(TcpMib.InSegs);
        th.wrap(pkt, off, n);
        if (n < TcpHeader.MIN_LEN) return;                        // pskb_may_pull fails: discard
        int hl = th.headerLen();
        if (hl < TcpHeader.MIN_LEN) { tcp.mib.inc(TcpMib.InErrs); return; }
        if (hl > n) return;
        // tcp_v4_checksum_init: a checksum the device verified, or one left partial in memory, is trusted.
        if (!ip.csumUnnecessary() && !th.verifyChecksum(ip.saddr, ip.daddr)) {
            tcp.mib.inc(TcpMib.InCsumErrors);
            tcp.mib.inc(TcpMib.InErrs);
            return;
        }
        rcvPkt = pkt;
        dataOff = off + hl;
        ackNow = false;
        saddr = ip.saddr;
        daddr = ip.daddr;
        tos = ip.tos;
        sport = th.srcPort();
        dport = th.dstPort();
        seq = th.seq();
        ack = th.ack();
        flags = th.flags();
        win = th.window();
        hlen = hl;
        len = n - hl;
        endSeq = seq + len + (has(TcpHeader.SYN) ? 1 : 0) + (has(TcpHeader.FIN) ? 1 : 0);
        parseOptions(pkt, off, hl);
        Tracer tr = tcp.stack.trace();
        if (tr.on) tr.event("tcp_v4_rcv", SockAddrs.tuple(saddr, sport, daddr, dport) + " ["
                + TcpHeader.flagsToString(flags) + "] seq " + Integer.toUnsignedString(seq) + " ack "
                + Integer.toUnsignedString(ack) + " win " + win + " len " + len + (hl > 20 ? " " + opt : ""));

        TcpSock tp = tcp.lookupEstablished(daddr, dport, saddr, sport);
        if (tp != null) {
            tp.segsIn++;
            if (tp.st == TcpState.TIME_WAIT) timewaitProcess(tp);
            else if (!md5Unexpected()) rcvStateProcess(tp);
            return;
        }
        TcpSock l = tcp.lookupListener(daddr, dport);
        if (l != null) {
            if (!md5Unexpected()) listenProcess(l, 0);
            return;
        }
        // no_tcp_socket: RFC 9293 §3.10.7.1, a segment for a CLOSED port gets a RST.
        if (tr.on) tr.note("no socket: tcp_v4_send_reset");
        tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
    }

    private void parseOptions(MemorySegment pkt, int off, int hl) {
        if (hl == 32 && pkt.get(U32, off + 20) == TS_ALIGNED) {
            opt.clear();
            opt.hasTs = true;
            opt.tsVal = pkt.get(U32, off + 24);
            opt.tsEcr = pkt.get(U32, off + 28);
        } else if (hl > TcpHeader.MIN_LEN) {
            opt.parse(pkt, off + TcpHeader.OPTIONS, hl - TcpHeader.MIN_LEN);
        } else {
            opt.clear();
        }
    }

    // ================================================================== LISTEN and the SYN queue

    /** tcp_v4_do_rcv for a listener: the SYN queue first (tcp_check_req), else tcp_conn_request. */
    private void listenProcess(TcpSock l, int forcedIsn) {
        TcpRequestSock req = l.synQueue == null ? null : l.synQueue.get(TcpRequestSock.key(saddr, sport));
        if (req != null && req.laddr == daddr) {
            checkReq(l, req);
            return;
        }
        // RFC 9293 §3.10.7.2.
        if (has(TcpHeader.RST)) return;
        if (has(TcpHeader.ACK_FLAG)) {
            if (!has(TcpHeader.SYN) && cookieCheck(l)) return;
            tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
            return;
        }
        if (!has(TcpHeader.SYN) || has(TcpHeader.FIN)) return;
        connRequest(l, forcedIsn);
    }

    /**
     * tcp_inbound_md5_hash: a segment signed with an RFC 2385 MD5 option for a socket that holds
     * no key for the peer is dropped (TCPMD5Unexpected), so a signed and an unsigned conversation
     * never mix. jnetstack has no TCP_MD5SIG keys, so any signed segment is unexpected.
     */
    private boolean md5Unexpected() {
        if (!opt.hasMd5) return false;
        tcp.ext.inc(TcpExtMib.TCPMD5Unexpected);
        Tracer tr = tcp.stack.trace();
        if (tr.on) tr.note("tcp_inbound_md5_hash: MD5 option but no key for the peer: drop");
        return true;
    }

    /**
     * tcp_conn_request: a SYN for a listener becomes a request sock and a SYN-ACK, or, when the SYN
     * queue is full (or tcp_syncookies = 2), a SYN-ACK whose ISN is a {@link TcpSyncookies cookie}
     * and nothing kept.
     */
    private void connRequest(TcpSock l, int forcedIsn) {
        Tracer tr = tcp.stack.trace();
        var sys = tcp.stack.sysctl();
        int syncookies = sys.tcpSyncookies.value();
        // inet_csk_reqsk_queue_is_full: measured on Linux 6.18, a listener holds backlog + 1
        // requests before it overflows (listen(fd, 0) still queues one).
        boolean wantCookie = false;
        if ((syncookies == 2 || l.synQueue.size() > l.maxAckBacklog) && forcedIsn == 0) {
            wantCookie = synFloodAction(l, syncookies);
            if (!wantCookie) {
                tcp.ext.inc(TcpExtMib.ListenDrops);
                return;
            }
        }
        // sk_acceptq_is_full: strictly more than the backlog are queued (Linux counts from 0).
        if (l.acceptQueue.size() > l.maxAckBacklog) {
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            if (tr.on) tr.note("accept queue full (" + l.acceptQueue.size() + " > " + l.maxAckBacklog + "): drop SYN");
            return;
        }
        // Without cookies, the last quarter of tcp_max_syn_backlog is kept for peers known to be
        // alive (tcp_peer_is_proven); jnetstack keeps no RTT metrics, so no peer is proven.
        int maxSyn = sys.tcpMaxSynBacklog.value();
        if (!wantCookie && syncookies == 0 && maxSyn - l.synQueue.size() < (maxSyn >> 2)) {
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return;
        }
        Route rt = tcp.ip.route(saddr, daddr, 0);
        if (rt == null) {
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return;
        }
        TcpRequestSock req = new TcpRequestSock(l, daddr, dport, saddr, sport);
        req.irs = seq;
        req.rcvNxt = seq + 1;
        req.peerMss = opt.mss > 0 ? opt.mss : TcpSock.DEFAULT_MSS;
        req.sackOk = opt.sackPermitted && sys.tcpSack.value() != 0;
        req.tsOk = opt.hasTs && sys.tcpTimestamps.value() != 0;
        if (req.tsOk) req.tsRecent = opt.tsVal;
        req.wscaleOk = opt.wscale >= 0 && sys.tcpWindowScaling.value() != 0;
        req.sndWscale = req.wscaleOk ? opt.wscaleClamped() : 0;
        req.ecnOk = TcpEcn.acceptSyn(l, flags, tos);
        if (wantCookie && !req.tsOk) {
            // Only timestamps can carry the other options back: without them a cookie keeps the MSS.
            req.sackOk = req.wscaleOk = req.ecnOk = false;
            req.sndWscale = 0;
        }
        initRequestWindow(l, req, rt);
        req.peerWindow = win;
        if (wantCookie) {
            req.cookie = true;
            int idx = TcpSyncookies.mssIndex(req.peerMss);
            req.iss = tcp.syncookies.initSequence(daddr, dport, saddr, sport, seq, idx);
            tcp.ext.inc(TcpExtMib.SyncookiesSent);
            l.lastOverflowNs = tcp.stack.now();                 // tcp_synq_overflow
            if (tr.on) tr.note("cookie_v4_init_sequence: SYN queue full, no request kept; iss " + Integer.toUnsignedString(req.iss)
                    + " carries mss " + TcpSyncookies.MSS_TABLE[idx]);
            tcp.output.sendSynAck(req, null);
            return;
        }
        req.iss = forcedIsn != 0 ? forcedIsn : tcp.isn(daddr, dport, saddr, sport);
        if (tcp.fastopen.passiveOpen(l, req, opt, len > 0)) {
            if (tr.on) tr.note("tcp_conn_request: Fast Open child, " + len + " bytes of SYN data accepted");
            return;
        }
        l.synQueue.put(TcpRequestSock.key(saddr, sport), req);
        if (tr.on) tr.note("tcp_conn_request: SYN queue " + l.synQueue.size() + ", iss " + Integer.toUnsignedString(req.iss));
        tcp.output.sendSynAck(req, tcp.fastopen.synack);
        tcp.stack.scheduler().arm(req.timer, tcp.stack.now() + TcpSock.TIMEOUT_INIT);
    }

    /**
     * The receive side a request sock offers: the timestamp offset, the window scale and the
     * initial window (tcp_select_initial_window with the MSS less the timestamp option: 65160 for
     * 1460 + TS).
     */
    private void initRequestWindow(TcpSock l, TcpRequestSock req, Route rt) {
        var sys = tcp.stack.sysctl();
        if (req.tsOk) req.tsOffset = sys.tcpTimestamps.value() == 1 ? tcp.tsOffset(req.laddr, req.raddr) : 0;
        req.rcvWscale = req.wscaleOk ? TcpProt.selectWscale(l) : 0;
        int mss = l.advmssFor(rt.mtu) - (req.tsOk ? 12 : 0);
        req.rcvWnd = Math.min(l.fullSpace(), 65535) / mss * mss;
        req.tos = l.tos;
    }

    /**
     * tcp_syn_flood_action: the SYN queue is full (or cookies are always on). With tcp_syncookies
     * the SYN is answered with a cookie, else dropped; the first time, the kernel log's "Possible
     * SYN flooding" warning (here a trace line and the counters).
     */
    private boolean synFloodAction(TcpSock l, int syncookies) {
        boolean want = syncookies != 0;
        tcp.ext.inc(want ? TcpExtMib.TCPReqQFullDoCookies : TcpExtMib.TCPReqQFullDrop);
        if (!l.synfloodWarned && syncookies != 2) {
            l.synfloodWarned = true;
            Tracer tr = tcp.stack.trace();
            if (tr.on) tr.note("Possible SYN flooding on port " + l.sport + ". " + (want ? "Sending cookies." : "Dropping request."));
        }
        return want;
    }

    /**
     * cookie_v4_check: an ACK for a listener with no request sock may answer a SYN cookie. When
     * cookies were sent lately and the ACK's ack − 1 is a cookie for this 4-tuple and the peer's
     * ISN (seq − 1), the request is rebuilt from it (MSS from the cookie; window scale and SACK
     * from the TSecr bits) and the connection is established at once. Returns false when the ACK
     * is no cookie's, so the listener answers it with a RST.
     */
    private boolean cookieCheck(TcpSock l) {
        var sys = tcp.stack.sysctl();
        if (sys.tcpSyncookies.value() == 0 || tcp.stack.now() - l.lastOverflowNs > TcpSyncookies.VALID_NS) return false;
        int mss = tcp.syncookies.check(daddr, dport, saddr, sport, seq - 1, ack - 1);
        Tracer tr = tcp.stack.trace();
        if (mss == 0) {
            tcp.ext.inc(TcpExtMib.SyncookiesFailed);
            if (tr.on) tr.note("cookie_v4_check: ack " + Integer.toUnsignedString(ack) + " is no cookie of ours");
            return false;
        }
        tcp.ext.inc(TcpExtMib.SyncookiesRecv);
        TcpRequestSock req = new TcpRequestSock(l, daddr, dport, saddr, sport);
        req.cookie = true;
        req.irs = seq - 1;
        req.iss = ack - 1;
        req.peerMss = mss;
        if (opt.hasTs) {
            // cookie_timestamp_decode: options the stack no longer allows void the cookie.
            int w = TcpSyncookies.decodeWscale(opt.tsEcr);
            boolean sack = TcpSyncookies.decodeSack(opt.tsEcr);
            if (sys.tcpTimestamps.value() == 0 || sack && sys.tcpSack.value() == 0
                    || w >= 0 && sys.tcpWindowScaling.value() == 0) return false;
            req.tsOk = true;
            req.tsRecent = opt.tsVal;
            req.sackOk = sack;
            req.ecnOk = TcpSyncookies.decodeEcn(opt.tsEcr) && sys.tcpEcn.value() != 0;   // cookie_ecn_ok
            req.wscaleOk = w >= 0;
            req.sndWscale = Math.max(w, 0);
        }
        Route rt = tcp.ip.route(saddr, daddr, 0);
        if (rt == null) return true;
        initRequestWindow(l, req, rt);
        req.peerWindow = win;
        if (tr.on) tr.note("cookie_v4_check: cookie good, mss " + mss + (req.tsOk ? ", options from TSecr" : ""));
        if (l.acceptQueue.size() > l.maxAckBacklog) {
            // tcp_v4_syn_recv_sock refuses: the ACK is dropped, the peer will retransmit.
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return true;
        }
        establishChild(l, req);
        return true;
    }

    /** tcp_check_req: a segment for a connection in the SYN queue. */
    private void checkReq(TcpSock l, TcpRequestSock req) {
        long key = TcpRequestSock.key(saddr, sport);
        // A retransmitted SYN: answer with the SYN-ACK again.
        if (flags == TcpHeader.SYN && seq == req.irs) {
            tcp.output.sendSynAck(req, null);
            return;
        }
        if (has(TcpHeader.ACK_FLAG) && ack != req.iss + 1) {
            tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
            return;
        }
        boolean paws = req.tsOk && opt.hasTs && opt.tsVal - req.tsRecent < 0 && !has(TcpHeader.RST);
        int rcvNxt = req.irs + 1;
        boolean inWindow = SeqNum.ge(endSeq, rcvNxt) && SeqNum.le(seq, rcvNxt + req.rcvWnd)
                || seq == rcvNxt;
        if (paws || !inWindow) {
            if (!has(TcpHeader.RST)) tcp.output.sendReqAck(req);
            if (paws) tcp.ext.inc(TcpExtMib.PAWSEstab);
            return;
        }
        if (has(TcpHeader.RST) || has(TcpHeader.SYN)) {
            tcp.mib.inc(TcpMib.AttemptFails);
            if (!has(TcpHeader.RST)) tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
            tcp.ext.inc(TcpExtMib.EmbryonicRsts);
            l.synQueue.remove(key);
            tcp.stack.scheduler().cancel(req.timer);
            return;
        }
        if (!has(TcpHeader.ACK_FLAG)) return;
        // TCP_DEFER_ACCEPT: a bare ACK does not complete the connection yet.
        if (l.deferAcceptS > 0 && len == 0 && !has(TcpHeader.FIN)
                && req.numTimeout < TcpProt.secsToRetrans(l.deferAcceptS)) {
            req.acked = true;
            return;
        }
        if (l.acceptQueue.size() > l.maxAckBacklog) {
            tcp.ext.inc(TcpExtMib.ListenOverflows);
            tcp.ext.inc(TcpExtMib.ListenDrops);
            req.acked = true;                                  // tcp_abort_on_overflow = 0
            return;
        }
        l.synQueue.remove(key);
        tcp.stack.scheduler().cancel(req.timer);
        establishChild(l, req);
    }

    /**
     * tcp_v4_syn_recv_sock and the rest of tcp_check_req: the request becomes a full sock in
     * SYN_RECV, this ACK moves it to ESTABLISHED, and it joins the accept queue.
     */
    private void establishChild(TcpSock l, TcpRequestSock req) {
        TcpSock child = TcpProt.createChild(l, req);
        if (child == null) {
            tcp.ext.inc(TcpExtMib.ListenDrops);
            return;
        }
        tcp.mib.inc(TcpMib.PassiveOpens);
        tcp.hashEstablished(child);
        child.segsIn++;
        rcvStateProcess(child);                                  // SYN_RECV → ESTABLISHED with this ACK
        if (child.st == TcpState.CLOSE) return;
        child.parent = l;
        l.acceptQueue.add(child);
        l.dataReady();
    }

    // ================================================================== SYN-SENT

    /** tcp_rcv_synsent_state_process (RFC 9293 §3.10.7.3). */
    private void synSentProcess(TcpSock tp) {
        Tracer tr = tcp.stack.trace();
        if (has(TcpHeader.ACK_FLAG)) {
            if (SeqNum.le(ack, tp.iss) || SeqNum.gt(ack, tp.sndNxt)) {
                if (!has(TcpHeader.RST)) tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
                return;
            }
            // RFC 7323 §5.5 for the SYN-ACK: it must echo a timestamp from our SYNs' lifetime, from
            // the first SYN (retrans_stamp) until now; another is an old duplicate: reset it.
            if (tp.tsOk && opt.hasTs && opt.tsEcr != 0
                    && !SeqNum.between(opt.tsEcr, (int) (tp.retransStampNs / TcpSock.MS) + tp.tsOffset, tp.tsVal())) {
                tcp.ext.inc(TcpExtMib.PAWSActive);
                if (!has(TcpHeader.RST)) tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
                return;
            }
        }
        if (has(TcpHeader.RST)) {
            if (has(TcpHeader.ACK_FLAG)) {
                if (tr.on) tr.note("RST acking our SYN: ECONNREFUSED");
                reset(tp);
            }
            return;
        }
        if (!has(TcpHeader.SYN)) return;
        var sys = tcp.stack.sysctl();
        tp.irs = seq;
        tp.rcvQueue.reset(seq + 1);
        tp.rcvWup = seq + 1;
        tp.peerMss = opt.mss > 0 ? opt.mss : TcpSock.DEFAULT_MSS;
        tp.wscaleOk = tp.wscaleOk && opt.wscale >= 0;
        if (tp.wscaleOk) tp.sndWscale = opt.wscaleClamped();
        else { tp.sndWscale = 0; tp.rcvWscale = 0; }
        tp.sackOk = tp.sackOk && opt.sackPermitted;
        tp.tsOk = tp.tsOk && opt.hasTs;
        if (tp.tsOk) {
            tp.tsRecent = opt.tsVal;
            tp.tsRecentStampNs = tcp.stack.now();
        }
        if (has(TcpHeader.ACK_FLAG)) TcpEcn.rcvSynAck(tp, flags);
        else TcpEcn.rcvSyn(tp, flags);                           // simultaneous open
        tp.syncMss();
        tp.initRcvMss();
        tp.sndWnd = win;                                         // RFC 7323 §2.2: not scaled in a SYN
        tp.maxWindow = win;
        tp.syncMss();                                            // again, now bounded by the peer's window
        tp.sndWl1 = seq;
        tp.sndWl2 = ack;
        if (has(TcpHeader.ACK_FLAG)) {
            int priorUna = tp.sndUna;
            if (tp.txStamps != null) tp.txStamps.acked(tp, ack);
            tp.sndUna = ack;
            TcpUrgent.acked(tp, priorUna);
            tp.sendBuf.ackTo(ack);                               // the SYN's data, if it carried some
            tp.sentLog.trimBelow(ack);
            if (tp.zc != null) tp.zc.acked(tp);
            tp.delivered++;                                      // the SYN (SYN-data counts once with it)
            tcp.ext.inc(TcpExtMib.TCPDelivered);
            rttSampleOnHandshake(tp);
            tp.setState(TcpState.ESTABLISHED);
            TcpProt.initTransfer(tp);
            TcpTimers.clearXmit(tp);
            boolean fastopenFail = (tp.synFastopen || tp.synData) && tcp.fastopen.rcvSynack(tp, opt);
            tp.stateChange();
            if (fastopenFail) return;                            // the data went again, carrying the ACK
            if (tp.writePending > 0) {
                // A writer waits for this handshake: its data will carry the ACK (tcp_rcv_synsent_state_process).
                tp.ackPending = true;
                enterQuickack(tp);
                tcp.stack.scheduler().arm(tp.delackTimer, tcp.stack.now() + TcpSock.DELACK_MAX);
            } else {
                tcp.output.sendAck(tp);
            }
            tcp.output.writeXmit(tp, tp.nonagle);
            return;
        }
        // Simultaneous open (RFC 9293 §3.5 figure 7): SYN_RECV, answer SYN-ACK.
        tp.setState(TcpState.SYN_RECV);
        tcp.output.sendSynAckFromSock(tp);
    }

    /**
     * tcp_ack_update_rtt: the RTT samples of one ACK. The round-trip sample (seq_rtt) times the
     * oldest segment the ACK newly covers, else the oldest newly SACKed one; the congestion
     * control's sample (ca_rtt) the newest; segments ever retransmitted give none (Karn). Only
     * without any such segment does the timestamp echo give both (RFC 7323 §4.1), as Linux
     * trusts its own clock over the peer's echo. A valid sample ends the RTO backoff (RFC 6298
     * §5.7's rule: only on a valid measurement).
     */
    private void ackUpdateRtt(TcpSock tp, AckSample s, boolean ackedNew, long now) {
        long seqRtt = -1, caRtt = -1, sackRtt = -1;
        if (s.acked && !s.retransAcked) {
            seqRtt = (now - s.firstAcktNs) / 1000;
            caRtt = (now - s.lastAcktNs) / 1000;
        }
        if (s.sacked) {
            sackRtt = (now - s.firstSacktNs) / 1000;
            caRtt = (now - s.lastSacktNs) / 1000;
        }
        if (seqRtt < 0) seqRtt = sackRtt;
        if (seqRtt < 0 && tp.tsOk && opt.hasTs && opt.tsEcr != 0 && ackedNew)
            seqRtt = caRtt = Math.max(1, (long) (tp.tsVal() - opt.tsEcr)) * 1000;
        s.caRttUs = caRtt;
        if (seqRtt < 0) return;
        if (caRtt >= 0) tp.minRttUs = Math.min(tp.minRttUs, Math.max(caRtt, 1));
        TcpTimers.rttEstimator(tp, seqRtt);
        tp.backoff = 0;
    }

    private void rttSampleOnHandshake(TcpSock tp) {
        long us = -1;
        if (tp.tsOk && opt.tsEcr != 0) us = Math.max(1, (long) (tp.tsVal() - opt.tsEcr)) * 1000;
        // retrans_stamp: the first SYN's send time (always set in SYN_SENT, where 0 is a time too).
        else if (tp.retransmits == 0 && (tp.retransStampNs != 0 || tp.st == TcpState.SYN_SENT))
            us = (tcp.stack.now() - tp.retransStampNs) / 1000;
        if (us > 0) TcpTimers.rttEstimator(tp, us);
        else if (tp.retransmits > 0) tp.rtoNs = 3000 * TcpSock.MS;   // RFC 6298 §5.7
        tp.retransmits = 0;
        tp.backoff = 0;
        tp.retransStampNs = 0;
    }

    // ================================================================== synchronized states

    /** tcp_rcv_state_process (RFC 9293 §3.10.7.4) for every state but LISTEN and TIME_WAIT. */
    private void rcvStateProcess(TcpSock tp) {
        switch (tp.st) {
            case SYN_SENT -> { synSentProcess(tp); return; }
            case CLOSE, LISTEN -> { tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos); return; }
            default -> { }
        }
        long now = tcp.stack.now();
        // RFC 7323 §5 PAWS: a timestamp older than the last in-window one is an old duplicate.
        if (tp.tsOk && opt.hasTs && tp.tsRecentStampNs != 0 && opt.tsVal - tp.tsRecent < 0 && !has(TcpHeader.RST)
                && now - tp.tsRecentStampNs < 24L * 86400 * 1_000_000_000L) {
            tcp.ext.inc(TcpExtMib.PAWSEstab);
            oowAck(tp, TcpExtMib.TCPACKSkippedPAWS);
            return;
        }
        // RFC 9293 step 1 (tcp_sequence): is any of the segment inside the window?
        int rcvNxt = tp.rcvNxt();
        int rcvWindow = Math.max(0, tp.rcvWup + tp.rcvWnd - rcvNxt);
        if (SeqNum.lt(endSeq, tp.rcvWup) || SeqNum.gt(seq, rcvNxt + rcvWindow)) {
            if (!has(TcpHeader.RST)) {
                if (has(TcpHeader.SYN)) { synChallenge(tp); return; }
                if (endSeq != seq) sendDupack(tp, rcvNxt);       // data is never rate limited
                else oowAck(tp, TcpExtMib.TCPACKSkippedSeq);
            }
            return;
        }
        // Step 2: RST (RFC 5961 §3.2: exact match resets, in-window gets a challenge ACK).
        if (has(TcpHeader.RST)) {
            boolean exact = seq == rcvNxt || tp.finReceived && seq == rcvNxt - 1
                    && (tp.st == TcpState.CLOSE_WAIT || tp.st == TcpState.LAST_ACK || tp.st == TcpState.CLOSING);
            if (exact) {
                if (tp.fastopenRsk != null) tcp.fastopen.removeRequest(tp, true);
                reset(tp);
            } else {
                challengeAck(tp);
            }
            return;
        }
        // Step 4 (RFC 5961 §4): a SYN on a synchronized connection gets a challenge ACK.
        if (has(TcpHeader.SYN)) {
            if (tp.st == TcpState.SYN_RECV && has(TcpHeader.ACK_FLAG) && seq + 1 == rcvNxt && ack == tp.sndNxt && len == 0) {
                // The peer's SYN-ACK of a simultaneous open: fall through to the ACK.
            } else {
                synChallenge(tp);
                return;
            }
        }
        if (!has(TcpHeader.ACK_FLAG)) return;
        // Step 5: the ACK.
        if (tp.st == TcpState.SYN_RECV) {
            if (SeqNum.le(ack, tp.sndUna) || SeqNum.gt(ack, tp.sndNxt)) {
                tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
                return;
            }
            int priorUna = tp.sndUna;
            if (tp.txStamps != null) tp.txStamps.acked(tp, ack);
            tp.sndUna = ack;
            TcpUrgent.acked(tp, priorUna);
            tp.sendBuf.ackTo(ack);                               // data a Fast Open child sent meanwhile
            if (tp.zc != null) tp.zc.acked(tp);
            tp.sndWnd = win << tp.sndWscale;
            if (tp.sndWnd > tp.maxWindow) {
                tp.maxWindow = tp.sndWnd;
                tp.syncMss();
            }
            tp.sndWl1 = seq;
            tp.sndWl2 = ack;
            tp.delivered++;                                      // the SYN-ACK
            rttSampleOnHandshake(tp);
            tp.setState(TcpState.ESTABLISHED);
            if (tp.fastopenRsk != null) {
                tcp.fastopen.synRecvDone(tp);                    // its transfer began with the SYN
            } else {
                TcpProt.initTransfer(tp);
                TcpTimers.clearXmit(tp);
            }
            tp.stateChange();
        } else {
            int r = tcpAck(tp);
            if (r < 0) return;
        }
        // RFC 7323 §4.3: remember the timestamp of an in-order segment.
        if (tp.tsOk && opt.hasTs && SeqNum.le(seq, tp.rcvWup)) {
            tp.tsRecent = opt.tsVal;
            tp.tsRecentStampNs = now;
        }
        boolean finAcked = tp.finQueued && SeqNum.gt(tp.sndUna, tp.finSeq);
        switch (tp.st) {
            case FIN_WAIT1 -> {
                if (finAcked) {
                    tp.setState(TcpState.FIN_WAIT2);
                    tp.shutdown |= Sock.SEND_SHUTDOWN;
                    if (!tp.isOrphan()) tp.stateChange();
                    else {
                        if (tp.linger2Ns < 0) {
                            tcp.ext.inc(TcpExtMib.TCPAbortOnData);
                            TcpProt.done(tp);
                            return;
                        }
                        if (len > 0 && SeqNum.gt(endSeq - (has(TcpHeader.FIN) ? 1 : 0), tp.rcvNxt())) {
                            tcp.ext.inc(TcpExtMib.TCPAbortOnData);
                            TcpProt.done(tp);
                            return;
                        }
                        TcpTimers.resetKeepalive(tp, tp.finTimeNs());
                    }
                }
            }
            case CLOSING -> {
                if (finAcked) { TcpProt.timeWait(tp); return; }
            }
            case LAST_ACK -> {
                if (finAcked) { TcpProt.done(tp); return; }
            }
            default -> { }
        }
        // Step 6: the URG bit (tcp_urg): a new urgent pointer, and the urgent byte if it is here.
        if (has(TcpHeader.URG)) TcpUrgent.checkPointer(tp, seq, th.urgentPtr());
        if (tp.urgData == TcpUrgent.NOTYET && len > 0)
            TcpUrgent.takeByte(tp, seq + (has(TcpHeader.SYN) ? 1 : 0), rcvPkt, dataOff, len);
        // Step 7: the data.
        boolean queueIt = true;
        switch (tp.st) {
            case CLOSE_WAIT, CLOSING, LAST_ACK -> { if (SeqNum.ge(seq, tp.rcvNxt())) queueIt = false; }
            case FIN_WAIT1, FIN_WAIT2 -> {
                // RFC 1122 §4.2.2.13: data for a receiver that is gone gets a RST.
                if ((tp.shutdown & Sock.RCV_SHUTDOWN) != 0 && len > 0
                        && SeqNum.gt(endSeq - (has(TcpHeader.FIN) ? 1 : 0), tp.rcvNxt())) {
                    tcp.ext.inc(TcpExtMib.TCPAbortOnData);
                    tcp.output.sendResetFor(daddr, saddr, dport, sport, seq, ack, flags, len, tos);
                    reset(tp);
                    return;
                }
            }
            default -> { }
        }
        if (queueIt) dataQueue(tp);
        if (tp.st == TcpState.CLOSE || tp.st == TcpState.TIME_WAIT) return;
        tcp.output.writeXmit(tp, tp.nonagle);                  // tcp_data_snd_check
        checkSpace(tp);
        ackSndCheck(tp);
    }

    /**
     * tcp_check_space: acknowledged data freed send-buffer space (SOCK_QUEUE_SHRUNK); after what
     * could be sent was sent, grow the buffer if it may, and wake writers if the socket is now
     * writeable, so TCP_NOTSENT_LOWAT counts the data this ACK let out.
     */
    private void checkSpace(TcpSock tp) {
        if (!tp.queueShrunk) return;
        tp.queueShrunk = false;
        TcpProt.sndbufExpand(tp);
        if (TcpProt.memoryFree(tp)) tp.chrono.stop(TcpChrono.SNDBUF_LIMITED, tp.queuesEmpty(), tcp.stack.now());
        if (TcpProt.streamWriteable(tp)) tp.writeSpace();
    }

    /**
     * tcp_ack: the cumulative ACK, the window update (RFC 9293 §3.10.7.4 with SND.WL1/WL2), the RTT
     * sample, SACK blocks and then loss recovery and cwnd growth. Returns -1 when the segment must
     * be dropped (RFC 5961 §5.2 ACK outside [SND.UNA − MAX.SND.WND, SND.NXT]), 0 for an old ACK,
     * 1 otherwise.
     */
    private int tcpAck(TcpSock tp) {
        int priorUna = tp.sndUna;
        if (SeqNum.gt(ack, tp.sndNxt)) {
            challengeAck(tp);
            return -1;
        }
        if (SeqNum.lt(ack, priorUna - Math.max(tp.maxWindow, 1))) {
            challengeAck(tp);
            return -1;
        }
        if (SeqNum.lt(ack, priorUna)) {
            if (tp.sackOk && opt.sackCount > 0) TcpRecovery.sacktag(tp, opt, priorUna, priorUna, sample.clear());
            return 0;
        }
        long now = tcp.stack.now();
        tp.lastAckRecvNs = now;
        tp.probesOut = 0;
        // tcp_ack_update_window.
        boolean winUpdate = false;
        int nwin = win << tp.sndWscale;
        if (SeqNum.gt(ack, priorUna) || SeqNum.gt(seq, tp.sndWl1) || seq == tp.sndWl1 && (nwin > tp.sndWnd || nwin == 0)) {
            if (tp.sndWnd != nwin) {
                winUpdate = true;
                tp.sndWnd = nwin;
                if (nwin > tp.maxWindow) {
                    tp.maxWindow = nwin;
                    tp.syncMss();                                // the half-window bound moved
                }
            }
            tp.sndWl1 = seq;
            tp.sndWl2 = ack;
        }
        long acked = ack - priorUna;
        if (acked > 0) {
            if (tp.txStamps != null) tp.txStamps.acked(tp, ack);      // tcp_ack_tstamp, before the bytes go
            tp.sendBuf.ackTo(SeqNum.min(ack, tp.sendBuf.endSeq()));
            tp.sndUna = ack;
            TcpUrgent.acked(tp, priorUna);
            if (tp.zc != null) tp.zc.acked(tp);                       // the freed skbs complete their sends
            tp.retransmits = 0;
            tp.bytesAcked += acked;
        } else if (tp.pendingTimer == TcpSock.TIME_PROBE0 && SeqNum.lt(tp.sndNxt, tp.wndEnd())
                && tp.sndUna == tp.sndNxt) {
            // tcp_ack_probe: the window opened; stop probing.
            TcpTimers.clearXmit(tp);
            tp.backoff = 0;
            tp.probesStampNs = 0;
        }
        int priorFack = tp.sacked.highestEnd(priorUna);
        AckSample s = sample.clear();
        long newlySacked = tp.sackOk && opt.sackCount > 0 ? TcpRecovery.sacktag(tp, opt, priorUna, tp.sndUna, s) : 0;
        if (acked > 0) TcpRecovery.cleanRtxQueue(tp, priorUna, ack, priorFack, opt, s);
        ackUpdateRtt(tp, s, acked > 0, now);
        if (acked > 0 || newlySacked > 0)
            tp.cc.pktsAcked(tp, (int) ((acked + tp.mssCache - 1) / tp.mssCache), s.caRttUs);
        // num_dupack: nothing new, no data, no window change, and no D-SACK either.
        boolean isDup = acked == 0 && len == 0 && !winUpdate && !has(TcpHeader.FIN) && tp.sndUna != tp.sndNxt
                && !s.dsack;
        TcpTimers.processTlpAck(tp, ack, acked > 0, s.dsackTlp, newlySacked > 0);
        boolean reoArmed = TcpRecovery.onAck(tp, priorUna, acked, newlySacked, isDup, TcpEcn.echo(tp, flags), opt, s);
        // FLAG_SET_XMIT_TIMER, unless RACK just took the timer for a reorder timeout.
        if (acked > 0 && !reoArmed) TcpTimers.setXmitTimer(tp);
        if (acked > 0) {
            if (tp.sndUna == tp.sndNxt) tp.chrono.stop(TcpChrono.BUSY, tp.queuesEmpty(), now);
            tp.queueShrunk = true;
        }
        return 1;
    }

    // ================================================================== data

    /** tcp_data_queue: in-order data to the receive queue, the rest to the out-of-order queue. */
    private void dataQueue(TcpSock tp) {
        boolean fin = has(TcpHeader.FIN);
        // A bare segment carries nothing, but a SYN still takes a sequence number: the peer's
        // SYN-ACK of a simultaneous open repeats its SYN, a duplicate to D-SACK below.
        if (len == 0 && !fin && !has(TcpHeader.SYN)) return;
        int rcvNxt = tp.rcvNxt();
        int dataEnd = seq + len;
        long now = tcp.stack.now();
        if (TcpEcn.acceptCwr(tp, flags, len)) ackNow = true;
        if (len > 0) {
            // tcp_ecn_check_ce: CE asks for an echo and quick ACKs (tcp_enter_quickack_mode(sk, 2)).
            if (TcpEcn.checkCe(tp, tos)) {
                incrQuickack(tp, 2);
                tp.pingpong = false;
                tp.atoNs = TcpSock.ATO_MIN;
            }
            tp.dataSegsIn++;
            tp.lastDataRecvNs = now;
            tp.lastRcvNs = now;
            if (tp.atoNs == 0) {                                // the first data: quickack for a while
                tp.atoNs = TcpSock.ATO_MIN;
                incrQuickack(tp, TcpSock.MAX_QUICKACKS);
            }
            tp.measureRcvMss(len, hlen, has(TcpHeader.FIN | TcpHeader.URG | TcpHeader.SYN | TcpHeader.PSH));
        }
        TcpReceiveQueue q = tp.rcvQueue;
        int windowEnd = tp.rcvWup + tp.rcvWnd;
        if (seq == rcvNxt) {
            if (len > 0 && tp.rcvWnd - (rcvNxt - tp.rcvWup) <= 0) {
                tcp.ext.inc(TcpExtMib.TCPZeroWindowDrop);
                tp.ackPending = true;
                enterQuickack(tp);
                return;
            }
            int take = len;
            if (SeqNum.gt(dataEnd, windowEnd) && SeqNum.gt(windowEnd, seq)) take = Math.max(0, windowEnd - seq);
            int adv = take > 0 ? q.put(seq, rcvPkt, dataOff, take) : 0;
            tp.bytesReceived += adv;
            if (take == len && fin) queueFin(tp, seq + len);
            if (tp.oooFin && tp.rcvNxt() == tp.oooFinSeq) queueFin(tp, tp.oooFinSeq);
            if (adv > 0) {
                sackRemove(tp);
                growWindow(tp, take);
                tp.dataReady();
            }
            tp.ackPending = true;
            if (!q.ooo.isEmpty() || adv > take) enterQuickack(tp);   // filling a hole: ACK at once (RFC 5681 §4.2)
            return;
        }
        if (SeqNum.le(endSeq, rcvNxt)) {
            // A complete duplicate: D-SACK it (RFC 2883 §4.1) and ACK at once.
            tcp.ext.inc(TcpExtMib.TCPDSACKOldSent);
            dsackSet(tp, seq, has(TcpHeader.SYN) ? endSeq : dataEnd);
            tp.ackPending = true;
            enterQuickack(tp);
            return;
        }
        if (!SeqNum.lt(seq, windowEnd)) {
            // Beyond the window (tcp_sequence let it in only for a zero window probe).
            tcp.ext.inc(TcpExtMib.TCPZeroWindowDrop);
            tp.ackPending = true;
            enterQuickack(tp);
            return;
        }
        if (SeqNum.lt(seq, rcvNxt)) {
            // Partly old: D-SACK the old part, queue the rest as in-order.
            dsackSet(tp, seq, rcvNxt);
            int skip = rcvNxt - seq;
            int take = Math.min(len - skip, Math.max(0, windowEnd - rcvNxt));
            int adv = take > 0 ? q.put(rcvNxt, rcvPkt, dataOff + skip, take) : 0;
            tp.bytesReceived += adv;
            if (take == len - skip && fin) queueFin(tp, dataEnd);
            if (tp.oooFin && tp.rcvNxt() == tp.oooFinSeq) queueFin(tp, tp.oooFinSeq);
            if (adv > 0) { sackRemove(tp); tp.dataReady(); }
            tp.ackPending = true;
            enterQuickack(tp);
            return;
        }
        // Out of order (RFC 9293 §3.10.7.4 step 7: keep it, ACK at once so the sender sees the hole).
        tcp.ext.inc(TcpExtMib.TCPOFOQueue);
        tp.rcvOooPack++;
        int take = Math.min(len, windowEnd - seq);
        if (take > 0) {
            long dup = q.ooo.overlap(seq, seq + take);
            if (dup > 0) {
                tcp.ext.inc(TcpExtMib.TCPDSACKOfoSent);
                if (dup == take) dsackSet(tp, seq, seq + take);
            }
            q.put(seq, rcvPkt, dataOff, take);
            sackNewOfo(tp, seq);
        }
        if (fin && take == len) {
            tp.oooFin = true;
            tp.oooFinSeq = dataEnd;
        }
        tp.ackPending = true;
        enterQuickack(tp);
    }

    /**
     * tcp_fastopen_add_skb: the data of the segment being processed, a SYN that made a passive Fast
     * Open child or the SYN-ACK of an active one, becomes the connection's first received data
     * (after the SYN's sequence number); a FIN with it closes the peer's side at once.
     */
    void fastopenAddSkb(TcpSock tp) {
        boolean fin = has(TcpHeader.FIN);
        if (len == 0 && !fin) return;
        if (len > 0) {
            tp.bytesReceived += tp.rcvQueue.put(seq + 1, rcvPkt, dataOff, len);
            tp.dataSegsIn++;
            tp.lastDataRecvNs = tcp.stack.now();
        }
        tp.synDataAcked = true;                                  // TCPI_OPT_SYN_DATA
        if (fin) queueFin(tp, seq + 1 + len);
    }

    /** tcp_fin: the peer has finished sending (RFC 9293 §3.10.7.4 step 8). */
    private void queueFin(TcpSock tp, int finSeq) {
        if (tp.finReceived) return;
        TcpReceiveQueue q = tp.rcvQueue;
        q.rcvNxtSeq = finSeq + 1;                                // the FIN occupies one sequence number
        tp.oooFin = false;
        tp.finReceived = true;
        tp.shutdown |= Sock.RCV_SHUTDOWN;
        tp.ackPending = true;
        enterQuickack(tp);
        switch (tp.st) {
            case SYN_RECV, ESTABLISHED -> tp.setState(TcpState.CLOSE_WAIT);
            case FIN_WAIT1 -> tp.setState(TcpState.CLOSING);     // simultaneous close
            case FIN_WAIT2 -> {
                tcp.output.sendAck(tp);
                TcpProt.timeWait(tp);
                return;
            }
            default -> { }
        }
        if (!tp.isOrphan()) {
            tp.stateChange();
            tp.wq.wakeUp(io.jnetstack.uapi.Poll.POLLIN | io.jnetstack.uapi.Poll.POLLRDNORM | io.jnetstack.uapi.Poll.POLLRDHUP);
        }
    }

    /** tcp_grow_window: let the advertised window open further as in-order data flows. */
    private void growWindow(TcpSock tp, int bytes) {
        int full = tp.fullSpace();
        if (tp.rcvSsthresh < full && bytes >= 128) tp.rcvSsthresh = Math.min(tp.rcvSsthresh + 2 * tp.advmss, full);
    }

    // ---------------------------------------------------------------- SACK blocks we send (RFC 2018 §4)

    /** tcp_sack_new_ofo_skb: the block holding the newest segment goes first. */
    private void sackNewOfo(TcpSock tp, int segSeq) {
        IntervalList ooo = tp.rcvQueue.ooo;
        int i = ooo.find(segSeq);
        if (i < 0) return;
        int s = ooo.start(i), e = ooo.end(i);
        int n = 0;
        int[] l = tp.sackL, r = tp.sackR;
        int keepN = 0;
        int[] tl = scratchL, trr = scratchR;
        for (int k = 0; k < tp.sackN; k++) {
            if (SeqNum.ge(l[k], s) && SeqNum.le(r[k], e)) continue;   // merged into the new block
            int j = ooo.find(l[k]);
            if (j < 0) continue;
            tl[keepN] = ooo.start(j);
            trr[keepN] = ooo.end(j);
            keepN++;
        }
        l[n] = s;
        r[n] = e;
        n++;
        for (int k = 0; k < keepN && n < 4; k++) {
            boolean dupBlock = false;
            for (int m = 0; m < n; m++) if (l[m] == tl[k]) dupBlock = true;
            if (!dupBlock) { l[n] = tl[k]; r[n] = trr[k]; n++; }
        }
        tp.sackN = n;
    }

    private final int[] scratchL = new int[4], scratchR = new int[4];

    /** tcp_sack_remove: blocks now below rcv_nxt are gone; the rest follow their ranges' growth. */
    private void sackRemove(TcpSock tp) {
        if (tp.sackN == 0) return;
        IntervalList ooo = tp.rcvQueue.ooo;
        int n = 0;
        for (int k = 0; k < tp.sackN; k++) {
            int j = ooo.find(tp.sackL[k]);
            if (j < 0) j = ooo.find(tp.sackR[k] - 1);
            if (j < 0) continue;
            tp.sackL[n] = ooo.start(j);
            tp.sackR[n] = ooo.end(j);
            n++;
        }
        tp.sackN = n;
    }

    private void dsackSet(TcpSock tp, int s, int e) {
        if (!tp.sackOk || tcp.stack.sysctl().tcpDsack.value() == 0) return;
        tp.dsackPending = true;
        tp.dsackL = s;
        tp.dsackR = e;
    }

    // ---------------------------------------------------------------- ACK scheduling

    private static void incrQuickack(TcpSock tp, int max) {
        int q = Math.max(tp.rcvWnd / (2 * Math.max(tp.rcvMss, 1)), 2);
        tp.quickAcks = Math.max(tp.quickAcks, Math.min(q, max));
    }

    private static void enterQuickack(TcpSock tp) {
        incrQuickack(tp, TcpSock.MAX_QUICKACKS);
        tp.pingpong = false;
        tp.atoNs = TcpSock.ATO_MIN;
    }

    /**
     * __tcp_ack_snd_check: ACK now when more than one full-sized segment is unacknowledged (RFC
     * 5681 §4.2's "every second segment"), in quickack mode, or with out-of-order data; otherwise
     * let the delayed-ACK timer do it.
     */
    void ackSndCheck(TcpSock tp) {
        if (!tp.ackPending) return;
        boolean twoSegs = tp.rcvNxt() - tp.rcvWup > tp.rcvMss && tcp.output.freeWindow(tp) >= tp.rcvWnd;
        boolean quick = tp.quickAcks > 0 && !tp.pingpong || ackNow;
        if (twoSegs || quick || !tp.rcvQueue.ooo.isEmpty() || tp.dsackPending) tcp.output.sendAck(tp);
        else TcpTimers.scheduleDelack(tp);
    }

    /** A dupack for an out-of-window segment, rate-limited (tcp_oow_rate_limited, tcp_invalid_ratelimit). */
    /**
     * tcp_send_dupack: data outside the window is answered at once; an old duplicate (a spurious
     * retransmission, or one that overtook its original) is D-SACKed (RFC 2883 §4.1) so the
     * sender can tell, and the receiver acks quickly for a while.
     */
    private void sendDupack(TcpSock tp, int rcvNxt) {
        if (SeqNum.lt(seq, rcvNxt)) {
            enterQuickack(tp);
            tcp.ext.inc(TcpExtMib.TCPDSACKOldSent);
            dsackSet(tp, seq, SeqNum.min(endSeq, rcvNxt));
        }
        tcp.output.sendAck(tp);
    }

    private void oowAck(TcpSock tp, TcpExtMib skipped) {
        long now = tcp.stack.now();
        long limit = tcp.stack.sysctl().tcpInvalidRatelimit.value() * TcpSock.MS;
        if (now - tp.lastOowAckNs < limit) {
            tcp.ext.inc(skipped);
            return;
        }
        tp.lastOowAckNs = now;
        tcp.output.sendAck(tp);
    }

    /** tcp_send_challenge_ack (RFC 5961 §3.2, §4.2, §5.2). */
    private void challengeAck(TcpSock tp) {
        long now = tcp.stack.now();
        long limit = tcp.stack.sysctl().tcpInvalidRatelimit.value() * TcpSock.MS;
        if (now - tp.lastOowAckNs < limit) {
            tcp.ext.inc(TcpExtMib.TCPACKSkippedChallenge);
            return;
        }
        tp.lastOowAckNs = now;
        tcp.ext.inc(TcpExtMib.TCPChallengeACK);
        tcp.output.sendAck(tp);
    }

    private void synChallenge(TcpSock tp) {
        tcp.ext.inc(TcpExtMib.TCPSYNChallenge);
        challengeAck(tp);
    }

    /** tcp_reset: the peer reset the connection (RFC 9293 §3.10.7.4 step 2). */
    void reset(TcpSock tp) {
        int err = switch (tp.st) {
            case SYN_SENT -> Errno.ECONNREFUSED;
            case CLOSE_WAIT -> Errno.EPIPE;
            case CLOSE -> 0;
            default -> Errno.ECONNRESET;
        };
        if (err == 0) return;
        if (tp.st == TcpState.SYN_SENT) tcp.mib.inc(TcpMib.AttemptFails);
        tp.err = err;
        tp.sendBuf.clear();
        if (tp.zc != null) tp.zc.purge(tp);
        if (tp.txStamps != null) tp.txStamps.purge();
        tp.finQueued = false;
        if (!tp.isOrphan()) tp.errorReport();
        TcpProt.done(tp);
    }

    // ================================================================== TIME_WAIT

    /** tcp_timewait_state_process (RFC 9293 §3.10.7.4, TIME-WAIT; RFC 6191 for SYN reuse). */
    private void timewaitProcess(TcpSock tw) {
        if (has(TcpHeader.RST)) {                                // tcp_rfc1337 = 0: a RST kills it
            if (tcp.stack.sysctl().tcpRfc1337.value() == 0) TcpProt.done(tw);
            return;
        }
        boolean paws = tw.tsOk && opt.hasTs && tw.tsRecentStampNs != 0 && opt.tsVal - tw.tsRecent < 0;
        if (has(TcpHeader.SYN) && !has(TcpHeader.ACK_FLAG) && !paws
                && (SeqNum.gt(seq, tw.rcvNxt()) || opt.hasTs && tw.tsOk && tw.tsRecent - opt.tsVal < 0)) {
            // A new incarnation: reuse the tuple with an ISN beyond anything the old one used.
            int isn = tw.sndNxt + 65535 + 2;
            TcpProt.done(tw);
            TcpSock l = tcp.lookupListener(daddr, dport);
            if (l != null) listenProcess(l, isn);
            return;
        }
        if (paws) tcp.ext.inc(TcpExtMib.PAWSEstab);
        if (paws || has(TcpHeader.ACK_FLAG)) tcp.stack.scheduler().arm(tw.twTimer, tcp.stack.now() + TcpSock.TIMEWAIT_LEN);
        oowAck(tw, TcpExtMib.TCPACKSkippedTimeWait);
    }

    // ================================================================== ICMP

    /** tcp_v4_err: an ICMP error quoting one of our segments (RFC 5927 checks, RFC 1122 §4.2.3.9). */
    @Override
    public void error(int type, int code, int info, int qSaddr, int qDaddr, MemorySegment quoted) {
        if (quoted.byteSize() < 8) return;
        int qsport = Short.toUnsignedInt(quoted.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN), 0));
        int qdport = Short.toUnsignedInt(quoted.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN), 2));
        int qseq = quoted.get(U32, 4);
        TcpSock tp = tcp.lookupEstablished(qSaddr, qsport, qDaddr, qdport);
        if (tp == null) {
            reqErr(type, code, qSaddr, qsport, qDaddr, qdport, qseq);
            return;
        }
        if (tp.st == TcpState.TIME_WAIT) return;
        if (tp.st != TcpState.SYN_SENT && !SeqNum.between(qseq, tp.sndUna, tp.sndNxt)) {
            tcp.ext.inc(TcpExtMib.OutOfWindowIcmps);
            return;
        }
        int err;
        switch (type) {
            case 3 -> {                                            // destination unreachable
                if (code > 15) return;
                if (code == 4) {                                   // fragmentation needed: PMTU
                    if (info >= 68 && (tp.pmtu == 0 || info < tp.pmtu)) {
                        tp.pmtu = info;
                        tp.route.mtu = info;
                        tp.syncMss();
                        if (tp.st.synchronizedState() && tp.sndUna != tp.sndNxt) {
                            tcp.output.retransmit(tp, tp.sndUna, tp.sndNxt);
                        } else if (tp.st == TcpState.SYN_SENT) {
                            tcp.fastopen.mtuReduced(tp);
                        }
                    }
                    return;
                }
                err = ICMP_UNREACH_ERRNO[code];
            }
            case 11 -> err = Errno.EHOSTUNREACH;                   // time exceeded
            case 12 -> err = Errno.EPROTO;                         // parameter problem
            default -> { return; }
        }
        // Only a simultaneous or Fast Open handshake has a sock in SYN_RECV; a Fast Open child the
        // application already accepted is treated as a connected socket.
        if (tp.st == TcpState.SYN_SENT || tp.st == TcpState.SYN_RECV && !(tp.fastopenRsk != null && tp.parent == null)) {
            tp.err = err;
            tp.errorReport();
            if (tp.st == TcpState.SYN_SENT) tcp.mib.inc(TcpMib.AttemptFails);
            TcpProt.done(tp);
            return;
        }
        if (tp.recvErr) {
            tp.err = err;
            tp.errorReport();
        } else {
            tp.errSoft = err;
        }
    }

    /**
     * tcp_req_err: an ICMP error about a SYN-ACK of a request sock. It must quote the SYN-ACK's own
     * sequence number; network or host unreachable, time exceeded and parameter problems then
     * drop the request (RFC 5927 §4.3 would ignore them; Linux takes these as final).
     */
    private void reqErr(int type, int code, int qSaddr, int qsport, int qDaddr, int qdport, int qseq) {
        TcpSock l = tcp.lookupListener(qSaddr, qsport);
        if (l == null || l.synQueue == null) return;
        TcpRequestSock req = l.synQueue.get(TcpRequestSock.key(qDaddr, qdport));
        if (req == null || req.laddr != qSaddr) return;
        if (qseq != req.iss) {
            tcp.ext.inc(TcpExtMib.OutOfWindowIcmps);
            return;
        }
        boolean abort = type == 12 || type == 11 || type == 3 && (code == 0 || code == 1);
        if (!abort) return;
        l.synQueue.remove(TcpRequestSock.key(qDaddr, qdport));
        tcp.stack.scheduler().cancel(req.timer);
        tcp.ext.inc(TcpExtMib.ListenDrops);
    }

    /** icmp_err_convert: errno for each "destination unreachable" code. */
    private static final int[] ICMP_UNREACH_ERRNO = {
        Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENOPROTOOPT, Errno.ECONNREFUSED, Errno.EMSGSIZE,
        Errno.EOPNOTSUPP, Errno.ENETUNREACH, Errno.EHOSTDOWN, 64 /* ENONET */, Errno.ENETUNREACH,
        Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH,
        Errno.EHOSTUNREACH
    };
}
