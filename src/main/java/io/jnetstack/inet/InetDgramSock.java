package io.jnetstack.inet;

import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.ipv4.Route;
import io.jnetstack.socket.SockAddr;
import io.jnetstack.socket.SockExtendedErr;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.syscall.MsgHdr;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Fcntl;
import io.jnetstack.uapi.In;
import io.jnetstack.uapi.Net;
import io.jnetstack.uapi.Poll;
import java.lang.foreign.MemorySegment;

/**
 * The shared half of the datagram socks (udp_sock, ping_sock, raw_sock): the receive queue with
 * its rcvbuf accounting, the IP_RECVERR error queue, recvmsg, datagram_poll, connect and
 * disconnect (ip4_datagram_connect, __udp_disconnect). Each protocol adds its port rules and its
 * sendmsg; {@link InetDgramOps} calls in here the way inet_dgram_ops calls sk->sk_prot.
 */
public abstract class InetDgramSock extends InetSock {
    /** sk_receive_queue and sk_rmem_alloc. */
    public final DatagramQueue rcvQueue = new DatagramQueue();
    public int rmemAlloc;
    protected final Ipv4 ip;
    protected final Tracer tr;
    /** recvmsg's scratch for msg_name and cmsg data: no allocation per datagram. */
    private final byte[] nameScratch = new byte[28], cmsgScratch = new byte[12];

    protected InetDgramSock(Stack stack, int family, int type, int protocol) {
        super(stack, family, type, protocol);
        this.ip = Ipv4.of(stack);
        this.tr = stack.trace();
    }

    // ------------------------------------------------------------------ protocol hooks

    /** sk_prot->bind, or inet_bind with the protocol's port table. */
    public abstract int bind(byte[] addr, int addrlen);

    /** inet_autobind: sk_prot->get_port(sk, 0). Returns 0 or -errno (inet_sendmsg turns it into EAGAIN). */
    public abstract int autobind();

    /** sk_prot->unhash: leave the port table (disconnect without a user-bound port, close). */
    protected abstract void unhash();

    /** The sendmsg of the protocol; {@code len} is the total of the iovecs, already checked. */
    public abstract int sendmsg(MsgHdr msg, int flags, int len);

    /** Counts a datagram taken by recvmsg (UDP's InDatagrams is counted there, not on arrival). */
    protected void countReceived() {}

    /** sk_prot->close: leave the tables, drop the queues. */
    public void close() {
        unhash();
        rcvQueue.clear();
        rmemAlloc = 0;
        errQueue.purge();
    }

    /** Protocol-level socket options (SOL_UDP, SOL_RAW); others go to {@link InetSockopt}. */
    public int setsockopt(int level, int optname, byte[] optval, int optlen) {
        return InetSockopt.set(this, level, optname, optval, optlen);
    }

    public int getsockopt(int level, int optname, byte[] optval, int[] optlen) {
        return InetSockopt.get(this, level, optname, optval, optlen);
    }

    // ------------------------------------------------------------------ receive side

    /**
     * __udp_enqueue_schedule_skb / sock_queue_rcv_skb: queues a copy of {@code payload} unless the
     * receive buffer is already over sk_rcvbuf (Linux admits the datagram that crosses the limit,
     * then refuses until the reader catches up). Returns false when dropped.
     */
    public boolean enqueue(MemorySegment payload, int saddr, int sport, int daddr, int ttl, int tos, int ifindex) {
        int truesize = Ipv4.truesize((int) payload.byteSize());
        if (rmemAlloc > rcvBuf) return false;
        rcvQueue.add(payload, saddr, sport, daddr, ttl, tos, ifindex, truesize);
        rmemAlloc += truesize;
        dataReady();
        return true;
    }

    /**
     * udp_recvmsg / raw_recvmsg / ping_recvmsg: the first datagram, cut to the buffers (MSG_TRUNC in
     * msg_flags), with its source in msg_name and the enabled IP cmsgs. Returns the bytes copied, or
     * the datagram's real length when the caller passed MSG_TRUNC.
     */
    public int recvmsg(MsgHdr msg, int flags) {
        int len = InetDgramOps.iovTotal(msg);
        if (len < 0) return len;
        if ((flags & Net.MSG_ERRQUEUE) != 0) return IpRecvError.recv(this, msg, len);
        boolean peeking = (flags & Net.MSG_PEEK) != 0;
        long deadline = (flags & Net.MSG_DONTWAIT) != 0 ? stack.now() : deadline(rcvTimeo);
        DatagramQueue q = rcvQueue;
        int rec, off;
        for (;;) {
            int e = takeError();
            if (e != 0) return -e;
            // sk_peek_offset: with SO_PEEK_OFF set, a peek starts that many bytes into the queue,
            // past whole datagrams, and may land inside one (skb_peek_off).
            off = peeking && peekOff >= 0 ? peekOff : 0;
            rec = q.first();
            while (rec >= 0 && off > 0 && off >= q.len(rec)) {
                off -= q.len(rec);
                rec = q.next(rec);
            }
            if (rec >= 0) break;
            // A non-blocking read never sees the shutdown: EAGAIN comes first (__skb_recv_udp).
            if ((flags & Net.MSG_DONTWAIT) != 0) return -Errno.EAGAIN;
            if ((shutdown & RCV_SHUTDOWN) != 0) return 0;
            int r = sleep(deadline);
            if (r < 0) return r;
        }
        int ulen = q.len(rec);
        // udp_recvmsg's rule: MSG_TRUNC when the buffer is shorter than the datagram, unless it
        // holds all that is left past the peek offset.
        int copied = len;
        msg.flags = 0;
        if (copied > ulen - off) copied = ulen - off;
        else if (copied < ulen) msg.flags = Net.MSG_TRUNC;
        InetDgramOps.copyToIov(q.array(), q.dataOffset(rec) + off, copied, msg);
        writeName(msg, q.saddr(rec), q.sport(rec));
        putCmsgs(msg, q, rec);
        int ret = (flags & Net.MSG_TRUNC) != 0 ? ulen : copied;
        if (!peeking) {
            countReceived();
            rmemAlloc -= q.truesize();
            q.remove();
        }
        // skb_consume_udp: a peek moves the peek offset forward by what it returned, a read
        // moves it back (not below 0) by the same amount.
        if (peekOff >= 0) peekOff = peeking ? peekOff + ret : Math.max(0, peekOff - ret);
        return ret;
    }

    /** Writes msg_name as sockaddr_in (or v4-mapped sockaddr_in6) when the caller gave room. */
    protected void writeName(MsgHdr msg, int addr, int port) {
        if (msg.name == null) {
            msg.namelen = 0;
            return;
        }
        byte[] tmp = nameScratch;
        int n = v6 ? SockAddr.writeIn6Mapped(tmp, addr, port, false) : SockAddr.writeIn(tmp, addr, port);
        System.arraycopy(tmp, 0, msg.name, 0, Math.min(n, msg.name.length)); // a kernel buffer: the syscall layer truncates
        msg.namelen = n;
    }

    /** ip_cmsg_recv_offset: IP_PKTINFO, IP_TTL, IP_TOS in Linux's order, when enabled. */
    private void putCmsgs(MsgHdr msg, DatagramQueue q, int rec) {
        if (!pktInfo && !recvTtl && !recvTos) {
            if (msg.control != null) msg.controllen = 0;
            return;
        }
        int cap = Cmsg.begin(msg);
        byte[] d = cmsgScratch;
        if (pktInfo) {
            Cmsg.putInt(d, 0, q.ifindex(rec));
            Cmsg.putAddr(d, 4, q.daddr(rec));   // ipi_spec_dst: the local address a reply should come from
            Cmsg.putAddr(d, 8, q.daddr(rec));   // ipi_addr: the header's destination
            Cmsg.put(msg, cap, Net.SOL_IP, In.IP_PKTINFO, d, 12);
        }
        if (recvTtl) {
            Cmsg.putInt(d, 0, q.ttl(rec));
            Cmsg.put(msg, cap, Net.SOL_IP, In.IP_TTL, d, 4);
        }
        if (recvTos) {
            d[0] = (byte) q.tos(rec);
            Cmsg.put(msg, cap, Net.SOL_IP, In.IP_TOS, d, 1);
        }
    }

    /**
     * The err_handler tail shared by udp_err and ping_err: a hard error reaches a connected socket's
     * next call as sk_err; with IP_RECVERR every error is queued and reported.
     */
    public void icmpError(int errno, boolean hard, int type, int code, int info, int offender, int addr, int port,
                          MemorySegment payload) {
        boolean recverr = recvErr || v6RecvErr;
        if (!recverr) {
            if (!hard || state != InetStates.TCP_ESTABLISHED) return;
        } else {
            byte[] p = payload == null ? new byte[0] : payload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            errQueue.queue(SockExtendedErr.icmp(errno, type, code, info, offender, addr, port, p));
        }
        err = errno;
        errorReport();
    }

    /** datagram_poll. */
    public int poll() {
        int mask = 0;
        if (err != 0 || !errQueue.isEmpty()) mask |= Poll.POLLERR;
        if ((shutdown & RCV_SHUTDOWN) != 0) mask |= Poll.POLLRDHUP | Poll.POLLIN | Poll.POLLRDNORM;
        if (shutdown == SHUTDOWN_MASK) mask |= Poll.POLLHUP;
        if (!rcvQueue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        mask |= Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND; // sock_writeable: nothing stays queued
        return mask;
    }

    /** udp_ioctl: SIOCINQ is the first datagram's payload, SIOCOUTQ what is still queued to send (none). */
    public int ioctl(long cmd, int[] arg) {
        if (cmd == Fcntl.FIONREAD) {
            if (arg == null || arg.length < 1) return -Errno.EFAULT;
            arg[0] = rcvQueue.isEmpty() ? 0 : rcvQueue.len();
            return 0;
        }
        if (cmd == Fcntl.SIOCOUTQ) {
            if (arg == null || arg.length < 1) return -Errno.EFAULT;
            arg[0] = 0;
            return 0;
        }
        return -Errno.ENOIOCTLCMD;
    }

    // ------------------------------------------------------------------ addresses

    /**
     * The destination of a connect or sendto, from a sockaddr: {@code out[0]} = address,
     * {@code out[1]} = port. Returns 0, 1 when the sockaddr says "no address" (AF_UNSPEC on an
     * AF_INET6 socket), or -errno. AF_INET6 sockets take v4-mapped addresses (and plain sockaddr_in);
     * native IPv6 is ENETUNREACH.
     */
    protected int parseDest(byte[] a, int alen, int[] out, String fn) {
        if (!v6) {
            if (alen < In.SOCKADDR_IN_LEN) return -Errno.EINVAL;
            int fam = SockAddr.family(a, alen);
            if (fam != Net.AF_INET && fam != Net.AF_UNSPEC) return -Errno.EAFNOSUPPORT;
            out[0] = SockAddr.inAddr(a);
            out[1] = SockAddr.port(a);
            return 0;
        }
        if (alen < 2) return -Errno.EINVAL;
        int fam = SockAddr.family(a, alen);
        if (fam == Net.AF_INET) {
            if (v6Only) return -Errno.ENETUNREACH;
            if (alen < In.SOCKADDR_IN_LEN) return -Errno.EINVAL;
            out[0] = SockAddr.inAddr(a);
            out[1] = SockAddr.port(a);
            return 0;
        }
        if (fam == Net.AF_UNSPEC) return 1;
        if (fam != Net.AF_INET6) return -Errno.EINVAL;
        if (alen < In.SIN6_LEN_RFC2133) return -Errno.EINVAL;
        out[1] = SockAddr.port(a);
        if (SockAddr.isV4Mapped(a)) {
            if (v6Only) return -Errno.ENETUNREACH;
            out[0] = SockAddr.v4MappedAddr(a);
            return 0;
        }
        if (tr.on) tr.note(fn + ": native IPv6 destination: IPv6 data path not implemented → ENETUNREACH");
        return -Errno.ENETUNREACH;
    }

    /**
     * __ip6_datagram_connect's scope rule: a link-local or interface/link-local multicast peer
     * needs an interface, from sin6_scope_id or the socket's binding, and the two must agree
     * (EINVAL). sendto has no such rule: it just finds no route.
     */
    private boolean scopeMissing(byte[] a, int alen) {
        if (alen < In.SIN6_LEN_RFC2133 || SockAddr.family(a, alen) != Net.AF_INET6) return false;
        if (!In6AddrType.needsScopeId(In6AddrType.of(a, 8))) return false;
        int scope = alen >= In.SOCKADDR_IN6_LEN ? SockAddr.in6ScopeId(a) : 0;
        if (scope != 0) return boundDevIf != 0 && boundDevIf != scope;
        return boundDevIf == 0;
    }

    /**
     * ip4_datagram_connect (and the v4-mapped branch of ip6_datagram_connect): route, pick the
     * source, remember the peer, state ESTABLISHED. Broadcast needs SO_BROADCAST (EACCES).
     */
    public int connect(byte[] a, int alen) {
        if (tr.on) tr.enter("ip4_datagram_connect", SockAddr.toString(a, alen));
        int[] d = new int[2];
        if (v6 && scopeMissing(a, alen)) return tr.exit("ip4_datagram_connect", -Errno.EINVAL);
        int r = parseDest(a, alen, d, "ip6_datagram_connect");
        if (r == 1) return tr.exit("ip4_datagram_connect", disconnect());
        if (r < 0) return tr.exit("ip4_datagram_connect", r);
        if (!v6 && SockAddr.family(a, alen) != Net.AF_INET) return tr.exit("ip4_datagram_connect", -Errno.EAFNOSUPPORT);
        Route rt = ip.route(d[0], saddr, boundDevIf);
        if (rt == null) {
            ip.mib().inc(io.jnetstack.ipv4.IpMib.OutNoRoutes);
            return tr.exit("ip4_datagram_connect", -Errno.ENETUNREACH);
        }
        if (rt.type == Route.RTN_BROADCAST && !broadcast) return tr.exit("ip4_datagram_connect", -Errno.EACCES);
        if (saddr == 0) saddr = rt.prefSrc;
        if (rcvSaddr == 0) rcvSaddr = rt.prefSrc;
        daddr = d[0] == 0 ? 0x7f000001 : d[0];
        dport = d[1];
        state = InetStates.TCP_ESTABLISHED;
        if (tr.on) tr.note("connected " + SockAddr.ipString(rcvSaddr) + ":" + sport + " → "
                + SockAddr.ipString(daddr) + ":" + dport);
        return tr.exit("ip4_datagram_connect", 0);
    }

    /** __udp_disconnect: forget the peer; addresses and ports the user did not fix are released. */
    public int disconnect() {
        state = InetStates.TCP_CLOSE;
        daddr = 0;
        dport = 0;
        if ((userLocks & BINDADDR_LOCK) == 0) rcvSaddr = saddr = 0;
        if ((userLocks & BINDPORT_LOCK) == 0) {
            unhash();
            sport = 0;
        }
        if (tr.on) tr.note("__udp_disconnect: now " + SockAddr.ipString(rcvSaddr) + ":" + sport);
        return 0;
    }

    /**
     * sock_alloc_send_pskb's checks, which every datagram send passes once routed: a pending error
     * is reported (and cleared) first, then a shut-down sending side is EPIPE. Returns 0 or -errno.
     */
    protected int sendPrepare() {
        int e = takeError();
        if (e != 0) return -e;
        if ((shutdown & SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
        return 0;
    }

    /** The TTL for a datagram to {@code dst}: IP_MULTICAST_TTL for groups, else IP_TTL or the default. */
    protected int ttlFor(int dst) {
        return Ipv4.isMulticast(dst) ? mcTtl : effectiveTtl();
    }

    /**
     * The DF decision of __ip_make_skb: IP_PMTUDISC_DO/PROBE always; WANT only when the packet fits
     * the path (larger ones are fragmented locally); DONT/OMIT never.
     */
    protected boolean dontFragment(int totLen, int mtu) {
        return pmtudisc == In.IP_PMTUDISC_DO || pmtudisc == In.IP_PMTUDISC_PROBE
                || (pmtudisc == In.IP_PMTUDISC_WANT && totLen <= mtu);
    }

    /** ip_sk_ignore_df is false: a datagram bigger than the MTU is EMSGSIZE instead of fragments. */
    protected boolean mustFit() {
        return pmtudisc == In.IP_PMTUDISC_DO || pmtudisc == In.IP_PMTUDISC_PROBE
                || pmtudisc == InetSockopt.IP_PMTUDISC_INTERFACE;
    }
}
