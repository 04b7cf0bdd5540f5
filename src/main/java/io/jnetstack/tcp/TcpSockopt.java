package io.jnetstack.tcp;

import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Sock;
import io.jnetstack.socket.SockOpts;
import io.jnetstack.uapi.Errno;
import io.jnetstack.wire.SeqNum;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.jnetstack.uapi.TcpOpts.*;

/**
 * do_tcp_setsockopt / do_tcp_getsockopt: the IPPROTO_TCP options, with Linux's validation order
 * (string options first, then "optlen < sizeof(int) → EINVAL", then per-option ranges, unknown →
 * ENOPROTOOPT) and TCP_INFO in Linux 6.18's struct tcp_info layout (280 bytes).
 */
public final class TcpSockopt {
    private TcpSockopt() {}

    /** sizeof(struct tcp_info) on Linux 6.18 (measured). */
    public static final int TCP_INFO_LEN = 280;
    /** TCP_CA_NAME_MAX. */
    static final int CA_NAME_MAX = 16;

    public static int set(TcpSock tp, int optname, byte[] optval, int optlen) {
        if (optlen < 0) return -Errno.EINVAL;
        if (optname == TCP_CONGESTION) {
            if (optlen < 1) return -Errno.EINVAL;
            int n = Math.min(optlen, CA_NAME_MAX - 1);
            if (optval == null || optval.length < n) return -Errno.EFAULT;
            int end = 0;
            while (end < n && optval[end] != 0) end++;
            String name = new String(optval, 0, end, StandardCharsets.US_ASCII);
            CongestionOps cc = CongestionOps.create(name);
            if (cc == null) return -Errno.ENOENT;
            tp.ccName = name;
            tp.cc = cc;
            cc.init(tp);
            return 0;
        }
        if (optname == TCP_FASTOPEN_KEY) return tp.tcp.fastopen.setKey(tp, optval, optlen);
        if (optlen < 4) return -Errno.EINVAL;
        if (optval == null || optval.length < 4) return -Errno.EFAULT;
        int val = (optval[0] & 0xFF) | (optval[1] & 0xFF) << 8 | (optval[2] & 0xFF) << 16 | optval[3] << 24;
        switch (optname) {
            case TCP_MAXSEG -> {
                if (val != 0 && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW)) return -Errno.EINVAL;
                tp.userMss = val;
            }
            case TCP_NODELAY -> {
                if (val != 0) {
                    tp.nonagle |= TcpSock.NAGLE_OFF | TcpSock.NAGLE_PUSH;
                    tp.tcp.output.writeXmit(tp, tp.nonagle);
                    tp.nonagle &= ~TcpSock.NAGLE_PUSH;
                } else {
                    tp.nonagle &= ~TcpSock.NAGLE_OFF;
                }
            }
            case TCP_CORK -> {
                if (val != 0) {
                    tp.nonagle |= TcpSock.NAGLE_CORK;
                } else {
                    tp.nonagle &= ~TcpSock.NAGLE_CORK;
                    // Uncorking sends what waited, small segment included (TCP_NAGLE_PUSH).
                    tp.tcp.output.writeXmit(tp, tp.nonagle | TcpSock.NAGLE_PUSH);
                }
            }
            case TCP_KEEPIDLE -> {
                if (val < 1 || val > MAX_TCP_KEEPIDLE) return -Errno.EINVAL;
                tp.keepIdleS = val;
                if (tp.keepOpen && tp.st != TcpState.CLOSE && tp.st != TcpState.LISTEN) {
                    long elapsed = tp.stack.now() - Math.max(tp.lastRcvNs, tp.lastAckRecvNs);
                    TcpTimers.resetKeepalive(tp, Math.max(0, tp.keepIdleNs() - elapsed));
                }
            }
            case TCP_KEEPINTVL -> {
                if (val < 1 || val > MAX_TCP_KEEPINTVL) return -Errno.EINVAL;
                tp.keepIntvlS = val;
            }
            case TCP_KEEPCNT -> {
                if (val < 1 || val > MAX_TCP_KEEPCNT) return -Errno.EINVAL;
                tp.keepCnt = val;
            }
            case TCP_SYNCNT -> {
                if (val < 1 || val > MAX_TCP_SYNCNT) return -Errno.EINVAL;
                tp.synRetries = val;
            }
            case TCP_LINGER2 -> {
                if (val < 0) tp.linger2Ns = -1;
                else if ((long) val * 1000 * TcpSock.MS > TcpSock.FIN_TIMEOUT_MAX) tp.linger2Ns = TcpSock.FIN_TIMEOUT_MAX;
                else tp.linger2Ns = (long) val * 1000 * TcpSock.MS;
            }
            case TCP_DEFER_ACCEPT -> tp.deferAcceptS = retransToSecsRoundTrip(Math.max(val, 0));
            case TCP_WINDOW_CLAMP -> {
                if (val == 0) {
                    if (tp.st != TcpState.CLOSE) return -Errno.EINVAL;
                    tp.userWindowClamp = 0;
                } else {
                    tp.userWindowClamp = Math.max(val, Sock.SOCK_MIN_RCVBUF / 2);
                    tp.rcvSsthresh = Math.min(tp.rcvSsthresh == 0 ? Integer.MAX_VALUE : tp.rcvSsthresh, tp.userWindowClamp);
                }
            }
            case TCP_QUICKACK -> {
                // tcp_sock_set_quickack: 0 enters delayed-ACK (pingpong) mode; any other value
                // leaves it and sends an ACK that is due now. An even value re-enters pingpong
                // mode only when it had an ACK to send (measured: 2 on a fresh socket reads 1).
                if (val == 0) {
                    tp.pingpong = true;
                } else {
                    tp.quickAcks = TcpSock.MAX_QUICKACKS;
                    tp.pingpong = false;
                    if (tp.ackPending && tp.st.synchronizedState()) {
                        tp.tcp.output.sendAck(tp);
                        if ((val & 1) == 0) tp.pingpong = true;
                    }
                }
            }
            // The listener's Fast Open queue length, capped at somaxconn (fastopen_queue_tune).
            case TCP_FASTOPEN -> { return tp.tcp.fastopen.setQueueLimit(tp, val); }
            case TCP_FASTOPEN_CONNECT -> {
                // Needs the client bit of net.ipv4.tcp_fastopen and an unconnected socket.
                if (val < 0 || val > 1) return -Errno.EINVAL;
                if ((tp.stack.sysctl().tcpFastopen.value() & TcpFastOpen.CLIENT_ENABLE) == 0) return -Errno.EOPNOTSUPP;
                if (tp.st != TcpState.CLOSE) return -Errno.EINVAL;
                tp.fastopenConnect = val == 1;
            }
            case TCP_FASTOPEN_NO_COOKIE -> {
                if (val < 0 || val > 1) return -Errno.EINVAL;
                if (tp.st != TcpState.CLOSE && tp.st != TcpState.LISTEN) return -Errno.EINVAL;
                tp.fastopenNoCookie = val == 1;
            }
            case TCP_THIN_LINEAR_TIMEOUTS -> {
                // Stored only: the RTO backoff stays exponential for thin streams too.
                if (val < 0 || val > 1) return -Errno.EINVAL;
                tp.thinLto = val == 1;
            }
            case TCP_REPAIR -> {
                // tcp_can_repair_sock: CAP_NET_ADMIN, and a closed or established socket. Repair
                // mode itself (queue and sequence editing for checkpoint/restore) is not
                // implemented: the flag is stored and reads back, nothing else changes.
                if (!canRepair(tp)) return -Errno.EPERM;
                if (val == TCP_REPAIR_ON) tp.repair = true;
                else if (val == TCP_REPAIR_OFF || val == TCP_REPAIR_OFF_NO_WP) tp.repair = false;
                else return -Errno.EINVAL;
            }
            case TCP_TIMESTAMP -> {
                // Setting the timestamp offset is for repair mode only (EPERM otherwise).
                if (!tp.repair) return -Errno.EPERM;
                tp.tsOffset = val - (int) (tp.stack.now() / TcpSock.MS);
            }
            case TCP_USER_TIMEOUT -> {
                if (val < 0) return -Errno.EINVAL;
                tp.userTimeoutMs = val;
            }
            case TCP_NOTSENT_LOWAT -> {
                tp.notsentLowat = val;
                if (TcpProt.streamWriteable(tp)) tp.writeSpace();
            }
            case TCP_INQ -> {
                if (val < 0 || val > 1) return -Errno.EINVAL;
                tp.recvmsgInq = val == 1;
            }
            default -> { return -Errno.ENOPROTOOPT; }
        }
        return 0;
    }

    /** tcpi_options bits (include/uapi/linux/tcp.h). */
    static final int TCPI_OPT_TIMESTAMPS = 1, TCPI_OPT_SACK = 2, TCPI_OPT_WSCALE = 4, TCPI_OPT_SYN_DATA = 32,
            TCPI_OPT_TFO_CHILD = 128;

    /** TCP_REPAIR's values (include/uapi/linux/tcp.h). */
    static final int TCP_REPAIR_ON = 1, TCP_REPAIR_OFF = 0, TCP_REPAIR_OFF_NO_WP = -1;

    /** tcp_can_repair_sock: CAP_NET_ADMIN, and the socket closed or established. */
    private static boolean canRepair(TcpSock tp) {
        Credentials c = tp.socket != null ? tp.socket.cred : Credentials.ROOT;
        return c != null && c.netAdmin() && (tp.st == TcpState.CLOSE || tp.st == TcpState.ESTABLISHED);
    }

    /** TCP_DEFER_ACCEPT stores retransmissions, so a read gives back the rounded-up seconds. */
    private static int retransToSecsRoundTrip(int secs) { return TcpProt.retransToSecs(TcpProt.secsToRetrans(secs)); }

    public static int get(TcpSock tp, int optname, byte[] optval, int[] optlen) {
        if (optlen == null || optlen.length == 0) return -Errno.EFAULT;
        int len = optlen[0];
        if (len < 0) return -Errno.EINVAL;
        // do_tcp_getsockopt writes the length back before it copies the value, so a buffer
        // shorter than the length claimed gets the new length, the bytes that fit, and EFAULT.
        if (optname == TCP_INFO) {
            byte[] info = tcpInfo(tp);
            int n = Math.min(len, info.length);
            optlen[0] = n;
            return SockOpts.copyToUser(info, n, optval);
        }
        if (optname == TCP_FASTOPEN_KEY) {
            // The keys in force, primary first; the length is not checked for sign (min_t unsigned).
            byte[] key = tp.tcp.fastopen.key(tp);
            int n = Integer.compareUnsigned(len, key.length) < 0 ? len : key.length;
            optlen[0] = n;
            return SockOpts.copyToUser(key, n, optval);
        }
        if (optname == TCP_CONGESTION) {
            int n = Math.min(len, CA_NAME_MAX);
            byte[] name = new byte[CA_NAME_MAX];
            byte[] s = tp.ccName.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, name, 0, Math.min(s.length, CA_NAME_MAX - 1));
            optlen[0] = n;
            return SockOpts.copyToUser(name, n, optval);
        }
        int val;
        switch (optname) {
            case TCP_MAXSEG -> {
                val = tp.mssCache;
                if (tp.st == TcpState.CLOSE || tp.st == TcpState.LISTEN) val = tp.userMss != 0 ? tp.userMss : TcpSock.DEFAULT_MSS;
            }
            case TCP_NODELAY -> val = (tp.nonagle & TcpSock.NAGLE_OFF) != 0 ? 1 : 0;
            case TCP_CORK -> val = (tp.nonagle & TcpSock.NAGLE_CORK) != 0 ? 1 : 0;
            case TCP_KEEPIDLE -> val = (int) (tp.keepIdleNs() / (1000 * TcpSock.MS));
            case TCP_KEEPINTVL -> val = (int) (tp.keepIntvlNs() / (1000 * TcpSock.MS));
            case TCP_KEEPCNT -> val = tp.keepCount();
            case TCP_SYNCNT -> val = tp.synRetries > 0 ? tp.synRetries : tp.stack.sysctl().tcpSynRetries.value();
            case TCP_LINGER2 -> val = tp.linger2Ns < 0 ? -1 : (int) ((tp.linger2Ns != 0 ? tp.linger2Ns
                    : tp.stack.sysctl().tcpFinTimeout.value() * 1000 * TcpSock.MS) / (1000 * TcpSock.MS));
            case TCP_DEFER_ACCEPT -> val = tp.deferAcceptS;
            case TCP_WINDOW_CLAMP -> val = tp.userWindowClamp;
            case TCP_QUICKACK -> val = tp.pingpong ? 0 : 1;
            case TCP_USER_TIMEOUT -> val = tp.userTimeoutMs;
            case TCP_NOTSENT_LOWAT -> val = tp.notsentLowat;
            case TCP_FASTOPEN -> val = tp.tcp.fastopen.queueLimit(tp);
            case TCP_FASTOPEN_CONNECT -> val = tp.fastopenConnect ? 1 : 0;
            case TCP_FASTOPEN_NO_COOKIE -> val = tp.fastopenNoCookie ? 1 : 0;
            case TCP_THIN_LINEAR_TIMEOUTS -> val = tp.thinLto ? 1 : 0;
            case TCP_REPAIR -> val = tp.repair ? 1 : 0;
            case TCP_TIMESTAMP -> val = tp.tsVal(); // tcp_time_stamp_raw() + tsoffset, in ms
            case TCP_INQ -> val = tp.recvmsgInq ? 1 : 0;
            default -> { return -Errno.ENOPROTOOPT; }
        }
        int n = Math.min(len, 4);
        optlen[0] = n;
        return SockOpts.copyIntToUser(val, n, optval);
    }

    /** tcp_get_info: struct tcp_info (include/uapi/linux/tcp.h, Linux 6.18), little-endian. */
    static byte[] tcpInfo(TcpSock tp) {
        ByteBuffer b = ByteBuffer.allocate(TCP_INFO_LEN).order(ByteOrder.LITTLE_ENDIAN);
        long now = tp.stack.now();
        TcpState st = tp.st;
        b.put((byte) st.linuxValue());
        b.put((byte) tp.caState);
        b.put((byte) Math.min(tp.retransmits, 255));
        b.put((byte) Math.min(tp.probesOut, 255));
        b.put((byte) Math.min(tp.backoff, 255));
        int options = (tp.tsOk ? TCPI_OPT_TIMESTAMPS : 0) | (tp.sackOk ? TCPI_OPT_SACK : 0)
                | (tp.wscaleOk ? TCPI_OPT_WSCALE : 0) | (tp.synDataAcked ? TCPI_OPT_SYN_DATA : 0)
                | (tp.synFastopenChild ? TCPI_OPT_TFO_CHILD : 0);
        b.put((byte) options);
        b.put((byte) (tp.wscaleOk ? (tp.sndWscale & 0xF) | (tp.rcvWscale & 0xF) << 4 : 0));
        b.put((byte) (tp.fastopenClientFail << 1));                              // app_limited:1, fastopen_client_fail:2
        b.putInt((int) (tp.rtoNs / 1000));                                       // tcpi_rto (µs)
        b.putInt((int) ((tp.atoNs > 0 ? tp.atoNs : 0) / 1000));                   // tcpi_ato
        b.putInt(tp.mssCache);                                                     // snd_mss
        b.putInt(tp.rcvMss);                                                       // rcv_mss
        if (st == TcpState.LISTEN) {
            b.putInt(tp.acceptQueue.size());                                       // unacked: accept queue
            b.putInt(tp.maxAckBacklog);                                            // sacked: backlog
        } else {
            b.putInt(tp.packetsOut());
            b.putInt((int) ((tp.sacked.bytes() + tp.mssCache - 1) / Math.max(tp.mssCache, 1)));
        }
        int lostEnd = SeqNum.min(tp.lostBoundary, tp.sndNxt);
        long lostB = Math.max(0, (long) lostEnd - tp.sndUna - (SeqNum.gt(lostEnd, tp.sndUna) ? tp.sacked.overlap(tp.sndUna, lostEnd) : 0));
        b.putInt(SeqNum.gt(tp.lostBoundary, tp.sndUna) ? (int) ((lostB + tp.mssCache - 1) / tp.mssCache) : 0);
        b.putInt((int) ((tp.rexmit.bytes() + tp.mssCache - 1) / Math.max(tp.mssCache, 1)));
        b.putInt(0);                                                               // fackets
        b.putInt(ms(now, tp.lastDataSentNs));
        b.putInt(0);                                                               // last_ack_sent
        b.putInt(ms(now, tp.lastDataRecvNs));
        b.putInt(ms(now, tp.lastAckRecvNs));
        b.putInt(tp.pmtu > 0 ? tp.pmtu : tp.route.mtu);
        b.putInt(tp.rcvSsthresh);
        b.putInt((int) (tp.srttUs >> 3));                                          // rtt
        b.putInt((int) (tp.mdevUs >> 2));                                          // rttvar
        b.putInt(tp.sndSsthresh == Integer.MAX_VALUE ? 0x7fffffff : tp.sndSsthresh);
        b.putInt(tp.sndCwnd);
        b.putInt(tp.advmss);
        b.putInt(tp.reordering);
        b.putInt(0);                                                               // rcv_rtt
        b.putInt(tp.rcvSpace);
        b.putInt(tp.totalRetrans);
        b.putLong(tp.pacingRate());                                                // pacing_rate
        b.putLong(-1);                                                             // max_pacing_rate
        b.putLong(tp.bytesAcked);
        b.putLong(tp.bytesReceived);
        b.putInt(tp.segsOut);
        b.putInt(tp.segsIn);
        b.putInt(tp.notSent());
        b.putInt(tp.minRttUs == Long.MAX_VALUE ? 0 : (int) tp.minRttUs);
        b.putInt(tp.dataSegsIn);
        b.putInt(tp.dataSegsOut);
        b.putLong(0);                                                              // delivery_rate
        b.putLong(tp.chrono.busyUsecs(now));
        b.putLong(tp.chrono.usecs(TcpChrono.RWND_LIMITED, now));
        b.putLong(tp.chrono.usecs(TcpChrono.SNDBUF_LIMITED, now));
        b.putInt(tp.delivered);
        b.putInt(0);                                                               // delivered_ce
        b.putLong(tp.bytesSent);
        b.putLong(tp.bytesRetrans);
        b.putInt(tp.dsackDups);
        b.putInt(tp.rack.reordSeen);                                                    // reord_seen
        b.putInt(tp.rcvOooPack);
        b.putInt(tp.sndWnd);
        b.putInt(tp.rcvWnd);
        // rehash, total_rto(_recoveries/_time), AccECN counters: zero (offsets 236..279).
        return b.array();
    }

    private static int ms(long now, long then) { return then == 0 ? 0 : (int) ((now - then) / TcpSock.MS); }
}
