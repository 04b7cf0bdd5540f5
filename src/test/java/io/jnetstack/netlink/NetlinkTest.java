package io.jnetstack.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AF_NETLINK: netlink_create's checks, port ids, and NETLINK_ROUTE link/address dumps. */
class NetlinkTest {
    @Test void creationRules() {
        try (SimNet net = new SimNet(1)) {
            var sys = net.host("u", Credentials.USER).sys();
            assertEquals(-Errno.ESOCKTNOSUPPORT, sys.socket(Net.AF_NETLINK, Net.SOCK_STREAM, 0));
            assertEquals(-Errno.ESOCKTNOSUPPORT, sys.socket(Net.AF_NETLINK, Net.SOCK_SEQPACKET, 1000));
            assertEquals(-Errno.EPROTONOSUPPORT, sys.socket(Net.AF_NETLINK, Net.SOCK_RAW, 32));
            assertEquals(-Errno.EPROTONOSUPPORT, sys.socket(Net.AF_NETLINK, Net.SOCK_RAW, -1));
            assertEquals(-Errno.EPROTONOSUPPORT, sys.socket(Net.AF_NETLINK, Net.SOCK_DGRAM, 1)); // NETLINK_UNUSED
            int[] sv = new int[2];
            assertEquals(-Errno.EOPNOTSUPP, sys.socketpair(Net.AF_NETLINK, Net.SOCK_RAW, 0, sv));
            int fd = sys.socket(Net.AF_NETLINK, Net.SOCK_DGRAM | Net.SOCK_NONBLOCK, 0);
            assertTrue(fd >= 0);
            assertEquals(-Errno.EOPNOTSUPP, sys.listen(fd, 1));
            assertEquals(0, sys.close(fd));
        }
    }

    @Test void bindAutobindsToThePidThenCountsDown() {
        try (SimNet net = new SimNet(1)) {
            var h = net.host("h");
            var sys = h.sys();
            int a = sys.socket(Net.AF_NETLINK, Net.SOCK_RAW, 0), b = sys.socket(Net.AF_NETLINK, Net.SOCK_RAW, 0);
            byte[] name = new byte[128];
            int[] len = {128};
            assertEquals(0, sys.getsockname(a, name, len));
            assertEquals(12, len[0]);
            assertEquals(0, le32(name, 4)); // not bound yet
            assertEquals(-Errno.EINVAL, sys.bind(a, nl(0, 0), 11));
            assertEquals(-Errno.EINVAL, sys.bind(a, SockAddr.in(0, 0), 16));
            assertEquals(0, sys.bind(a, nl(0, 0), 12));
            len[0] = 128;
            sys.getsockname(a, name, len);
            assertEquals(h.task().pid, le32(name, 4));
            assertEquals(-Errno.EINVAL, sys.bind(a, nl(77, 0), 12)); // bound: only the same pid
            assertEquals(0, sys.bind(a, nl(h.task().pid, 0), 12));
            assertEquals(-Errno.EADDRINUSE, sys.bind(b, nl(h.task().pid, 0), 12));
            assertEquals(0, sys.bind(b, nl(0, 0), 12));
            len[0] = 128;
            sys.getsockname(b, name, len);
            int id = le32(name, 4); // taken pid: a random negative id at or below -4097
            assertTrue(id <= -4097, "portid " + id);
        }
    }

    @Test void dumpsLinksAndAddresses() {
        try (SimNet net = new SimNet(1)) {
            var a = net.host("a");
            var b = net.host("b");
            net.link(a, "10.0.0.1/24", b, "10.0.0.2/24", WireConfig.DEFAULT);
            var sys = a.sys();
            int fd = sys.socket(Net.AF_NETLINK, Net.SOCK_RAW, 0);
            byte[] req = request(RtNetlink.RTM_GETLINK, RtNetlink.NLM_F_REQUEST | RtNetlink.NLM_F_DUMP, 7, 16);
            assertEquals(req.length, sys.sendto(fd, req, req.length, 0, nl(0, 0), 12));
            byte[] buf = new byte[8192];
            byte[] from = new byte[128];
            int[] fl = {128};
            int n = sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, from, fl);
            assertEquals(12, fl[0]);
            assertEquals(0, le32(from, 4)); // from the kernel
            List<String> names = new ArrayList<>();
            int last = walk(buf, n, RtNetlink.RTM_NEWLINK, 16, RtNetlink.IFLA_IFNAME, names);
            assertEquals(RtNetlink.RTM_NEWLINK, last);
            assertEquals(List.of("lo", "eth0"), names);
            // NLMSG_DONE comes in a datagram of its own, as on Linux
            assertEquals(20, sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, null, null));
            assertEquals(RtNetlink.NLMSG_DONE, le16(buf, 4));

            req = request(RtNetlink.RTM_GETADDR, RtNetlink.NLM_F_REQUEST | RtNetlink.NLM_F_DUMP, 8, 8);
            req[16] = Net.AF_INET;
            sys.sendto(fd, req, req.length, 0, nl(0, 0), 12);
            n = sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, null, null);
            List<String> addrs = new ArrayList<>();
            walk(buf, n, RtNetlink.RTM_NEWADDR, 8, RtNetlink.IFA_LOCAL, addrs);
            assertEquals(List.of("127.0.0.1", "10.0.0.1"), addrs);
            assertEquals(20, sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, null, null));

            // RTM_GETLINK for one index with NLM_F_ACK: the link, then an ack (errno 0, capped)
            req = request(RtNetlink.RTM_GETLINK, RtNetlink.NLM_F_REQUEST | RtNetlink.NLM_F_ACK, 10, 16);
            req[20] = 1;
            sys.sendto(fd, req, req.length, 0, nl(0, 0), 12);
            n = sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, null, null);
            assertEquals(RtNetlink.RTM_NEWLINK, le16(buf, 4));
            assertEquals(36, sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, null, null));
            assertEquals(RtNetlink.NLMSG_ERROR, le16(buf, 4));
            assertEquals(0x100, le16(buf, 6));
            assertEquals(0, le32(buf, 16));

            // no such index: NLMSG_ERROR -ENODEV with the whole request echoed
            req[20] = 42;
            sys.sendto(fd, req, req.length, 0, nl(0, 0), 12);
            assertEquals(16 + 4 + 32, sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, null, null));
            assertEquals(-Errno.ENODEV, le32(buf, 16));
            assertEquals(10, le32(buf, 8));

            // without even the 1-byte rtgenmsg the message is ignored
            req = request(RtNetlink.RTM_GETLINK, RtNetlink.NLM_F_REQUEST | RtNetlink.NLM_F_DUMP, 9, 0);
            sys.sendto(fd, req, req.length, 0, nl(0, 0), 12);
            assertEquals(-Errno.EAGAIN, sys.recvfrom(fd, buf, buf.length, Net.MSG_DONTWAIT, null, null));
        }
    }

    @Test void unprivilegedSendsOnlyToTheKernel() {
        try (SimNet net = new SimNet(1)) {
            var sys = net.host("u", Credentials.USER).sys();
            int fd = sys.socket(Net.AF_NETLINK, Net.SOCK_RAW, 0);
            byte[] m = new byte[16];
            assertEquals(-Errno.EPERM, sys.sendto(fd, m, 16, 0, nl(12345, 0), 12));
            assertEquals(-Errno.EPERM, sys.sendto(fd, m, 16, 0, nl(0, 1), 12));
            assertEquals(-Errno.EOPNOTSUPP, sys.sendto(fd, m, 16, Net.MSG_OOB, nl(0, 0), 12));
            assertEquals(0, sys.bind(fd, nl(0, 1), 12)); // NETLINK_ROUTE groups are open to all
        }
    }

    /** Walks a dump: collects attribute {@code want} of each {@code type} message; returns the last type. */
    static int walk(byte[] buf, int n, int type, int fixed, int want, List<String> out) {
        int pos = 0, last = -1;
        while (pos + 16 <= n) {
            int len = le32(buf, pos);
            last = le16(buf, pos + 4);
            if (last == type) {
                int a = pos + 16 + fixed;
                while (a + 4 <= pos + len) {
                    int alen = le16(buf, a), atype = le16(buf, a + 2);
                    if (atype == want) {
                        if (alen == 8 && type == RtNetlink.RTM_NEWADDR)
                            out.add((buf[a + 4] & 0xFF) + "." + (buf[a + 5] & 0xFF) + "." + (buf[a + 6] & 0xFF) + "." + (buf[a + 7] & 0xFF));
                        else out.add(new String(buf, a + 4, alen - 5, StandardCharsets.UTF_8));
                    }
                    a += alen + 3 & ~3;
                }
            }
            pos += len + 3 & ~3;
        }
        return last;
    }

    static byte[] request(int type, int flags, int seq, int payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16 + payload).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        return b.array();
    }

    static byte[] nl(int pid, int groups) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) Net.AF_NETLINK).putShort((short) 0).putInt(pid).putInt(groups);
        return b.array();
    }

    static int le32(byte[] a, int off) { return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getInt(off); }

    static int le16(byte[] a, int off) { return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getShort(off) & 0xFFFF; }
}
