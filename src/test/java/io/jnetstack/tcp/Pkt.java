package io.jnetstack.tcp;

import io.jnetstack.socket.SockAddr;
import io.jnetstack.wire.Hex;
import io.jnetstack.wire.TcpHeader;
import io.jnetstack.wire.TcpOptions;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** One captured TCP segment with its IP addresses, and readable accessors for checks. */
record Pkt(int saddr, int daddr, byte[] bytes, int tos) {
    Pkt(int saddr, int daddr, byte[] bytes) { this(saddr, daddr, bytes, 0); }

    /** The ECN field of the IP header the segment left with (RFC 3168 §5). */
    int ecn() { return tos & 3; }

    TcpHeader th() { return new TcpHeader().wrap(MemorySegment.ofArray(bytes)); }

    int seq() { return th().seq(); }

    int ack() { return th().ack(); }

    int flags() { return th().flags(); }

    int window() { return th().window(); }

    int len() { return th().payloadLen(); }

    int srcPort() { return th().srcPort(); }

    int dstPort() { return th().dstPort(); }

    TcpOptions opts() { return new TcpOptions().parse(th().options()); }

    String optionHex() { return Hex.encode(Arrays.copyOfRange(bytes, 20, th().headerLen())); }

    byte[] payload() { return Arrays.copyOfRange(bytes, th().headerLen(), bytes.length); }

    boolean checksumOk() { return th().verifyChecksum(saddr, daddr); }

    @Override public String toString() {
        return SockAddr.ipString(saddr) + " " + th() + " " + opts();
    }
}
