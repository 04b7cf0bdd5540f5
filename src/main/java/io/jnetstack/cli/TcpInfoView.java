package io.jnetstack.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads struct tcp_info (include/uapi/linux/tcp.h) as getsockopt(TCP_INFO) returns it, and formats
 * it the way {@code ss -ti} prints a connection. Works on the bytes from jnetstack or from Linux.
 */
final class TcpInfoView {
    private final ByteBuffer b;
    private final int len;

    TcpInfoView(byte[] info, int len) {
        this.b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
        this.len = len;
    }

    private int u8(int off) { return off < len ? b.get(off) & 0xFF : 0; }

    private long u32(int off) { return off + 4 <= len ? b.getInt(off) & 0xFFFFFFFFL : 0; }

    private long u64(int off) { return off + 8 <= len ? b.getLong(off) : 0; }

    int state() { return u8(0); }
    int caState() { return u8(1); }
    int retransmits() { return u8(2); }
    int backoff() { return u8(4); }
    int options() { return u8(5); }
    int sndWscale() { return u8(6) & 0xF; }
    int rcvWscale() { return u8(6) >> 4; }
    long rtoUs() { return u32(8); }
    long atoUs() { return u32(12); }
    long sndMss() { return u32(16); }
    long rcvMss() { return u32(20); }
    long unacked() { return u32(24); }
    long lost() { return u32(32); }
    long retrans() { return u32(36); }
    long lastDataSentMs() { return u32(44); }
    long lastDataRecvMs() { return u32(52); }
    long lastAckRecvMs() { return u32(56); }
    long pmtu() { return u32(60); }
    long rcvSsthresh() { return u32(64); }
    long rttUs() { return u32(68); }
    long rttvarUs() { return u32(72); }
    long sndSsthresh() { return u32(76); }
    long sndCwnd() { return u32(80); }
    long advmss() { return u32(84); }
    long reordering() { return u32(88); }
    long rcvRttUs() { return u32(92); }
    long rcvSpace() { return u32(96); }
    long totalRetrans() { return u32(100); }
    long pacingRate() { return u64(104); }
    long bytesAcked() { return u64(120); }
    long bytesReceived() { return u64(128); }
    long segsOut() { return u32(136); }
    long segsIn() { return u32(140); }
    long notsentBytes() { return u32(144); }
    long minRttUs() { return u32(148); }
    long dataSegsIn() { return u32(152); }
    long dataSegsOut() { return u32(156); }
    long deliveryRate() { return u64(160); }
    long busyTimeUs() { return u64(168); }
    long delivered() { return u32(192); }
    long bytesSent() { return u64(200); }
    long bytesRetrans() { return u64(208); }
    long dsackDups() { return u32(216); }
    long reordSeen() { return u32(220); }
    long rcvOoopack() { return u32(224); }
    long sndWnd() { return u32(228); }
    long rcvWnd() { return u32(232); }

    static final String[] STATES = {"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
        "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING"};

    static String stateName(int s) { return s >= 0 && s < STATES.length ? STATES[s] : "UNKNOWN"; }

    private static String rate(double bitsPerSec) {
        if (bitsPerSec >= 1e9) return String.format("%.1fGbps", bitsPerSec / 1e9);
        if (bitsPerSec >= 1e6) return String.format("%.1fMbps", bitsPerSec / 1e6);
        if (bitsPerSec >= 1e3) return String.format("%.1fKbps", bitsPerSec / 1e3);
        return String.format("%.0fbps", bitsPerSec);
    }

    private static String ms(long us) {
        return us % 1000 == 0 ? Long.toString(us / 1000) : String.format("%.3f", us / 1000.0).replaceAll("0+$", "");
    }

    /** The detail line of {@code ss -ti}, as iproute2 prints it (tcp_show_info). */
    String ssDetail(String congestion) {
        StringBuilder sb = new StringBuilder("\t ").append(congestion);
        if ((options() & 4) != 0) sb.append(" wscale:").append(sndWscale()).append(',').append(rcvWscale());
        if ((options() & 1) != 0) sb.append(" ts");
        if ((options() & 2) != 0) sb.append(" sack");
        sb.append(" rto:").append(ms(rtoUs()));
        if (backoff() > 0) sb.append(" backoff:").append(backoff());
        if (rttUs() > 0) sb.append(" rtt:").append(ms(rttUs())).append('/').append(ms(rttvarUs()));
        if (atoUs() > 0) sb.append(" ato:").append(ms(atoUs()));
        sb.append(" mss:").append(sndMss()).append(" pmtu:").append(pmtu()).append(" rcvmss:").append(rcvMss())
                .append(" advmss:").append(advmss()).append(" cwnd:").append(sndCwnd());
        if (sndSsthresh() < 0x7fff_ffffL && sndSsthresh() > 0) sb.append(" ssthresh:").append(sndSsthresh());
        if (bytesSent() > 0) sb.append(" bytes_sent:").append(bytesSent());
        if (bytesRetrans() > 0) sb.append(" bytes_retrans:").append(bytesRetrans());
        if (bytesAcked() > 0) sb.append(" bytes_acked:").append(bytesAcked());
        if (bytesReceived() > 0) sb.append(" bytes_received:").append(bytesReceived());
        sb.append(" segs_out:").append(segsOut()).append(" segs_in:").append(segsIn());
        if (dataSegsOut() > 0) sb.append(" data_segs_out:").append(dataSegsOut());
        if (dataSegsIn() > 0) sb.append(" data_segs_in:").append(dataSegsIn());
        if (rttUs() > 0 && sndMss() > 0) sb.append(" send ").append(rate(sndCwnd() * sndMss() * 8.0 * 1e6 / rttUs()));
        sb.append(" lastsnd:").append(lastDataSentMs()).append(" lastrcv:").append(lastDataRecvMs())
                .append(" lastack:").append(lastAckRecvMs());
        if (pacingRate() > 0 && pacingRate() != -1L) sb.append(" pacing_rate ").append(rate(pacingRate() * 8.0));
        if (deliveryRate() > 0) sb.append(" delivery_rate ").append(rate(deliveryRate() * 8.0));
        if (delivered() > 0) sb.append(" delivered:").append(delivered());
        if (busyTimeUs() > 0) sb.append(" busy:").append(busyTimeUs() / 1000).append("ms");
        if (unacked() > 0) sb.append(" unacked:").append(unacked());
        if (retrans() > 0 || totalRetrans() > 0) sb.append(" retrans:").append(retrans()).append('/').append(totalRetrans());
        if (lost() > 0) sb.append(" lost:").append(lost());
        if (dsackDups() > 0) sb.append(" dsack_dups:").append(dsackDups());
        if (reordering() != 3) sb.append(" reordering:").append(reordering());
        if (reordSeen() > 0) sb.append(" reord_seen:").append(reordSeen());
        if (rcvRttUs() > 0) sb.append(" rcv_rtt:").append(ms(rcvRttUs()));
        sb.append(" rcv_space:").append(rcvSpace()).append(" rcv_ssthresh:").append(rcvSsthresh());
        if (notsentBytes() > 0) sb.append(" notsent:").append(notsentBytes());
        if (minRttUs() > 0) sb.append(" minrtt:").append(ms(minRttUs()));
        if (rcvOoopack() > 0) sb.append(" rcv_ooopack:").append(rcvOoopack());
        if (sndWnd() > 0) sb.append(" snd_wnd:").append(sndWnd());
        if (rcvWnd() > 0) sb.append(" rcv_wnd:").append(rcvWnd());
        return sb.toString();
    }
}
