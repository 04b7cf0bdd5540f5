package io.jnetstack.syscall;

/**
 * The socket system calls, with the kernel's calling convention: a non-negative result, or
 * {@code -errno} (see {@link io.jnetstack.uapi.Errno}). Two implementations exist and must agree
 * call for call: jnetstack's own ({@link SocketCalls}) and the host kernel's, reached through the
 * JDK's foreign-function API (used by the differential tests).
 *
 * <h2>How user memory is modelled</h2>
 * A {@code null} array stands for a NULL pointer; an array shorter than the length the call is
 * told stands for memory that ends early, and gets EFAULT where Linux would fault. Value-result
 * lengths ({@code socklen_t *}) are one-element {@code int[]}; {@code null} is a NULL pointer.
 * Sockaddrs are the raw bytes of sockaddr_in (16), sockaddr_in6 (28) or sockaddr_un (110), in
 * network byte order where Linux has it, host (little-endian) order for sa_family.
 */
public interface Syscalls {
    int socket(int domain, int type, int protocol);

    /** {@code sv} receives the two descriptors; a null or short {@code sv} is EFAULT. */
    int socketpair(int domain, int type, int protocol, int[] sv);

    int bind(int fd, byte[] addr, int addrlen);

    int listen(int fd, int backlog);

    int accept(int fd, byte[] addr, int[] addrlen);

    int accept4(int fd, byte[] addr, int[] addrlen, int flags);

    int connect(int fd, byte[] addr, int addrlen);

    int getsockname(int fd, byte[] addr, int[] addrlen);

    int getpeername(int fd, byte[] addr, int[] addrlen);

    /** Sends {@code len} bytes of {@code buf} starting at offset 0. */
    int send(int fd, byte[] buf, int len, int flags);

    int sendto(int fd, byte[] buf, int len, int flags, byte[] addr, int addrlen);

    int recv(int fd, byte[] buf, int len, int flags);

    int recvfrom(int fd, byte[] buf, int len, int flags, byte[] addr, int[] addrlen);

    int sendmsg(int fd, MsgHdr msg, int flags);

    int recvmsg(int fd, MsgHdr msg, int flags);

    int sendmmsg(int fd, MMsgHdr[] msgvec, int vlen, int flags);

    /** {@code timeoutNs} < 0 means a NULL timeout pointer (block as the flags say). */
    int recvmmsg(int fd, MMsgHdr[] msgvec, int vlen, int flags, long timeoutNs);

    int shutdown(int fd, int how);

    int setsockopt(int fd, int level, int optname, byte[] optval, int optlen);

    int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen);

    int close(int fd);

    int fcntl(int fd, int cmd, int arg);

    /**
     * ioctl with an {@code int *} argument: FIONREAD/SIOCOUTQ write {@code arg[0]}, FIONBIO reads
     * it. A null {@code arg} is a NULL pointer (EFAULT).
     */
    int ioctl(int fd, long request, int[] arg);

    int poll(PollFd[] fds, int nfds, int timeoutMs);

    int epollCreate1(int flags);

    int epollCtl(int epfd, int op, int fd, EpollEvent event);

    int epollWait(int epfd, EpollEvent[] events, int maxevents, int timeoutMs);

    /** The process's fd limit (RLIMIT_NOFILE soft limit); returns 0 or -errno. */
    /** pipe2(2): {@code fds} gets {read end, write end}; flags O_CLOEXEC, O_NONBLOCK. */
    int pipe2(int[] fds, int flags);

    /** read(2) on any descriptor: a socket (as recv with no flags) or a pipe. */
    int read(int fd, byte[] buf, int len);

    /** write(2) on any descriptor: a socket (as send with no flags) or a pipe. */
    int write(int fd, byte[] buf, int len);

    /**
     * splice(2) between a pipe and a socket (or two pipes): {@code offIn}/{@code offOut} are the
     * loff_t pointers (null for NULL); flags SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE.
     */
    int splice(int fdIn, long[] offIn, int fdOut, long[] offOut, int len, int flags);

    /** open(2) of a regular file of the host (the JVM's file system): O_RDONLY/O_WRONLY/O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_CLOEXEC. */
    int open(String path, int flags, int mode);

    /** sendfile(2): up to {@code count} bytes of the file {@code inFd} to {@code outFd}; {@code offset} null for NULL. */
    int sendfile(int outFd, int inFd, long[] offset, int count);

    int setRlimitNofile(int limit);
}
