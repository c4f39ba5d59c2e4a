package io.netform.dns;

import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The queries waiting for an upstream answer: a bounded table by the id they were sent with
 * (random, so that a spoofed answer must guess it), each with where its answer goes and the
 * upstreams left to try. An upstream that does not answer in time is given up for the next one;
 * after the last, the asker gets SERVFAIL. Time is passed in, so the table is tested without waiting.
 */
final class Forwarder<C> {

  /** A query sent upstream on behalf of {@code client}, which sent it with {@code clientId}. */
  static final class Pending<C> {
    final C client;
    final int clientId;
    final byte[] query;
    final List<IpAddress> upstreams;
    int tried;
    long deadline;

    Pending(C client, int clientId, byte[] query, List<IpAddress> upstreams) {
      this.client = client;
      this.clientId = clientId;
      this.query = query;
      this.upstreams = upstreams;
    }

    IpAddress upstream() {
      return upstreams.get(tried);
    }

    /** The query as the client sent it (its own id). */
    byte[] clientQuery() {
      byte[] q = query.clone();
      q[0] = (byte) (clientId >> 8);
      q[1] = (byte) clientId;
      return q;
    }
  }

  private final int capacity;
  private final long timeoutNanos;
  /** In the order of their deadlines: every wait is as long, and a retry goes to the end again. */
  private final LinkedHashMap<Integer, Pending<C>> pending = new LinkedHashMap<>();

  Forwarder(int capacity, long timeoutNanos) {
    this.capacity = capacity;
    this.timeoutNanos = timeoutNanos;
  }

  int size() {
    return pending.size();
  }

  /**
   * Takes a query to send: rewrites its id to a free random one and returns the entry, whose
   * {@link Pending#query} is now the bytes to send to {@link Pending#upstream()}; null when the
   * table is full (the caller answers SERVFAIL at once).
   */
  Pending<C> add(C client, byte[] wire, List<IpAddress> upstreams, long now) {
    if (pending.size() >= capacity) {
      return null;
    }
    int id;
    do {
      id = ThreadLocalRandom.current().nextInt(1 << 16);
    } while (pending.containsKey(id));
    int clientId = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
    byte[] query = wire.clone();
    query[0] = (byte) (id >> 8);
    query[1] = (byte) id;
    Pending<C> p = new Pending<>(client, clientId, query, upstreams);
    p.deadline = now + timeoutNanos;
    pending.put(id, p);
    return p;
  }

  /**
   * The entry an upstream answer belongs to, removed, with the answer's id set back to the
   * client's: only when it came from the upstream it was sent to. Null for anything else (late,
   * spoofed, or not an answer).
   */
  Pending<C> answered(byte[] answer, IpAddress from) {
    if (answer.length < 12 || (answer[2] & 0x80) == 0) {
      return null;
    }
    int id = ((answer[0] & 0xff) << 8) | (answer[1] & 0xff);
    Pending<C> p = pending.get(id);
    if (p == null || !p.upstream().equals(from)) {
      return null;
    }
    pending.remove(id);
    answer[0] = (byte) (p.clientId >> 8);
    answer[1] = (byte) p.clientId;
    return p;
  }

  /** What timed out by {@code now}: those with another upstream to try are moved on to it ({@code retry}), the rest are returned, removed. */
  List<Pending<C>> expire(long now, List<Pending<C>> retry) {
    List<Pending<C>> failed = new ArrayList<>();
    List<Map.Entry<Integer, Pending<C>>> again = new ArrayList<>();
    Iterator<Map.Entry<Integer, Pending<C>>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Pending<C>> e = it.next();
      Pending<C> p = e.getValue();
      if (p.deadline > now) {
        break;
      }
      it.remove();
      if (p.tried + 1 < p.upstreams.size()) {
        p.tried++;
        p.deadline = now + timeoutNanos;
        again.add(e);
        retry.add(p);
      } else {
        failed.add(p);
      }
    }
    again.forEach(e -> pending.put(e.getKey(), e.getValue()));
    return failed;
  }

  /**
   * The query could not be sent to its upstream (no route to it, say): on to the next one, its wait
   * starting now; false, and the entry removed, when none is left.
   */
  boolean moveOn(Pending<C> p, long now) {
    int id = ((p.query[0] & 0xff) << 8) | (p.query[1] & 0xff);
    pending.remove(id);
    if (p.tried + 1 >= p.upstreams.size()) {
      return false;
    }
    p.tried++;
    p.deadline = now + timeoutNanos;
    pending.put(id, p); // at the end: its deadline is the latest
    return true;
  }

  /** Drops every entry of a client that is gone (a closed TCP connection, a namespace no longer served). */
  void forget(java.util.function.Predicate<C> gone) {
    pending.values().removeIf(p -> gone.test(p.client));
  }
}
