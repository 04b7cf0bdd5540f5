package io.jnetstack.udp;

import io.jnetstack.socket.SockOpts;
import io.jnetstack.uapi.Errno;

/**
 * udp_lib_setsockopt / udp_lib_getsockopt: the SOL_UDP options (include/uapi/linux/udp.h), as
 * measured on Linux 6.18. Every option takes an int: optlen below 4 is EINVAL, a short or NULL
 * buffer EFAULT, an unknown option ENOPROTOOPT. A get copies min(len, 4) bytes of the int.
 *
 * <p>What acts and what is only kept: UDP_CORK holds datagrams back until uncorked (see
 * {@link UdpSock#sendmsg}). UDP_ENCAP (ESP-in-UDP, L2TP), UDP_NO_CHECK6_TX/RX (zero checksums over
 * IPv6), UDP_SEGMENT (GSO) and UDP_GRO are validated and read back as Linux does, but jnetstack has
 * no IPsec or L2TP decapsulation, sends its AF_INET6 traffic as v4-mapped IPv4, and neither
 * segments nor coalesces datagrams, so they change nothing on the wire.
 */
public final class UdpSockopt {
    private UdpSockopt() {}

    public static final int UDP_CORK = 1, UDP_ENCAP = 100, UDP_NO_CHECK6_TX = 101, UDP_NO_CHECK6_RX = 102,
            UDP_SEGMENT = 103, UDP_GRO = 104;
    /** UDP_ENCAP values Linux still accepts: none, ESP in UDP (RFC 3948), L2TP in UDP. */
    static final int UDP_ENCAP_NONE = 0, UDP_ENCAP_ESPINUDP = 2, UDP_ENCAP_L2TPINUDP = 3;
    /** UDP_SEGMENT's gso_size is a u16. */
    static final int MAX_GSO_SIZE = 0xFFFF;

    /** setsockopt(fd, SOL_UDP, ...); returns 0 or -errno. */
    static int set(UdpSock up, int optname, byte[] optval, int optlen) {
        if (optlen < 4) return -Errno.EINVAL;
        if (optval == null || optval.length < 4) return -Errno.EFAULT;
        int val = SockOpts.intAt(optval, 0);
        switch (optname) {
            case UDP_CORK -> {
                if (val != 0) {
                    up.corked = true;
                } else {
                    up.corked = false;
                    return up.pushPending();
                }
            }
            case UDP_ENCAP -> {
                if (val != UDP_ENCAP_NONE && val != UDP_ENCAP_ESPINUDP && val != UDP_ENCAP_L2TPINUDP) return -Errno.ENOPROTOOPT;
                up.encapType = val;
            }
            case UDP_NO_CHECK6_TX -> up.noCheck6Tx = val != 0;
            case UDP_NO_CHECK6_RX -> up.noCheck6Rx = val != 0;
            case UDP_SEGMENT -> {
                if (val < 0 || val > MAX_GSO_SIZE) return -Errno.EINVAL;
                up.gsoSize = val;
            }
            case UDP_GRO -> up.gro = val != 0;
            default -> { return -Errno.ENOPROTOOPT; }
        }
        return 0;
    }

    /** getsockopt(fd, SOL_UDP, ...): {@code optlen} may be null (EFAULT). */
    static int get(UdpSock up, int optname, byte[] optval, int[] optlen) {
        if (optlen == null || optlen.length < 1) return -Errno.EFAULT;
        int len = optlen[0];
        if (len < 0) return -Errno.EINVAL;
        int val = switch (optname) {
            case UDP_CORK -> up.corked ? 1 : 0;
            case UDP_ENCAP -> up.encapType;
            case UDP_NO_CHECK6_TX -> up.noCheck6Tx ? 1 : 0;
            case UDP_NO_CHECK6_RX -> up.noCheck6Rx ? 1 : 0;
            case UDP_SEGMENT -> up.gsoSize;
            case UDP_GRO -> up.gro ? 1 : 0;
            default -> Integer.MIN_VALUE;
        };
        if (val == Integer.MIN_VALUE) return -Errno.ENOPROTOOPT;
        int n = Math.min(len, 4);
        // udp_lib_getsockopt writes the length back before it copies the value.
        optlen[0] = n;
        return SockOpts.copyIntToUser(val, n, optval);
    }
}
