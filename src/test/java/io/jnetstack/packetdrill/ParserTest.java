package io.jnetstack.packetdrill;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.packetdrill.Ast.*;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {
    private static Script parse(String text) throws ParseException { return Parser.parse("t.pkt", text, Map.of()); }

    private static Event only(String line) throws ParseException {
        List<Event> ev = parse(line).events();
        assertEquals(1, ev.size());
        return ev.get(0);
    }

    @Test void grammarScriptParsesWithLines() throws Exception {
        Script s = Parser.parse(Corpus.own("grammar.pkt"));
        assertEquals(List.of(new Option("tolerance_usecs", "7000", 2), new Option("tcp_ts_ecr_scaled", null, 3)), s.options());
        assertTrue(s.init().text().contains("sysctl -q net.ipv4.tcp_ecn=2"));
        assertEquals(9, s.events().get(0).line());
        assertEquals(31, s.events().get(s.events().size() - 1).line());
        assertInstanceOf(Command.class, s.events().get(s.events().size() - 1).action());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 close(3) = 0            | ABSOLUTE | 0 | 0",
            "+.1 close(3) = 0          | RELATIVE | 100000 | 0",
            "+0.025 close(3) = 0       | RELATIVE | 25000 | 0",
            "1.5 close(3) = 0          | ABSOLUTE | 1500000 | 0",
            "* > . 1:1(0) ack 1        | ANY | 0 | 0",
            "+0~+.04 > . 1:1(0) ack 1  | RELATIVE_RANGE | 0 | 40000",
            "1~2 > . 1:1(0) ack 1      | ABSOLUTE_RANGE | 1000000 | 2000000",
    })
    void times(String line, TimeType type, long start, long end) throws Exception {
        EventTime t = only(line).time();
        assertEquals(type, t.type());
        assertEquals(start, t.usecs());
        assertEquals(end, t.endUsecs());
    }

    @Test void rangesOnlyOnOutboundPackets() {
        ParseException e = assertThrows(ParseException.class, () -> parse("0 socket(..., SOCK_STREAM, 0) = 3\n+0~+1 < . 1:1(0) ack 1 win 5"));
        assertEquals(2, e.line());
    }

    @Test void blockingCallHasEndTime() throws Exception {
        Syscall c = (Syscall) only("+.1...0.200 read(4, ..., 2000) = 2000").action();
        assertTrue(c.blocking());
        assertEquals(200000, c.endUsecs());
        assertEquals(List.of(new Int(4, false), new Ellipsis(), new Int(2000, false)), c.args());
    }

    @Test void errnoAndStrerror() throws Exception {
        Syscall c = (Syscall) only("0 read(4, ..., 10) = -1 EAGAIN (Resource temporarily unavailable)").action();
        assertEquals(new Int(-1, false), c.result());
        assertEquals("EAGAIN", c.errno());
        assertEquals("Resource temporarily unavailable", c.strerror());
    }

    @Test void hexResultWithNote() throws Exception {
        Syscall c = (Syscall) only("0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)").action();
        assertEquals(new Int(2, true), c.result());
        assertEquals("flags O_RDWR", c.note());
    }

    @Test void tcpPacketFields() throws Exception {
        TcpPacket p = (TcpPacket) only("0 < [ect0] SEW 5:105(100) ack 9 win 32792 urg 3 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7,sack 1:1001 2001:3001,eol,FO abcd1234,FOEXP,md5 00ff>").action();
        assertEquals(Direction.INBOUND, p.direction());
        assertEquals(new IpInfo(TosCheck.ECN, 2, 0, 0), p.ip());
        assertEquals("SEW", p.flags());
        assertEquals(5, p.startSeq());
        assertEquals(100, p.payloadLen());
        assertEquals(9, p.ack());
        assertEquals(32792, p.window());
        assertEquals(3, p.urgPtr());
        assertEquals(10, p.options().size());
        assertEquals(new Mss(1000, null), p.options().get(0));
        assertEquals(new Timestamp(100, 0), p.options().get(2));
        Sack sack = (Sack) p.options().get(5);
        assertArrayEquals(new long[] {2001, 3001}, sack.blocks().get(1));
        assertEquals(new FastOpen("abcd1234", false), p.options().get(7));
        assertEquals(new FastOpen("", true), p.options().get(8));
    }

    @Test void flagsForms() throws Exception {
        assertEquals(".", ((TcpPacket) only("0 > . 1:1(0) ack 1").action()).flags());
        assertEquals("", ((TcpPacket) only("0 < - 1:1(0) win 5").action()).flags());
        assertEquals("F.", ((TcpPacket) only("0 > F. 1:1(0) ack 1").action()).flags());
        assertNull(((TcpPacket) only("0 > S 0:0(0) <...>").action()).options());
    }

    @Test void seqArithmeticChecked() {
        assertThrows(ParseException.class, () -> parse("0 < . 1:10(5) ack 1 win 5"));
    }

    @Test void icmpAndUdp() throws Exception {
        IcmpPacket i = (IcmpPacket) only("0 < icmp unreachable frag_needed mtu 1200 [1:1001(1000)]").action();
        assertEquals("frag_needed", i.code());
        assertEquals(1200, i.mtu());
        assertEquals(1, i.echoedSeq());
        assertEquals(1000, i.echoedLen());
        UdpPacket u = (UdpPacket) only("0 < udp (100)").action();
        assertEquals(100, u.payloadLen());
    }

    @Test void structs() throws Exception {
        Syscall c = (Syscall) only("0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0").action();
        assertEquals(new Sockaddr("AF_INET", 8080, "192.0.2.1"), c.args().get(1));
        Syscall p = (Syscall) only("0 poll([{fd=3, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1").action();
        Pollfd pf = (Pollfd) ((ListExpr) p.args().get(0)).items().get(0);
        assertEquals(new Word("POLLOUT"), pf.revents());
        Syscall l = (Syscall) only("0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0").action();
        assertEquals(new Linger(new Int(1, false), new Int(0, false)), l.args().get(3));
        Syscall e = (Syscall) only("0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = 0").action();
        assertEquals("ptr", ((EpollEvent) e.args().get(1)).dataKind());
    }

    @Test void msghdrWithControl() throws Exception {
        Script s = Parser.parse(Corpus.own("grammar.pkt"));
        Syscall c = s.events().stream().map(Event::action).filter(a -> a instanceof Syscall x && x.name().equals("recvmsg"))
                .map(Syscall.class::cast).findFirst().orElseThrow();
        Msghdr m = (Msghdr) c.args().get(1);
        assertEquals(1, m.iovlen());
        Cmsg cm = (Cmsg) ((ListExpr) m.control()).items().get(0);
        assertInstanceOf(ExtendedErr.class, cm.data());
    }

    @Test void codeAndCommands() throws Exception {
        Script s = parse("`sysctl -q a=1`\n0 `tc qdisc`\n+0 %{ assert 1 }%\n`cleanup`\n");
        assertEquals("sysctl -q a=1", s.init().text());
        assertEquals("cleanup", s.cleanup().text());
        assertInstanceOf(Code.class, s.events().get(1).action());
    }

    @Test void definesReplaceWords() throws Exception {
        Script s = Parser.parse("t.pkt", "0 < S 0:0(0) win 5 <FO TFO_COOKIE>", Map.of("TFO_COOKIE", "0011aabb"));
        assertEquals(new FastOpen("0011aabb", false), ((TcpPacket) s.events().get(0).action()).options().get(0));
    }

    @Test void errorsCarryLines() {
        ParseException e = assertThrows(ParseException.class, () -> parse("0 close(3) = 0\n\n+0 > Q 1:1(0)"));
        assertEquals(3, e.line());
    }
}
