package io.jnetstack.link;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.jnetstack.os.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls a TUN/TAP device needs, through the JDK's foreign-function API (no JNI), with
 * the ABI constants of include/uapi/linux/if_tun.h and x86-64/arm64 Linux. Every handle captures
 * errno into the state segment passed as its first argument, so the errno read back is this call's.
 */
final class TunLibc {
    private TunLibc() {}

    private static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... extra) {
        return Native.errnoCall(name, fd, extra);
    }

    static MemorySegment state(Arena a) { return Native.errnoState(a); }

    static int errno(MemorySegment state) { return Native.errno(state); }

    static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle READ = fn("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle WRITE = fn("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle IOCTL_PTR = fn("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    static final MethodHandle IOCTL_INT = fn("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    static final MethodHandle POLL = fn("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    static final MethodHandle SETNS = fn("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle EVENTFD = fn("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    // fcntl.h
    static final int O_RDONLY = 0, O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    // sched.h
    static final int CLONE_NEWNET = 0x40000000;
    // sys/eventfd.h
    static final int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    // poll.h
    static final short POLLIN = 0x1, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    static final int EINTR = 4, EAGAIN = 11;

    // linux/if_tun.h: _IOW('T', n, int) and friends
    static final long TUNSETIFF = 0x400454caL, TUNGETFEATURES = 0x800454cfL, TUNSETOFFLOAD = 0x400454d0L,
            TUNSETVNETHDRSZ = 0x400454d8L;
    static final int IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02;
    /** struct ifreq: 16 bytes of name, then the union (ifr_flags is its first short). */
    static final int IFREQ_SIZE = 40, IFNAMSIZ = 16, IFR_FLAGS = 16;
}
