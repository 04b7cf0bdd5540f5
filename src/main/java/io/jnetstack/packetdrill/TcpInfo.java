package io.jnetstack.packetdrill;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes struct tcp_info (include/uapi/linux/tcp.h, the Linux 6.x layout, little-endian) into the
 * {@code tcpi_*} names packetdrill binds for {@code %{ }%} code, plus the symbolic names it defines
 * (TCP_ESTABLISHED..., TCP_CA_*, TCPI_OPT_*). Fields past the end of what getsockopt returned are
 * left out, so code using them fails with a NameError, as it would against an older kernel.
 */
final class TcpInfo {
    private TcpInfo() {}

    /** The layout after the 8 one-byte fields: name, offset, size (4 or 8 bytes; 2 for the u16s). */
    private static final Object[][] FIELDS = {
            {"tcpi_rto", 8, 4}, {"tcpi_ato", 12, 4}, {"tcpi_snd_mss", 16, 4}, {"tcpi_rcv_mss", 20, 4},
            {"tcpi_unacked", 24, 4}, {"tcpi_sacked", 28, 4}, {"tcpi_lost", 32, 4}, {"tcpi_retrans", 36, 4},
            {"tcpi_fackets", 40, 4}, {"tcpi_last_data_sent", 44, 4}, {"tcpi_last_ack_sent", 48, 4},
            {"tcpi_last_data_recv", 52, 4}, {"tcpi_last_ack_recv", 56, 4}, {"tcpi_pmtu", 60, 4},
            {"tcpi_rcv_ssthresh", 64, 4}, {"tcpi_rtt", 68, 4}, {"tcpi_rttvar", 72, 4},
            {"tcpi_snd_ssthresh", 76, 4}, {"tcpi_snd_cwnd", 80, 4}, {"tcpi_advmss", 84, 4},
            {"tcpi_reordering", 88, 4}, {"tcpi_rcv_rtt", 92, 4}, {"tcpi_rcv_space", 96, 4},
            {"tcpi_total_retrans", 100, 4}, {"tcpi_pacing_rate", 104, 8}, {"tcpi_max_pacing_rate", 112, 8},
            {"tcpi_bytes_acked", 120, 8}, {"tcpi_bytes_received", 128, 8}, {"tcpi_segs_out", 136, 4},
            {"tcpi_segs_in", 140, 4}, {"tcpi_notsent_bytes", 144, 4}, {"tcpi_min_rtt", 148, 4},
            {"tcpi_data_segs_in", 152, 4}, {"tcpi_data_segs_out", 156, 4}, {"tcpi_delivery_rate", 160, 8},
            {"tcpi_busy_time", 168, 8}, {"tcpi_rwnd_limited", 176, 8}, {"tcpi_sndbuf_limited", 184, 8},
            {"tcpi_delivered", 192, 4}, {"tcpi_delivered_ce", 196, 4}, {"tcpi_bytes_sent", 200, 8},
            {"tcpi_bytes_retrans", 208, 8}, {"tcpi_dsack_dups", 216, 4}, {"tcpi_reord_seen", 220, 4},
            {"tcpi_rcv_ooopack", 224, 4}, {"tcpi_snd_wnd", 228, 4}, {"tcpi_rcv_wnd", 232, 4},
            {"tcpi_rehash", 236, 4}, {"tcpi_total_rto", 240, 2}, {"tcpi_total_rto_recoveries", 242, 2},
            {"tcpi_total_rto_time", 244, 4},
    };

    /** The symbols packetdrill defines before the values. */
    static final Map<String, Long> SYMBOLS = new LinkedHashMap<>();

    static {
        String[] states = {"TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2",
                "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING"};
        for (int i = 0; i < states.length; i++) SYMBOLS.put(states[i], (long) i + 1);
        String[] ca = {"TCP_CA_Open", "TCP_CA_Disorder", "TCP_CA_CWR", "TCP_CA_Recovery", "TCP_CA_Loss"};
        for (int i = 0; i < ca.length; i++) SYMBOLS.put(ca[i], (long) i);
        SYMBOLS.put("TCPI_OPT_TIMESTAMPS", 1L);
        SYMBOLS.put("TCPI_OPT_SACK", 2L);
        SYMBOLS.put("TCPI_OPT_WSCALE", 4L);
        SYMBOLS.put("TCPI_OPT_ECN", 8L);
        SYMBOLS.put("TCPI_OPT_ECN_SEEN", 16L);
        SYMBOLS.put("TCPI_OPT_SYN_DATA", 32L);
        SYMBOLS.put("TCPI_OPT_USEC_TS", 64L);
        SYMBOLS.put("TCP_INFINITE_SSTHRESH", 0x7fffffffL);
    }

    /** The tcpi_* values in the first {@code len} bytes of {@code buf}. */
    static Map<String, Long> decode(byte[] buf, int len) {
        Map<String, Long> m = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(buf, 0, Math.min(len, buf.length)).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.min(len, buf.length);
        String[] bytes = {"tcpi_state", "tcpi_ca_state", "tcpi_retransmits", "tcpi_probes", "tcpi_backoff", "tcpi_options"};
        for (int i = 0; i < bytes.length && i < n; i++) m.put(bytes[i], (long) (buf[i] & 0xFF));
        if (n > 6) {
            m.put("tcpi_snd_wscale", (long) (buf[6] & 0x0F));
            m.put("tcpi_rcv_wscale", (long) ((buf[6] >> 4) & 0x0F));
        }
        if (n > 7) {
            m.put("tcpi_delivery_rate_app_limited", (long) (buf[7] & 1));
            m.put("tcpi_fastopen_client_fail", (long) ((buf[7] >> 1) & 3));
        }
        for (Object[] f : FIELDS) {
            int off = (Integer) f[1], size = (Integer) f[2];
            if (off + size > n) break;
            long v = switch (size) {
                case 2 -> Short.toUnsignedLong(b.getShort(off));
                case 4 -> Integer.toUnsignedLong(b.getInt(off));
                default -> b.getLong(off);
            };
            m.put((String) f[0], v);
        }
        return m;
    }
}
