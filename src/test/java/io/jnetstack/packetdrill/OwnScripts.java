package io.jnetstack.packetdrill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runner's own test scripts, written for jnetstack (the corpus scripts are GPL-2.0 data that the
 * tests read from ../shared and never copy). They are kept here as text and written to a temporary
 * folder once per test run, laid out as the tests expect (including a kernel-selftests-style folder
 * with its own defaults.sh).
 */
final class OwnScripts {
    private OwnScripts() {}

    private static final Map<String, String> SCRIPTS = new LinkedHashMap<>();
    private static Path dir;

    static {
        SCRIPTS.put("blocking-read.pkt", """
                // A blocking read on an accepted connection wakes when the peer's first bytes arrive 250 ms
                // later; a non-blocking read after it finds the queue empty. Written for jnetstack's runner tests.
                `sysctl -q net.ipv4.tcp_timestamps=0`
                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 bind(3, ..., ...) = 0
                   +0 listen(3, 5) = 0
                   +0 < S 0:0(0) win 20000 <mss 1200,nop,wscale 6>
                   +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>
                 +.05 < . 1:1(0) ack 1 win 400
                   +0 accept(3, ..., ...) = 4
                   +0...0.250 read(4, ..., 4096) = 700
                 +.25 < P. 1:701(700) ack 1 win 400
                   +0 > . 1:1(0) ack 701
                   +0 recv(4, ..., 4096, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)
                """);
        SCRIPTS.put("grammar.pkt", """
                // Every grammar element the runner's parser must know, in one script (not meant to run).
                --tolerance_usecs=7000
                --tcp_ts_ecr_scaled // a bare option
                /* a block
                   comment */
                `../common/defaults.sh
                sysctl -q net.ipv4.tcp_ecn=2    # trailing shell comment
                `
                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                   +0 fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)
                   +0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}, 16) = -1 EINPROGRESS (Operation now in progress)
                   +0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
                +.01~+.04 > [ect0] SEW 0:0(0) ack 1 win 5792 <mss 1000,sackOK,nop,nop,sack 1:1001 2001:3001,eol,FO abcd1234,nop,nop>
                    * > [tos 0x2] . 1:1(0) ack 1 <...>
                 0.100 < - 1:1001(1000) win 20000 urg 5
                +.0...0.300 read(3, ..., 2000) = 2000
                   +0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
                   +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
                   +0 recvmsg(3, {msg_name(...)=..., msg_iov(1)=[{..., 1000}], msg_flags=MSG_ERRQUEUE,
                                  msg_control=[{cmsg_level=SOL_IP, cmsg_type=IP_RECVERR,
                                                cmsg_data={ee_errno=0, ee_origin=SO_EE_ORIGIN_ZEROCOPY, ee_type=0,
                                                           ee_code=SO_EE_CODE_ZEROCOPY_COPIED, ee_info=0, ee_data=1}}]}, MSG_ERRQUEUE) = 0
                   +0 poll([{fd=3, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1
                   +0 epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, fd=3}) = 0
                   +0 ioctl(3, FIONREAD, [1000]) = 0
                   +0 write(3, "abc" "def", 6) = 6
                   +0 < icmp unreachable frag_needed mtu 1200 [1:1001(1000)]
                   +0 < udp (100)
                1.5 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%
                   +0 `sysctl -q net.ipv4.tcp_sack=1`
                """);
        SCRIPTS.put("mismatch-ack.pkt", """
                // Passive open, data both ways, close from the application. Written for the runner's own tests.
                --tolerance_usecs=10000

                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                   +0 bind(3, ..., ...) = 0
                   +0 listen(3, 1) = 0

                  +.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                   +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>
                  +.1 < . 1:1(0) ack 1 win 257
                   +0 accept(3, ..., ...) = 4

                   +0 write(4, ..., 1000) = 1000
                   +0 > P. 1:1001(1000) ack 7
                  +.1 < . 1:1(0) ack 1001 win 257

                   +0 < P. 1:101(100) ack 1001 win 257
                   +0 > . 1001:1001(0) ack 101
                   +0 read(4, ..., 1000) = 100

                   +0 close(4) = 0
                   +0 > F. 1001:1001(0) ack 101
                  +.1 < F. 101:101(0) ack 1002 win 257
                   +0 > . 1002:1002(0) ack 102
                """);
        SCRIPTS.put("psp-skip.pkt", """
                // PSP is outside TCP/IP: the runner skips it.
                --psp_udp_port=1000
                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        SCRIPTS.put("python-tcpinfo.pkt", """
                // TCP_INFO in %{ }% code after a passive open. Written for the runner's own tests.
                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                   +0 bind(3, ..., ...) = 0
                   +0 listen(3, 1) = 0
                  +.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                   +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>
                  +.1 < . 1:1(0) ack 1 win 257
                   +0 accept(3, ..., ...) = 4
                   +0 %{
                assert tcpi_state == TCP_ESTABLISHED, tcpi_state
                assert tcpi_snd_mss == 1000, tcpi_snd_mss
                }%
                   +0 %{ assert tcpi_ca_state == TCP_CA_Loss, 'ca_state=%d' % tcpi_ca_state }%
                """);
        SCRIPTS.put("selftests/broken/defaults.sh", """
                #!/bin/bash
                # A baseline naming a sysctl no Linux has: the script that runs it must fail, naming it.
                sysctl -q net.ipv4.tcp_rmem="4096 32768 1048576"
                sysctl -q net.ipv4.tcp_no_such_knob=1
                """);
        SCRIPTS.put("selftests/broken/unknown-sysctl.pkt", """
                // Runs this folder's defaults.sh, which sets a sysctl that does not exist.
                `./defaults.sh`

                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        SCRIPTS.put("selftests/buffer-sysctls.pkt", """
                // tcp_rmem and tcp_wmem from this folder's defaults.sh, then narrowed by the script's own sysctl
                // line, decide the buffer sizes a new socket reports and the window its SYN-ACK offers.
                --mss=1000

                `./defaults.sh
                sysctl -q net.ipv4.tcp_rmem="4096 8192 65536"`

                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [8192], [4]) = 0
                   +0 getsockopt(3, SOL_SOCKET, SO_SNDBUF, [32768], [4]) = 0
                   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                   +0 bind(3, ..., ...) = 0
                   +0 listen(3, 1) = 0

                   +0 < S 0:0(0) win 65535 <mss 1000,sackOK,nop,nop,nop,wscale 7>
                // 8192 bytes of buffer offer 4096 of window, rounded down to whole segments (2 * 1460); the
                // scale comes from net.core.rmem_max (212992) now that tcp_rmem's maximum is below it.
                   +0 > S. 0:0(0) ack 1 win 2920 <mss 1460,nop,nop,sackOK,nop,wscale 2>
                  +.1 < . 1:1(0) ack 1 win 257
                   +0 accept(3, ..., ...) = 4
                """);
        SCRIPTS.put("selftests/defaults.sh", """
                #!/bin/bash
                # The baseline every script in this folder starts from (the runner's own fixture, laid out as the
                # kernel's selftests are: scripts run `./defaults.sh` from their own folder, then add their lines).

                # No cached metrics from an earlier script.
                ip tcp_metrics flush all > /dev/null 2>&1

                # Small buffers, so the windows the scripts check stay short numbers.
                sysctl -q net.ipv4.tcp_rmem="4096 32768 $((1024*1024))"
                sysctl -q net.ipv4.tcp_wmem="4096 32768 $((1024*1024))"

                # Plain segments: no timestamps to map, SACK allowed.
                sysctl -q net.ipv4.tcp_timestamps=0
                sysctl -q net.ipv4.tcp_sack=1
                """);
        SCRIPTS.put("selftests/handshake-write-close.pkt", """
                // Passive open, a write, the peer's data, close: the runner's fixture in the kernel selftests'
                // layout (option line, then `./defaults.sh` from this folder).
                --mss=1000

                `./defaults.sh`

                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                   +0 bind(3, ..., ...) = 0
                   +0 listen(3, 1) = 0

                   +0 < S 0:0(0) win 65535 <mss 1000,sackOK,nop,nop,nop,wscale 7>
                // tcp_rmem from defaults.sh: 32768 bytes of buffer offer half as window, whole segments
                // (11 * 1460); its 1 MB maximum asks for window scale 5.
                   +0 > S. 0:0(0) ack 1 win 16060 <mss 1460,nop,nop,sackOK,nop,wscale 5>
                  +.1 < . 1:1(0) ack 1 win 257
                   +0 accept(3, ..., ...) = 4

                   +0 write(4, ..., 2000) = 2000
                   +0 > . 1:1001(1000) ack 1
                   +0 > P. 1001:2001(1000) ack 1
                 +.05 < . 1:1(0) ack 2001 win 257

                   +0 < P. 1:201(200) ack 2001 win 257
                   +0 > . 2001:2001(0) ack 201
                   +0 read(4, ..., 1000) = 200

                   +0 close(4) = 0
                   +0 > F. 2001:2001(0) ack 201
                 +.05 < F. 201:201(0) ack 2002 win 257
                   +0 > . 2002:2002(0) ack 202
                """);
        SCRIPTS.put("server-handshake-data-close.pkt", """
                // Passive open, data both ways, close from the application. Written for the runner's own tests.
                --tolerance_usecs=10000

                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                   +0 bind(3, ..., ...) = 0
                   +0 listen(3, 1) = 0

                  +.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                   +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>
                  +.1 < . 1:1(0) ack 1 win 257
                   +0 accept(3, ..., ...) = 4

                   +0 write(4, ..., 1000) = 1000
                   +0 > P. 1:1001(1000) ack 1
                  +.1 < . 1:1(0) ack 1001 win 257

                   +0 < P. 1:101(100) ack 1001 win 257
                   +0 > . 1001:1001(0) ack 101
                   +0 read(4, ..., 1000) = 100

                   +0 close(4) = 0
                   +0 > F. 1001:1001(0) ack 101
                  +.1 < F. 101:101(0) ack 1002 win 257
                   +0 > . 1002:1002(0) ack 102
                """);
        SCRIPTS.put("unknown-shell.pkt", """
                // A shell command the runner cannot do must fail the script clearly.
                `ss -tin > /dev/null`
                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
    }

    /** The script (or folder) of that relative name, written out on first use. */
    static synchronized Path path(String name) {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("jns-own-pkt");
                for (var e : SCRIPTS.entrySet()) {
                    Path f = d.resolve(e.getKey());
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, e.getValue());
                }
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir.resolve(name);
    }
}
