package io.jnetstack.inet;

import java.lang.foreign.MemorySegment;

/**
 * sk_receive_queue of a datagram socket, in compact form: each datagram is copied once into one
 * growable byte array, behind a small header with what recvmsg needs (source, destination, TTL,
 * TOS, ifindex). No object per datagram; memory is reclaimed by sliding the live records to the
 * front when the array's tail is full.
 *
 * <p>Layout of a record: {@code len, saddr, sport, daddr, ttl, tos, ifindex, truesize} as ints,
 * then {@code len} payload bytes, padded to 4.
 */
public final class DatagramQueue {
    private static final int LEN = 0, SADDR = 1, SPORT = 2, DADDR = 3, TTL = 4, TOS = 5, IFINDEX = 6,
            TRUESIZE = 7, HDR_INTS = 8, HDR = HDR_INTS * 4;
    private byte[] buf = new byte[4096];
    private int head, tail, count;

    public boolean isEmpty() { return count == 0; }

    public int size() { return count; }

    /** Appends a copy of {@code payload}. */
    public void add(MemorySegment payload, int saddr, int sport, int daddr, int ttl, int tos, int ifindex, int truesize) {
        int len = (int) payload.byteSize();
        int need = HDR + ((len + 3) & ~3);
        if (tail + need > buf.length) makeRoom(need);
        int p = tail;
        put(p, LEN, len); put(p, SADDR, saddr); put(p, SPORT, sport); put(p, DADDR, daddr);
        put(p, TTL, ttl); put(p, TOS, tos); put(p, IFINDEX, ifindex); put(p, TRUESIZE, truesize);
        MemorySegment.copy(payload, 0, MemorySegment.ofArray(buf), p + HDR, len);
        tail += need;
        count++;
    }

    private void makeRoom(int need) {
        int live = tail - head;
        if (head > 0 && live + need <= buf.length && live < buf.length / 2) {
            System.arraycopy(buf, head, buf, 0, live);
        } else {
            byte[] nb = new byte[Math.max(buf.length * 2, live + need)];
            System.arraycopy(buf, head, nb, 0, live);
            buf = nb;
        }
        head = 0;
        tail = live;
    }

    /** The first datagram's fields. */
    public int len()      { return get(head, LEN); }
    public int saddr()    { return get(head, SADDR); }
    public int sport()    { return get(head, SPORT); }
    public int daddr()    { return get(head, DADDR); }
    public int ttl()      { return get(head, TTL); }
    public int tos()      { return get(head, TOS); }
    public int ifindex()  { return get(head, IFINDEX); }
    public int truesize() { return get(head, TRUESIZE); }

    /** The first datagram's bytes live in {@link #array()} at this offset. */
    public int dataOffset() { return head + HDR; }

    // Walking the queue (MSG_PEEK with SO_PEEK_OFF looks past the first datagram): a record is
    // named by its position in the array, valid until the next add or remove.

    /** The first record, or -1 when the queue is empty. */
    public int first() { return count == 0 ? -1 : head; }

    /** The record after {@code rec}, or -1 at the end. */
    public int next(int rec) {
        int n = rec + HDR + ((get(rec, LEN) + 3) & ~3);
        return n < tail ? n : -1;
    }

    public int len(int rec)        { return get(rec, LEN); }
    public int saddr(int rec)      { return get(rec, SADDR); }
    public int sport(int rec)      { return get(rec, SPORT); }
    public int daddr(int rec)      { return get(rec, DADDR); }
    public int ttl(int rec)        { return get(rec, TTL); }
    public int tos(int rec)        { return get(rec, TOS); }
    public int ifindex(int rec)    { return get(rec, IFINDEX); }
    public int dataOffset(int rec) { return rec + HDR; }

    public byte[] array() { return buf; }

    /** Drops the first datagram. */
    public void remove() {
        int len = get(head, LEN);
        head += HDR + ((len + 3) & ~3);
        if (--count == 0) head = tail = 0;
    }

    public void clear() {
        head = tail = count = 0;
    }

    private void put(int rec, int field, int v) {
        int i = rec + field * 4;
        buf[i] = (byte) v; buf[i + 1] = (byte) (v >>> 8); buf[i + 2] = (byte) (v >>> 16); buf[i + 3] = (byte) (v >>> 24);
    }

    private int get(int rec, int field) {
        int i = rec + field * 4;
        return (buf[i] & 0xFF) | (buf[i + 1] & 0xFF) << 8 | (buf[i + 2] & 0xFF) << 16 | (buf[i + 3] & 0xFF) << 24;
    }

    @Override public String toString() { return "DatagramQueue[" + count + " datagrams, " + (tail - head) + " bytes]"; }

}
