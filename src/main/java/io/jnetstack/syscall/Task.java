package io.jnetstack.syscall;

import io.jnetstack.socket.Credentials;

/**
 * A process as the socket calls see it (the parts of struct task_struct they touch): its pid, its
 * descriptor table (struct files_struct, limited by RLIMIT_NOFILE), its credentials, and the
 * signals the socket layer has raised at it.
 *
 * <p>Signals are recorded, not delivered: Linux's default action for SIGPIPE would kill the
 * process; here the caller reads {@link #pendingSignals()} / {@link #takeSignal(int)} and decides.
 *
 * <p>{@link #current()} is the kernel's {@code current}: the task whose system call is running on
 * this thread. Protocol code that must act on the caller (SCM_RIGHTS installs descriptors into the
 * receiver's table; SO_PEERCRED records the connector's pid) reads it.
 */
public final class Task {
    /** Linux signal numbers (x86-64). */
    public static final int SIGPIPE = 13, SIGURG = 23, SIGIO = 29;
    /** RLIMIT_NOFILE's usual soft limit. */
    public static final int DEFAULT_NOFILE = 1024;

    private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

    public final int pid;
    public final FdTable files;
    public Credentials cred;
    private long pending;          // bit n = signal n pending
    private final long[] raised = new long[65];

    public Task(int pid, Credentials cred) { this(pid, cred, DEFAULT_NOFILE); }

    public Task(int pid, Credentials cred, int nofile) {
        this.pid = pid;
        this.cred = cred;
        this.files = new FdTable(nofile);
    }

    /** An unprivileged process (what the differential tests compare against) with pid 1000. */
    public static Task user() { return new Task(1000, Credentials.USER); }

    /** The task whose system call runs on this thread, or null outside one. */
    public static Task current() { return CURRENT.get(); }

    /** Makes {@code t} current; returns the previous one (calls may nest through socketcall). */
    static Task swapCurrent(Task t) {
        Task old = CURRENT.get();
        CURRENT.set(t);
        return old;
    }

    /** send_sig: marks the signal pending. */
    public void raise(int sig) {
        if (sig <= 0 || sig > 64) return;
        pending |= 1L << sig;
        raised[sig]++;
    }

    /** The pending-signal mask: bit n set when signal n is pending. */
    public long pendingSignals() { return pending; }

    /** Takes (clears) a pending signal; true if it was pending. */
    public boolean takeSignal(int sig) {
        if (sig <= 0 || sig > 64) return false;
        long bit = 1L << sig;
        boolean was = (pending & bit) != 0;
        pending &= ~bit;
        return was;
    }

    /** How many times the signal was raised in this task's life. */
    public long raisedCount(int sig) { return sig <= 0 || sig > 64 ? 0 : raised[sig]; }

    @Override public String toString() { return "Task[pid " + pid + ", uid " + cred.uid() + "]"; }
}
