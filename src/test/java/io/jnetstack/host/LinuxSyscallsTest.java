package io.jnetstack.host;

import static io.jnetstack.uapi.Errno.*;
import static io.jnetstack.uapi.Net.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.syscall.PollFd;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Poll;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host kernel through the FFM binding: errno mapping, NULL and short-memory (EFAULT)
 * modelling, value-result copies, and the private namespace of a {@link HostThread}. Needs root;
 * fails (never skips) when the namespace cannot be made.
 */
class LinuxSyscallsTest {
    static HostThread host;
    static Syscalls sys;

    @BeforeAll
    static void up() throws Exception {
        try {
            host = HostThread.start("linux-syscalls-test");
        } catch (HostThread.HostSetupException e) {
            fail("cannot create a private network namespace (these tests need root): " + e.getMessage());
        }
        sys = host.syscalls(10_000);
    }

    @AfterAll
    static void down() { if (host != null) host.close(); }

    static byte[] sin(int a, int b, int c, int d, int port) {
        ByteBuffer bb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        bb.putShort((short) AF_INET);
        bb.order(ByteOrder.BIG_ENDIAN).putShort((short) port).put((byte) a).put((byte) b).put((byte) c).put((byte) d);
        return bb.array();
    }

    @Test
    void errnoIsMappedToNegativeValues() {
        assertEquals(-EAFNOSUPPORT, sys.socket(-1, SOCK_STREAM, 0));
        assertEquals(-EINVAL, sys.socket(AF_INET, SOCK_STREAM | 0x100, 0));
        assertEquals(-EBADF, sys.close(-1));
        assertEquals(-EBADF, sys.listen(99999, 1));
        int fd = sys.socket(AF_INET, SOCK_STREAM, 0);
        assertTrue(fd >= 0, "socket = " + fd);
        assertEquals(-EINVAL, sys.bind(fd, sin(127, 0, 0, 1, 0), 15));
        assertEquals(0, sys.close(fd));
        assertEquals(-EBADF, sys.close(fd));
    }

    @Test
    void nullAndShortMemoryFault() {
        int fd = sys.socket(AF_INET, SOCK_DGRAM, 0);
        try {
            assertEquals(-EFAULT, sys.bind(fd, null, 16));
            assertEquals(-EFAULT, sys.bind(fd, Arrays.copyOf(sin(127, 0, 0, 1, 0), 8), 16));
            assertEquals(0, sys.bind(fd, sin(127, 0, 0, 1, 0), 16));
            // getsockname into a 4-byte buffer told to be 16: the kernel's copy-out faults.
            assertEquals(-EFAULT, sys.getsockname(fd, new byte[4], new int[] {16}));
            assertEquals(-EFAULT, sys.getsockname(fd, new byte[16], null));
            assertEquals(-EFAULT, sys.getsockname(fd, new byte[16], new int[0]));
            byte[] name = new byte[16];
            int[] len = {16};
            assertEquals(0, sys.getsockname(fd, name, len));
            assertEquals(16, len[0]);
            int port = ((name[2] & 0xff) << 8) | (name[3] & 0xff);
            assertTrue(port >= 32768 && port <= 60999, "ephemeral port " + port);
            assertEquals(-EFAULT, sys.socketpair(AF_UNIX, SOCK_STREAM, 0, null));
            assertEquals(-EFAULT, sys.socketpair(AF_UNIX, SOCK_STREAM, 0, new int[1]));
            assertEquals(-EFAULT, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, null, new int[] {4}));
            byte[] v = new byte[4];
            int[] vl = {4};
            assertEquals(0, sys.getsockopt(fd, SOL_SOCKET, SO_TYPE, v, vl));
            assertEquals(SOCK_DGRAM, v[0]);
            assertEquals(-EFAULT, sys.ioctl(fd, Fcntl.FIONREAD, null));
            // Data sent to ourselves, then received into a buffer shorter than the length given.
            byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
            assertEquals(5, sys.sendto(fd, msg, 5, 0, name, 16));
            int[] avail = {0};
            assertEquals(0, sys.ioctl(fd, Fcntl.FIONREAD, avail));
            assertEquals(5, avail[0]);
            assertEquals(-EFAULT, sys.recv(fd, new byte[2], 5, MSG_PEEK));
            byte[] got = new byte[8];
            MsgHdr mh = MsgHdr.of(got, 8);
            mh.name = new byte[16];
            mh.namelen = 16;
            assertEquals(5, sys.recvmsg(fd, mh, 0));
            assertEquals("hello", new String(got, 0, 5, StandardCharsets.US_ASCII));
            assertEquals(16, mh.namelen);
            assertArrayEquals(name, mh.name);
            PollFd[] pfd = {new PollFd(fd, Poll.POLLIN | Poll.POLLOUT)};
            assertEquals(1, sys.poll(pfd, 1, 0));
            assertEquals(Poll.POLLOUT, pfd[0].revents);
            assertEquals(-EFAULT, sys.poll(pfd, 2, 0));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void unprivilegedInPrivateNamespace() throws Exception {
        int fd = sys.socket(AF_INET, SOCK_STREAM, 0);
        try {
            assertEquals(-EACCES, sys.bind(fd, sin(127, 0, 0, 1, 80), 16), "port 80 without CAP_NET_BIND_SERVICE");
            assertEquals(-EADDRNOTAVAIL, sys.bind(fd, sin(10, 9, 8, 7, 5000), 16));
            assertEquals(0, sys.bind(fd, sin(127, 0, 0, 1, 5000), 16));
        } finally {
            sys.close(fd);
        }
        assertEquals(-EPERM, sys.socket(AF_INET, SOCK_RAW, 1));
        long[] caps = host.call(() -> host.raw().capabilities(), 5000);
        assertEquals(0, caps[0], "no effective capabilities while cases run");
        // The namespace's own sysctl, written from its thread, is not the host's.
        String hostValue = new LinuxSyscalls().readSysctl("net.ipv4.ip_unprivileged_port_start");
        host.privileged(1L << HostThread.CAP_NET_ADMIN | 1L << HostThread.CAP_DAC_OVERRIDE, () -> {
            host.raw().writeSysctl("net.ipv4.ip_unprivileged_port_start", "79");
            return null;
        });
        assertEquals("79", host.call(() -> host.raw().readSysctl("net.ipv4.ip_unprivileged_port_start"), 5000));
        assertEquals(hostValue, new LinuxSyscalls().readSysctl("net.ipv4.ip_unprivileged_port_start"));
        fd = sys.socket(AF_INET, SOCK_STREAM, 0);
        try {
            assertEquals(0, sys.bind(fd, sin(127, 0, 0, 1, 80), 16));
        } finally {
            sys.close(fd);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) host.freshNamespace();
        System.out.printf("fresh netns: %.2f ms each%n", (System.nanoTime() - t0) / 20 / 1e6);
        fd = sys.socket(AF_INET, SOCK_STREAM, 0);
        try {
            assertEquals(-EACCES, sys.bind(fd, sin(127, 0, 0, 1, 80), 16), "fresh namespace has default sysctls");
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void rlimitIsRestored() throws Exception {
        LinuxSyscalls raw = host.raw();
        long[] before = host.call(raw::getRlimitNofile, 5000);
        assertEquals(0, sys.setRlimitNofile(4096));
        assertEquals(4096, host.call(raw::getRlimitNofile, 5000)[0]);
        assertEquals(0, (int) host.call(raw::restoreRlimitNofile, 5000));
        assertArrayEquals(before, host.call(raw::getRlimitNofile, 5000));
    }
}
