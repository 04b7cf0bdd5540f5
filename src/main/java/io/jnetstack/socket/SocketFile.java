package io.jnetstack.socket;

import io.jnetstack.syscall.File;
import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.Net;

/**
 * The file behind a socket descriptor (socket_file_ops, made by sock_alloc_file). poll, ioctl and
 * release go to the family's {@link ProtoOps}; the wait queue is the sock's, so poll, epoll and
 * blocked callers all hear the protocol's wake-ups. O_NONBLOCK lives in {@link #flags}.
 */
public final class SocketFile extends File {
    public final Socket sock;

    public SocketFile(Socket sock, int openFlags) {
        super(Fcntl.O_RDWR | (openFlags & Fcntl.O_NONBLOCK));
        this.sock = sock;
        sock.file = this;
        sock.stack.openFiles++;
    }

    @Override public int poll() { return sock.ops.poll(sock); }

    @Override public WaitQueue waitQueue() { return sock.sk.wq; }

    /** sock_close → sock_release: the family's release, then the file no longer counts against fs.file-max. */
    @Override protected void release() {
        sock.stack.openFiles--;
        if (sock.ops != null) sock.ops.release(sock);
        sock.file = null;
    }

    /** sock_ioctl's fallback: the family's ioctl; ENOIOCTLCMD becomes ENOTTY as in sock_do_ioctl. */
    @Override public int ioctl(long request, int[] arg) {
        int r = sock.ops.ioctl(sock, request, arg);
        return r == -Errno.ENOIOCTLCMD ? -Errno.ENOTTY : r;
    }

    @Override public String describe() {
        return "socket:[" + Net.afName(sock.ops == null ? -1 : sock.ops.family()) + " " + Net.typeName(sock.type) + "]";
    }
}
