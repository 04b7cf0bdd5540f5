package io.jnetstack.app;

import io.jnetstack.Jnetstack;
import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.PcapTap;
import io.jnetstack.link.PcapWriter;
import io.jnetstack.link.TunTap;
import io.jnetstack.neighbour.Arp;
import io.jnetstack.socket.Credentials;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.RealScheduler;
import io.jnetstack.uapi.Errno;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One jnetstack host on the wall clock behind a real TUN or TAP device: the stack of
 * {@link Jnetstack#newStack} plus ARP, the device with its address and optional default gateway,
 * an optional pcap of everything the device carries, and one process ({@link Task}) whose
 * {@link #sys() system calls} the services and clients make — from any number of threads (platform
 * or virtual), as the threads of one Linux process share a descriptor table.
 *
 * <p>Closing the host stops its services first (their sockets are shut down, so established
 * connections send their FIN while the device still exists), then closes the device (a
 * non-persistent TUN/TAP device disappears with its descriptor), the capture and the scheduler.
 */
public final class Host implements AutoCloseable {
    /** What to build: the options of {@code jns up} that concern the host itself. */
    public record Config(String dev, boolean tap, int addr, int prefixLen, int gateway, String netns, int mtu,
                         boolean offload, Path pcap) {
        public Config {
            if (dev == null || dev.isEmpty()) throw new IllegalArgumentException("a device name is needed (--tap NAME or --tun NAME)");
            if (prefixLen < 0 || prefixLen > 32) throw new IllegalArgumentException("prefix length " + prefixLen + " outside 0..32");
        }

        public static Config tap(String dev, String addrSlashPrefix) { return of(dev, true, addrSlashPrefix); }

        public static Config tun(String dev, String addrSlashPrefix) { return of(dev, false, addrSlashPrefix); }

        private static Config of(String dev, boolean tap, String cidr) {
            int[] a = parseCidr(cidr);
            return new Config(dev, tap, a[0], a[1], 0, null, 1500, false, null);
        }

        public Config gateway(String gw) { return new Config(dev, tap, addr, prefixLen, parseIp(gw, "gateway"), netns, mtu, offload, pcap); }
        public Config netns(String ns) { return new Config(dev, tap, addr, prefixLen, gateway, ns, mtu, offload, pcap); }
        public Config mtu(int m) { return new Config(dev, tap, addr, prefixLen, gateway, netns, m, offload, pcap); }
        public Config offload(boolean on) { return new Config(dev, tap, addr, prefixLen, gateway, netns, mtu, on, pcap); }
        public Config pcap(Path p) { return new Config(dev, tap, addr, prefixLen, gateway, netns, mtu, offload, p); }
    }

    /** "A.B.C.D/N" → {addr, N}; IllegalArgumentException with the reason otherwise. */
    public static int[] parseCidr(String s) {
        if (s == null) throw new IllegalArgumentException("an address is needed (--addr A.B.C.D/N)");
        int slash = s.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("address '" + s + "' needs a prefix length (A.B.C.D/N)");
        int addr = parseIp(s.substring(0, slash), "address");
        int len;
        try {
            len = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            len = -1;
        }
        if (len < 1 || len > 32) throw new IllegalArgumentException("prefix length in '" + s + "' must be 1..32");
        return new int[] {addr, len};
    }

    /** A dotted-quad IPv4 address; IllegalArgumentException naming {@code what} otherwise. */
    public static int parseIp(String s, String what) {
        String[] p = s == null ? new String[0] : s.split("\\.", -1);
        if (p.length != 4) throw new IllegalArgumentException(what + " '" + s + "' is not an IPv4 address (A.B.C.D)");
        int a = 0;
        for (String o : p) {
            int v;
            try {
                v = o.isEmpty() || o.length() > 3 ? -1 : Integer.parseInt(o);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 255) throw new IllegalArgumentException(what + " '" + s + "' is not an IPv4 address (A.B.C.D)");
            a = a << 8 | v;
        }
        return a;
    }

    public final Config config;
    public final RealScheduler sched;
    public final Stack stack;
    public final TunTap tunTap;
    /** The device the stack uses: the TUN/TAP device, or the pcap tap around it. */
    public final NetDevice dev;
    private final PcapWriter pcap;
    private final SocketCalls sys;
    private final Log log;
    private final List<AutoCloseable> services = new ArrayList<>();
    private boolean closed;

    private Host(Config c, Log log, RealScheduler sched, Stack stack, TunTap tunTap, NetDevice dev, PcapWriter pcap) {
        this.config = c;
        this.log = log;
        this.sched = sched;
        this.stack = stack;
        this.tunTap = tunTap;
        this.dev = dev;
        this.pcap = pcap;
        this.sys = new SocketCalls(stack, new Task(1, Credentials.ROOT));
    }

    /**
     * Creates the device and brings the host up. The Linux side of the device (its address, link
     * state, MTU) is the caller's to configure with ip(8), as for any TAP device a VM would use.
     *
     * @throws IOException when the device cannot be created (with the failing call and errno)
     */
    public static Host start(Config c, Log log) throws IOException {
        RealScheduler sched = new RealScheduler();
        sched.start();
        Stack stack = null;
        TunTap tt = null;
        PcapWriter pw = null;
        sched.enter();
        try {
            stack = Jnetstack.newStack("jns", sched, System.nanoTime());
            Arp.of(stack);
            TunTap.Config tc = (c.tap ? TunTap.Config.tap(c.dev) : TunTap.Config.tun(c.dev))
                    .netns(c.netns).mtu(c.mtu).vnetHdr(c.offload);
            tt = TunTap.open(stack, tc);
            NetDevice dev = tt;
            if (c.pcap != null) {
                pw = PcapWriter.open(c.pcap, tt, sched.clock());
                dev = new PcapTap(tt, pw);
            }
            Jnetstack.addInterface(stack, dev, c.addr, c.prefixLen);
            if (c.gateway != 0) {
                int r = Ipv4.of(stack).setDefaultGateway(c.gateway, dev);
                if (r < 0) throw new IOException("default route via " + SockAddr.ipString(c.gateway) + ": " + Errno.describe(r));
            }
            Host h = new Host(c, log, sched, stack, tt, dev, pw);
            log.info("up: " + tt + " " + SockAddr.ipString(c.addr) + "/" + c.prefixLen
                    + (c.gateway != 0 ? " via " + SockAddr.ipString(c.gateway) : "")
                    + (c.netns != null ? " in netns " + c.netns : "") + (c.pcap != null ? ", capturing to " + c.pcap : ""));
            return h;
        } catch (IOException | RuntimeException e) {
            if (tt != null) tt.close();
            if (pw != null) pw.closeUnchecked();
            throw e instanceof IllegalArgumentException iae ? new IOException(iae.getMessage(), iae)
                    : e instanceof IOException io ? io : new IOException(e.toString(), e);
        } finally {
            sched.exit();
            if (tt == null) sched.stop();
        }
    }

    /** The host's system calls (one process; safe from any thread, blocking calls included). */
    public Syscalls sys() { return sys; }

    public Log log() { return log; }

    /** The host's address on its device. */
    public int addr() { return config.addr; }

    /** Registers a service (or client) to stop before the device goes away. */
    public synchronized void add(AutoCloseable service) { services.add(service); }

    /** Runs {@code work} holding the stack (to read counters or state consistently). */
    public <T> T locked(java.util.function.Supplier<T> work) {
        sched.enter();
        try {
            return work.get();
        } finally {
            sched.exit();
        }
    }

    /** Stops the services (FINs go out), removes the device, closes the capture. Idempotent. */
    @Override public void close() {
        List<AutoCloseable> s;
        synchronized (this) {
            if (closed) return;
            closed = true;
            s = new ArrayList<>(services);
        }
        for (int i = s.size() - 1; i >= 0; i--) {
            try {
                s.get(i).close();
            } catch (Exception e) {
                log.info("stopping " + s.get(i) + ": " + e.getMessage());
            }
        }
        tunTap.close();
        if (pcap != null) pcap.closeUnchecked();
        sched.stop();
        log.info("down: " + config.dev + " removed");
    }
}
