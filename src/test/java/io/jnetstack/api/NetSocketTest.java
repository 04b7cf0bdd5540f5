package io.jnetstack.api;

import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.syscall.SysFixture;
import io.jnetstack.uapi.Errno;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NetSocketTest extends SysFixture {
    @Test void errnoExceptionMessage() {
        ErrnoException e = new ErrnoException("connect", Errno.ECONNREFUSED);
        assertEquals("connect: Connection refused (ECONNREFUSED)", e.getMessage());
        assertEquals(Errno.ECONNREFUSED, e.errno());
        assertEquals("connect", e.syscall());
    }

    @Test void unixRoundTrip() throws Exception {
        NetSocket srv = NetSocket.unixStream(sys);
        srv.bind(SockAddrs.unix("@api"));
        srv.listen(4);
        NetSocket cli = NetSocket.unixStream(sys);
        cli.connect(SockAddrs.unix("@api"));
        NetSocket acc = srv.accept();
        cli.write("hello".getBytes());
        cli.shutdownOutput();
        ByteBuffer bb = ByteBuffer.allocate(16);
        assertEquals(5, acc.read(bb));
        assertEquals(-1, acc.read(bb));
        acc.setOption(NetSocket.Option.SO_RCVBUF, 4096);
        assertEquals(8192, acc.getOption(NetSocket.Option.SO_RCVBUF));
        ErrnoException ex = assertThrows(ErrnoException.class, () -> NetSocket.unixStream(sys).connect(SockAddrs.unix("@none")));
        assertEquals(Errno.ECONNREFUSED, ex.errno());
        ErrnoException tcp = assertThrows(ErrnoException.class, () -> NetSocket.tcp(sys));
        assertEquals("socket: Address family not supported by protocol (EAFNOSUPPORT)", tcp.getMessage());
        acc.close();
        acc.close();
    }

    @Test void addressConversions() {
        byte[] a = SockAddrs.of(new InetSocketAddress("127.0.0.1", 8080));
        assertEquals(16, a.length);
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), SockAddrs.toInet(a, 16));
        byte[] b = SockAddrs.of(new InetSocketAddress("::1", 80));
        assertEquals(28, b.length);
        assertEquals(AF_INET6, b[0]);
        assertEquals(new InetSocketAddress("::1", 80), SockAddrs.toInet(b, 28));
        assertEquals(2 + 4 + 1, SockAddrs.unix("/a/b").length);
        assertEquals(2 + 1 + 3, SockAddrs.unix("@abc").length);
    }
}
