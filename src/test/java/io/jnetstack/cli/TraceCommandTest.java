package io.jnetstack.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** `jns trace` shows each call's path under the kernel's names, in the order the kernel takes it. */
class TraceCommandTest {
    @Test void showsThePathOfEachCall() {
        CliRun r = CliRun.run("trace");
        assertEquals(0, r.exitCode, r.err);
        String out = r.out;
        String[] inOrder = {
            "socket(AF_INET, SOCK_STREAM, IPPROTO_IP)", "__sys_socket", "sock_create", "inet_create",
            "inetsw[SOCK_STREAM]", "sock_map_fd", "= 3",
            "bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16)", "inet_bind", "= 0",
            "listen(3, 8)", "LISTEN", "= 0",
            "connect(4,", "inet_stream_connect", "SYN_SENT", "[S]", "tcp_v4_rcv", "[S.]", "ESTABLISHED", "= 0",
            "accept(3,", "= 5",
            "send(4, \"hello, kernel\", 13, 0)", "[P.]", "= 13",
            "recv(5,", "= 13",
            "close(4)", "FIN_WAIT1", "[F.]", "= 0",
            "close(5)", "close(3)"};
        int at = 0;
        for (String s : inOrder) {
            int i = out.indexOf(s, at);
            assertTrue(i >= 0, "expected '" + s + "' after offset " + at + " in:\n" + out);
            at = i + s.length();
        }
        assertFalse(out.contains("EINTR"), out);
    }
}
