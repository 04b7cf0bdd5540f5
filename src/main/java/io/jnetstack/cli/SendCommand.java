package io.jnetstack.cli;

import io.jnetstack.app.Clients;
import io.jnetstack.app.Host;
import io.jnetstack.app.Log;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jns send HOST:PORT FILE}: pushes a file over TCP through a jnetstack host. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Pushes FILE to HOST:PORT over TCP through a jnetstack host on its own TAP/TUN",
            "device, then prints the SHA-256 and byte count of what was sent."})
final class SendCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HostOptions host;

    @Parameters(index = "0", paramLabel = "HOST:PORT") String target;

    @Parameters(index = "1", paramLabel = "FILE") Path file;

    @Override public Integer call() throws Exception {
        HostOptions.applyConfig(spec, host.config);
        Host.Config cfg = host.hostConfig();
        InetSocketAddress to = Clients.parseHostPort(target);
        if (!Files.isReadable(file) || Files.isDirectory(file)) throw new IllegalArgumentException(file + ": not a readable file");
        try (Host h = Host.start(cfg, Log.to(System.err)); InputStream in = Files.newInputStream(file)) {
            Clients.Sent s = Clients.send(h, to, in);
            System.out.println(s.sha256() + "  " + s.bytes());
            return 0;
        }
    }
}
