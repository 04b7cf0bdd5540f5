package io.jnetstack.cli;

import io.jnetstack.diff.JnetstackTarget;
import io.jnetstack.diff.SyscallDiff;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jns syscall-diff}: the same syscall sequences on the host kernel and on jnetstack, compared. */
@Command(name = "syscall-diff", mixinStandardHelpOptions = true,
        description = {"Runs the differential catalogue: each syscall sequence on the host Linux kernel",
            "(in a private network namespace, without capabilities) and on jnetstack, and lists",
            "every disagreement with both results. Needs root for the namespace."})
final class SyscallDiffCommand implements Callable<Integer> {
    @Option(names = {"-v", "--verbose"}, description = "Print every case, not only disagreements.")
    boolean verbose;

    @Override public Integer call() {
        return SyscallDiff.run(new JnetstackTarget(), System.out, verbose);
    }
}
