package io.jnetstack.tcp;

import io.jnetstack.time.Timer;
import java.util.List;

/**
 * /proc/net/tcp and /proc/net/tcp6 (tcp4_seq_show / tcp6_seq_show): one line per socket —
 * listeners first, then connections, request socks and TIME_WAIT — with the kernel's columns:
 * addresses as the hex of the network-order word read on a little-endian host (192.168.0.1:8080 is
 * {@code 0100A8C0:1F90}), state in hex, queues, the pending timer and its expiry in clock ticks
 * (USER_HZ = 100), retransmits, uid, probes, inode, then rto, ato, quick-ack/pingpong, cwnd and
 * ssthresh. IPv4 lines are padded to 149 columns as the kernel pads them.
 */
public final class ProcNetTcp {
    private ProcNetTcp() {}

    private static final String HEADER4 =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    private static final String HEADER6 =
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr "
            + "tm->when retrnsmt   uid  timeout inode";
    private static final int WIDTH4 = 149;
    private static final long TICK_NS = 10_000_000L;   // one USER_HZ clock tick

    /** The file's text: IPv4 sockets for tcp, IPv6 (v4-mapped here) for tcp6. */
    public static String show(Tcp tcp, boolean v6) {
        StringBuilder out = new StringBuilder();
        line(out, v6 ? HEADER6 : HEADER4, v6);
        int i = 0;
        for (TcpSock l : tcp.allListeners()) {
            if (l.v6 != v6) continue;
            sock(out, i++, l, tcp.stack.now(), v6);
        }
        for (TcpSock l : tcp.allListeners()) {
            if (l.v6 != v6 || l.synQueue == null) continue;
            for (TcpRequestSock r : l.synQueue.values()) request(out, i++, r, tcp.stack.now(), v6);
        }
        for (TcpSock s : tcp.connections()) {
            if (s.v6 != v6) continue;
            if (s.st == TcpState.TIME_WAIT) timewait(out, i++, s, tcp.stack.now(), v6);
            else sock(out, i++, s, tcp.stack.now(), v6);
        }
        return out.toString();
    }

    private static void sock(StringBuilder out, int i, TcpSock s, long now, boolean v6) {
        boolean listen = s.st == TcpState.LISTEN;
        int timer = 0;
        long expires = now;
        if (s.rtxTimer.armed()) {
            timer = s.pendingTimer == TcpSock.TIME_PROBE0 ? 4 : 1;
            expires = s.rtxTimer.deadline();
        } else if (s.keepaliveTimer.armed()) {
            timer = 2;
            expires = s.keepaliveTimer.deadline();
        }
        int txQueue = listen ? 0 : s.sendBuf.endSeq() - s.sndUna;
        int rxQueue = listen ? s.acceptQueue.size() : Math.max(s.rcvQueue.readable(), 0);
        int ssthresh = listen ? s.tcp.fastopen.queueLimit(s) : s.sndSsthresh == Integer.MAX_VALUE ? -1 : s.sndSsthresh;
        String l = String.format("%4d: %s %s %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %016x %d %d %d %d %d",
                i, addr(s.rcvSaddr, s.sport, v6), addr(s.daddr, s.dport, v6), s.st.linuxValue(), txQueue, rxQueue,
                timer, ticks(expires - now), s.retransmits, s.uid, s.probesOut, s.ino, listen ? 1 : 2, 0,
                ticks(s.rtoNs), ticks(s.atoNs), (Math.min(s.quickAcks, 127) << 1) | (s.pingpong ? 1 : 0),
                s.sndCwnd, ssthresh);
        line(out, l, v6);
    }

    private static void request(StringBuilder out, int i, TcpRequestSock r, long now, boolean v6) {
        Timer t = r.timer;
        String l = String.format("%4d: %s %s %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %016x",
                i, addr(r.laddr, r.lport, v6), addr(r.raddr, r.rport, v6), TcpState.SYN_RECV.linuxValue(), 0, 0,
                1, ticks(t.armed() ? t.deadline() - now : 0), r.numTimeout, r.listener.uid, 0, 0, 0, 0);
        line(out, l, v6);
    }

    private static void timewait(StringBuilder out, int i, TcpSock s, long now, boolean v6) {
        long left = s.twTimer.armed() ? s.twTimer.deadline() - now : 0;
        String l = String.format("%4d: %s %s %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %016x",
                i, addr(s.rcvSaddr, s.sport, v6), addr(s.daddr, s.dport, v6), TcpState.TIME_WAIT.linuxValue(), 0, 0,
                3, ticks(left), 0, 0, 0, 0, 1, 0);
        line(out, l, v6);
    }

    /** jiffies_delta_to_clock_t: a non-negative count of 10 ms ticks. */
    private static long ticks(long ns) { return Math.max(ns, 0) / TICK_NS; }

    /** The address word as %08X prints a network-order u32 on a little-endian host. */
    private static String addr(int ip, int port, boolean v6) {
        String v4 = String.format("%08X", Integer.reverseBytes(ip));
        // tcp6 shows a v4-mapped address ::ffff:a.b.c.d (the unspecified :: for 0.0.0.0).
        String a = !v6 ? v4 : ip == 0 ? "00000000000000000000000000000000" : "0000000000000000FFFF0000" + v4;
        return a + String.format(":%04X", port);
    }

    private static void line(StringBuilder out, String l, boolean v6) {
        out.append(l);
        if (!v6) for (int k = l.length(); k < WIDTH4; k++) out.append(' ');
        out.append('\n');
    }

    /** For tests: the lines without the header. */
    static List<String> lines(Tcp tcp, boolean v6) {
        List<String> all = show(tcp, v6).lines().toList();
        return all.subList(1, all.size());
    }
}
