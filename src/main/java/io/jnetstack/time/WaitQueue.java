package io.jnetstack.time;

/**
 * A wait queue (wait_queue_head_t): blocked callers and callback entries (epoll) waiting for a
 * socket's state to change. Protocol code calls {@link #wakeUp(int)} with the poll bits that may
 * have changed; every entry is told, in the order it was added. Entries are intrusive, so adding and
 * removing allocate nothing.
 */
public final class WaitQueue {
    private Entry head, tail;

    /** A wait-queue entry (wait_queue_entry_t). */
    public abstract static class Entry {
        Entry prev, next;
        WaitQueue queue;

        /** Called from protocol context with the poll bits that may have changed (a key, as in Linux). */
        protected abstract void wake(int events);

        public final boolean queued() { return queue != null; }
    }

    public void add(Entry e) {
        if (e.queue != null) e.queue.remove(e);
        e.queue = this;
        e.prev = tail;
        e.next = null;
        if (tail == null) head = e; else tail.next = e;
        tail = e;
    }

    public void remove(Entry e) {
        if (e.queue != this) return;
        if (e.prev == null) head = e.next; else e.prev.next = e.next;
        if (e.next == null) tail = e.prev; else e.next.prev = e.prev;
        e.prev = e.next = null;
        e.queue = null;
    }

    public boolean isEmpty() { return head == null; }

    /** wake_up_interruptible_poll: tells every entry; an entry may remove itself while being told. */
    public void wakeUp(int events) {
        Entry e = head;
        while (e != null) {
            Entry n = e.next;
            e.wake(events);
            e = n;
        }
    }
}
