package io.jnetstack.cli;

import io.jnetstack.app.Echo;
import io.jnetstack.app.Host;
import io.jnetstack.app.HttpServer;
import io.jnetstack.app.Log;
import io.jnetstack.app.Sink;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jns up}: a jnetstack host on a real TAP or TUN device, running services until SIGINT or
 * SIGTERM. The JVM's shutdown hook (which both signals run) stops the services — every open
 * connection is shut down, so its FIN goes out — and then removes the device.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts a jnetstack host on a TAP or TUN device and runs services on it until",
            "SIGINT/SIGTERM. Configure the Linux side of the device yourself, e.g.",
            "  ip netns add n1; jns up --tap jt0 --netns n1 --addr 198.51.100.2/24 --http . &",
            "  ip -n n1 link set jt0 up; ip -n n1 addr add 198.51.100.1/24 dev jt0",
            "  ip netns exec n1 curl http://198.51.100.2/"})
final class UpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HostOptions host;

    @Option(names = "--http", paramLabel = "DIR", description = "Serve DIR over HTTP/1.1 on port 80.")
    Path http;

    @Option(names = "--echo", paramLabel = "PORT", description = "TCP and UDP echo on PORT.")
    Integer echo;

    @Option(names = "--sink", paramLabel = "PORT", description = "TCP sink on PORT: SHA-256 and byte count per connection.")
    Integer sink;

    @Override public Integer call() throws Exception {
        HostOptions.applyConfig(spec, host.config);
        Host.Config cfg = host.hostConfig();
        for (Integer p : new Integer[] {echo, sink})
            if (p != null && (p < 1 || p > 65535)) throw new IllegalArgumentException("port " + p + " outside 1..65535");
        Log log = Log.to(System.out);
        Host h = Host.start(cfg, log);
        CountDownLatch down = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("signal: shutting down");
            h.close();
            down.countDown();
        }, "jns-up-shutdown"));
        try {
            if (http != null) HttpServer.start(h, http);
            if (echo != null) Echo.start(h, echo);
            if (sink != null) Sink.start(h, sink);
        } catch (Exception e) {
            h.close();
            throw e;
        }
        if (http == null && echo == null && sink == null) log.info("no services (--http, --echo, --sink): answering ping only");
        down.await();
        return 0;
    }
}
