package io.jnetstack.interop;

import io.jnetstack.inet.Inet;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.Loopback;
import io.jnetstack.link.TunTap;
import io.jnetstack.neighbour.Arp;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.Families;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.Socket;
import io.jnetstack.stack.Stack;
import io.jnetstack.time.RealScheduler;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Net;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A jnetstack host on the wall clock behind one TUN/TAP device that lives in a test namespace:
 * loopback, IPv4 with ICMP and UDP, ARP, and {@code addr/prefix} on the device.
 */
public final class JnsHost implements AutoCloseable {
    public final RealScheduler sched = new RealScheduler();
    public final Stack stack = new Stack("jns", sched, 7);
    public final Ipv4 ip;
    public final Arp arp;
    public final TunTap dev;

    public JnsHost(TunTap.Config cfg, String addr, int prefix) throws IOException {
        sched.start();
        TunTap d = null;
        sched.enter();
        try {
            ip = Inet.install(stack);
            arp = Arp.of(stack);
            ip.attach(new Loopback(sched));
            d = TunTap.open(stack, cfg);
            ip.attach(d);
            int r = ip.addAddress(d, SockAddr.parseIp(addr), prefix);
            if (r != 0) throw new IOException("addAddress: " + Errno.describe(r));
        } catch (IOException | RuntimeException e) {
            if (d != null) d.close();
            sched.exit();
            sched.stop();
            throw e;
        }
        sched.exit();
        dev = d;
    }

    /** Runs {@code work} holding the stack (process context). */
    public <T> T locked(Callable<T> work) {
        sched.enter();
        try {
            return work.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            sched.exit();
        }
    }

    public Socket udp() {
        return locked(() -> {
            Socket[] out = new Socket[1];
            int r = Families.of(stack).create(Net.AF_INET, Net.SOCK_DGRAM, 0, false, Credentials.ROOT, out);
            if (r < 0) throw new AssertionError("socket: " + Errno.describe(r));
            return out[0];
        });
    }

    @Override public void close() {
        dev.close();
        sched.stop();
    }
}
