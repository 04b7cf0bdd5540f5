package io.jnetstack.diff;

import io.jnetstack.uapi.Names;

import static io.jnetstack.uapi.Net.*;

import io.jnetstack.syscall.EpollEvent;
import io.jnetstack.syscall.MMsgHdr;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.TcpOpts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The DSL a case is written in: one method per system call, each of which calls the target, records
 * one printable step ({@code bind(fd#1, {AF_INET, 127.0.0.1:20000}, 16) = 0}) and returns the raw
 * result so later steps can use it.
 *
 * <h2>Normalisation (only of what legitimately differs between two correct kernels)</h2>
 * <ul>
 *   <li>fds are named by allocation order within the case ({@code fd#1}, {@code fd#2} ...), because
 *       the JVM holds many host fds; a new fd that takes the number of a closed one says so
 *       ({@code = fd#3 (reuses fd#1)}), which keeps "lowest free fd" comparable.</li>
 *   <li>ports in the ephemeral range 32768–60999 are named by first appearance ({@code eph#1});
 *       a port outside the range prints as its number, so a wrong choice still shows.</li>
 *   <li>AF_UNIX autobind names (five hex digits) print as {@code @<autobind>}.</li>
 *   <li>SO_PEERCRED's pid prints as {@code pid}; TCP_INFO prints its length and state only;
 *       TCP_TIMESTAMP (a clock) prints its length only.</li>
 * </ul>
 * Out-values (lengths, addresses, option values, revents, msg_flags, data) are printed whether the
 * call succeeded or not, so writes on failure show too.
 */
public final class Recorder {
    public static final int EPH_LO = 32768, EPH_HI = 60999;

    private final Syscalls sys;
    private final Target target;
    private final List<String> steps = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, String> live = new HashMap<>();
    private final Map<Integer, String> closedFds = new HashMap<>();
    private final Map<Integer, String> ports = new HashMap<>();
    private int fdCount, portCount;

    public Recorder(Syscalls sys, Target target) {
        this.sys = sys;
        this.target = target;
    }

    /** A copy of the steps so far (safe while the case is still running on another thread). */
    public List<String> steps() {
        synchronized (steps) {
            return new ArrayList<>(steps);
        }
    }

    /** Direct access for calls whose result is not to be recorded (rarely right; prefer {@link #call}). */
    public Syscalls sys() { return sys; }

    // ---------------------------------------------------------------- recording

    private int rec(String call, int r) { return rec(call, r, null); }

    private int rec(String call, int r, String out) {
        steps.add(call + " = " + Errno.describe(r) + (out == null ? "" : " -> " + out));
        return r;
    }

    private int recFd(String call, int r) {
        steps.add(call + " = " + (r >= 0 ? newFd(r) : Errno.describe(r)));
        return r;
    }

    /** A free-form step for anything the DSL lacks: {@code c.call("label", s -> s.listen(fd, 5))}. */
    public int call(String label, ToIntFunction<Syscalls> f) { return rec(label, f.applyAsInt(sys)); }

    /** A note in the trace (compared like a step). */
    public void note(String text) { steps.add("# " + text); }

    /** Lets in-flight work finish (see {@link Target#settle}). */
    public void settle() { target.settle(sys); }

    private String newFd(int raw) {
        String name = "fd#" + (++fdCount);
        String old = closedFds.remove(raw);
        live.put(raw, name);
        return old == null ? name : name + " (reuses " + old + ")";
    }

    /** How an fd argument prints: its case name, or the raw number for one the case never had. */
    public String fd(int raw) {
        String n = live.get(raw);
        if (n != null) return n;
        n = closedFds.get(raw);
        return n != null ? n + "(closed)" : Integer.toString(raw);
    }

    private String port(int p) {
        if (p < EPH_LO || p > EPH_HI) return Integer.toString(p);
        return ports.computeIfAbsent(p, k -> "eph#" + (++portCount));
    }

    // ---------------------------------------------------------------- formatting

    static String hex(byte[] a, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to && i < a.length; i++) sb.append(String.format("%02x", a[i]));
        return sb.toString();
    }

    static String str(byte[] a, int off, int len) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(len, 48);
        for (int i = off; i < off + n && i < a.length; i++) {
            int b = a[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        sb.append('"');
        if (len > n) sb.append("...(").append(len).append(" bytes)");
        return sb.toString();
    }

    private static String shortMark(byte[] a, long told) {
        return a != null && Long.compareUnsigned(a.length, told) < 0 ? "[short " + a.length + "]" : "";
    }

    private static String ipv4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }

    private static String ipv6(byte[] a, int off) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i > 0) sb.append(':');
            sb.append(Integer.toHexString(((a[off + 2 * i] & 0xff) << 8) | (a[off + 2 * i + 1] & 0xff)));
        }
        return sb.toString().replaceFirst("(^|:)0(:0)+(:|$)", "::").replace(":::", "::");
    }

    /** A sockaddr as it prints: {@code len} bytes of {@code a} (what the kernel reads or wrote). */
    public String addr(byte[] a, int len) {
        if (a == null) return "NULL";
        int n = (int) Math.min(Integer.toUnsignedLong(len), a.length);
        String mark = shortMark(a, Integer.toUnsignedLong(len));
        if (n < 2) return "{" + hex(a, 0, n) + "}" + mark;
        int fam = (a[0] & 0xff) | (a[1] & 0xff) << 8;
        int port = n >= 4 ? ((a[2] & 0xff) << 8) | (a[3] & 0xff) : -1;
        StringBuilder sb = new StringBuilder("{").append(Names.family(fam));
        if (fam == AF_INET && n >= 8) {
            sb.append(", ").append(ipv4(a, 4)).append(':').append(port(port));
            if (n > 8 && !hex(a, 8, n).matches("0*")) sb.append(", zero=").append(hex(a, 8, n));
        } else if (fam == AF_INET6 && n >= 24) {
            int flow = ByteBuffer.wrap(a, 4, 4).getInt();
            sb.append(", [").append(ipv6(a, 8)).append("]:").append(port(port));
            if (flow != 0) sb.append(", flow=").append(flow);
            if (n >= 28) {
                int scope = ByteBuffer.wrap(a, 24, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (scope != 0) sb.append(", scope=").append(scope);
            }
        } else if ((fam == AF_INET || fam == AF_INET6) && n >= 4) {
            // Truncated (short buffer, small addrlen): the port still normalises; the rest as bytes.
            sb.append(", port=").append(port(port));
            if (n > 4) sb.append(", ").append(hex(a, 4, n));
        } else if (fam == AF_UNIX) {
            if (n == 2) sb.append(", unnamed");
            else if (a[2] == 0) {
                String name = new String(a, 3, n - 3, StandardCharsets.ISO_8859_1);
                sb.append(", @").append(name.matches("[0-9a-f]{5}") ? "<autobind>" : str(a, 3, n - 3));
            } else {
                int end = 2;
                while (end < n && a[end] != 0) end++;
                sb.append(", ").append(str(a, 2, end - 2));
            }
        } else {
            String h = hex(a, 2, n);
            sb.append(", ").append(h.matches("0*") ? "zeros[" + (n - 2) + "]" : h);
        }
        return sb.append("}").append(mark).toString();
    }

    private static String data(byte[] a, long len) {
        if (a == null) return "NULL";
        return str(a, 0, (int) Math.min(a.length, Math.max(0, len))) + shortMark(a, len);
    }

    private static String lenp(int[] l) {
        if (l == null) return "NULL";
        if (l.length == 0) return "[short 0]";
        return "[" + l[0] + "]";
    }

    private static String ints(int[] a) {
        if (a == null) return "NULL";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
        return sb.append("]").toString();
    }

    /** An option value as it prints, given the bytes and the length the kernel reports. */
    String optval(int level, int name, byte[] v, int len) {
        if (v == null) return "NULL";
        int n = Math.max(0, Math.min(len, v.length));
        ByteBuffer bb = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        if (level == SOL_SOCKET && name == SO_LINGER && n >= 8) return "{onoff=" + bb.getInt(0) + ", linger=" + bb.getInt(4) + "}";
        if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO) && n >= 16) {
            return "{sec=" + bb.getLong(0) + ", usec=" + bb.getLong(8) + "}";
        }
        if (level == SOL_SOCKET && name == SO_PEERCRED && n >= 12) return "{pid, uid=" + bb.getInt(4) + ", gid=" + bb.getInt(8) + "}";
        if (level == SOL_TCP && name == TcpOpts.TCP_INFO) {
            int st = n > 0 ? v[0] & 0xff : -1;
            return n > 0 ? "{tcpi_state=" + (st < Names.TCP_STATES.length ? Names.TCP_STATES[st] : st) + ", ...}" : "{}";
        }
        if (level == SOL_TCP && name == TcpOpts.TCP_TIMESTAMP && n > 0) {
            // The TCP timestamp clock (ms since boot plus the socket's offset): the length is comparable, the value is not.
            return "<tcp_time_stamp " + n + " bytes>";
        }
        if (level == SOL_TCP && (name == TcpOpts.TCP_CONGESTION || name == TcpOpts.TCP_ULP)) {
            int end = 0;
            while (end < n && v[end] != 0) end++;
            return str(v, 0, end) + (end < n ? "+NUL" : "");
        }
        if (n == 4) return Integer.toString(bb.getInt(0));
        if (n == 1) return "(byte)" + (v[0] & 0xff);
        if (n == 0) return "{}";
        return "{" + hex(v, 0, Math.min(n, 64)) + (n > 64 ? "..." : "") + "}";
    }

    private String pollfds(PollFd[] fds, boolean out) {
        if (fds == null) return "NULL";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < fds.length; i++) {
            PollFd p = fds[i];
            if (i > 0) sb.append(", ");
            sb.append("{").append(fd(p.fd)).append(", ");
            sb.append(out ? "revents=" + Names.pollBits(p.revents) : Names.pollBits(p.events)).append("}");
        }
        return sb.append("]").toString();
    }

    private String msg(MsgHdr m, boolean out, int datalen) {
        if (m == null) return "NULL";
        StringBuilder sb = new StringBuilder("{name=");
        sb.append(m.name == null ? "NULL" : addr(m.name, m.namelen)).append(", namelen=").append(m.namelen);
        sb.append(", iov=[");
        int left = datalen;
        for (int i = 0; i < m.iovCount(); i++) {
            int len = m.iovLen != null && i < m.iovLen.length ? m.iovLen[i] : m.iov[i] == null ? 0 : m.iov[i].length;
            if (i > 0) sb.append(", ");
            if (out) {
                int k = Math.max(0, Math.min(left, len));
                sb.append(m.iov[i] == null ? "NULL" : str(m.iov[i], 0, Math.min(k, m.iov[i].length)));
                left -= k;
            } else {
                sb.append(data(m.iov[i], len));
            }
            sb.append("/").append(len);
        }
        sb.append("], control=").append(m.control == null ? "NULL" : "[" + m.controllen + "]");
        if (out) sb.append(", flags=").append(Names.msgFlags(m.flags));
        return sb.append("}").toString();
    }

    // ---------------------------------------------------------------- address builders

    /** sockaddr_in for a dotted quad and port. */
    public static byte[] sin(String ip, int port) {
        byte[] a = new byte[In.SOCKADDR_IN_LEN];
        a[0] = AF_INET;
        a[2] = (byte) (port >> 8);
        a[3] = (byte) port;
        String[] p = ip.split("\\.");
        for (int i = 0; i < 4; i++) a[4 + i] = (byte) Integer.parseInt(p[i]);
        return a;
    }

    /** sockaddr_in6 for an address (full or with "::") and port. */
    public static byte[] sin6(String ip, int port) {
        byte[] a = new byte[In.SOCKADDR_IN6_LEN];
        a[0] = AF_INET6;
        a[2] = (byte) (port >> 8);
        a[3] = (byte) port;
        try {
            byte[] b = java.net.InetAddress.getByName(ip).getAddress();
            if (b.length == 4) { // Java folds ::ffff:a.b.c.d to IPv4
                a[18] = a[19] = (byte) 0xff;
                System.arraycopy(b, 0, a, 20, 4);
            } else {
                System.arraycopy(b, 0, a, 8, 16);
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
        return a;
    }

    /** sockaddr_un with an abstract name ("\0name"), exactly 2 + 1 + name bytes long. */
    public static byte[] sunAbstract(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] a = new byte[3 + n.length];
        a[0] = AF_UNIX;
        System.arraycopy(n, 0, a, 3, n.length);
        return a;
    }

    /** A 4-byte native-order int (an int option value). */
    public static byte[] i32(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

    public static byte[] linger(int onoff, int secs) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(onoff).putInt(secs).array();
    }

    public static byte[] timeval(long sec, long usec) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sec).putLong(usec).array();
    }

    public static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    // ---------------------------------------------------------------- the calls

    public int socket(int domain, int type, int protocol) {
        return recFd("socket(" + Names.family(domain) + ", " + Names.type(type) + ", " + Names.proto(protocol) + ")",
                sys.socket(domain, type, protocol));
    }

    public int socketpair(int domain, int type, int protocol, int[] sv) {
        String call = "socketpair(" + Names.family(domain) + ", " + Names.type(type) + ", " + Names.proto(protocol) + ", "
                + (sv == null ? "NULL" : sv.length < 2 ? "[short " + sv.length + "]" : "sv") + ")";
        int r = sys.socketpair(domain, type, protocol, sv);
        if (r == 0 && sv != null && sv.length >= 2) {
            String a = newFd(sv[0]), b = newFd(sv[1]);
            steps.add(call + " = 0 -> [" + a + ", " + b + "]");
        } else {
            rec(call, r);
        }
        return r;
    }

    public int open(String path, int flags, int mode) {
        int r = sys.open(path, flags, mode);
        String call = "open(\"" + path + "\", 0x" + Integer.toHexString(flags) + ", 0" + Integer.toOctalString(mode) + ")";
        if (r >= 0) {
            steps.add(call + " = " + newFd(r));
            return r;
        }
        return rec(call, r);
    }

    public int sendfile(int out, int in, long[] offset, int count) {
        String call = "sendfile(" + fd(out) + ", " + fd(in) + ", " + (offset == null ? "NULL" : "[" + offset[0] + "]") + ", " + count + ")";
        int r = sys.sendfile(out, in, offset, count);
        return rec(call, r, offset == null ? null : "offset " + offset[0]);
    }

    /** pipe2; returns {read, write} (raw numbers), or null when the call failed. */
    public int[] pipe2(int flags) {
        int[] fds = new int[2];
        String call = "pipe2(fds, 0x" + Integer.toHexString(flags) + ")";
        int r = sys.pipe2(fds, flags);
        if (r == 0) {
            steps.add(call + " = 0 -> [" + newFd(fds[0]) + ", " + newFd(fds[1]) + "]");
            return fds;
        }
        rec(call, r);
        return null;
    }

    public int read(int fd, int len) {
        byte[] buf = new byte[Math.max(len, 0)];
        int r = sys.read(fd, buf, len);
        return rec("read(" + fd(fd) + ", buf, " + len + ")", r, r > 0 ? data(buf, r) : null);
    }

    public int write(int fd, String s) {
        byte[] b = bytes(s);
        return rec("write(" + fd(fd) + ", \"" + s + "\", " + b.length + ")", sys.write(fd, b, b.length));
    }

    public int splice(int fdIn, long[] offIn, int fdOut, long[] offOut, int len, int flags) {
        return rec("splice(" + fd(fdIn) + ", " + (offIn == null ? "NULL" : "[" + offIn[0] + "]") + ", " + fd(fdOut) + ", "
                + (offOut == null ? "NULL" : "[" + offOut[0] + "]") + ", " + len + ", " + flags + ")",
                sys.splice(fdIn, offIn, fdOut, offOut, len, flags));
    }

    /** socketpair with a fresh sv; returns sv, or null when the call failed. */
    public int[] socketpair(int domain, int type, int protocol) {
        int[] sv = {-1, -1};
        return socketpair(domain, type, protocol, sv) == 0 ? sv : null;
    }

    public int bind(int fd, byte[] addr, int addrlen) {
        return rec("bind(" + fd(fd) + ", " + addr(addr, addrlen) + ", " + addrlen + ")", sys.bind(fd, addr, addrlen));
    }

    public int bind(int fd, byte[] addr) { return bind(fd, addr, addr.length); }

    public int listen(int fd, int backlog) { return rec("listen(" + fd(fd) + ", " + backlog + ")", sys.listen(fd, backlog)); }

    public int accept(int fd, byte[] addr, int[] addrlen) {
        String pre = "accept(" + fd(fd) + ", " + (addr == null ? "NULL" : "addr" + shortMark(addr, addrlen == null || addrlen.length == 0 ? 0 : addrlen[0])) + ", " + lenp(addrlen) + ")";
        int r = sys.accept(fd, addr, addrlen);
        return acceptOut(pre, r, addr, addrlen);
    }

    private int acceptOut(String pre, int r, byte[] addr, int[] addrlen) {
        String res = r >= 0 ? newFd(r) : Errno.describe(r);
        String out = addr == null ? "" : " -> " + addr(addr, addrlen != null && addrlen.length > 0 ? Math.min(addrlen[0], addr.length) : 0);
        steps.add(pre + " = " + res + out + (addrlen != null && addrlen.length > 0 ? " len=" + addrlen[0] : ""));
        return r;
    }

    /** accept with a sockaddr_storage-sized buffer; the peer's address is recorded. */
    public int accept(int fd) { return accept(fd, new byte[128], new int[] {128}); }

    public int accept4(int fd, byte[] addr, int[] addrlen, int flags) {
        String pre = "accept4(" + fd(fd) + ", " + (addr == null ? "NULL" : "addr") + ", " + lenp(addrlen) + ", "
                + Names.type(flags).replaceFirst("^0\\|?", "") + ")";
        return acceptOut(pre, sys.accept4(fd, addr, addrlen, flags), addr, addrlen);
    }

    public int accept4(int fd, int flags) { return accept4(fd, new byte[128], new int[] {128}, flags); }

    public int connect(int fd, byte[] addr, int addrlen) {
        return rec("connect(" + fd(fd) + ", " + addr(addr, addrlen) + ", " + addrlen + ")", sys.connect(fd, addr, addrlen));
    }

    public int connect(int fd, byte[] addr) { return connect(fd, addr, addr.length); }

    public int getsockname(int fd, byte[] addr, int[] addrlen) {
        String pre = "getsockname(" + fd(fd) + ", " + (addr == null ? "NULL" : "addr" + shortMark(addr, addrlen == null || addrlen.length == 0 ? 0 : addrlen[0])) + ", " + lenp(addrlen) + ")";
        int in = addrlen != null && addrlen.length > 0 ? addrlen[0] : 0;
        int r = sys.getsockname(fd, addr, addrlen);
        return rec(pre, r, nameOut(addr, addrlen, in));
    }

    private String nameOut(byte[] addr, int[] addrlen, int in) {
        if (addrlen == null || addrlen.length == 0) return null;
        int shown = Math.max(0, Math.min(Math.min(in, addrlen[0]), addr == null ? 0 : addr.length));
        return (addr == null ? "NULL" : addr(addr, shown)) + " len=" + addrlen[0];
    }

    /** getsockname into a 128-byte buffer; returns the address bytes (len as reported, capped). */
    public byte[] getsockname(int fd) {
        byte[] a = new byte[128];
        int[] l = {128};
        getsockname(fd, a, l);
        return java.util.Arrays.copyOf(a, Math.max(0, Math.min(l[0], 128)));
    }

    public int getpeername(int fd, byte[] addr, int[] addrlen) {
        String pre = "getpeername(" + fd(fd) + ", " + (addr == null ? "NULL" : "addr") + ", " + lenp(addrlen) + ")";
        int in = addrlen != null && addrlen.length > 0 ? addrlen[0] : 0;
        int r = sys.getpeername(fd, addr, addrlen);
        return rec(pre, r, nameOut(addr, addrlen, in));
    }

    public byte[] getpeername(int fd) {
        byte[] a = new byte[128];
        int[] l = {128};
        getpeername(fd, a, l);
        return java.util.Arrays.copyOf(a, Math.max(0, Math.min(l[0], 128)));
    }

    public int send(int fd, byte[] buf, int len, int flags) {
        return rec("send(" + fd(fd) + ", " + data(buf, len) + ", " + len + ", " + Names.msgFlags(flags) + ")",
                sys.send(fd, buf, len, flags));
    }

    public int send(int fd, String s, int flags) { return send(fd, bytes(s), s.length(), flags); }

    public int sendto(int fd, byte[] buf, int len, int flags, byte[] addr, int addrlen) {
        return rec("sendto(" + fd(fd) + ", " + data(buf, len) + ", " + len + ", " + Names.msgFlags(flags) + ", "
                + addr(addr, addrlen) + ", " + addrlen + ")", sys.sendto(fd, buf, len, flags, addr, addrlen));
    }

    public int sendto(int fd, String s, int flags, byte[] addr) {
        return sendto(fd, bytes(s), s.length(), flags, addr, addr == null ? 0 : addr.length);
    }

    public int recv(int fd, byte[] buf, int len, int flags) {
        String pre = "recv(" + fd(fd) + ", " + (buf == null ? "NULL" : "buf" + shortMark(buf, len)) + ", " + len + ", " + Names.msgFlags(flags) + ")";
        int r = sys.recv(fd, buf, len, flags);
        return rec(pre, r, r > 0 && buf != null ? str(buf, 0, Math.min(r, buf.length)) : null);
    }

    public int recv(int fd, int len, int flags) { return recv(fd, new byte[Math.max(len, 0)], len, flags); }

    public int recvfrom(int fd, byte[] buf, int len, int flags, byte[] addr, int[] addrlen) {
        String pre = "recvfrom(" + fd(fd) + ", " + (buf == null ? "NULL" : "buf" + shortMark(buf, len)) + ", " + len + ", "
                + Names.msgFlags(flags) + ", " + (addr == null ? "NULL" : "addr") + ", " + lenp(addrlen) + ")";
        int in = addrlen != null && addrlen.length > 0 ? addrlen[0] : 0;
        int r = sys.recvfrom(fd, buf, len, flags, addr, addrlen);
        String d = r > 0 && buf != null ? str(buf, 0, Math.min(r, buf.length)) : "";
        String n = nameOut(addr, addrlen, in);
        return rec(pre, r, (d + (n == null ? "" : " from " + n)).trim());
    }

    public int recvfrom(int fd, int len, int flags) {
        return recvfrom(fd, new byte[Math.max(len, 0)], len, flags, new byte[128], new int[] {128});
    }

    public int sendmsg(int fd, MsgHdr m, int flags) {
        return rec("sendmsg(" + fd(fd) + ", " + msg(m, false, 0) + ", " + Names.msgFlags(flags) + ")", sys.sendmsg(fd, m, flags));
    }

    public int recvmsg(int fd, MsgHdr m, int flags) {
        String pre = "recvmsg(" + fd(fd) + ", " + (m == null ? "NULL" : "msg") + ", " + Names.msgFlags(flags) + ")";
        int r = sys.recvmsg(fd, m, flags);
        return rec(pre, r, m == null ? null : msg(m, true, r));
    }

    public int sendmmsg(int fd, MMsgHdr[] v, int vlen, int flags) {
        String pre = "sendmmsg(" + fd(fd) + ", " + mvec(v, false, Integer.MAX_VALUE) + ", " + vlen + ", " + Names.msgFlags(flags) + ")";
        int r = sys.sendmmsg(fd, v, vlen, flags);
        return rec(pre, r, v == null ? null : lens(v));
    }

    public int recvmmsg(int fd, MMsgHdr[] v, int vlen, int flags, long timeoutNs) {
        String pre = "recvmmsg(" + fd(fd) + ", " + (v == null ? "NULL" : "vec[" + v.length + "]") + ", " + vlen + ", "
                + Names.msgFlags(flags) + ", " + (timeoutNs < 0 ? "NULL" : timeoutNs + "ns") + ")";
        int r = sys.recvmmsg(fd, v, vlen, flags, timeoutNs);
        return rec(pre, r, v == null ? null : mvec(v, true, Math.max(r, 0)));
    }

    private static String lens(MMsgHdr[] v) {
        StringBuilder sb = new StringBuilder("msg_len=[");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(v[i] == null ? "-" : v[i].len);
        return sb.append("]").toString();
    }

    private String mvec(MMsgHdr[] v, boolean out, int count) {
        if (v == null) return "NULL";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(", ");
            if (v[i] == null) sb.append("NULL");
            else if (out && i >= count) sb.append("{untouched len=").append(v[i].len).append("}");
            else sb.append(msg(v[i].hdr, out, out ? v[i].len : 0)).append(out ? " len=" + v[i].len : "");
        }
        return sb.append("]").toString();
    }

    public int shutdown(int fd, int how) { return rec("shutdown(" + fd(fd) + ", " + Names.how(how) + ")", sys.shutdown(fd, how)); }

    public int setsockopt(int fd, int level, int name, byte[] val, int len) {
        String v = val == null ? "NULL" : optval(level, name, val, (int) Math.min(val.length, Integer.toUnsignedLong(len))) + shortMark(val, Integer.toUnsignedLong(len));
        return rec("setsockopt(" + fd(fd) + ", " + Names.level(level) + ", " + Names.opt(level, name) + ", " + v + ", " + len + ")",
                sys.setsockopt(fd, level, name, val, len));
    }

    /** setsockopt with a 4-byte int value. */
    public int setInt(int fd, int level, int name, int value) { return setsockopt(fd, level, name, i32(value), 4); }

    public int getsockopt(int fd, int level, int name, byte[] val, int[] len) {
        String pre = "getsockopt(" + fd(fd) + ", " + Names.level(level) + ", " + Names.opt(level, name) + ", "
                + (val == null ? "NULL" : "buf" + shortMark(val, len == null || len.length == 0 ? 0 : Integer.toUnsignedLong(len[0]))) + ", " + lenp(len) + ")";
        int r = sys.getsockopt(fd, level, name, val, len);
        String out = len == null || len.length == 0 ? null : (val == null ? "NULL" : optval(level, name, val, len[0])) + " len=" + len[0];
        return rec(pre, r, out);
    }

    /** getsockopt into a buffer of {@code size} bytes with optlen = size. */
    public int getsockopt(int fd, int level, int name, int size) {
        return getsockopt(fd, level, name, new byte[size], new int[] {size});
    }

    /** getsockopt of an int option (4-byte buffer). */
    public int getInt(int fd, int level, int name) { return getsockopt(fd, level, name, 4); }

    public int close(int fd) {
        String name = fd(fd);
        int r = sys.close(fd);
        if (r == 0) {
            String n = live.remove(fd);
            if (n != null) closedFds.put(fd, n);
        }
        return rec("close(" + name + ")", r);
    }

    public int fcntl(int fd, int cmd, int arg) {
        String a = switch (cmd) {
            case Fcntl.F_SETFL -> ", " + Names.openFlags(arg);
            case Fcntl.F_SETFD, Fcntl.F_DUPFD, Fcntl.F_DUPFD_CLOEXEC -> ", " + arg;
            case Fcntl.F_GETFD, Fcntl.F_GETFL -> "";
            default -> ", " + arg;
        };
        String pre = "fcntl(" + fd(fd) + ", " + Names.fcntlCmd(cmd) + a + ")";
        int r = sys.fcntl(fd, cmd, arg);
        if (r >= 0 && (cmd == Fcntl.F_DUPFD || cmd == Fcntl.F_DUPFD_CLOEXEC)) {
            steps.add(pre + " = " + newFd(r));
            return r;
        }
        if (r >= 0 && cmd == Fcntl.F_GETFL) {
            steps.add(pre + " = " + Names.openFlags(r));
            return r;
        }
        return rec(pre, r);
    }

    public int ioctl(int fd, long req, int[] arg) {
        String in = req == Fcntl.FIONBIO && arg != null && arg.length > 0 ? "[" + arg[0] + "]" : arg == null ? "NULL" : arg.length == 0 ? "[short 0]" : "ptr";
        String pre = "ioctl(" + fd(fd) + ", " + Names.ioctlReq(req) + ", " + in + ")";
        int r = sys.ioctl(fd, req, arg);
        return rec(pre, r, req != Fcntl.FIONBIO && arg != null && arg.length > 0 ? "[" + arg[0] + "]" : null);
    }

    /** ioctl reading one int (FIONREAD, SIOCOUTQ ...). */
    public int ioctlInt(int fd, long req) { return ioctl(fd, req, new int[] {-1}); }

    public int poll(PollFd[] fds, int nfds, int timeoutMs) {
        String pre = "poll(" + pollfds(fds, false) + ", " + nfds + ", " + timeoutMs + ")";
        int r = sys.poll(fds, nfds, timeoutMs);
        return rec(pre, r, fds == null ? null : pollfds(fds, true));
    }

    /** poll of one fd with timeout 0. */
    public int poll(int fd, int events) { return poll(new PollFd[] {new PollFd(fd, events)}, 1, 0); }

    public int epollCreate1(int flags) {
        return recFd("epoll_create1(" + (flags == 0 ? "0" : flags == io.jnetstack.uapi.Poll.EPOLL_CLOEXEC ? "EPOLL_CLOEXEC" : "0x" + Integer.toHexString(flags)) + ")",
                sys.epollCreate1(flags));
    }

    public int epollCtl(int epfd, int op, int fd, EpollEvent ev) {
        String e = ev == null ? "NULL" : "{" + Names.epollBits(ev.events) + ", data=" + ev.data + "}";
        return rec("epoll_ctl(" + fd(epfd) + ", " + Names.epollOp(op) + ", " + fd(fd) + ", " + e + ")", sys.epollCtl(epfd, op, fd, ev));
    }

    public int epollWait(int epfd, EpollEvent[] evs, int maxevents, int timeoutMs) {
        String pre = "epoll_wait(" + fd(epfd) + ", " + (evs == null ? "NULL" : "events" + shortMark(new byte[evs.length], Math.max(0, maxevents))) + ", " + maxevents + ", " + timeoutMs + ")";
        int r = sys.epollWait(epfd, evs, maxevents, timeoutMs);
        String out = null;
        if (evs != null && r > 0) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < Math.min(r, evs.length); i++) {
                sb.append(i > 0 ? ", " : "").append("{").append(Names.epollBits(evs[i].events)).append(", data=").append(evs[i].data).append("}");
            }
            out = sb.append("]").toString();
        }
        return rec(pre, r, out);
    }

    /** epoll_wait with room for {@code max} events and timeout 0. */
    public int epollWait(int epfd, int max) {
        EpollEvent[] evs = new EpollEvent[max];
        for (int i = 0; i < max; i++) evs[i] = new EpollEvent();
        return epollWait(epfd, evs, max, 0);
    }

    /**
     * Lowers RLIMIT_NOFILE so that exactly {@code spare} more fds can be opened: the limit is put
     * just past the {@code spare}-th free descriptor number (found with F_GETFD probes, unrecorded).
     * Records {@code setrlimit(RLIMIT_NOFILE, {cur=<in use>+spare})}. The target restores the limit
     * when the case ends.
     */
    public int limitFds(int spare) {
        int free = 0, limit = -1;
        for (int fd = 0; fd < 1 << 20; fd++) {
            if (sys.fcntl(fd, Fcntl.F_GETFD, 0) != -Errno.EBADF) continue;
            if (free++ == spare) {
                limit = fd; // exactly `spare` free numbers lie below it
                break;
            }
        }
        return rec("setrlimit(RLIMIT_NOFILE, {cur=<in use>+" + spare + "})", sys.setRlimitNofile(limit));
    }
}
