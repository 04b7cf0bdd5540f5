package io.jnetstack.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jnetstack.os.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles into the host's libc. Every handle captures errno (the first argument of each
 * handle is the capture-state segment), so the value read back is the one this call set, not one
 * a later JVM-internal call overwrote.
 */
final class Libc {
    private Libc() {}

    static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... extra) {
        return Native.errnoCall(name, fd, extra);
    }

    static MemorySegment state(Arena a) { return Native.errnoState(a); }

    static int errno(MemorySegment state) { return Native.errno(state); }

    private static FunctionDescriptor i(java.lang.foreign.MemoryLayout... args) {
        return FunctionDescriptor.of(JAVA_INT, args);
    }

    private static FunctionDescriptor l(java.lang.foreign.MemoryLayout... args) {
        return FunctionDescriptor.of(JAVA_LONG, args);
    }

    static final MethodHandle SOCKET = fn("socket", i(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle SOCKETPAIR = fn("socketpair", i(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle BIND = fn("bind", i(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle LISTEN = fn("listen", i(JAVA_INT, JAVA_INT));
    static final MethodHandle ACCEPT = fn("accept", i(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle ACCEPT4 = fn("accept4", i(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle CONNECT = fn("connect", i(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle GETSOCKNAME = fn("getsockname", i(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle GETPEERNAME = fn("getpeername", i(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SENDTO =
            fn("sendto", l(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle OPEN = fn("open", i(ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    static final MethodHandle SENDFILE = fn("sendfile", l(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle PIPE2 = fn("pipe2", i(ADDRESS, JAVA_INT));
    static final MethodHandle READ = fn("read", l(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle WRITE = fn("write", l(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle SPLICE = fn("splice", l(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    static final MethodHandle RECVFROM =
            fn("recvfrom", l(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle SENDMSG = fn("sendmsg", l(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle RECVMSG = fn("recvmsg", l(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle SENDMMSG = fn("sendmmsg", i(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    static final MethodHandle RECVMMSG = fn("recvmmsg", i(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle SHUTDOWN = fn("shutdown", i(JAVA_INT, JAVA_INT));
    static final MethodHandle SETSOCKOPT = fn("setsockopt", i(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle GETSOCKOPT = fn("getsockopt", i(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CLOSE = fn("close", i(JAVA_INT));
    static final MethodHandle FCNTL = fn("fcntl", i(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    static final MethodHandle IOCTL = fn("ioctl", i(JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    static final MethodHandle POLL = fn("poll", i(ADDRESS, JAVA_LONG, JAVA_INT));
    static final MethodHandle EPOLL_CREATE1 = fn("epoll_create1", i(JAVA_INT));
    static final MethodHandle EPOLL_CTL = fn("epoll_ctl", i(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle EPOLL_WAIT = fn("epoll_wait", i(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    static final MethodHandle GETRLIMIT = fn("getrlimit", i(JAVA_INT, ADDRESS));
    static final MethodHandle SETRLIMIT = fn("setrlimit", i(JAVA_INT, ADDRESS));
    static final MethodHandle UNSHARE = fn("unshare", i(JAVA_INT));
    static final MethodHandle MMAP = fn("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_LONG));
    static final MethodHandle MPROTECT = fn("mprotect", i(ADDRESS, JAVA_LONG, JAVA_INT));
    static final MethodHandle MUNMAP = fn("munmap", i(ADDRESS, JAVA_LONG));
    /** long syscall(long number, ...): capget/capset/gettid go through it (no libcap needed). */
    static final MethodHandle SYSCALL2 =
            fn("syscall", l(JAVA_LONG, ADDRESS, ADDRESS), Linker.Option.firstVariadicArg(1));
    static final MethodHandle SYSCALL0 = fn("syscall", l(JAVA_LONG), Linker.Option.firstVariadicArg(1));

    static final int SYS_CAPGET = 125, SYS_CAPSET = 126, SYS_GETTID = 186;
    static final int RLIMIT_NOFILE = 7;
    static final int CLONE_NEWNET = 0x40000000;
    static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20;
    static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    static final int IFF_UP = 0x1;
}
