package io.jnetstack.uapi;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Symbolic names of the ABI constants, as strace prints them (its xlat tables): option names by
 * level, flag sets joined with '|', commands and requests. One table for the tracer and the
 * differential harness, so both print a call the same way.
 */
public final class Names {
    private Names() {}

    private static Map<Integer, String> table(Class<?> c, String prefix, String... skip) {
        Map<Integer, String> m = new HashMap<>();
        outer:
        for (Field f : c.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class || !f.getName().startsWith(prefix)) continue;
            for (String s : skip) if (f.getName().equals(s)) continue outer;
            try {
                m.putIfAbsent(f.getInt(null), f.getName());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    private static final Map<Integer, String> SO = table(Net.class, "SO_", "SO_RCVTIMEO", "SO_SNDTIMEO");
    private static final Map<Integer, String> IP = table(In.class, "IP_", "IP_PMTUDISC_DONT", "IP_PMTUDISC_WANT",
            "IP_PMTUDISC_DO", "IP_PMTUDISC_PROBE");
    private static final Map<Integer, String> IPV6 = table(In.class, "IPV6_");
    private static final Map<Integer, String> TCP = table(TcpOpts.class, "TCP_", "TCP_MIN_MSS");
    private static final Map<Integer, String> PROTO = table(In.class, "IPPROTO_");

    static {
        SO.put(Net.SO_RCVTIMEO_OLD, "SO_RCVTIMEO");
        SO.put(Net.SO_SNDTIMEO_OLD, "SO_SNDTIMEO");
    }

    public static String level(int level) {
        return switch (level) {
            case Net.SOL_SOCKET -> "SOL_SOCKET";
            case Net.SOL_IP -> "SOL_IP";
            case Net.SOL_TCP -> "SOL_TCP";
            case Net.SOL_UDP -> "SOL_UDP";
            case Net.SOL_IPV6 -> "SOL_IPV6";
            case Net.SOL_RAW -> "SOL_RAW";
            default -> Integer.toString(level);
        };
    }

    public static String opt(int level, int name) {
        Map<Integer, String> m = switch (level) {
            case Net.SOL_SOCKET -> SO;
            case Net.SOL_IP -> IP;
            case Net.SOL_TCP -> TCP;
            case Net.SOL_IPV6 -> IPV6;
            default -> Map.of();
        };
        return m.getOrDefault(name, Integer.toString(name));
    }

    public static String proto(int p) { return PROTO.getOrDefault(p, Integer.toString(p)); }

    public static String family(int af) {
        return switch (af) {
            case Net.AF_UNSPEC, Net.AF_UNIX, Net.AF_INET, Net.AF_INET6, Net.AF_NETLINK, Net.AF_PACKET -> Net.afName(af);
            case Net.AF_MAX -> "AF_MAX";
            default -> Integer.toString(af);
        };
    }

    public static String type(int t) { return t == -1 ? "-1" : Net.typeName(t); }

    private static String bits(int v, String[] names, int[] values) {
        if (v == 0) return "0";
        StringBuilder sb = new StringBuilder();
        int rest = v;
        for (int i = 0; i < names.length; i++) {
            if ((rest & values[i]) == values[i] && values[i] != 0) {
                if (sb.length() > 0) sb.append('|');
                sb.append(names[i]);
                rest &= ~values[i];
            }
        }
        if (rest != 0) {
            if (sb.length() > 0) sb.append('|');
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    private static final String[] MSG_N = {"MSG_OOB", "MSG_PEEK", "MSG_DONTROUTE", "MSG_CTRUNC", "MSG_TRUNC",
        "MSG_DONTWAIT", "MSG_EOR", "MSG_WAITALL", "MSG_ERRQUEUE", "MSG_NOSIGNAL", "MSG_MORE", "MSG_WAITFORONE",
        "MSG_CMSG_CLOEXEC"};
    private static final int[] MSG_V = {Net.MSG_OOB, Net.MSG_PEEK, Net.MSG_DONTROUTE, Net.MSG_CTRUNC, Net.MSG_TRUNC,
        Net.MSG_DONTWAIT, Net.MSG_EOR, Net.MSG_WAITALL, Net.MSG_ERRQUEUE, Net.MSG_NOSIGNAL, Net.MSG_MORE,
        Net.MSG_WAITFORONE, Net.MSG_CMSG_CLOEXEC};

    public static String msgFlags(int f) { return bits(f, MSG_N, MSG_V); }

    private static final String[] POLL_N = {"POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL",
        "POLLRDNORM", "POLLRDBAND", "POLLWRNORM", "POLLWRBAND", "POLLMSG", "POLLRDHUP"};
    private static final int[] POLL_V = {Poll.POLLIN, Poll.POLLPRI, Poll.POLLOUT, Poll.POLLERR, Poll.POLLHUP,
        Poll.POLLNVAL, Poll.POLLRDNORM, Poll.POLLRDBAND, Poll.POLLWRNORM, Poll.POLLWRBAND, Poll.POLLMSG,
        Poll.POLLRDHUP};

    public static String pollBits(int f) { return bits(f & 0xffff, POLL_N, POLL_V); }

    private static final String[] EP_N = {"EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLERR", "EPOLLHUP", "EPOLLRDNORM",
        "EPOLLRDBAND", "EPOLLWRNORM", "EPOLLWRBAND", "EPOLLMSG", "EPOLLRDHUP", "EPOLLEXCLUSIVE", "EPOLLWAKEUP",
        "EPOLLONESHOT", "EPOLLET"};
    private static final int[] EP_V = {Poll.EPOLLIN, Poll.EPOLLPRI, Poll.EPOLLOUT, Poll.EPOLLERR, Poll.EPOLLHUP,
        Poll.EPOLLRDNORM, Poll.EPOLLRDBAND, Poll.EPOLLWRNORM, Poll.EPOLLWRBAND, Poll.EPOLLMSG, Poll.EPOLLRDHUP,
        Poll.EPOLLEXCLUSIVE, Poll.EPOLLWAKEUP, Poll.EPOLLONESHOT, Poll.EPOLLET};

    public static String epollBits(int f) { return bits(f, EP_N, EP_V); }

    public static String epollOp(int op) {
        return switch (op) {
            case Poll.EPOLL_CTL_ADD -> "EPOLL_CTL_ADD";
            case Poll.EPOLL_CTL_DEL -> "EPOLL_CTL_DEL";
            case Poll.EPOLL_CTL_MOD -> "EPOLL_CTL_MOD";
            default -> Integer.toString(op);
        };
    }

    private static final String[] FL_N = {"O_WRONLY", "O_RDWR", "O_APPEND", "O_NONBLOCK", "O_ASYNC", "O_DIRECT",
        "O_NOATIME", "O_CLOEXEC"};
    private static final int[] FL_V = {Fcntl.O_WRONLY, Fcntl.O_RDWR, Fcntl.O_APPEND, Fcntl.O_NONBLOCK, Fcntl.O_ASYNC,
        Fcntl.O_DIRECT, Fcntl.O_NOATIME, Fcntl.O_CLOEXEC};

    public static String openFlags(int f) { return f == 0 ? "O_RDONLY" : bits(f, FL_N, FL_V); }

    public static String fcntlCmd(int c) {
        return switch (c) {
            case Fcntl.F_DUPFD -> "F_DUPFD";
            case Fcntl.F_GETFD -> "F_GETFD";
            case Fcntl.F_SETFD -> "F_SETFD";
            case Fcntl.F_GETFL -> "F_GETFL";
            case Fcntl.F_SETFL -> "F_SETFL";
            case Fcntl.F_DUPFD_CLOEXEC -> "F_DUPFD_CLOEXEC";
            default -> Integer.toString(c);
        };
    }

    public static String ioctlReq(long r) {
        if (r == Fcntl.FIONREAD) return "FIONREAD";
        if (r == Fcntl.FIONBIO) return "FIONBIO";
        if (r == Fcntl.SIOCOUTQ) return "SIOCOUTQ";
        if (r == Fcntl.SIOCOUTQNSD) return "SIOCOUTQNSD";
        if (r == Fcntl.SIOCATMARK) return "SIOCATMARK";
        return "0x" + Long.toHexString(r);
    }

    public static String how(int how) {
        return switch (how) {
            case Net.SHUT_RD -> "SHUT_RD";
            case Net.SHUT_WR -> "SHUT_WR";
            case Net.SHUT_RDWR -> "SHUT_RDWR";
            default -> Integer.toString(how);
        };
    }

    public static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};
}
