package io.jnetstack.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

class AddressTest {
    @Test void ipv4ParseAndFormat() {
        assertEquals(0xC0000201, Ipv4Address.parse("192.0.2.1"));
        assertEquals(0, Ipv4Address.parse("0.0.0.0"));
        assertEquals(-1, Ipv4Address.parse("255.255.255.255"));
        assertEquals("192.0.2.1", Ipv4Address.format(0xC0000201));
        assertEquals("255.255.255.255", Ipv4Address.format(-1));
        assertEquals(Ipv4Address.of(10, 0, 0, 1), Ipv4Address.parse("10.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "1.2.3.4 ", "01.2.3.4", "a.b.c.d",
                            "1.2.3.-4", "127.1", "1.2.3.1000", "1.2.3.4."})
    void ipv4ParseRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
    }

    @Test void ipv4Classes() {
        assertTrue(Ipv4Address.isLoopback(Ipv4Address.parse("127.5.6.7")));
        assertFalse(Ipv4Address.isLoopback(Ipv4Address.parse("128.0.0.1")));
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("224.0.0.1")));
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("239.255.255.255")));
        assertFalse(Ipv4Address.isMulticast(Ipv4Address.parse("240.0.0.0")));
        assertTrue(Ipv4Address.isBroadcast(Ipv4Address.BROADCAST));
        assertTrue(Ipv4Address.isZeronet(Ipv4Address.parse("0.1.2.3")));
        assertTrue(Ipv4Address.isLinkLocal(Ipv4Address.parse("169.254.1.1")));
        assertTrue(Ipv4Address.isReserved(Ipv4Address.parse("250.0.0.1")));
        assertTrue(Ipv4Address.isSubnetBroadcast(Ipv4Address.parse("10.0.0.255"), 24));
        assertFalse(Ipv4Address.isSubnetBroadcast(Ipv4Address.parse("10.0.0.255"), 16));
    }

    @Test void prefixes() {
        assertEquals(0, Ipv4Address.prefixMask(0));
        assertEquals(0xFFFFFF00, Ipv4Address.prefixMask(24));
        assertEquals(-1, Ipv4Address.prefixMask(32));
        for (int i = 0; i <= 32; i++) assertEquals(i, Ipv4Address.prefixLength(Ipv4Address.prefixMask(i)));
        assertEquals(-1, Ipv4Address.prefixLength(0xFF00FF00));
        assertEquals(-1, Ipv4Address.prefixLength(0x000000FF));
        assertTrue(Ipv4Address.inPrefix(Ipv4Address.parse("192.168.1.7"), Ipv4Address.parse("192.168.0.0"), 16));
        assertFalse(Ipv4Address.inPrefix(Ipv4Address.parse("192.169.1.7"), Ipv4Address.parse("192.168.0.0"), 16));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.prefixMask(33));
    }

    @Test void mac() {
        long m = MacAddress.parse("02:00:5E:10:00:01");
        assertEquals(0x02005E100001L, m);
        assertEquals("02:00:5e:10:00:01", MacAddress.format(m));
        assertEquals(m, MacAddress.parse("02-00-5e-10-0-1"));
        assertArrayEquals(new byte[] {2, 0, 0x5e, 0x10, 0, 1}, MacAddress.toBytes(m));
        assertEquals(m, MacAddress.fromBytes(MacAddress.toBytes(m)));
        assertTrue(MacAddress.isLocal(m));
        assertTrue(MacAddress.isUnicast(m));
        assertTrue(MacAddress.isMulticast(MacAddress.BROADCAST));
        assertTrue(MacAddress.isBroadcast(MacAddress.BROADCAST));
        assertEquals(0x01005E7F0001L, MacAddress.ofIpv4Multicast(Ipv4Address.parse("239.255.0.1")));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:5e:10:00"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:5e:10:00:0g"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:5e:10:00:100"));
    }
}
