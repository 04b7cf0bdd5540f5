package io.jnetstack.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Packets written by hand for the tests (checksums computed independently of this package). */
final class Fixtures {
    private Fixtures() {}

    static final int LOCAL = Ipv4Address.of(192, 168, 0, 1), REMOTE = Ipv4Address.of(192, 0, 2, 1);

    /** IPv4 header of a Linux SYN, 192.168.0.1 > 192.0.2.1, id 0x4b2a, DF, TTL 64, total length 60. */
    static final String SYN_IP = "4500003c 4b2a4000 40066ce7 c0a80001 c0000201";
    /** 40000 > 8080 [S] seq 0x12345678 win 64240 [mss 1460,sackOK,TS val 0x01020304 ecr 0,nop,wscale 7]. */
    static final String SYN_TCP = "9c401f90 12345678 00000000 a002faf0 a1e10000"
                                + "020405b4 0402080a 01020304 00000000 01030307";
    /** The same SYN with net.ipv4.tcp_timestamps=0: [mss 1460,nop,nop,sackOK,nop,wscale 7]. */
    static final String SYN_NOTS_TCP = "9c401f90 12345678 00000000 8002faf0 ccf80000 020405b4 01010402 01030307";
    /** 8080 > 40000 [P.] seq 0xfffffff0 ack 0x12345679 win 502 [nop,nop,TS val 0xabcd ecr 0x1234] "hello". */
    static final String DATA_TCP = "1f909c40 fffffff0 12345679 801801f6 cbcc0000 0101080a 0000abcd 00001234 68656c6c 6f";
    /** 40000 > 8080 [.] ack 0xfff win 501 [nop,nop,TS val 0xabce ecr 0x1235,nop,nop,sack 1 {0x1000:0x2000}]. */
    static final String SACK_TCP = "9c401f90 12345679 00000fff b01001f5 99850000"
                                 + "0101080a 0000abce 00001235 0101050a 00001000 00002000";

    static final int DNS_CLIENT = Ipv4Address.of(10, 0, 0, 2), DNS_SERVER = Ipv4Address.of(10, 0, 0, 1);
    /** 10.0.0.2 > 10.0.0.1 UDP, id 0x1c46, no DF, total length 57. */
    static final String DNS_IP = "45000039 1c460000 40114a6c 0a000002 0a000001";
    /** 53000 > 53, query A example.com, id 0xabcd, RD. */
    static final String DNS_UDP = "cf080035 0025a128 abcd0100 00010000 00000000 07657861 6d706c65 03636f6d 00000100 01";

    /** 192.168.0.1 > 192.0.2.1 ICMP, id 1, DF, total length 68. */
    static final String PING_IP = "45000044 00014000 4001b80d c0a80001 c0000201";
    /** Echo request id 0x1234 seq 1 with ping's 40 bytes 0x10..0x37. */
    static final String PING_ICMP = "080026f8 12340001 10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627"
                                  + "28292a2b 2c2d2e2f 30313233 34353637";
    /** Frag needed, next-hop MTU 1400, quoting SYN_IP + the first 8 bytes of SYN_TCP. */
    static final String FRAG_NEEDED_ICMP = "0304d306 00000578 4500003c 4b2a4000 40066ce7 c0a80001 c0000201 9c401f90 12345678";

    /** Ethernet broadcast ARP who-has 192.168.0.1 tell 192.168.0.2 from 02:00:00:00:00:02, padded to 60. */
    static final String ARP_FRAME = "ffffffffffff 020000000002 0806"
                                  + "0001 0800 06 04 0001 020000000002 c0a80002 000000000000 c0a80001"
                                  + "000000000000000000000000000000000000";

    static MemorySegment seg(String hex) { return Hex.segment(hex); }

    /** The same bytes in native memory, to prove views do not depend on heap segments. */
    static MemorySegment nativeSeg(String hex, Arena arena) {
        byte[] b = Hex.decode(hex);
        MemorySegment s = arena.allocate(b.length);
        MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
        return s;
    }

    static MemorySegment bytes(String ascii) { return MemorySegment.ofArray(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII)); }
}
