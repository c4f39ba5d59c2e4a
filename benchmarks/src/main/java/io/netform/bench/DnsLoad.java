package io.netform.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A closed-loop DNS load from many namespaces at once: one UDP socket per container namespace
 * (already connected to its server), at most {@code window} queries outstanding in all, each
 * socket at most one; an answered socket goes to the back of the line, so every namespace asks in
 * turn. Latency is from send to answer, in a histogram of microseconds.
 */
final class DnsLoad {

  /** What a run measured. */
  record Result(long answers, long lost, double seconds, long p50Micros, long p99Micros, long maxMicros) {

    double perSecond() {
      return answers / seconds;
    }
  }

  /** A client socket and the queries it cycles through (wire format; the id is rewritten per send). */
  record Client(DatagramChannel channel, List<byte[]> queries) {}

  private static final long LOST_NANOS = 1_000_000_000L;
  private static final int MAX_MICROS = 1_000_000;

  private DnsLoad() {}

  private static final class State {
    final Client client;
    long sentAt;
    int next;
    boolean waiting;

    State(Client client) {
      this.client = client;
    }
  }

  static Result run(List<Client> clients, int window, double seconds) throws IOException {
    long[] histogram = new long[MAX_MICROS + 1];
    ArrayDeque<State> idle = new ArrayDeque<>();
    List<State> states = clients.stream().map(State::new).toList();
    ByteBuffer in = ByteBuffer.allocate(4096);
    long answers = 0;
    long lost = 0;
    int outstanding = 0;
    int id = 0;
    try (Selector selector = Selector.open()) {
      for (State s : states) {
        s.client.channel().configureBlocking(false);
        s.client.channel().register(selector, SelectionKey.OP_READ, s);
        idle.add(s);
      }
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long nextLostCheck = start + LOST_NANOS;
      while (true) {
        long now = System.nanoTime();
        if (now - end >= 0) {
          break;
        }
        while (outstanding < window && !idle.isEmpty()) {
          State s = idle.poll();
          byte[] q = s.client.queries().get(s.next++ % s.client.queries().size());
          id = (id + 1) & 0xffff;
          q[0] = (byte) (id >> 8);
          q[1] = (byte) id;
          s.sentAt = System.nanoTime();
          s.waiting = true;
          s.client.channel().write(ByteBuffer.wrap(q));
          outstanding++;
        }
        selector.select(10);
        for (SelectionKey key : selector.selectedKeys()) {
          State s = (State) key.attachment();
          in.clear();
          if (s.client.channel().read(in) <= 0 || !s.waiting) {
            continue;
          }
          long micros = (System.nanoTime() - s.sentAt) / 1000;
          histogram[(int) Math.min(micros, MAX_MICROS)]++;
          answers++;
          outstanding--;
          s.waiting = false;
          idle.add(s);
        }
        selector.selectedKeys().clear();
        if (now - nextLostCheck >= 0) {
          for (State s : states) {
            if (s.waiting && now - s.sentAt > LOST_NANOS) { // dropped somewhere: ask again
              s.waiting = false;
              lost++;
              outstanding--;
              idle.add(s);
            }
          }
          nextLostCheck = now + LOST_NANOS;
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      for (SelectionKey key : selector.keys()) {
        key.cancel();
      }
      selector.selectNow(); // deregistered, so the sockets can be used blocking again
      return new Result(answers, lost, elapsed, percentile(histogram, answers, 0.50), percentile(histogram, answers, 0.99),
          percentile(histogram, answers, 1.0));
    }
  }

  private static long percentile(long[] histogram, long total, double p) {
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank && seen > 0) {
        return i;
      }
    }
    return -1;
  }
}
