package io.jnetstack.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jns} command line: one subcommand per job. */
@Command(name = "jns", mixinStandardHelpOptions = true, version = "jnetstack 0.1.0",
        description = "jnetstack: the Linux socket layer and TCP/IP stack, in Java.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Subcommands register here as they are written; kept in one list so `jns help` shows them all. */
    static final Class<?>[] COMMANDS = {
        DemoCommand.class, TraceCommand.class, SyscallDiffCommand.class, PacketdrillCommand.class,
        UpCommand.class, GetCommand.class, SendCommand.class, BenchCommand.class};

    @Override public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : COMMANDS) cl.addSubcommand(c);
        // Errors reach the user as one clear line, never as a stack trace.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("jns " + c.getCommandName() + ": " + messageOf(ex) + " (see jns " + c.getCommandName() + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("jns " + line.getCommandName() + ": " + messageOf(ex));
            if (System.getenv("JNS_DEBUG") != null) ex.printStackTrace(line.getErr());
            return 1;
        });
        return cl;
    }

    static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
