package io.jnetstack.packetdrill;

import java.util.List;

/**
 * The syntax tree of a packetdrill script. Times are in microseconds, as packetdrill keeps them;
 * every event carries the line its time stamp is on, which is the line errors name.
 */
public final class Ast {
    private Ast() {}

    /** A whole script: option lines, an optional untimed init command, events, an optional untimed cleanup command. */
    public record Script(String path, List<Option> options, Command init, List<Event> events, Command cleanup) {}

    /** {@code --name=value} (value null for a bare {@code --name}). */
    public record Option(String name, String value, int line) {}

    // ------------------------------------------------------------------ events and their times

    public enum TimeType { ABSOLUTE, RELATIVE, ANY, ABSOLUTE_RANGE, RELATIVE_RANGE }

    /** {@code 1.5}, {@code +.1}, {@code *}, {@code 1~2}, {@code +0~+.04}; {@code end} only for ranges. */
    public record EventTime(TimeType type, long usecs, long endUsecs) {}

    public record Event(int line, EventTime time, Action action) {}

    public sealed interface Action permits Packet, Syscall, Command, Code {}

    /** {@code `...`}: a shell command line (possibly several lines). */
    public record Command(String text, int line) implements Action {}

    /** {@code %{ ... }%}: Python code run against the TCP_INFO snapshot taken at its time. */
    public record Code(String text, int line) implements Action {}

    /**
     * A system call: {@code name(args) = result [ERRNO (strerror)] [(note)]}. {@code endUsecs} is the
     * time after {@code ...} for a call that blocks ({@link #NON_BLOCKING} otherwise).
     */
    public record Syscall(String name, List<Expr> args, Expr result, String errno, String strerror,
                          String note, long endUsecs) implements Action {
        public static final long NON_BLOCKING = Long.MIN_VALUE;

        public boolean blocking() { return endUsecs != NON_BLOCKING; }
    }

    // ------------------------------------------------------------------ packets

    public enum Direction { INBOUND, OUTBOUND }

    /** Which part of the IP TOS byte a script checks (tos_spec). */
    public enum TosCheck { NONE, ECN, ECT01, TOS }

    /** IP-level fields in {@code [...]} or {@code (...)}: TOS/ECN, TTL, IPv6 flow label. ttl 0 = unchecked. */
    public record IpInfo(TosCheck tosCheck, int tos, int ttl, int flowLabel) {
        public static final IpInfo NONE = new IpInfo(TosCheck.NONE, 0, 0, 0);
    }

    public sealed interface Packet extends Action permits TcpPacket, UdpPacket, IcmpPacket {
        Direction direction();

        IpInfo ip();

        /** Encapsulation prefix words ({@code encap psp spi 7}), or null when the packet is plain. */
        String encap();
    }

    /**
     * A TCP segment. {@code flags} as written ("S.", "P.", "." ...); {@code ack} is -1 when the
     * script gives none, {@code window} -1 when unchecked; {@code options} null for {@code <...>}
     * (not checked), empty for no options.
     */
    public record TcpPacket(Direction direction, IpInfo ip, String encap, int srcPort, int dstPort,
                            String flags, long startSeq, int payloadLen, long ack, int window, int urgPtr,
                            List<TcpOption> options) implements Packet {
        public long endSeq() { return startSeq + payloadLen; }

        public boolean has(char flag) { return flags.indexOf(flag) >= 0; }

        /** '.' is the ACK flag in packetdrill's notation. */
        public boolean ackFlag() { return flags.indexOf('.') >= 0; }
    }

    public record UdpPacket(Direction direction, IpInfo ip, String encap, int srcPort, int dstPort,
                            int payloadLen) implements Packet {}

    /**
     * An ICMP message: {@code icmp unreachable frag_needed mtu 1200 [1:1001(1000)]}. The echoed
     * packet is TCP unless {@code echoedProtocol} says otherwise (17 for {@code [udp (N)]}, 255 for raw).
     */
    public record IcmpPacket(Direction direction, IpInfo ip, String encap, String type, String code, int mtu,
                             int echoId, int echoedProtocol, long echoedSeq, int echoedLen) implements Packet {}

    /** One TCP option as written in {@code <...>}. */
    public sealed interface TcpOption {}

    public record Nop() implements TcpOption {}

    public record Eol() implements TcpOption {}

    /** {@code symbol} is set (and {@code mss} is -1) when the script names an undefined symbol, as the PSP scripts do. */
    public record Mss(int mss, String symbol) implements TcpOption {}

    public record WScale(int shift) implements TcpOption {}

    public record SackOk() implements TcpOption {}

    /** SACK blocks as script sequence numbers, pairs of {left, right}. */
    public record Sack(List<long[]> blocks) implements TcpOption {}

    public record Timestamp(long val, long ecr) implements TcpOption {}

    /** TCP Fast Open (kind 34, or the experimental kind 254 with magic 0xF989 when {@code exp}). */
    public record FastOpen(String cookieHex, boolean exp) implements TcpOption {}

    public record Md5(String digestHex) implements TcpOption {}

    // ------------------------------------------------------------------ system call expressions

    public sealed interface Expr permits Ellipsis, Int, Word, Str, Binary, ListExpr, SubList, Sockaddr,
            Msghdr, Iovec, Pollfd, Linger, Cmsg, ExtendedErr, ScmTimestamping, EpollEvent, InAddr {}

    /** {@code ...}: "don't care" / "fill in for me". */
    public record Ellipsis() implements Expr {}

    public record Int(long value, boolean hex) implements Expr {}

    /** A symbolic constant ({@code SOCK_STREAM}, {@code NULL}). */
    public record Word(String name) implements Expr {}

    /** A string literal; {@code trailingEllipsis} for {@code "abc"...}. */
    public record Str(String value, boolean trailingEllipsis) implements Expr {}

    /** {@code a | b}, {@code name = value}, and string concatenation (op "."). */
    public record Binary(String op, Expr lhs, Expr rhs) implements Expr {}

    /** {@code [a, b]}. */
    public record ListExpr(List<Expr> items) implements Expr {}

    /** {@code {a, b}}: a struct written positionally or with {@code name=value} items. */
    public record SubList(List<Expr> items) implements Expr {}

    /** {@code {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}}. */
    public record Sockaddr(String family, int port, String addr) implements Expr {}

    /**
     * {@code {msg_name(...)=..., msg_iov(N)=[...], msg_flags=F [, msg_control=[...]]}}; {@code name}
     * is the msg_name value ({@code ...}: the connection's remote address, as for sendto).
     */
    public record Msghdr(Expr name, int iovlen, Expr iov, Expr flags, Expr control) implements Expr {}

    /** {@code {..., len}}. */
    public record Iovec(Expr base, Expr len) implements Expr {}

    /** {@code {fd=3, events=POLLIN [, revents=POLLOUT]}}; revents 0 when not given. */
    public record Pollfd(Expr fd, Expr events, Expr revents) implements Expr {}

    /** {@code {onoff=1, linger=0}}. */
    public record Linger(Expr onoff, Expr linger) implements Expr {}

    /** {@code {cmsg_level=L, cmsg_type=T, cmsg_data=D}}. */
    public record Cmsg(Expr level, Expr type, Expr data) implements Expr {}

    /** struct sock_extended_err: {@code {ee_errno=.., ee_origin=.., ee_type=.., ee_code=.., ee_info=.., ee_data=..}}. */
    public record ExtendedErr(Expr errno, Expr origin, Expr type, Expr code, Expr info, Expr data) implements Expr {}

    /** {@code {scm_sec=S, scm_nsec=N}}. */
    public record ScmTimestamping(long sec, long nsec) implements Expr {}

    /** {@code {events=E, fd=F}} (or ptr=/u32=/u64= instead of fd). */
    public record EpollEvent(Expr events, String dataKind, Expr data) implements Expr {}

    /** {@code inet_addr("1.2.3.4")} or {@code inet6_addr("...")}. */
    public record InAddr(String addr, boolean v6) implements Expr {}
}
