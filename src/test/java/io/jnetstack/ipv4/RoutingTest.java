package io.jnetstack.ipv4;

import io.jnetstack.inet.InetKit;
import io.jnetstack.socket.SockAddr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Longest-prefix-match routing over the local and main tables. */
class RoutingTest {
    static int ip(String s) { return SockAddr.parseIp(s); }

    @Test void longestPrefixWins() {
        InetKit k = new InetKit();
        CaptureDevice eth1 = new CaptureDevice("eth1", 9000);
        k.ip.attach(eth1);
        k.ip.addAddress(eth1, ip("192.168.1.1"), 24);
        k.ip.addRoute(ip("172.16.0.0"), 12, ip("10.0.0.9"), k.eth);
        k.ip.addRoute(ip("172.16.5.0"), 24, ip("192.168.1.7"), eth1);

        Route r = k.ip.route(ip("172.16.5.9"), 0, 0);
        assertSame(eth1, r.dev);
        assertEquals(ip("192.168.1.7"), r.gateway);
        assertEquals(ip("192.168.1.1"), r.prefSrc);
        assertEquals(9000, r.mtu);

        r = k.ip.route(ip("172.17.0.1"), 0, 0);
        assertSame(k.eth, r.dev);
        assertEquals(ip("10.0.0.9"), r.gateway);

        r = k.ip.route(ip("8.8.8.8"), 0, 0);                 // default route
        assertEquals(InetKit.GATEWAY, r.gateway);
        assertEquals(InetKit.LOCAL, r.prefSrc);

        r = k.ip.route(ip("10.0.0.77"), 0, 0);               // on-link
        assertEquals(0, r.gateway);
        assertEquals(ip("10.0.0.77"), r.nextHop());
    }

    @Test void localAddressesGoThroughLoopback() {
        InetKit k = new InetKit();
        for (String a : new String[] {"127.0.0.1", "127.255.0.9", "10.0.0.1"}) {
            Route r = k.ip.route(ip(a), 0, 0);
            assertEquals(Route.RTN_LOCAL, r.type, a);
            assertSame(k.lo, r.dev, a);
            assertEquals(ip(a), r.prefSrc, a);
        }
        assertEquals(Route.RTN_BROADCAST, k.ip.route(ip("10.0.0.255"), 0, 0).type);
    }

    @Test void noRoute() {
        InetKit k = new InetKit();
        k.ip.removeRoute(0, 0);
        assertNull(k.ip.route(ip("8.8.8.8"), 0, 0));
        assertEquals(-io.jnetstack.uapi.Errno.ENETUNREACH, k.sendto(k.udp(), new byte[1], ip("8.8.8.8"), 53));
        assertEquals(1, k.counter("Ip.OutNoRoutes"));
    }

    @Test void pmtuLowersAndExpires() {
        InetKit k = new InetKit();
        int d = ip("8.8.8.8");
        assertEquals(1500, k.ip.pathMtu(d));
        k.ip.updatePmtu(d, 1400);
        assertEquals(1400, k.ip.pathMtu(d));
        k.ip.updatePmtu(d, 100);                    // clamped to ip_rt_min_pmtu
        assertEquals(552, k.ip.pathMtu(d));
        k.sched.runFor(Ipv4.PMTU_EXPIRES_NS);
        assertEquals(1500, k.ip.pathMtu(d));
    }

    @Test void duplicateRouteIsEexist() {
        InetKit k = new InetKit();
        assertEquals(-io.jnetstack.uapi.Errno.EEXIST, k.ip.addRoute(0, 0, ip("10.0.0.3"), k.eth));
    }
}
