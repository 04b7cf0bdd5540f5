package io.jnetstack.socket;

import io.jnetstack.link.NetDevice;
import io.jnetstack.uapi.ErrQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The SOL_SOCKET options every family shares: sock_setsockopt / sk_getsockopt (net/core/sock.c).
 *
 * <p>Values and errors follow Linux 6.x as measured on x86-64:
 * <ul>
 * <li>setsockopt copies an int (optlen &lt; 4 is EINVAL, SO_BINDTODEVICE excepted), struct linger
 *     (optlen &lt; 8: EINVAL) or struct timeval (optlen &lt; 16: EINVAL; tv_usec outside
 *     0..999999: EDOM; tv_sec &lt; 0: a zero timeout, i.e. never block; 0.0: forever).
 * <li>SO_SNDBUF/SO_RCVBUF clamp the value (as unsigned) to wmem_max/rmem_max, then store twice it,
 *     at least SOCK_MIN_SNDBUF 4608 / SOCK_MIN_RCVBUF 2304, and lock the size against auto-tuning.
 *     The FORCE variants skip the clamp and need CAP_NET_ADMIN (EPERM).
 * <li>Timeouts are kept in jiffies at HZ=250 (the host kernel's), so they read back rounded up to
 *     4 ms, as Linux's do: 1 µs reads back as 0.004000.
 * <li>getsockopt copies min(len, size of the value) and writes that length back; len 0 copies
 *     nothing and succeeds; len &lt; 0 is EINVAL. A user buffer shorter than that receives the
 *     bytes that fit and the call fails with EFAULT ({@link #copyToUser}).
 * <li>Linux 6.18 keeps SO_PASSCRED (and SO_PASSPIDFD, SO_PASSRIGHTS) for AF_UNIX and AF_NETLINK:
 *     on other families both directions are EOPNOTSUPP.
 * </ul>
 * Options the protocol must act on reach it through {@link Sock#optionChanged(int)}.
 */
public final class SockOpts {
    private SockOpts() {}

    /** The host kernel's tick rate: SO_RCVTIMEO/SO_SNDTIMEO/SO_LINGER are stored in its jiffies. */
    public static final int HZ = 250;
    static final long NS_PER_JIFFY = 1_000_000_000L / HZ;
    /** What Linux reports as l_linger after a negative one was set: (int) (MAX_SCHEDULE_TIMEOUT / HZ). */
    public static final int LINGER_FOREVER = (int) (Long.MAX_VALUE / HZ);
    static final int IFNAMSIZ = 16;

    /** sock_setsockopt. {@code optlen} is known to be &ge; 0. */
    public static int set(Socket sock, int optname, byte[] optval, int optlen, Credentials cred) {
        Sock sk = sock.sk;
        if (optname == Net.SO_BINDTODEVICE) return setBindToDevice(sk, optval, optlen, cred);
        if (optlen < 4) return -Errno.EINVAL;
        if (optval == null || optval.length < 4) return -Errno.EFAULT;
        int val = intAt(optval, 0);
        boolean valbool = val != 0;
        switch (optname) {
            case Net.SO_DEBUG -> {
                if (valbool && !cred.netAdmin()) return -Errno.EACCES;
                sk.debug = valbool;
            }
            case Net.SO_REUSEADDR -> sk.reuseAddr = valbool;
            case Net.SO_REUSEPORT -> {
                if (valbool && sk.family != Net.AF_INET && sk.family != Net.AF_INET6) return -Errno.EOPNOTSUPP;
                sk.reusePort = valbool;
            }
            case Net.SO_DONTROUTE -> { sk.dontRoute = valbool; sk.optionChanged(optname); }
            case Net.SO_BROADCAST -> sk.broadcast = valbool;
            case Net.SO_SNDBUF, Net.SO_SNDBUFFORCE -> {
                if (optname == Net.SO_SNDBUFFORCE) {
                    if (!cred.netAdmin()) return -Errno.EPERM;
                    val = Math.max(val, 0);
                } else {
                    val = (int) Math.min(Integer.toUnsignedLong(val), sk.stack.sysctl().wmemMax.longValue());
                }
                val = Math.min(val, Integer.MAX_VALUE / 2);
                sk.userLocks |= Sock.SNDBUF_LOCK;
                sk.sndBuf = Math.max(val * 2, Sock.SOCK_MIN_SNDBUF);
                sk.optionChanged(optname);
                sk.writeSpace();
            }
            case Net.SO_RCVBUF, Net.SO_RCVBUFFORCE -> {
                if (optname == Net.SO_RCVBUFFORCE) {
                    if (!cred.netAdmin()) return -Errno.EPERM;
                    val = Math.max(val, 0);
                } else {
                    val = (int) Math.min(Integer.toUnsignedLong(val), sk.stack.sysctl().rmemMax.longValue());
                }
                val = Math.min(val, Integer.MAX_VALUE / 2);
                sk.userLocks |= Sock.RCVBUF_LOCK;
                sk.rcvBuf = Math.max(val * 2, Sock.SOCK_MIN_RCVBUF);
                sk.optionChanged(optname);
            }
            case Net.SO_KEEPALIVE -> { sk.keepOpen = valbool; sk.optionChanged(optname); }
            case Net.SO_OOBINLINE -> { sk.oobInline = valbool; sk.optionChanged(optname); }
            case Net.SO_NO_CHECK -> sk.noCheckTx = valbool;
            case Net.SO_PRIORITY -> {
                if ((val < 0 || val > 6) && !cred.netRaw() && !cred.netAdmin()) return -Errno.EPERM;
                sk.priority = val;
                sk.optionChanged(optname);
            }
            case Net.SO_LINGER -> {
                if (optlen < 8) return -Errno.EINVAL;
                if (optval.length < 8) return -Errno.EFAULT;
                int secs = intAt(optval, 4);
                if (val == 0) {
                    sk.linger = false;
                } else {
                    sk.lingerSecs = secs < 0 ? LINGER_FOREVER : secs;
                    sk.linger = true;
                }
                sk.optionChanged(optname);
            }
            case Net.SO_BSDCOMPAT -> { }
            case Net.SO_PASSCRED -> {
                if (!passCredFamily(sk)) return -Errno.EOPNOTSUPP;
                sk.passCred = valbool;
            }
            case Net.SO_RXQ_OVFL -> sk.rxqOvfl = valbool; // the drop-count cmsg itself is not delivered
            case Net.SO_ZEROCOPY -> {
                // sock_setsockopt: only inet TCP and UDP sockets take it, and only 0 or 1.
                if (!zerocopyCapable(sk)) return -Errno.EOPNOTSUPP;
                if (val < 0 || val > 1) return -Errno.EINVAL;
                sk.zerocopy = valbool;
            }
            case Net.SO_TIMESTAMP_OLD -> sk.timestamp = valbool;
            case ErrQueue.SO_TIMESTAMPING_OLD, ErrQueue.SO_TIMESTAMPING_NEW -> {
                // struct so_timestamping {flags, bind_phc} when optlen says so, else the int is the flags.
                if (optlen == 8 && optval.length < 8) return -Errno.EFAULT;
                return setTimestamping(sk, optname, val);
            }
            case Net.SO_RCVLOWAT -> {
                if (val < 0) val = Integer.MAX_VALUE;
                sk.rcvLowat = val == 0 ? 1 : val;
                sk.optionChanged(optname);
            }
            case Net.SO_RCVTIMEO_OLD, Net.SO_RCVTIMEO_NEW, Net.SO_SNDTIMEO_OLD, Net.SO_SNDTIMEO_NEW -> {
                if (optlen < 16) return -Errno.EINVAL;
                if (optval.length < 16) return -Errno.EFAULT;
                long sec = longAt(optval, 0), usec = longAt(optval, 8);
                if (usec < 0 || usec >= 1_000_000) return -Errno.EDOM;
                long ns = timeoutNs(sec, usec);
                if (optname == Net.SO_RCVTIMEO_OLD || optname == Net.SO_RCVTIMEO_NEW) sk.rcvTimeo = ns; else sk.sndTimeo = ns;
            }
            case Net.SO_MARK -> {
                if (!cred.netRaw() && !cred.netAdmin()) return -Errno.EPERM;
                if (sk.mark != val) { sk.mark = val; sk.optionChanged(optname); }
            }
            case Net.SO_BUSY_POLL -> {
                if (val > sk.busyPollUsec && !cred.netAdmin()) return -Errno.EPERM;
                if (val < 0) return -Errno.EINVAL;
                sk.busyPollUsec = val;
            }
            case Net.SO_INCOMING_CPU -> sk.incomingCpu = val;
            case Net.SO_PEEK_OFF -> {
                if (!sk.supportsPeekOff()) return -Errno.EOPNOTSUPP;
                sk.peekOff = val;
            }
            default -> { return -Errno.ENOPROTOOPT; }
        }
        return 0;
    }

    /**
     * sock_set_timeout: tv_sec &lt; 0 is a zero timeout; 0.0 is none (Long.MAX_VALUE); otherwise
     * whole jiffies, rounded up, in nanoseconds.
     */
    static long timeoutNs(long sec, long usec) {
        if (sec < 0) return 0;
        if (sec == 0 && usec == 0) return Long.MAX_VALUE;
        long maxSec = Long.MAX_VALUE / HZ - 1;
        if (sec >= maxSec) return Long.MAX_VALUE;
        long usecPerJiffy = 1_000_000L / HZ;
        long jiffies = sec * HZ + (usec + usecPerJiffy - 1) / usecPerJiffy;
        return jiffies > Long.MAX_VALUE / NS_PER_JIFFY ? Long.MAX_VALUE - 1 : jiffies * NS_PER_JIFFY;
    }

    /** SO_BINDTODEVICE: the name (at most IFNAMSIZ-1 bytes, "" unbinds) is looked up among the stack's devices. */
    private static int setBindToDevice(Sock sk, byte[] optval, int optlen, Credentials cred) {
        if (optlen > IFNAMSIZ - 1) optlen = IFNAMSIZ - 1;
        if (optlen > 0 && (optval == null || optval.length < optlen)) return -Errno.EFAULT;
        int end = 0;
        while (end < optlen && optval[end] != 0) end++;
        int index = 0;
        if (end > 0) {
            String name = new String(optval, 0, end, StandardCharsets.UTF_8);
            List<NetDevice> devs = sk.stack.devices();
            for (int i = 0; i < devs.size(); i++) if (devs.get(i).name().equals(name)) index = i + 1;
            if (index == 0) return -Errno.ENODEV;
        }
        // sock_bindtoindex_locked: changing an existing binding needs CAP_NET_RAW.
        if (sk.boundDevIf != 0 && !cred.netRaw()) return -Errno.EPERM;
        sk.boundDevIf = index;
        sk.optionChanged(Net.SO_BINDTODEVICE);
        return 0;
    }

    /** sk_getsockopt. {@code optlen} is non-null (the caller has answered EFAULT otherwise). */
    public static int get(Socket sock, int optname, byte[] optval, int[] optlen) {
        Sock sk = sock.sk;
        int len = optlen[0];
        if (len < 0) return -Errno.EINVAL;
        byte[] v = new byte[16];
        int lv = 4;
        int val;
        switch (optname) {
            case Net.SO_DEBUG -> val = b(sk.debug);
            case Net.SO_DONTROUTE -> val = b(sk.dontRoute);
            case Net.SO_BROADCAST -> val = b(sk.broadcast);
            case Net.SO_SNDBUF -> val = sk.sndBuf;
            case Net.SO_RCVBUF -> val = sk.rcvBuf;
            case Net.SO_REUSEADDR -> val = b(sk.reuseAddr);
            case Net.SO_REUSEPORT -> val = b(sk.reusePort);
            case Net.SO_KEEPALIVE -> val = b(sk.keepOpen);
            case Net.SO_TYPE -> val = sk.type;
            case Net.SO_PROTOCOL -> val = sk.protocol;
            case Net.SO_DOMAIN -> val = sk.family;
            case Net.SO_ERROR -> val = sk.takeErrorForSoError();
            case Net.SO_OOBINLINE -> val = b(sk.oobInline);
            case Net.SO_NO_CHECK -> val = b(sk.noCheckTx);
            case Net.SO_PRIORITY -> val = sk.priority;
            case Net.SO_LINGER -> {
                lv = 8;
                putInt(v, 0, b(sk.linger));
                val = sk.lingerSecs;
                putInt(v, 4, val);
                return copyOut(v, lv, optval, optlen, len);
            }
            case Net.SO_BSDCOMPAT -> val = 0;
            case Net.SO_TIMESTAMP_OLD -> val = b(sk.timestamp);
            case Net.SO_RCVTIMEO_OLD, Net.SO_RCVTIMEO_NEW, Net.SO_SNDTIMEO_OLD, Net.SO_SNDTIMEO_NEW -> {
                boolean rcv = optname == Net.SO_RCVTIMEO_OLD || optname == Net.SO_RCVTIMEO_NEW;
                long ns = rcv ? sk.rcvTimeo : sk.sndTimeo;
                long sec = 0, usec = 0;
                if (ns != Long.MAX_VALUE) {
                    long j = ns / NS_PER_JIFFY;
                    sec = j / HZ;
                    usec = (j % HZ) * 1_000_000L / HZ;
                }
                putLong(v, 0, sec);
                putLong(v, 8, usec);
                return copyOut(v, 16, optval, optlen, len);
            }
            case Net.SO_RCVLOWAT -> val = sk.rcvLowat;
            case Net.SO_SNDLOWAT -> val = 1;
            case Net.SO_PASSCRED -> {
                if (!passCredFamily(sk)) return -Errno.EOPNOTSUPP;
                val = b(sk.passCred);
            }
            case Net.SO_RXQ_OVFL -> val = b(sk.rxqOvfl);
            case Net.SO_ZEROCOPY -> val = b(sk.zerocopy);
            case ErrQueue.SO_TIMESTAMPING_OLD, ErrQueue.SO_TIMESTAMPING_NEW -> {
                // struct so_timestamping; _NEW reads the flags only if they were set through _NEW.
                if (optname == ErrQueue.SO_TIMESTAMPING_OLD || sk.tstampNew) putInt(v, 0, sk.tsflags);
                return copyOut(v, 8, optval, optlen, len);
            }
            case Net.SO_PEERCRED -> {
                putInt(v, 0, sk.peerPid);
                putInt(v, 4, sk.peerUid);
                putInt(v, 8, sk.peerGid);
                return copyOut(v, 12, optval, optlen, len);
            }
            case Net.SO_ACCEPTCONN -> val = b(sk.state == LISTEN_STATE);
            case Net.SO_MARK -> val = sk.mark;
            case Net.SO_BUSY_POLL -> val = sk.busyPollUsec;
            case Net.SO_INCOMING_CPU -> val = sk.incomingCpu;
            case Net.SO_PEEK_OFF -> {
                if (!sk.supportsPeekOff()) return -Errno.EOPNOTSUPP;
                val = sk.peekOff;
            }
            case Net.SO_BINDTODEVICE -> {
                // sock_getbindtodevice: the name with its NUL; EINVAL when it does not fit.
                byte[] name = new byte[0];
                if (sk.boundDevIf > 0 && sk.boundDevIf <= sk.stack.devices().size())
                    name = sk.stack.devices().get(sk.boundDevIf - 1).name().getBytes(StandardCharsets.UTF_8);
                int need = name.length == 0 ? 0 : name.length + 1;
                if (need > len) return -Errno.EINVAL;
                if (need > 0) {
                    if (optval == null || optval.length < need) return -Errno.EFAULT;
                    System.arraycopy(name, 0, optval, 0, name.length);
                    optval[name.length] = 0;
                }
                optlen[0] = need;
                return 0;
            }
            default -> { return -Errno.ENOPROTOOPT; }
        }
        putInt(v, 0, val);
        return copyOut(v, lv, optval, optlen, len);
    }

    /**
     * sock_set_timestamping: unknown flags, OPT_ID_TCP without OPT_ID and OPT_STATS without
     * OPT_TSONLY are EINVAL; BIND_PHC needs a PTP virtual clock, which no device here has. Turning
     * OPT_ID on starts the key count: for TCP at snd_una (write_seq with OPT_ID_TCP), which needs
     * a connection (EINVAL while closed or listening); for other sockets at 0.
     */
    private static int setTimestamping(Sock sk, int optname, int flags) {
        if ((flags & ~ErrQueue.SOF_TIMESTAMPING_MASK) != 0) return -Errno.EINVAL;
        if ((flags & ErrQueue.SOF_TIMESTAMPING_OPT_ID_TCP) != 0 && (flags & ErrQueue.SOF_TIMESTAMPING_OPT_ID) == 0)
            return -Errno.EINVAL;
        if ((flags & ErrQueue.SOF_TIMESTAMPING_OPT_ID) != 0 && (sk.tsflags & ErrQueue.SOF_TIMESTAMPING_OPT_ID) == 0) {
            if (isTcp(sk)) {
                if (sk.state == TCP_CLOSE_STATE || sk.state == LISTEN_STATE) return -Errno.EINVAL;
                sk.tskey = sk.tskeyStart((flags & ErrQueue.SOF_TIMESTAMPING_OPT_ID_TCP) != 0);
            } else {
                sk.tskey = 0;
            }
        }
        if ((flags & ErrQueue.SOF_TIMESTAMPING_OPT_STATS) != 0 && (flags & ErrQueue.SOF_TIMESTAMPING_OPT_TSONLY) == 0)
            return -Errno.EINVAL;
        if ((flags & ErrQueue.SOF_TIMESTAMPING_BIND_PHC) != 0) return -Errno.EOPNOTSUPP;
        sk.tsflags = flags;
        sk.tstampNew = optname == ErrQueue.SO_TIMESTAMPING_NEW;
        return 0;
    }

    /** sk_is_tcp. */
    private static boolean isTcp(Sock sk) {
        return (sk.family == Net.AF_INET || sk.family == Net.AF_INET6) && sk.type == Net.SOCK_STREAM
                && sk.protocol == In.IPPROTO_TCP;
    }

    static final int TCP_CLOSE_STATE = 7;

    /** TCP_LISTEN, which AF_UNIX uses for its listening state too. */
    static final int LISTEN_STATE = 10;

    /** SO_PASSCRED's families on Linux 6.18: AF_UNIX and AF_NETLINK (sk_may_scm_recv). */
    private static boolean passCredFamily(Sock sk) { return sk.family == Net.AF_UNIX || sk.family == Net.AF_NETLINK; }

    /** sock_setsockopt's SO_ZEROCOPY gate: inet TCP sockets and UDP datagram sockets. */
    private static boolean zerocopyCapable(Sock sk) {
        if (sk.family != Net.AF_INET && sk.family != Net.AF_INET6) return false;
        return sk.protocol == In.IPPROTO_TCP || sk.type == Net.SOCK_DGRAM && sk.protocol == In.IPPROTO_UDP;
    }

    /** The tail of sk_getsockopt: copy min(len, lv) bytes, then write the length back. */
    private static int copyOut(byte[] v, int lv, byte[] optval, int[] optlen, int len) {
        if (len > lv) len = lv;
        int err = copyToUser(v, len, optval);
        if (err < 0) return err;
        optlen[0] = len;
        return 0;
    }

    /**
     * copy_to_user of {@code n} bytes of {@code src} into a user buffer: the bytes that fit are
     * copied before the fault, as Linux's copy does, and a buffer too short (or NULL) is -EFAULT.
     * Returns 0 or -EFAULT.
     */
    public static int copyToUser(byte[] src, int n, byte[] user) {
        if (n <= 0) return 0;
        int room = user == null ? 0 : Math.min(n, user.length);
        if (room > 0) System.arraycopy(src, 0, user, 0, room);
        return room < n ? -Errno.EFAULT : 0;
    }

    /** {@link #copyToUser} of the first {@code n} (&le; 4) bytes of a little-endian int. */
    public static int copyIntToUser(int val, int n, byte[] user) {
        n = Math.min(n, 4);
        if (n <= 0) return 0;
        int room = user == null ? 0 : Math.min(n, user.length);
        for (int i = 0; i < room; i++) user[i] = (byte) (val >>> (8 * i));
        return room < n ? -Errno.EFAULT : 0;
    }

    private static int b(boolean x) { return x ? 1 : 0; }

    /** Little-endian int (host order on x86-64). */
    public static int intAt(byte[] a, int off) {
        return (a[off] & 0xFF) | (a[off + 1] & 0xFF) << 8 | (a[off + 2] & 0xFF) << 16 | (a[off + 3] & 0xFF) << 24;
    }

    public static long longAt(byte[] a, int off) {
        return (intAt(a, off) & 0xFFFFFFFFL) | (long) intAt(a, off + 4) << 32;
    }

    public static void putInt(byte[] a, int off, int v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >> 8);
        a[off + 2] = (byte) (v >> 16);
        a[off + 3] = (byte) (v >> 24);
    }

    public static void putLong(byte[] a, int off, long v) {
        putInt(a, off, (int) v);
        putInt(a, off + 4, (int) (v >>> 32));
    }

    /** An int option value as setsockopt takes it. */
    public static byte[] intOpt(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return b;
    }
}
