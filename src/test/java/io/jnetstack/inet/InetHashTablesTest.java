package io.jnetstack.inet;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.stack.Stack;
import io.jnetstack.time.SimScheduler;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import org.junit.jupiter.api.Test;

class InetHashTablesTest {
    private final Stack stack = new Stack("t", new SimScheduler(), 1);
    private final InetHashTables tcp = InetHashTables.of(stack, In.IPPROTO_TCP);
    private final InetHashTables udp = InetHashTables.of(stack, In.IPPROTO_UDP);
    private static final int LO = 0x7f000001;

    private InetSock sock() { return new InetSock(stack, Net.AF_INET, Net.SOCK_STREAM, In.IPPROTO_TCP); }

    @Test void samePortSameAddressConflicts() {
        InetSock a = sock(), b = sock();
        assertEquals(0, tcp.bind(a, LO, 8080));
        assertEquals(-Errno.EADDRINUSE, tcp.bind(b, LO, 8080));
        assertEquals(-Errno.EADDRINUSE, tcp.bind(b, 0, 8080), "wildcard overlaps a specific address");
        assertEquals(0, tcp.bind(b, 0x7f000002, 8081));
    }

    @Test void differentSpecificAddressesShareAPort() {
        InetSock a = sock(), b = sock();
        assertEquals(0, tcp.bind(a, LO, 9000));
        assertEquals(0, tcp.bind(b, 0x7f000002, 9000));
    }

    @Test void reuseAddrSharesUnlessListening() {
        InetSock a = sock(), b = sock(), c = sock();
        a.reuseAddr = b.reuseAddr = c.reuseAddr = true;
        assertEquals(0, tcp.bind(a, 0, 7000));
        assertEquals(0, tcp.bind(b, 0, 7000));
        assertEquals(0, tcp.listenCheck(a), "the other sock is only bound: Linux lets this one listen");
        a.state = 10; // TCP_LISTEN
        assertEquals(-Errno.EADDRINUSE, tcp.listenCheck(b), "but not a second listener");
        assertEquals(-Errno.EADDRINUSE, tcp.bind(c, 0, 7000));
    }

    @Test void reusePortSameUserShares() {
        InetSock a = sock(), b = sock();
        a.reusePort = b.reusePort = true;
        a.state = 10;
        assertEquals(0, tcp.bind(a, 0, 7001));
        assertEquals(0, tcp.bind(b, 0, 7001));
        assertEquals(0, tcp.listenCheck(b));
        InetSock c = sock();
        c.reusePort = true;
        c.uid = 42;
        assertEquals(-Errno.EADDRINUSE, tcp.bind(c, 0, 7001), "another user may not join the group");
    }

    @Test void timeWaitNeedsReuseAddrOnBoth() {
        InetSock tw = sock(), b = sock();
        assertEquals(0, tcp.bind(tw, 0, 7002));
        tw.state = 6; // TCP_TIME_WAIT
        b.reuseAddr = true;
        assertEquals(-Errno.EADDRINUSE, tcp.bind(b, 0, 7002));
        tw.reuseAddr = true;
        assertEquals(0, tcp.bind(b, 0, 7002));
    }

    @Test void v6OnlyDoesNotMeetIpv4() {
        InetSock a = sock(), b = sock();
        a.v6 = a.v6Only = true;
        assertEquals(0, tcp.bind(a, 0, 7003));
        assertEquals(0, tcp.bind(b, 0, 7003));
    }

    @Test void udpReuseAddrSharesAlways() {
        InetSock a = sock(), b = sock();
        a.reuseAddr = b.reuseAddr = true;
        assertEquals(0, udp.bind(a, 0, 53));
        assertEquals(0, udp.bind(b, 0, 53));
        assertEquals(2, udp.owners(53).size());
    }

    @Test void ephemeralBindStaysInRangeAndIsUnique() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            InetSock s = sock();
            assertEquals(0, tcp.bind(s, 0, 0));
            assertTrue(s.sport >= 32768 && s.sport <= 60999, "port " + s.sport);
            assertTrue(seen.add(s.sport));
        }
    }

    @Test void ephemeralExhaustionIsAddrInUse() {
        stack.sysctl().ipLocalPortRange.set(40000, 40001);
        assertEquals(0, tcp.bind(sock(), 0, 0));
        assertEquals(0, tcp.bind(sock(), 0, 0));
        assertEquals(-Errno.EADDRINUSE, tcp.bind(sock(), 0, 0));
    }

    @Test void connectSharesPortsByFourTuple() {
        stack.sysctl().ipLocalPortRange.set(40000, 40000);
        InetSock a = sock(), b = sock(), c = sock();
        assertEquals(0, tcp.connectPort(a, LO, LO, 80, (s, sp, d, dp) -> false));
        // Same port, different destination port: the tuple is unique.
        assertEquals(0, tcp.connectPort(b, LO, LO, 81, (s, sp, d, dp) -> dp == 80));
        assertEquals(a.sport, b.sport);
        assertEquals(-Errno.EADDRNOTAVAIL, tcp.connectPort(c, LO, LO, 80, (s, sp, d, dp) -> true));
    }

    @Test void explicitBindIsNeverSharedByConnect() {
        stack.sysctl().ipLocalPortRange.set(40000, 40000);
        assertEquals(0, tcp.bind(sock(), 0, 40000));
        assertEquals(-Errno.EADDRNOTAVAIL, tcp.connectPort(sock(), LO, LO, 80, (s, sp, d, dp) -> false));
    }

    @Test void unbindFreesThePort() {
        InetSock a = sock(), b = sock();
        assertEquals(0, tcp.bind(a, 0, 6000));
        tcp.unbind(a);
        assertFalse(tcp.isBound(a));
        assertEquals(0, tcp.bind(b, 0, 6000));
    }

    /**
     * 10 000 connects to one destination (within the even half of the range that connect() walks
     * first) must not rescan the ports already taken each time (the walk was quadratic): counted in
     * ports examined, not in time.
     */
    @Test void manyConnectsToOneDestinationStayLinear() {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        long[] examined = {0};
        for (int i = 0; i < 10_000; i++) {
            InetSock s = sock();
            assertEquals(0, tcp.connectPort(s, LO, LO, 80, (sa, sp, d, dp) -> { examined[0]++; return taken.contains(sp); }));
            assertTrue(taken.add(s.sport));
        }
        assertTrue(examined[0] < 10L * 10_000, "ports examined: " + examined[0]);
    }
}
