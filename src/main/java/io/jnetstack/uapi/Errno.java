package io.jnetstack.uapi;

/**
 * Linux errno values (include/uapi/asm-generic/errno-base.h and errno.h, x86-64).
 *
 * <p>Every system call in jnetstack returns a non-negative result or {@code -errno}, exactly as the
 * kernel's own sys_* entry points do before libc folds the value into {@code errno}.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
            EBUSY = 16, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23,
            EMFILE = 24, ENOTTY = 25, ENOSPC = 28, ESPIPE = 29, EPIPE = 32, EDOM = 33, ERANGE = 34, ENAMETOOLONG = 36,
            ENOSYS = 38, ELOOP = 40, ENOMSG = 42, ENODATA = 61, EPROTO = 71, EOVERFLOW = 75, EBADFD = 77,
            ENOTSOCK = 88, EDESTADDRREQ = 89, EMSGSIZE = 90, EPROTOTYPE = 91, ENOPROTOOPT = 92,
            EPROTONOSUPPORT = 93, ESOCKTNOSUPPORT = 94, EOPNOTSUPP = 95, EPFNOSUPPORT = 96,
            EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100, ENETUNREACH = 101,
            ENETRESET = 102, ECONNABORTED = 103, ECONNRESET = 104, ENOBUFS = 105, EISCONN = 106,
            ENOTCONN = 107, ESHUTDOWN = 108, ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTDOWN = 112,
            EHOSTUNREACH = 113, EALREADY = 114, EINPROGRESS = 115;
    public static final int EWOULDBLOCK = EAGAIN, ENOTSUP = EOPNOTSUPP;
    /**
     * Kernel-internal: "this layer has no such ioctl, ask the next" (never reaches user space; the
     * syscall layer turns it into ENOTTY, as sock_ioctl does).
     */
    public static final int ENOIOCTLCMD = 515;

    private static final String[] NAMES = new String[134];
    private static final String[] TEXT = new String[134];

    private static void def(int n, String name, String text) { NAMES[n] = name; TEXT[n] = text; }

    static {
        def(EPERM, "EPERM", "Operation not permitted");
        def(ENOENT, "ENOENT", "No such file or directory");
        def(ESRCH, "ESRCH", "No such process");
        def(EINTR, "EINTR", "Interrupted system call");
        def(EIO, "EIO", "Input/output error");
        def(ENXIO, "ENXIO", "No such device or address");
        def(E2BIG, "E2BIG", "Argument list too long");
        def(ENOEXEC, "ENOEXEC", "Exec format error");
        def(EBADF, "EBADF", "Bad file descriptor");
        def(ECHILD, "ECHILD", "No child processes");
        def(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        def(ENOMEM, "ENOMEM", "Cannot allocate memory");
        def(EACCES, "EACCES", "Permission denied");
        def(EFAULT, "EFAULT", "Bad address");
        def(EBUSY, "EBUSY", "Device or resource busy");
        def(EEXIST, "EEXIST", "File exists");
        def(ENODEV, "ENODEV", "No such device");
        def(ENOTDIR, "ENOTDIR", "Not a directory");
        def(EISDIR, "EISDIR", "Is a directory");
        def(EINVAL, "EINVAL", "Invalid argument");
        def(ENFILE, "ENFILE", "Too many open files in system");
        def(EMFILE, "EMFILE", "Too many open files");
        def(ENOTTY, "ENOTTY", "Inappropriate ioctl for device");
        def(ENOSPC, "ENOSPC", "No space left on device");
        def(ESPIPE, "ESPIPE", "Illegal seek");
        def(EPIPE, "EPIPE", "Broken pipe");
        def(EDOM, "EDOM", "Numerical argument out of domain");
        def(ERANGE, "ERANGE", "Numerical result out of range");
        def(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        def(ENOSYS, "ENOSYS", "Function not implemented");
        def(ELOOP, "ELOOP", "Too many levels of symbolic links");
        def(ENOMSG, "ENOMSG", "No message of desired type");
        def(ENODATA, "ENODATA", "No data available");
        def(EPROTO, "EPROTO", "Protocol error");
        def(EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
        def(EBADFD, "EBADFD", "File descriptor in bad state");
        def(ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
        def(EDESTADDRREQ, "EDESTADDRREQ", "Destination address required");
        def(EMSGSIZE, "EMSGSIZE", "Message too long");
        def(EPROTOTYPE, "EPROTOTYPE", "Protocol wrong type for socket");
        def(ENOPROTOOPT, "ENOPROTOOPT", "Protocol not available");
        def(EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported");
        def(ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT", "Socket type not supported");
        def(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        def(EPFNOSUPPORT, "EPFNOSUPPORT", "Protocol family not supported");
        def(EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol");
        def(EADDRINUSE, "EADDRINUSE", "Address already in use");
        def(EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address");
        def(ENETDOWN, "ENETDOWN", "Network is down");
        def(ENETUNREACH, "ENETUNREACH", "Network is unreachable");
        def(ENETRESET, "ENETRESET", "Network dropped connection on reset");
        def(ECONNABORTED, "ECONNABORTED", "Software caused connection abort");
        def(ECONNRESET, "ECONNRESET", "Connection reset by peer");
        def(ENOBUFS, "ENOBUFS", "No buffer space available");
        def(EISCONN, "EISCONN", "Transport endpoint is already connected");
        def(ENOTCONN, "ENOTCONN", "Transport endpoint is not connected");
        def(ESHUTDOWN, "ESHUTDOWN", "Cannot send after transport endpoint shutdown");
        def(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        def(ECONNREFUSED, "ECONNREFUSED", "Connection refused");
        def(EHOSTDOWN, "EHOSTDOWN", "Host is down");
        def(EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
        def(EALREADY, "EALREADY", "Operation already in progress");
        def(EINPROGRESS, "EINPROGRESS", "Operation now in progress");
    }

    /** Symbolic name, e.g. {@code EINVAL}; accepts positive or negative values. */
    public static String name(int errno) {
        int e = Math.abs(errno);
        String n = e < NAMES.length ? NAMES[e] : null;
        return n != null ? n : "E" + e;
    }

    /** strerror(3) text, as glibc prints it. */
    public static String message(int errno) {
        int e = Math.abs(errno);
        String t = e < TEXT.length ? TEXT[e] : null;
        return t != null ? t : "Unknown error " + e;
    }

    /** Looks a symbolic name up, e.g. "EAGAIN" → 11; -1 when unknown. */
    public static int byName(String name) {
        if ("EWOULDBLOCK".equals(name)) return EAGAIN;
        if ("ENOTSUP".equals(name)) return EOPNOTSUPP;
        for (int i = 0; i < NAMES.length; i++) if (name.equals(NAMES[i])) return i;
        return -1;
    }

    /** "= 3" for success, "= -1 EINVAL (Invalid argument)" for failure: strace's and packetdrill's form. */
    public static String describe(long ret) {
        if (ret >= 0) return Long.toString(ret);
        int e = (int) -ret;
        return "-1 " + name(e) + " (" + message(e) + ")";
    }
}
