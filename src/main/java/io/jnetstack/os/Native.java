package io.jnetstack.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Calling libc through the JDK's foreign-function API (no JNI), the one way jnetstack does it:
 * every downcall captures errno into a state segment passed as its first argument, so the errno
 * read back is that call's own, whatever the JVM did in between. Used by the TUN/TAP device and by
 * the host-kernel bindings of the differential tests.
 */
public final class Native {
    private Native() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /**
     * A downcall handle for libc's {@code name}; its first parameter is the errno state segment
     * ({@link #errnoState}), then the function's own. Throws UnsatisfiedLinkError when libc lacks it.
     */
    public static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        MemorySegment sym = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option[] opts = new Linker.Option[extra.length + 1];
        opts[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, opts, 1, extra.length);
        return LINKER.downcallHandle(sym, fd, opts);
    }

    /** Room for one call's captured errno. */
    public static MemorySegment errnoState(Arena arena) { return arena.allocate(CAPTURE); }

    /** The errno a call captured into {@code state}. */
    public static int errno(MemorySegment state) { return (int) ERRNO.get(state, 0L); }
}
