package io.jnetstack.socket;

import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.File;

/**
 * struct socket: the BSD socket as the file layer sees it. It pairs the family's {@link ProtoOps}
 * with the protocol's {@link Sock}. Created by sock_create ({@link Families#create}).
 */
public final class Socket {
    /** socket_state (include/uapi/linux/net.h). */
    public static final int SS_FREE = 0, SS_UNCONNECTED = 1, SS_CONNECTING = 2, SS_CONNECTED = 3,
            SS_DISCONNECTING = 4;

    public final Stack stack;
    /** SOCK_STREAM, SOCK_DGRAM... without the creation flags. */
    public final int type;
    public int state = SS_UNCONNECTED;
    public ProtoOps ops;
    public Sock sk;
    /** The file this socket backs (null until sock_map_fd). Its flags hold O_NONBLOCK. */
    public File file;
    /** The creator's credentials (file->f_cred): what bind's port check and friends look at. */
    public Credentials cred = Credentials.ROOT;

    public Socket(Stack stack, int type) {
        this.stack = stack;
        this.type = type;
    }

    /** Links a sock and this socket both ways (sock_graft). */
    public void graft(Sock sk) {
        this.sk = sk;
        sk.socket = this;
    }

    public boolean nonBlocking() { return file != null && (file.flags & io.jnetstack.uapi.Fcntl.O_NONBLOCK) != 0; }
}
