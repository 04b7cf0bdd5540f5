package io.jnetstack.inet;

import io.jnetstack.ipv4.CaptureDevice;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.Loopback;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.Net;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A stack on a virtual clock with loopback (127.0.0.1/8) and one point-to-point test device
 * "eth0" with 10.0.0.1/24 and a default route via 10.0.0.254, driven through ProtoOps directly.
 */
public final class InetKit {
    public static final int LOCAL = SockAddr.parseIp("10.0.0.1"), PEER = SockAddr.parseIp("10.0.0.2"),
            GATEWAY = SockAddr.parseIp("10.0.0.254"), LO = 0x7f000001;
    public final SimScheduler sched = new SimScheduler();
    public final Stack stack = new Stack("test", sched, 42);
    public final Loopback lo = new Loopback(sched);
    public final CaptureDevice eth = new CaptureDevice("eth0", 1500);
    public final Ipv4 ip;

    public InetKit() {
        ip = Inet.install(stack);
        ip.attach(lo);
        ip.attach(eth);
        ip.addAddress(eth, LOCAL, 24);
        ip.setDefaultGateway(GATEWAY, eth);
    }

    public Socket socket(int family, int type, int protocol, Credentials cred) {
        Socket[] out = new Socket[1];
        int r = Families.of(stack).create(family, type, protocol, false, cred, out);
        if (r < 0) throw new AssertionError("socket: " + io.jnetstack.uapi.Errno.describe(r));
        return out[0];
    }

    public int create(int family, int type, int protocol, Credentials cred) {
        return Families.of(stack).create(family, type, protocol, false, cred, new Socket[1]);
    }

    public Socket udp() { return socket(Net.AF_INET, Net.SOCK_DGRAM, 0, Credentials.ROOT); }

    public int bind(Socket s, int addr, int port) { return s.ops.bind(s, SockAddr.in(addr, port), 16); }

    public int connect(Socket s, int addr, int port) { return s.ops.connect(s, SockAddr.in(addr, port), 16, 0); }

    public int sendto(Socket s, byte[] data, int addr, int port) {
        MsgHdr m = MsgHdr.of(data, data.length);
        m.name = SockAddr.in(addr, port);
        m.namelen = 16;
        int r = s.ops.sendmsg(s, m, 0);
        sched.runFor(0); // softirq: loopback delivery
        return r;
    }

    public int send(Socket s, byte[] data) {
        int r = s.ops.sendmsg(s, MsgHdr.of(data, data.length), 0);
        sched.runFor(0);
        return r;
    }

    /** recvfrom with MSG_DONTWAIT | flags; the message (name, flags) lands in {@code m}. */
    public int recv(Socket s, MsgHdr m, int flags) { return s.ops.recvmsg(s, m, flags | Net.MSG_DONTWAIT); }

    public static MsgHdr msg(int len) {
        MsgHdr m = MsgHdr.of(new byte[len], len);
        m.name = new byte[128];
        m.namelen = 128;
        return m;
    }

    public int port(Socket s) {
        byte[] b = new byte[128];
        assertEquals(16, s.ops.getname(s, b, false));
        return SockAddr.port(b);
    }

    /** icmp_send about a packet that arrived from eth0 for a local address. */
    public void icmpSend(byte[] offending) {
        io.jnetstack.icmp.Icmp.of(stack).send(java.lang.foreign.MemorySegment.ofArray(offending),
                io.jnetstack.ipv4.Route.RTN_LOCAL, 3, 2, 0);
    }

    public long counter(String name) { return stack.snmp().get(name); }
}
