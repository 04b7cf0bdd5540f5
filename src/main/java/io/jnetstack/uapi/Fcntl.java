package io.jnetstack.uapi;

/** fcntl(2) and ioctl(2) numbers that sockets answer (asm-generic/fcntl.h, asm-generic/ioctls.h, sockios.h). */
public final class Fcntl {
    private Fcntl() {}

    public static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4,
            F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_APPEND = 0x400, O_NONBLOCK = 0x800,
            O_ASYNC = 0x2000, O_DIRECT = 0x4000, O_NOATIME = 0x40000, O_CLOEXEC = 0x80000;

    public static final long FIONREAD = 0x541B, FIONBIO = 0x5421, TIOCOUTQ = 0x5411, SIOCINQ = FIONREAD,
            SIOCOUTQ = TIOCOUTQ, SIOCOUTQNSD = 0x894B, SIOCATMARK = 0x8905, SIOCGSTAMP = 0x8906;
    /** Generic file ioctls answered by the VFS for every file (do_vfs_ioctl). */
    public static final long FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452;
}
