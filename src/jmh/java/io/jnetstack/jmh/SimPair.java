package io.jnetstack.jmh;

import static io.jnetstack.uapi.Net.*;

import io.jnetstack.link.Wire;
import io.jnetstack.link.WireConfig;
import io.jnetstack.sim.SimNet;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.uapi.Errno;

/**
 * The benchmarks' fixture: two stacks on one Wire with a non-blocking TCP connection between them
 * (client {@code cfd} on 10.0.0.2, server {@code sfd} on 10.0.0.1:5001), driven by the
 * benchmark's own thread through the shared SimScheduler.
 */
record SimPair(SimNet net, Wire wire, SocketCalls srv, SocketCalls cli, int cfd, int sfd) {
    static SimPair open(WireConfig cfg) {
        SimNet net = new SimNet(1);
        SimNet.Host a = net.host("server"), b = net.host("client");
        Wire wire = net.link(b, "10.0.0.2/24", a, "10.0.0.1/24", cfg, cfg, null);
        SocketCalls srv = a.sys(), cli = b.sys();
        int l = srv.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        srv.bind(l, SockAddr.in(0x0a000001, 5001), 16);
        srv.listen(l, 16);
        int cfd = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        cli.connect(cfd, SockAddr.in(0x0a000001, 5001), 16);
        net.scheduler().runFor(100_000);
        int sfd = srv.accept4(l, null, null, SOCK_NONBLOCK);
        if (sfd < 0) throw new IllegalStateException("accept: " + Errno.describe(sfd));
        return new SimPair(net, wire, srv, cli, cfd, sfd);
    }
}
