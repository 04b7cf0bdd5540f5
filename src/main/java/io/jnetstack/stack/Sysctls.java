package io.jnetstack.stack;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-stack sysctl table, with Linux's names and defaults. The defaults live here, in one
 * place; modules keep the {@link Sysctl} objects they read. Modules may {@link #define} more.
 */
public final class Sysctls {
    private final Map<String, Sysctl> byName = new LinkedHashMap<>();

    public final Sysctl somaxconn = define("net.core.somaxconn", 0, Integer.MAX_VALUE, 4096);
    public final Sysctl rmemDefault = define("net.core.rmem_default", 2304, Integer.MAX_VALUE, 212992);
    public final Sysctl rmemMax = define("net.core.rmem_max", 2304, Integer.MAX_VALUE, 212992);
    public final Sysctl wmemDefault = define("net.core.wmem_default", 4608, Integer.MAX_VALUE, 212992);
    public final Sysctl wmemMax = define("net.core.wmem_max", 4608, Integer.MAX_VALUE, 212992);
    public final Sysctl fileMax = define("fs.file-max", 0, Long.MAX_VALUE, 1L << 20);

    public final Sysctl ipDefaultTtl = define("net.ipv4.ip_default_ttl", 1, 255, 64);
    public final Sysctl ipLocalPortRange = define("net.ipv4.ip_local_port_range", 1, 65535, 32768, 60999);
    public final Sysctl ipUnprivilegedPortStart = define("net.ipv4.ip_unprivileged_port_start", 0, 65535, 1024);
    public final Sysctl pingGroupRange = define("net.ipv4.ping_group_range", 0, 0xFFFFFFFFL, 1, 0);
    public final Sysctl ipNoPmtuDisc = define("net.ipv4.ip_no_pmtu_disc", 0, 3, 0);
    public final Sysctl ipfragHighThresh = define("net.ipv4.ipfrag_high_thresh", 0, Integer.MAX_VALUE, 4194304);
    public final Sysctl ipfragTime = define("net.ipv4.ipfrag_time", 0, Integer.MAX_VALUE, 30);
    public final Sysctl icmpEchoIgnoreAll = define("net.ipv4.icmp_echo_ignore_all", 0, 2, 0);
    public final Sysctl icmpRatelimit = define("net.ipv4.icmp_ratelimit", 0, Integer.MAX_VALUE, 1000);

    /** tcp_rmem[2]: 32 MiB on Linux 6.18 (measured in a fresh namespace; older kernels had 6 MiB). */
    public final Sysctl tcpRmem = define("net.ipv4.tcp_rmem", 1, Integer.MAX_VALUE, 4096, 131072, 33554432);
    public final Sysctl tcpWmem = define("net.ipv4.tcp_wmem", 1, Integer.MAX_VALUE, 4096, 16384, 4194304);
    public final Sysctl tcpSack = define("net.ipv4.tcp_sack", 0, 1, 1);
    public final Sysctl tcpDsack = define("net.ipv4.tcp_dsack", 0, 1, 1);
    public final Sysctl tcpTimestamps = define("net.ipv4.tcp_timestamps", 0, 2, 1);
    public final Sysctl tcpWindowScaling = define("net.ipv4.tcp_window_scaling", 0, 1, 1);
    public final Sysctl tcpSynRetries = define("net.ipv4.tcp_syn_retries", 1, 127, 6);
    public final Sysctl tcpSynackRetries = define("net.ipv4.tcp_synack_retries", 0, 255, 5);
    public final Sysctl tcpRetries1 = define("net.ipv4.tcp_retries1", 0, 255, 3);
    public final Sysctl tcpRetries2 = define("net.ipv4.tcp_retries2", 0, 255, 15);
    public final Sysctl tcpOrphanRetries = define("net.ipv4.tcp_orphan_retries", 0, 255, 0);
    public final Sysctl tcpFinTimeout = define("net.ipv4.tcp_fin_timeout", 0, Integer.MAX_VALUE, 60);
    public final Sysctl tcpKeepaliveTime = define("net.ipv4.tcp_keepalive_time", 1, 32767, 7200);
    public final Sysctl tcpKeepaliveIntvl = define("net.ipv4.tcp_keepalive_intvl", 1, 32767, 75);
    public final Sysctl tcpKeepaliveProbes = define("net.ipv4.tcp_keepalive_probes", 1, 127, 9);
    /** RFC 1122 §4.2.2.4 urgent pointers (to the byte itself) instead of BSD's (just past it). */
    public final Sysctl tcpStdurg = define("net.ipv4.tcp_stdurg", 0, 1, 0);
    public final Sysctl tcpSyncookies = define("net.ipv4.tcp_syncookies", 0, 2, 1);
    public final Sysctl tcpMaxSynBacklog = define("net.ipv4.tcp_max_syn_backlog", 1, Integer.MAX_VALUE, 4096);
    public final Sysctl tcpAbortOnOverflow = define("net.ipv4.tcp_abort_on_overflow", 0, 1, 0);
    public final Sysctl tcpReordering = define("net.ipv4.tcp_reordering", 1, Integer.MAX_VALUE, 3);
    public final Sysctl tcpMaxReordering = define("net.ipv4.tcp_max_reordering", 1, Integer.MAX_VALUE, 300);
    public final Sysctl tcpEcn = define("net.ipv4.tcp_ecn", 0, 2, 2);
    public final Sysctl tcpFrto = define("net.ipv4.tcp_frto", 0, 2, 2);
    public final Sysctl tcpRecovery = define("net.ipv4.tcp_recovery", 0, 7, 1);
    public final Sysctl tcpEarlyRetrans = define("net.ipv4.tcp_early_retrans", 0, 4, 3);
    public final Sysctl tcpModerateRcvbuf = define("net.ipv4.tcp_moderate_rcvbuf", 0, 1, 1);
    public final Sysctl tcpSlowStartAfterIdle = define("net.ipv4.tcp_slow_start_after_idle", 0, 1, 1);
    public final Sysctl tcpAdvWinScale = define("net.ipv4.tcp_adv_win_scale", -31, 31, 1);
    public final Sysctl tcpNotsentLowat = define("net.ipv4.tcp_notsent_lowat", 0, 0xFFFFFFFFL, 0xFFFFFFFFL);
    public final Sysctl tcpTwReuse = define("net.ipv4.tcp_tw_reuse", 0, 2, 2);
    public final Sysctl tcpRfc1337 = define("net.ipv4.tcp_rfc1337", 0, 1, 0);
    public final Sysctl tcpMtuProbing = define("net.ipv4.tcp_mtu_probing", 0, 2, 0);
    public final Sysctl tcpBaseMss = define("net.ipv4.tcp_base_mss", 1, Integer.MAX_VALUE, 1024);
    public final Sysctl tcpMinSndMss = define("net.ipv4.tcp_min_snd_mss", 48, 65535, 48);
    public final Sysctl tcpAutocorking = define("net.ipv4.tcp_autocorking", 0, 1, 1);
    public final Sysctl tcpFastopen = define("net.ipv4.tcp_fastopen", 0, Integer.MAX_VALUE, 1);
    public final Sysctl tcpNoMetricsSave = define("net.ipv4.tcp_no_metrics_save", 0, 1, 0);
    public final Sysctl tcpChallengeAckLimit = define("net.ipv4.tcp_challenge_ack_limit", 0, Integer.MAX_VALUE, Integer.MAX_VALUE);
    public final Sysctl tcpInvalidRatelimit = define("net.ipv4.tcp_invalid_ratelimit", 0, Integer.MAX_VALUE, 500);
    public final Sysctl tcpLimitOutputBytes = define("net.ipv4.tcp_limit_output_bytes", 0, Integer.MAX_VALUE, 1048576);
    public final Sysctl tcpMinTsoSegs = define("net.ipv4.tcp_min_tso_segs", 1, 255, 2);
    public final Sysctl tcpPacingSsRatio = define("net.ipv4.tcp_pacing_ss_ratio", 0, 1000, 200);
    public final Sysctl tcpPacingCaRatio = define("net.ipv4.tcp_pacing_ca_ratio", 0, 1000, 120);
    public final Sysctl tcpThinLinearTimeouts = define("net.ipv4.tcp_thin_linear_timeouts", 0, 1, 0);
    public final Sysctl udpRmemMin = define("net.ipv4.udp_rmem_min", 1, Integer.MAX_VALUE, 4096);
    public final Sysctl udpWmemMin = define("net.ipv4.udp_wmem_min", 1, Integer.MAX_VALUE, 4096);
    /** Our own: the congestion control name lives outside the numeric table. */
    public String tcpCongestionControl = "cubic";

    /**
     * A sysctl whose value is text with a parser of its own (a proc_handler such as
     * proc_tcp_fastopen_key), owned by the module that defines it.
     */
    public interface TextSysctl {
        /** The value as /proc/sys shows it. */
        String read();

        /** Sets the value from what was written; returns 0 or -errno (the write's error). */
        int write(String text);
    }

    private final Map<String, TextSysctl> texts = new LinkedHashMap<>();

    /** Defines a text-valued sysctl. */
    public void defineText(String name, TextSysctl handler) { texts.put(name, handler); }

    /** Whether {@code name} is a text-valued sysctl. */
    public boolean isText(String name) { return texts.containsKey(name.replace('/', '.')); }

    /** Any sysctl's value as /proc/sys shows it, or null when there is none of that name. */
    public String read(String name) {
        String n = name.replace('/', '.');
        if (n.equals("net.ipv4.tcp_congestion_control")) return tcpCongestionControl;
        TextSysctl t = texts.get(n);
        if (t != null) return t.read();
        Sysctl s = byName.get(n);
        return s == null ? null : s.text();
    }

    /** Defines a sysctl (or returns the existing one of that name). */
    public Sysctl define(String name, long min, long max, long... defaults) {
        return byName.computeIfAbsent(name, n -> new Sysctl(n, min, max, defaults));
    }

    /** Looks a sysctl up by its dotted or slashed name ("net/ipv4/tcp_sack" works too). */
    public Sysctl get(String name) { return byName.get(name.replace('/', '.')); }

    /** Sets a value as {@code sysctl -w name=value} would; returns 0, -ENOENT or -EINVAL. */
    public int set(String name, String value) {
        if (name.replace('/', '.').equals("net.ipv4.tcp_congestion_control")) {
            String v = value.trim();
            if (!v.equals("cubic") && !v.equals("reno")) return -io.jnetstack.uapi.Errno.ENOENT;
            tcpCongestionControl = v;
            return 0;
        }
        TextSysctl t = texts.get(name.replace('/', '.'));
        if (t != null) return t.write(value);
        Sysctl s = get(name);
        return s == null ? -io.jnetstack.uapi.Errno.ENOENT : s.set(value);
    }

    public Collection<Sysctl> all() { return Collections.unmodifiableCollection(byName.values()); }
}
