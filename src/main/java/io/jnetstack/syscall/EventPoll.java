package io.jnetstack.syscall;

import io.jnetstack.stack.Stack;
import io.jnetstack.time.Scheduler;
import io.jnetstack.time.WaitQueue;
import io.jnetstack.uapi.Errno;
import io.jnetstack.uapi.Poll;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (struct eventpoll, fs/eventpoll.c), itself a file.
 *
 * <p>Each watched (file, fd) pair is an {@link Item} (struct epitem) hooked into the file's wait
 * queue. When the file's owner wakes its queue with some poll bits, {@link Item#wake} plays
 * ep_poll_callback: if the bits interest the item it joins the ready list and the epoll's own
 * sleepers are woken. epoll_wait then re-polls each ready item (ep_send_events): bits still set are
 * reported; level-triggered items go back on the ready list, edge-triggered ones do not, and
 * EPOLLONESHOT items are disarmed until EPOLL_CTL_MOD.
 */
public final class EventPoll extends File {
    /** EP_PRIVATE_BITS: what survives a one-shot disarm. */
    static final int PRIVATE_BITS = Poll.EPOLLWAKEUP | Poll.EPOLLONESHOT | Poll.EPOLLET | Poll.EPOLLEXCLUSIVE;
    /** EPOLLEXCLUSIVE_OK_BITS: what may accompany EPOLLEXCLUSIVE. */
    static final int EXCLUSIVE_OK_BITS = Poll.EPOLLIN | Poll.EPOLLOUT | Poll.EPOLLERR | Poll.EPOLLHUP
            | Poll.EPOLLWAKEUP | Poll.EPOLLET | Poll.EPOLLEXCLUSIVE;
    /** EP_MAX_NESTS: how deep epoll sets may watch epoll sets. */
    static final int MAX_NESTS = 4;
    /** EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
    static final int MAX_EVENTS = Integer.MAX_VALUE / 12;

    private final Stack stack;
    /** ep->rbr: every item, by (file, fd). Insertion order kept for deterministic traces. */
    private final Map<Key, Item> items = new LinkedHashMap<>();
    /** ep->rdllist, intrusive. */
    private Item readyHead, readyTail;
    /** ep->wq: callers in epoll_wait. */
    private final WaitQueue wq = new WaitQueue();
    /** ep->poll_wait: whoever polls this epoll file (poll(2), a parent epoll). */
    private final WaitQueue pollWait = new WaitQueue();

    private record Key(File file, int fd) {}

    /** struct epitem. */
    final class Item extends WaitQueue.Entry {
        final File file;
        final int fd;
        int events;
        long data;
        Item readyNext, readyPrev;
        boolean ready;

        Item(File file, int fd) { this.file = file; this.fd = fd; }

        /** ep_poll_callback. */
        @Override protected void wake(int bits) {
            if ((events & ~PRIVATE_BITS) == 0) return;            // disarmed one-shot
            if (bits != 0 && (bits & events) == 0) return;        // nothing it asked for
            if (!ready) addReady(this);
            wq.wakeUp(Poll.EPOLLIN);
            pollWait.wakeUp(Poll.EPOLLIN | Poll.EPOLLRDNORM);
        }

        EventPoll owner() { return EventPoll.this; }
    }

    public EventPoll(Stack stack, int flags) {
        super(io.jnetstack.uapi.Fcntl.O_RDWR | flags);
        this.stack = stack;
        stack.openFiles++;
    }

    private void addReady(Item it) {
        it.ready = true;
        it.readyPrev = readyTail;
        it.readyNext = null;
        if (readyTail == null) readyHead = it; else readyTail.readyNext = it;
        readyTail = it;
    }

    private void removeReady(Item it) {
        if (!it.ready) return;
        if (it.readyPrev == null) readyHead = it.readyNext; else it.readyPrev.readyNext = it.readyNext;
        if (it.readyNext == null) readyTail = it.readyPrev; else it.readyNext.readyPrev = it.readyPrev;
        it.readyNext = it.readyPrev = null;
        it.ready = false;
    }

    /** Is {@code target} this epoll, or does it reach it through nested epoll sets? (ep_loop_check) */
    private static boolean reaches(EventPoll from, EventPoll target, int depth) {
        if (from == target) return true;
        if (depth > MAX_NESTS) return true;
        for (Item it : from.items.values())
            if (it.file instanceof EventPoll ep && reaches(ep, target, depth + 1)) return true;
        return false;
    }

    /**
     * do_epoll_ctl after the descriptors are resolved: EINVAL, ELOOP, EEXIST, ENOENT, or 0. The
     * caller has checked that both descriptors are open and that this file is an epoll.
     */
    int ctl(int op, int fd, File tf, int events, long data) {
        if (!tf.pollable()) return -Errno.EPERM;
        if (tf == this) return -Errno.EINVAL;
        boolean hasEvent = op != Poll.EPOLL_CTL_DEL;
        if (hasEvent && (events & Poll.EPOLLEXCLUSIVE) != 0) {
            if (op == Poll.EPOLL_CTL_MOD) return -Errno.EINVAL;
            if (op == Poll.EPOLL_CTL_ADD && (tf instanceof EventPoll || (events & ~EXCLUSIVE_OK_BITS) != 0))
                return -Errno.EINVAL;
        }
        if (op == Poll.EPOLL_CTL_ADD && tf instanceof EventPoll child && reaches(child, this, 1)) return -Errno.ELOOP;
        Item it = items.get(new Key(tf, fd));
        switch (op) {
            case Poll.EPOLL_CTL_ADD -> {
                if (it != null) return -Errno.EEXIST;
                insert(tf, fd, events | Poll.EPOLLERR | Poll.EPOLLHUP, data);
                return 0;
            }
            case Poll.EPOLL_CTL_DEL -> {
                if (it == null) return -Errno.ENOENT;
                remove(it);
                return 0;
            }
            case Poll.EPOLL_CTL_MOD -> {
                if (it == null) return -Errno.ENOENT;
                if ((it.events & Poll.EPOLLEXCLUSIVE) != 0) return -Errno.EINVAL;
                it.events = events | Poll.EPOLLERR | Poll.EPOLLHUP;
                it.data = data;
                // ep_modify: re-poll now so a condition already true is reported (and re-armed one-shots fire).
                if ((it.file.poll() & it.events) != 0 && !it.ready) it.wake(0);
                return 0;
            }
            default -> { return -Errno.EINVAL; }
        }
    }

    /** ep_insert: hooks the item into the file's wait queue and reports it at once if already ready. */
    private void insert(File tf, int fd, int events, long data) {
        Item it = new Item(tf, fd);
        it.events = events;
        it.data = data;
        items.put(new Key(tf, fd), it);
        @SuppressWarnings("unchecked")
        List<Item> links = (List<Item>) tf.epLinks;
        if (links == null) tf.epLinks = links = new ArrayList<>(2);
        links.add(it);
        tf.waitQueue().add(it);
        if ((tf.poll() & events) != 0) it.wake(0);
    }

    /** ep_remove. */
    private void remove(Item it) {
        it.file.waitQueue().remove(it);
        removeReady(it);
        items.remove(new Key(it.file, it.fd));
        if (it.file.epLinks instanceof List<?> links) links.remove(it);
    }

    /** eventpoll_release: {@code f} is gone; every epoll set forgets it. */
    static void fileReleased(File f) {
        if (!(f.epLinks instanceof List<?> links) || links.isEmpty()) return;
        for (Object o : new ArrayList<>(links)) {
            Item it = (Item) o;
            it.owner().remove(it);
        }
        f.epLinks = null;
    }

    /**
     * ep_send_events: re-polls the ready items and fills {@code out}. Returns the count, or -EFAULT
     * when the first event could not be written (a short or null array).
     */
    private int sendEvents(EpollEvent[] out, int maxevents) {
        int n = 0;
        Item it = readyHead;
        Item stop = readyTail; // items re-queued during this pass are not looked at again
        while (it != null && n < maxevents) {
            Item next = it == stop ? null : it.readyNext;
            removeReady(it);
            int revents = it.file.poll() & it.events;
            if (revents != 0) {
                if (out == null || n >= out.length) {
                    addReady(it);
                    return n == 0 ? -Errno.EFAULT : n;
                }
                EpollEvent ev = out[n];
                if (ev == null) out[n] = ev = new EpollEvent();
                ev.events = revents;
                ev.data = it.data;
                n++;
                if ((it.events & Poll.EPOLLONESHOT) != 0) it.events &= PRIVATE_BITS;
                else if ((it.events & Poll.EPOLLET) == 0) addReady(it); // level-triggered: stays ready
            }
            it = next;
        }
        return n;
    }

    /** ep_poll: waits up to {@code timeoutMs} (negative: forever) for ready items. */
    int await(EpollEvent[] out, int maxevents, int timeoutMs) {
        Scheduler s = stack.scheduler();
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : s.now() + timeoutMs * 1_000_000L;
        for (;;) {
            int n = sendEvents(out, maxevents);
            if (n != 0) return n;
            if (timeoutMs == 0 || s.now() >= deadline) return 0;
            int r = s.await(wq, deadline);
            if (r == Scheduler.INTERRUPTED) return -Errno.EINTR;
            if (r == Scheduler.TIMED_OUT) return Math.max(sendEvents(out, maxevents), 0);
        }
    }

    /** ep_eventpoll_poll: readable when some item is really ready now. */
    @Override public int poll() {
        for (Item it = readyHead; it != null; it = it.readyNext)
            if ((it.file.poll() & it.events) != 0) return Poll.POLLIN | Poll.POLLRDNORM;
        return 0;
    }

    @Override public WaitQueue waitQueue() { return pollWait; }

    /** ep_eventpoll_release: drops every item. */
    @Override protected void release() {
        for (Item it : new ArrayList<>(items.values())) remove(it);
        stack.openFiles--;
    }

    /** The epoll file answers only its own EPIOC* ioctls; everything else is EINVAL (ep_eventpoll_ioctl). */
    @Override public int ioctl(long request, int[] arg) { return -Errno.EINVAL; }

    public int size() { return items.size(); }

    @Override public String describe() { return "anon_inode:[eventpoll] (" + items.size() + " items)"; }
}
