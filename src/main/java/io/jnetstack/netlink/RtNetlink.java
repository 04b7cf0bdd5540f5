package io.jnetstack.netlink;

import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.NetDevice;
import io.jnetstack.stack.Stack;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * rtnetlink (net/core/rtnetlink.c) as far as introspection goes: RTM_GETLINK and RTM_GETADDR, dump
 * or single, answered from the stack's devices and IPv4 addresses in the layout of rtnetlink(7)
 * (struct nlmsghdr, ifinfomsg / ifaddrmsg, then rtattr attributes, all in host byte order,
 * 4-byte aligned). Other message types get an NLMSG_ERROR of -EOPNOTSUPP; nothing is configured
 * through netlink: jnetstack is configured through its Java API.
 *
 * <p>netlink_rcv_skb's rules: a message shorter than its header, or claiming more than is left,
 * ends the batch silently; messages without NLM_F_REQUEST, of a control type (below
 * NLMSG_MIN_TYPE) or without a payload are ignored; types other than GET need CAP_NET_ADMIN. An
 * error is answered with the request copied after the errno; NLM_F_ACK asks for the same message
 * with errno 0 on success (header only, NLM_F_CAPPED).
 */
final class RtNetlink {
    public static final int NLMSG_HDRLEN = 16, NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_MIN_TYPE = 0x10;
    public static final int NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_ROOT = 0x100,
            NLM_F_MATCH = 0x200, NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int RTM_BASE = 16, RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_GETADDR = 22;
    public static final int IFLA_ADDRESS = 1, IFLA_BROADCAST = 2, IFLA_IFNAME = 3, IFLA_MTU = 4;
    public static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4;
    public static final int IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_LOOPBACK = 0x8, IFF_POINTOPOINT = 0x10,
            IFF_RUNNING = 0x40, IFF_NOARP = 0x80, IFF_MULTICAST = 0x1000, IFF_LOWER_UP = 0x10000;
    public static final int IFA_F_PERMANENT = 0x80, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_HOST = 254;

    private final Stack stack;

    RtNetlink(Stack stack) { this.stack = stack; }

    /** rtnetlink_rcv → netlink_rcv_skb: every message of one datagram, replies queued on {@code nlk}. */
    void rcv(NetlinkSock nlk, byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (data.length - pos >= NLMSG_HDRLEN) {
            int len = in.getInt(pos);
            if (len < NLMSG_HDRLEN || len > data.length - pos) return;
            int type = in.getShort(pos + 4) & 0xFFFF;
            int flags = in.getShort(pos + 6) & 0xFFFF;
            int seq = in.getInt(pos + 8);
            // rtnetlink_rcv_msg ignores a message without at least its 1-byte rtgenmsg.
            if ((flags & NLM_F_REQUEST) != 0 && type >= NLMSG_MIN_TYPE && len > NLMSG_HDRLEN) {
                if (stack.trace().on) stack.trace().note("rtnetlink_rcv_msg: type " + type + " flags 0x" + Integer.toHexString(flags));
                int err = handle(nlk, in, pos, len, type, flags, seq);
                if (err < 0 || (flags & NLM_F_ACK) != 0 && err == 0) ack(nlk, data, pos, len, err);
            }
            pos += align(len);
        }
    }

    /** Returns 0 (answered, ack if asked), 1 (a dump: no ack), or -errno. */
    private int handle(NetlinkSock nlk, ByteBuffer in, int pos, int len, int type, int flags, int seq) {
        boolean dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
        List<NetDevice> devs = stack.devices();
        switch (type) {
            case RTM_GETLINK -> {
                if (dump) {
                    Msgs out = new Msgs();
                    for (int i = 0; i < devs.size(); i++) link(out, devs.get(i), i + 1, seq, nlk.portid, NLM_F_MULTI);
                    done(nlk, out, seq);
                    return 1;
                }
                if (len < NLMSG_HDRLEN + 16) return -Errno.EINVAL;
                int index = in.getInt(pos + NLMSG_HDRLEN + 4);
                if (index < 1 || index > devs.size()) return -Errno.ENODEV;
                Msgs out = new Msgs();
                link(out, devs.get(index - 1), index, seq, nlk.portid, 0);
                nlk.deliver(out.bytes(), 0);
                return 0;
            }
            case RTM_GETADDR -> {
                if (!dump) return -Errno.EOPNOTSUPP;
                int family = len >= NLMSG_HDRLEN + 1 ? in.get(pos + NLMSG_HDRLEN) & 0xFF : 0;
                Msgs out = new Msgs();
                if (family == Net.AF_UNSPEC || family == Net.AF_INET) {
                    Ipv4 ip = stack.module(Ipv4.class);
                    if (ip != null) for (Ipv4.IfAddr a : ip.addresses()) addr(out, a, seq, nlk.portid);
                }
                done(nlk, out, seq);
                return 1;
            }
            default -> {
                // kind = (type - RTM_BASE) & 3: only GET (2) is open to everyone.
                if (((type - RTM_BASE) & 3) != 2 && !nlk.socket.cred.netAdmin()) return -Errno.EPERM;
                return -Errno.EOPNOTSUPP;
            }
        }
    }

    /** RTM_NEWLINK for one device: ifinfomsg, then IFLA_IFNAME, IFLA_MTU and the hardware addresses. */
    private static void link(Msgs out, NetDevice dev, int index, int seq, int portid, int flags) {
        int start = out.header(RTM_NEWLINK, flags, seq, portid);
        int type = dev.type();
        int iff = IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
        if (type == NetDevice.ARPHRD_LOOPBACK) iff |= IFF_LOOPBACK;
        else if (type == NetDevice.ARPHRD_ETHER) iff |= IFF_BROADCAST | IFF_MULTICAST;
        else iff |= IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
        out.u8(Net.AF_UNSPEC).u8(0).u16(type).u32(index).u32(iff).u32(0);
        out.attr(IFLA_IFNAME, (dev.name() + "\0").getBytes(StandardCharsets.UTF_8));
        out.attrU32(IFLA_MTU, dev.mtu());
        byte[] mac = dev.hwAddr();
        if (type == NetDevice.ARPHRD_LOOPBACK && mac == null) mac = new byte[6];
        if (mac != null) {
            out.attr(IFLA_ADDRESS, mac);
            byte[] bc = new byte[mac.length];
            if (type == NetDevice.ARPHRD_ETHER) java.util.Arrays.fill(bc, (byte) 0xFF);
            out.attr(IFLA_BROADCAST, bc);
        }
        out.finish(start);
    }

    /** RTM_NEWADDR for one IPv4 address: ifaddrmsg, IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_LABEL. */
    private void addr(Msgs out, Ipv4.IfAddr a, int seq, int portid) {
        int start = out.header(RTM_NEWADDR, NLM_F_MULTI, seq, portid);
        int index = stack.ifindex(a.dev());
        int scope = Ipv4.isLoopbackAddr(a.addr()) ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
        out.u8(Net.AF_INET).u8(a.prefixLen()).u8(IFA_F_PERMANENT).u8(scope).u32(index);
        out.attr(IFA_ADDRESS, be(a.addr()));
        out.attr(IFA_LOCAL, be(a.addr()));
        if (a.broadcast() != 0 && a.dev().type() == NetDevice.ARPHRD_ETHER) out.attr(IFA_BROADCAST, be(a.broadcast()));
        out.attr(IFA_LABEL, (a.dev().name() + "\0").getBytes(StandardCharsets.UTF_8));
        out.finish(start);
    }

    /**
     * The entries of a dump in one datagram, then NLMSG_DONE (with its int 0) in a datagram of its
     * own, as Linux's netlink_dump delivers them when everything fits one buffer.
     */
    private static void done(NetlinkSock nlk, Msgs entries, int seq) {
        if (entries.size() > 0 && !nlk.deliver(entries.bytes(), 0)) nlk.err = Errno.ENOBUFS;
        Msgs out = new Msgs();
        int start = out.header(NLMSG_DONE, NLM_F_MULTI, seq, nlk.portid);
        out.u32(0);
        out.finish(start);
        if (!nlk.deliver(out.bytes(), 0)) nlk.err = Errno.ENOBUFS;
    }

    /** netlink_ack: NLMSG_ERROR with the errno, then the request (header only when it is 0). */
    private static void ack(NetlinkSock nlk, byte[] req, int pos, int len, int err) {
        Msgs out = new Msgs();
        int seq = ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN).getInt(pos + 8);
        int start = out.header(NLMSG_ERROR, err == 0 ? 0x100 : 0, seq, nlk.portid); // NLM_F_CAPPED on acks
        out.u32(err);
        out.raw(req, pos, err == 0 ? NLMSG_HDRLEN : len);
        out.finish(start);
        if (!nlk.deliver(out.bytes(), 0)) nlk.err = Errno.ENOBUFS;
    }

    private static byte[] be(int a) { return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}; }

    static int align(int n) { return n + 3 & ~3; }

    /** A growing buffer of netlink messages in host (little-endian) order. */
    private static final class Msgs {
        private ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int n) {
            if (b.remaining() >= n) return;
            ByteBuffer nb = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            b.flip();
            nb.put(b);
            b = nb;
        }

        int header(int type, int flags, int seq, int portid) {
            room(NLMSG_HDRLEN);
            int start = b.position();
            b.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(portid);
            return start;
        }

        Msgs u8(int v) { room(1); b.put((byte) v); return this; }
        Msgs u16(int v) { room(2); b.putShort((short) v); return this; }
        Msgs u32(int v) { room(4); b.putInt(v); return this; }
        void raw(byte[] a, int off, int n) { room(n); b.put(a, off, n); }

        void attr(int type, byte[] v) {
            room(align(4 + v.length));
            b.putShort((short) (4 + v.length)).putShort((short) type).put(v);
            pad();
        }

        void attrU32(int type, int v) {
            room(8);
            b.putShort((short) 8).putShort((short) type).putInt(v);
        }

        private void pad() { while ((b.position() & 3) != 0) b.put((byte) 0); }

        void finish(int start) {
            pad();
            b.putInt(start, b.position() - start);
        }

        byte[] bytes() { return java.util.Arrays.copyOf(b.array(), b.position()); }

        int size() { return b.position(); }
    }
}
