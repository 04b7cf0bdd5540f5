package io.jnetstack.tcp;

import io.jnetstack.ipv4.Ip;
import io.jnetstack.ipv4.Route;
import io.jnetstack.stack.Tracer;
import io.jnetstack.uapi.In;
import io.jnetstack.link.ChecksumOffload;
import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.SeqNum;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;
import java.lang.foreign.MemorySegment;

import static io.jnetstack.wire.TcpHeader.ACK_FLAG;
import static io.jnetstack.wire.TcpHeader.FIN;
import static io.jnetstack.wire.TcpHeader.PSH;
import static io.jnetstack.wire.TcpHeader.RST;
import static io.jnetstack.wire.TcpHeader.SYN;
import static io.jnetstack.wire.TcpHeader.URG;

/**
 * tcp_output.c: building segments (tcp_transmit_skb, with tcp_options_write's layout through
 * {@link TcpOptions}), choosing the advertised window (tcp_select_window), and deciding what to
 * send (tcp_write_xmit with its cwnd, receive-window and Nagle tests; tcp_xmit_retransmit_queue).
 *
 * <p>Segments are built in the Ip module's transmit buffer, payload copied straight from the send
 * ring; the header view and option writer are reused, so sending allocates nothing. The checksum
 * is left partial (CHECKSUM_PARTIAL: the pseudo-header sum only), as Linux's TCP always leaves it:
 * a device with checksum offload never computes it (loopback, an offloading wire), and the IP
 * layer finishes it for any other device or observer (validate_xmit_skb).
 */
final class TcpOutput {
    private final Tcp tcp;
    private final Ip ip;
    private final TcpHeader th = new TcpHeader();
    private final TcpOptions opts = new TcpOptions();
    private MemorySegment txBuf, txView, txOpts;

    TcpOutput(Tcp tcp) {
        this.tcp = tcp;
        this.ip = tcp.ip;
    }

    /** The header view over the transmit buffer from HEADROOM on (re-sliced only if the buffer changes). */
    private TcpHeader header() {
        MemorySegment b = ip.txBuffer();
        if (b != txBuf) {
            txBuf = b;
            txView = b.asSlice(Ip.HEADROOM);
            txOpts = b.asSlice(Ip.HEADROOM + TcpHeader.OPTIONS);
        }
        return th.wrap(txView);
    }

    // ------------------------------------------------------------------ the one place segments are built

    /**
     * tcp_transmit_skb: sends [seq, seq+len) of {@code tp}'s send queue (len may be 0) with
     * {@code flags}. Options: SYN → mss, sackOK, TS, nop, wscale; otherwise nop, nop, TS and any
     * SACK blocks. Returns 0, {@link #NET_XMIT_DROP} when the device queue dropped it, or the Ip
     * layer's -errno (the segment then counts as lost).
     */
    int transmit(TcpSock tp, int seq, int len, int flags) {
        if (!tp.routeValid) return -io.jnetstack.uapi.Errno.EHOSTUNREACH;
        TcpHeader h = header();
        opts.clear();
        int window;
        if ((flags & SYN) != 0) {
            opts.mss(tp.advmss);
            opts.sackPermitted(tp.sackOk);
            if (tp.tsOk) opts.timestamp(tp.tsVal(), (flags & ACK_FLAG) != 0 ? tp.tsRecent : 0);
            if (tp.wscaleOk) opts.wscale(tp.rcvWscale);
            if ((flags & ACK_FLAG) == 0) TcpFastOpen.addSynOption(tp, opts);
            window = Math.min(tp.rcvWnd, 65535);                  // RFC 7323 §2.2: SYN windows are never scaled
        } else {
            if (tp.tsOk) opts.timestamp(tp.tsVal(), tp.tsRecent);
            if (tp.sackOk && (flags & RST) == 0) addSackBlocks(tp);
            window = (flags & RST) != 0 && (flags & ACK_FLAG) == 0 ? 0 : selectWindow(tp);
        }
        int optLen = opts.emitLen();
        int hlen = TcpHeader.MIN_LEN + optLen;
        if ((flags & ACK_FLAG) == 0 && (flags & RST) == 0 && (flags & SYN) == 0) flags |= ACK_FLAG;
        int tos = tp.tos & ~TcpEcn.ECN_MASK;
        if ((flags & SYN) == 0) {
            flags |= TcpEcn.sendFlags(tp, seq, len);
            tos = TcpEcn.tos(tp, seq, len);
        } else if ((flags & ACK_FLAG) == 0) {
            flags |= TcpEcn.synFlags(tp, tp.segsOut > 0);       // only the first SYN asks (ECN fallback)
        } else if ((tp.ecnFlags & TcpEcn.OK) != 0) {
            flags |= TcpHeader.ECE;                              // tcp_ecn_send_synack
        }
        int urgPtr = (flags & SYN) == 0 ? TcpUrgent.pointerFor(tp, seq) : -1;
        if (urgPtr >= 0) flags |= URG;
        h.srcPort(tp.sport).dstPort(tp.dport).seq(seq).ack((flags & ACK_FLAG) != 0 ? tp.rcvNxt() : 0)
                .flags(flags).window(window).checksum(0).urgentPtr(Math.max(urgPtr, 0));
        txView.set(java.lang.foreign.ValueLayout.JAVA_BYTE, TcpHeader.DATA_OFF, (byte) ((hlen >>> 2) << 4));
        opts.emit(txOpts);
        if (len > 0) tp.sendBuf.copyOut((flags & SYN) != 0 ? seq + 1 : seq, txView, hlen, len);   // SYN data follows the SYN
        int total = hlen + len;
        h.wrap(txBuf, Ip.HEADROOM, total).partialChecksum(tp.saddr, tp.daddr);
        Tracer tr = tcp.stack.trace();
        if (tr.on) tr.event("tcp_transmit_skb", tp + " [" + TcpHeader.flagsToString(flags) + "] seq "
                + Integer.toUnsignedString(seq) + " len " + len + " win " + window + " " + opts);
        int err = ip.output(tp.route, tp.saddr, tp.daddr, In.IPPROTO_TCP, tos, tp.effectiveTtl(),
                tp.pmtudisc != In.IP_PMTUDISC_DONT, txBuf, Ip.HEADROOM, total, ChecksumOffload.CHECKSUM_PARTIAL);
        if (err == -io.jnetstack.uapi.Errno.ENOBUFS) err = NET_XMIT_DROP;
        if (len > 0 && err >= 0 && tp.txStamps != null)
            tp.txStamps.transmitted(tp, seq, len, txBuf.asSlice(Ip.HEADROOM - Ipv4Header.MIN_LEN, Ipv4Header.MIN_LEN + total));
        tcp.mib.inc(TcpMib.OutSegs);
        tp.segsOut++;
        if ((flags & RST) != 0) tcp.mib.inc(TcpMib.OutRsts);
        if ((flags & ACK_FLAG) != 0) ackSent(tp);
        if (len > 0) {
            tp.dataSegsOut++;
            tp.bytesSent += len;
            tp.lastDataSentNs = tcp.stack.now();
            // tcp_event_data_sent: data sent within ato of data received is a reply; the
            // connection is interactive (pingpong) and its ACKs wait to ride on the replies.
            if (tp.lastDataSentNs - tp.lastRcvNs < tp.atoNs) tp.pingpong = true;
        }
        // __tcp_transmit_skb: a local drop is congestion too; the window is reduced (CWR).
        if (err == NET_XMIT_DROP) TcpRecovery.enterCwr(tp);
        return err;
    }

    /**
     * NET_XMIT_DROP as tcp_transmit_skb returns it: the segment was dropped before the wire (a
     * full queue: local congestion), as opposed to a negative errno (no route, say).
     */
    static final int NET_XMIT_DROP = 1;

    /** tcp_event_ack_sent: an ACK went out, so nothing is pending any more. */
    private void ackSent(TcpSock tp) {
        if (tp.ackPending && tp.quickAcks > 0) tp.quickAcks--;
        tp.ackPending = false;
        tp.dsackPending = false;
        tcp.stack.scheduler().cancel(tp.delackTimer);
    }

    /** tcp_established_options' SACK part: D-SACK first (RFC 2883), then most recent blocks. */
    private void addSackBlocks(TcpSock tp) {
        int max = tp.tsOk ? 3 : 4;
        if (tp.dsackPending) opts.addSack(tp.dsackL, tp.dsackR);
        for (int i = 0; i < tp.sackN && opts.sackCount < max; i++) opts.addSack(tp.sackL[i], tp.sackR[i]);
    }

    // ------------------------------------------------------------------ receive window

    /**
     * tcp_select_window: the window to advertise now, never shrinking what was offered before
     * (RFC 9293 §3.8.6.2.2), rounded so the scale shift does not lose it.
     */
    int selectWindow(TcpSock tp) {
        int cur = tp.rcvWnd - (tp.rcvNxt() - tp.rcvWup);
        if (cur < 0) cur = 0;
        int nw = freeWindow(tp);
        int oldWnd = tp.rcvWnd;
        if (nw < cur) nw = alignUp(cur, tp.rcvWscale);
        tp.rcvWnd = nw;
        tp.rcvWup = tp.rcvNxt();
        int max = tp.wscaleOk ? 65535 << tp.rcvWscale : 65535;
        if (nw > max) nw = max;
        int w = nw >>> tp.rcvWscale;
        if (w == 0) {
            tcp.ext.inc(TcpExtMib.TCPWantZeroWindowAdv);
            if (oldWnd != 0) tcp.ext.inc(TcpExtMib.TCPToZeroWindowAdv);
        } else if (oldWnd == 0) tcp.ext.inc(TcpExtMib.TCPFromZeroWindowAdv);
        return w;
    }

    /** __tcp_select_window: free receive space, bounded by rcv_ssthresh, with receiver-side SWS avoidance. */
    int freeWindow(TcpSock tp) {
        int full = tp.fullSpace();
        long free = full - tp.rcvQueue.held();
        int mss = Math.max(tp.rcvMss, 1);
        if (free < Math.max(full >> 4, mss) || free <= 0) return 0;   // RFC 1122 §4.2.3.3 receiver SWS
        int window = (int) Math.min(free, tp.rcvSsthresh);
        if (tp.rcvWscale > 0) return alignUp(window, tp.rcvWscale);
        // Without scaling, keep the window a multiple of the MSS unless it is close to what we had.
        int cur = tp.rcvWnd;
        if (cur <= window - mss || cur > window) window = window / mss * mss;
        else window = cur;
        return window;
    }

    private static int alignUp(int v, int shift) {
        int m = (1 << shift) - 1;
        return (int) Math.min(Integer.MAX_VALUE, ((long) v + m) & ~m);
    }

    // ------------------------------------------------------------------ control segments

    /** tcp_send_ack. */
    void sendAck(TcpSock tp) {
        if (tp.st == TcpState.CLOSE || tp.st == TcpState.LISTEN) return;
        transmit(tp, tp.sndNxt, 0, ACK_FLAG);
    }

    /** tcp_send_syn / tcp_connect's first SYN (and its retransmissions). */
    void sendSyn(TcpSock tp) { transmit(tp, tp.iss, 0, SYN); }

    /** A SYN-ACK from a full sock (simultaneous open). */
    void sendSynAckFromSock(TcpSock tp) { transmit(tp, tp.iss, 0, SYN | ACK_FLAG); }

    /** tcp_send_active_reset: RST|ACK at an acceptable sequence number. */
    void sendActiveReset(TcpSock tp) {
        int seq = SeqNum.le(tp.sndNxt, tp.wndEnd()) ? tp.sndNxt : tp.wndEnd();
        transmit(tp, seq, 0, RST | ACK_FLAG);
    }

    /** tcp_xmit_probe_skb: a zero-window or keepalive probe, an ACK at snd_una - 1 the peer must answer. */
    int sendProbe(TcpSock tp) { return transmit(tp, tp.sndUna - 1, 0, ACK_FLAG); }

    /**
     * tcp_v4_send_synack: the SYN-ACK of a request sock, built from its own numbers (the listener's
     * sock is not the connection), with a Fast Open option when {@code fastOpen} has one.
     */
    void sendSynAck(TcpRequestSock req, FastOpenCookie fastOpen) {
        Route rt = ip.route(req.raddr, req.laddr, 0);
        if (rt == null) return;
        req.sntSynackNs = tcp.stack.now();
        TcpHeader h = header();
        opts.clear();
        opts.mss(req.listener.advmssFor(rt.mtu));
        opts.sackPermitted(req.sackOk);
        if (req.tsOk) {
            int tsval = (int) (tcp.stack.now() / TcpSock.MS) + req.tsOffset;
            if (req.cookie) tsval = TcpSyncookies.encodeTs(tsval, req.wscaleOk ? req.sndWscale : -1, req.sackOk, req.ecnOk);
            opts.timestamp(tsval, req.tsRecent);
        }
        if (req.wscaleOk) opts.wscale(req.rcvWscale);
        if (fastOpen != null) fastOpen.emitInto(opts);
        emitBare(rt, req.laddr, req.raddr, req.lport, req.rport, req.iss, req.rcvNxt, SYN | ACK_FLAG | (req.ecnOk ? TcpHeader.ECE : 0),
                Math.min(req.rcvWnd, 65535), req.tos, req.listener.effectiveTtl(), h);
    }

    /** The ACK a request sock sends to an out-of-window segment (tcp_v4_reqsk_send_ack). */
    void sendReqAck(TcpRequestSock req) {
        Route rt = ip.route(req.raddr, req.laddr, 0);
        if (rt == null) return;
        TcpHeader h = header();
        opts.clear();
        if (req.tsOk) opts.timestamp((int) (tcp.stack.now() / TcpSock.MS) + req.tsOffset, req.tsRecent);
        emitBare(rt, req.laddr, req.raddr, req.lport, req.rport, req.iss + 1, req.rcvNxt, ACK_FLAG,
                req.rcvWnd >>> req.rcvWscale, req.tos, req.listener.effectiveTtl(), h);
    }

    /**
     * tcp_v4_send_reset for a segment no socket wants (RFC 9293 §3.10.7.1): with an ACK, RST at
     * seq = SEG.ACK; without, RST|ACK at 0 acknowledging the whole segment.
     */
    void sendResetFor(int laddr, int raddr, int lport, int rport, int segSeq, int segAck, int segFlags, int segLen,
                      int tos) {
        if ((segFlags & RST) != 0) return;
        Route rt = ip.route(raddr, laddr, 0);
        if (rt == null) return;
        TcpHeader h = header();
        opts.clear();
        int seq, ack, flags;
        if ((segFlags & ACK_FLAG) != 0) {
            seq = segAck;
            ack = 0;
            flags = RST;
        } else {
            seq = 0;
            ack = segSeq + segLen + ((segFlags & SYN) != 0 ? 1 : 0) + ((segFlags & FIN) != 0 ? 1 : 0);
            flags = RST | ACK_FLAG;
        }
        emitBare(rt, laddr, raddr, lport, rport, seq, ack, flags, 0, tos & ~3, tcp.stack.sysctl().ipDefaultTtl.value(), h);
    }

    private void emitBare(Route rt, int saddr, int daddr, int sport, int dport, int seq, int ack, int flags, int window,
                          int tos, int ttl, TcpHeader h) {
        int optLen = opts.emitLen();
        int hlen = TcpHeader.MIN_LEN + optLen;
        h.srcPort(sport).dstPort(dport).seq(seq).ack(ack).flags(flags).window(window).checksum(0).urgentPtr(0);
        txView.set(java.lang.foreign.ValueLayout.JAVA_BYTE, TcpHeader.DATA_OFF, (byte) ((hlen >>> 2) << 4));
        opts.emit(txOpts);
        h.wrap(txBuf, Ip.HEADROOM, hlen).partialChecksum(saddr, daddr);
        Tracer tr = tcp.stack.trace();
        if (tr.on) tr.event("tcp_v4_send", SockAddrs.tuple(saddr, sport, daddr, dport) + " ["
                + TcpHeader.flagsToString(flags) + "] seq " + Integer.toUnsignedString(seq) + " ack "
                + Integer.toUnsignedString(ack) + " " + opts);
        ip.output(rt, saddr, daddr, In.IPPROTO_TCP, tos, ttl, true, txBuf, Ip.HEADROOM, hlen, ChecksumOffload.CHECKSUM_PARTIAL);
        tcp.mib.inc(TcpMib.OutSegs);
        if ((flags & RST) != 0) tcp.mib.inc(TcpMib.OutRsts);
    }

    // ------------------------------------------------------------------ data

    /**
     * tcp_write_xmit: sends new data (and a queued FIN) as far as cwnd, the peer's window and
     * Nagle allow; retransmissions of lost segments go first (RFC 6675 NextSeg rule 1 before 2).
     * Segments leave in TSO packets of at most half the cwnd and the tcp_tso_autosize quota; each
     * packet becomes one skb of the send queue (tso_fragment splits the skb it ends in,
     * tcp_grow_skb merges the ones it spans).
     * PSH, as Linux 6.18 puts it on the wire: a packet of two or more segments always ends with
     * it (observed: a 59000-byte write into cwnd 10 leaves as "P. 1:2001" ... "P. 8001:10001"),
     * a single segment only when it ends an skb that tcp_mark_push marked.
     * Arms the retransmit timer for the first segment in flight, or the persist timer when the
     * peer's window stops everything.
     */
    void writeXmit(TcpSock tp, int nonagle) {
        TcpState s = tp.st;
        if (s == TcpState.CLOSE || s == TcpState.LISTEN || s == TcpState.SYN_SENT || s == TcpState.TIME_WAIT
                || s == TcpState.SYN_RECV && !TcpFastOpen.passive(tp)) return;
        // tcp_xmit_recovery: F-RTO step 2b sends new data (Nagle aside) instead of retransmitting;
        // only when none can go does it fall back to the conventional recovery.
        boolean frtoNew = tp.frtoSendNew && tp.caState == CongestionOps.CA_LOSS;
        tp.frtoSendNew = false;
        if (frtoNew) nonagle |= TcpSock.NAGLE_OFF;
        else if (tp.caState >= CongestionOps.CA_RECOVERY) TcpRecovery.xmitRetransmitQueue(tp);
        boolean sentAny = false;
        int chunkLeft = 0, chunkSegs = 0, chunkStart = 0;   // the TSO packet being built (tcp_cwnd_test quota)
        boolean rwndLimited = false;
        boolean isCwndLimited = false;
        int mss = tp.mssCache;
        for (;;) {
            int dataEnd = tp.sendBuf.endSeq();
            boolean finToSend = tp.finQueued && SeqNum.le(tp.sndNxt, tp.finSeq);
            if (SeqNum.ge(tp.sndNxt, dataEnd) && !finToSend) break;
            if (tp.packetsInFlight() >= tp.sndCwnd && pushOne != PUSH_PROBE) { isCwndLimited = true; break; }
            int limit = tp.sendBuf.segmentLimit(tp.sndNxt);
            int len = Math.min(mss, Math.max(0, limit - tp.sndNxt));
            int end = tp.sndNxt + len;
            boolean fin = tp.finQueued && end == tp.finSeq;
            // tcp_snd_wnd_test: the whole segment must fit the peer's window (a bare FIN always may go).
            if (len > 0 && SeqNum.gt(end, tp.wndEnd())) { rwndLimited = true; break; }
            // tcp_nagle_test (with Minshall's refinement): hold a small segment while a small one is unacked.
            // Only the queue's last skb waits; a small one before a record boundary goes (tcp_skb_is_last).
            if (!fin && end == dataEnd && nagleHolds(tp, nonagle, len, tp.sndNxt, tp.sndSml)) break;
            if (tp.sndNxt == tp.sndUna && SeqNum.ge(tp.sndNxt, tp.sendBuf.headSeq)) {
                // Data that waited (for a window, say) past an RTO of idleness restarts cwnd too.
                TcpProt.slowStartAfterIdleCheck(tp);
                if (!tp.rtxTimer.armed()) tp.cc.cwndEvent(tp, CongestionOps.EVENT_TX_START);
            }
            if (chunkLeft == 0) {
                // tcp_cwnd_test: at most half the cwnd per TSO packet, so two are in flight;
                // tcp_tso_autosize: and about a millisecond's worth at the pacing rate.
                chunkLeft = Math.min(Math.min(Math.max(tp.sndCwnd >> 1, 1), tp.sndCwnd - tp.packetsInFlight()),
                        tsoAutosize(tp, mss));
                chunkSegs = 0;
                chunkStart = tp.sndNxt;
            }
            // This segment ends the packet when the quota, a record, the data or the window ends here.
            int nextLen = Math.min(mss, limit - end);
            boolean lastOfChunk = chunkLeft <= 1 || end == limit || pushOne == PUSH_PROBE
                    || SeqNum.gt(end + nextLen, tp.wndEnd())
                    || limit == dataEnd && end + nextLen == dataEnd && !(tp.finQueued && dataEnd == tp.finSeq)
                    && nagleHolds(tp, nonagle, nextLen, end, len < mss ? end : tp.sndSml);
            int flags = ACK_FLAG;
            if (len > 0 && lastOfChunk && (chunkSegs > 0 || tp.sendBuf.pushedAt(end))) flags |= PSH;
            if (fin) flags |= FIN;
            // tcp_write_xmit stops at a segment that did not leave: it stays unsent.
            if (transmit(tp, tp.sndNxt, len, flags) != 0) break;
            tp.sentLog.onSend(tp.sndNxt, end + (fin ? 1 : 0), tcp.stack.now());
            chunkLeft--;
            chunkSegs++;
            if (len < mss) tp.sndSml = end;
            tp.sndNxt = end + (fin ? 1 : 0);
            if (tp.caState == CongestionOps.CA_RECOVERY) tp.prrOut++;
            tcp.ext.inc(TcpExtMib.TCPOrigDataSent);
            sentAny = true;
            if (len > 0) tp.lastSegSeq = end - len;
            TcpTimers.newDataSent(tp);
            if (lastOfChunk) {
                chunkLeft = 0;
                sentAsOneSkb(tp, chunkStart, end);
                if (pushOne != 0) break;
            }
        }
        if (chunkLeft > 0) sentAsOneSkb(tp, chunkStart, SeqNum.min(tp.sndNxt, tp.sendBuf.endSeq()));
        if (frtoNew && !SeqNum.gt(tp.sndNxt, tp.highSeq)) {
            tp.frto = false;
            TcpRecovery.xmitRetransmitQueue(tp);
        }
        // tcp_check_probe_timer: data held back (window, Nagle, cork, MSG_MORE) with nothing in
        // flight would wait for nothing; the probe timer will push it (tcp_write_wakeup).
        if (tp.sndNxt == tp.sndUna && (!sentAny && rwndLimited || tp.notSent() > 0 && !tp.rtxTimer.armed()))
            TcpTimers.armProbe(tp);
        if (rwndLimited) tp.chrono.start(TcpChrono.RWND_LIMITED, tcp.stack.now());
        else tp.chrono.stop(TcpChrono.RWND_LIMITED, tp.queuesEmpty(), tcp.stack.now());
        isCwndLimited |= tp.packetsInFlight() >= tp.sndCwnd;
        if (sentAny || isCwndLimited) cwndValidate(tp, isCwndLimited);
        if (sentAny && pushOne != PUSH_PROBE) TcpTimers.scheduleLossProbe(tp, false);
    }

    /**
     * tcp_nagle_test for the queue's last segment, {@code len} bytes at {@code seq} (with
     * Minshall's refinement, snd_sml {@code sml}): cork holds any part segment, Nagle one while a
     * small segment is unacknowledged.
     */
    private static boolean nagleHolds(TcpSock tp, int nonagle, int len, int seq, int sml) {
        // Urgent data is never held back (tcp_nagle_test: tcp_urg_mode).
        if (len >= tp.mssCache || (nonagle & TcpSock.NAGLE_PUSH) != 0 || TcpUrgent.sending(tp)) return false;
        if ((nonagle & TcpSock.NAGLE_CORK) != 0) return true;
        return (nonagle & TcpSock.NAGLE_OFF) == 0 && seq != tp.sndUna
                && SeqNum.gt(sml, tp.sndUna) && SeqNum.le(sml, seq);
    }

    /**
     * tcp_tso_autosize: segments per TSO packet, the bytes the pacing rate sends in ~1 ms
     * (rate >> sk_pacing_shift 10), at least tcp_min_tso_segs; before the first RTT sample there
     * is no rate yet and a burst may fill a whole 64 KiB TSO packet.
     */
    int tsoAutosize(TcpSock tp, int mss) {
        int minSegs = tcp.stack.sysctl().tcpMinTsoSegs.value();
        long rate = tp.pacingRate(mss);
        long bytes = rate < 0 ? 65536 : Math.min(rate >>> 10, 65536);
        return (int) Math.max(minSegs, bytes / Math.max(mss, 1));
    }

    /**
     * tcp_cwnd_validate's bookkeeping (RFC 7661 spirit): per flight, remember whether the cwnd was
     * the limit, else the most packets that were out, so slow start grows cwnd only while the
     * application keeps at least half of it in use.
     */
    private static void cwndValidate(TcpSock tp, boolean isCwndLimited) {
        int out = tp.packetsOut();
        if (SeqNum.ge(tp.sndUna, tp.cwndUsageSeq) || isCwndLimited || !tp.cwndLimited && out > tp.maxPacketsOut) {
            tp.cwndLimited = isCwndLimited;
            tp.maxPacketsOut = out;
            tp.cwndUsageSeq = tp.sndNxt;
        }
    }

    /**
     * The send queue after [{@code start}, {@code end}) left as one TSO packet: that range is one
     * skb (tso_fragment at the end, tcp_grow_skb over the skbs inside).
     */
    static void sentAsOneSkb(TcpSock tp, int start, int end) {
        if (!SeqNum.lt(start, end)) return;
        tp.sendBuf.fragment(end);
        tp.sendBuf.collapse(start, end);
    }

    /** tcp_write_xmit with push_one = 2: the one new segment a loss probe sends, cwnd or not. */
    void writeXmitOne(TcpSock tp) {
        pushOne = PUSH_PROBE;
        try {
            writeXmit(tp, TcpSock.NAGLE_OFF | TcpSock.NAGLE_PUSH);
        } finally {
            pushOne = 0;
        }
    }

    /** tcp_push_one: a write filled an skb that is next to go; send it (one TSO packet) now. */
    void pushOne(TcpSock tp) {
        pushOne = PUSH_ONE;
        try {
            writeXmit(tp, TcpSock.NAGLE_PUSH);
        } finally {
            pushOne = 0;
        }
    }

    /** tcp_write_xmit's push_one: 0, 1 (tcp_push_one: one packet) or 2 (a loss probe: one segment past cwnd). */
    private static final int PUSH_ONE = 1, PUSH_PROBE = 2;
    private int pushOne;

    /**
     * Where the last retransmission ended, for which sock, when and after how many received
     * segments: the next one continues the same packet if it starts there in the same pass.
     */
    private TcpSock rtxRunSock;
    private int rtxRunEnd, rtxRunSegsIn;
    private long rtxRunNs = -1;

    /**
     * tcp_retransmit_skb: a retransmission of loss recovery. Besides sending it, it starts the
     * episode's clock (retrans_stamp: when it left, or when the original did if the local send
     * failed) and counts towards undo_retrans even when it failed, as Linux does. Returns the end
     * of what was sent ({@code seq} when nothing was).
     */
    int retransmit(TcpSock tp, int seq, int maxEnd) {
        int head = tp.sentLog.indexOf(seq);
        long firstSentNs = head >= 0 ? tp.sentLog.sentNs(head) : tcp.stack.now();
        int end = retransmitProbe(tp, seq, maxEnd);
        if (!retransAttempted) return end;
        if (tp.retransStampNs == 0) tp.retransStampNs = end != seq ? tcp.stack.now() : firstSentNs;
        if (tp.undoRetrans < 0) tp.undoRetrans = 0;
        tp.undoRetrans++;
        return end;
    }

    /** Whether the last {@link #retransmitProbe} had anything to send (whether or not it left). */
    private boolean retransAttempted;

    /**
     * __tcp_retransmit_skb: sends [seq, end) again (a FIN at finSeq included when it was sent).
     * Used alone by a tail loss probe, which starts no recovery episode. Returns the end of what
     * was sent.
     */
    int retransmitProbe(TcpSock tp, int seq, int maxEnd) {
        retransAttempted = false;
        int dataEnd = tp.sendBuf.endSeq();
        int flags = ACK_FLAG;
        int len = 0;
        int end;
        if (SeqNum.lt(seq, dataEnd)) {
            int skbEnd = tp.sendBuf.skbEndOf(seq);
            len = Math.min(tp.mssCache, SeqNum.min(maxEnd, tp.sendBuf.segmentLimit(seq)) - seq);
            end = seq + len;
            // __tcp_retransmit_skb resends an skb (or its head) as one packet: PSH as for new data,
            // on a packet of two or more segments, or on one segment ending a pushed skb.
            long now = tcp.stack.now();
            boolean more = tp == rtxRunSock && seq == rtxRunEnd && now == rtxRunNs && tp.segsIn == rtxRunSegsIn
                    && !tp.sendBuf.skbStartsAt(seq);
            if ((end == skbEnd || end == maxEnd) && (more || end == skbEnd && tp.sendBuf.pushedAt(end))) flags |= PSH;
            rtxRunSock = tp;
            rtxRunEnd = end;
            rtxRunNs = now;
            rtxRunSegsIn = tp.segsIn;
        } else {
            end = seq;
        }
        if (tp.finQueued && end == tp.finSeq && SeqNum.gt(tp.sndNxt, tp.finSeq)) {
            flags |= FIN;
            end++;
        }
        if (len == 0 && (flags & FIN) == 0) return seq;
        retransAttempted = true;
        if (transmit(tp, seq, len, flags) != 0) {
            // Dropped before the wire (a full qdisc, no route): not retransmitted after all
            // (tcp_retransmit_skb's TCPRetransFail); the caller tries again later.
            tcp.ext.inc(TcpExtMib.TCPRetransFail);
            tp.sentLog.onRetransmitFailed(seq, end);
            return seq;
        }
        tp.sentLog.onRetransmit(seq, end, tcp.stack.now());
        tcp.mib.inc(TcpMib.RetransSegs);
        tp.totalRetrans++;
        tp.bytesRetrans += len;
        return end;
    }
}
