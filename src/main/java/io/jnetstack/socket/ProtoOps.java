package io.jnetstack.socket;

import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;

/**
 * struct proto_ops: the BSD socket calls as one address family implements them (inet_stream_ops,
 * inet_dgram_ops, unix_stream_ops...). Every method returns a non-negative result or -errno.
 *
 * <p>The syscall layer has already resolved the fd, copied the sockaddr in (move_addr_to_kernel:
 * {@code addr} is a kernel copy of exactly {@code addrlen} bytes, 0 ≤ addrlen ≤ 128) and turned the
 * file's O_NONBLOCK into MSG_DONTWAIT (send/recv) or {@code fileFlags} (connect/accept). Blocking
 * happens in here, on the sock's wait queue, as in the kernel.
 */
public interface ProtoOps {
    int family();

    /** close(): the last reference to the file is gone. */
    int release(Socket sock);

    int bind(Socket sock, byte[] addr, int addrlen);

    int connect(Socket sock, byte[] addr, int addrlen, int fileFlags);

    default int socketpair(Socket a, Socket b) { return -Errno.EOPNOTSUPP; }

    /** Fills {@code newSock} (allocated by the caller, type and ops copied) with an accepted connection. */
    default int accept(Socket sock, Socket newSock, int fileFlags) { return -Errno.EOPNOTSUPP; }

    /** Writes the local (or peer) address into {@code out} (128 bytes) and returns its length. */
    int getname(Socket sock, byte[] out, boolean peer);

    /** The new peer's name for accept (__sys_accept4's getname with peer = 2); a family may name more here. */
    default int getnameForAccept(Socket sock, byte[] out) { return getname(sock, out, true); }

    /** The poll mask now (POLLIN, POLLOUT, POLLERR, POLLHUP, POLLRDHUP...). */
    int poll(Socket sock);

    default int ioctl(Socket sock, long cmd, int[] arg) { return -Errno.ENOIOCTLCMD; }

    default int listen(Socket sock, int backlog) { return -Errno.EOPNOTSUPP; }

    int shutdown(Socket sock, int how);

    /** Options at levels other than SOL_SOCKET. */
    default int setsockopt(Socket sock, int level, int optname, byte[] optval, int optlen) {
        return -Errno.ENOPROTOOPT;
    }

    default int getsockopt(Socket sock, int level, int optname, byte[] optval, int[] optlen) {
        return -Errno.ENOPROTOOPT;
    }

    int sendmsg(Socket sock, MsgHdr msg, int flags);

    /**
     * Receives into {@code msg.iov}. {@code msg.name}, when not null, is a kernel buffer of
     * sockaddr_storage size: the protocol writes the whole source address there and sets
     * {@code msg.namelen} to its length (0 when it has none); the syscall layer then copies out as
     * much as the caller's buffer holds (move_addr_to_user).
     */
    int recvmsg(Socket sock, MsgHdr msg, int flags);

    /**
     * splice_read: up to {@code len} bytes of received data into {@code sink} (splice(2) from a
     * socket to a pipe). Returns the bytes moved, 0 at the end of the stream, or -errno. The
     * default goes through recvmsg, as copy_splice_read does for protocols without their own.
     */
    default int spliceRead(Socket sock, SpliceSink sink, int len, boolean nonBlocking) {
        int n = Math.min(len, sink.space());
        if (n <= 0) return 0;
        byte[] buf = new byte[n];
        int r = recvmsg(sock, MsgHdr.of(buf, n), nonBlocking ? io.jnetstack.uapi.Net.MSG_DONTWAIT : 0);
        if (r > 0) sink.put(buf, 0, r);
        return r;
    }
}
