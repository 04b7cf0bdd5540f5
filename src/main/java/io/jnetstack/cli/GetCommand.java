package io.jnetstack.cli;

import io.jnetstack.app.Clients;
import io.jnetstack.app.Host;
import io.jnetstack.app.Log;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jns get URL}: an HTTP GET through a jnetstack host on its own TAP/TUN device. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Fetches URL (http://A.B.C.D[:PORT]/path) through a jnetstack host on its own",
            "TAP/TUN device; the body goes to stdout or to -o FILE, the log to stderr."})
final class GetCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HostOptions host;

    @Parameters(index = "0", paramLabel = "URL") String url;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE.")
    Path output;

    @Override public Integer call() throws Exception {
        HostOptions.applyConfig(spec, host.config);
        Host.Config cfg = host.hostConfig();
        if (!url.startsWith("http://")) throw new IllegalArgumentException("URL '" + url + "' must start with http://");
        try (Host h = Host.start(cfg, Log.to(System.err));
             OutputStream out = output != null ? Files.newOutputStream(output) : new BufferedOutputStream(System.out) {
                 @Override public void close() throws java.io.IOException { flush(); }
             }) {
            Clients.Fetched f = Clients.get(h, url, out);
            return f.status() >= 200 && f.status() < 300 ? 0 : 1;
        }
    }
}
