package io.netform.kernel.netlink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when the kernel marks a dump interrupted (NLM_F_DUMP_INTR): the objects changed
 * between two of the 32 KiB parts the kernel sends a dump in. On a host with thousands of
 * containers that is normal while anything happens at all: every link registered or unregistered
 * (a veth created, a namespace torn down by the kernel, sometimes for seconds after a destroy)
 * makes the next part of a host's link or address dump, 150 parts at 5,000 containers,
 * "interrupted". So an interrupted dump is read again after a short pause that grows, in case the
 * change was a burst that passes; and when it keeps being interrupted the last attempt, read to
 * its end, is taken, its repeated messages dropped. No operation fails for it.
 *
 * <p>Why taking it is safe. Every message of an interrupted dump is a true state of its object at
 * a moment during the dump; what the kernel cannot promise is one moment for all of them. Since
 * 2024 (Linux 6.9 and 6.10) it resumes a link or address dump at the interface index where the
 * previous part stopped, so a link that stayed put the whole time is listed, and listed once; only
 * what was created, deleted or changed meanwhile may be missing or stale, which a read of a host
 * that keeps changing is moments later anyway. (Addresses of one interface, and everything on
 * older kernels, resume by position: a deletion just before the cut can also hide or repeat a
 * neighbour.) What netform does with a listing tolerates both: it deletes only what it sees and
 * owns, so a missing object is never deleted, at worst planned again (the kernel then refuses
 * with EEXIST, a located failure, and the next read sees it); a stale one is found gone when acted
 * on (a deletion that finds nothing counts as done); an apply is reported converged only after a
 * further observation agrees; a repeated message is dropped here.
 */
final class InterruptedDumps {

  private static final Logger LOG = LoggerFactory.getLogger(InterruptedDumps.class);

  /** Attempts before the last one is taken as it is. */
  static final int ATTEMPTS = 12;
  /** The pause before the n-th retry is 2^(n-1) ms up to this: 1, 2, 4 ... 64, 64 ms; 0.4 s in all. */
  static final long MAX_PAUSE_MILLIS = 64;

  private static final AtomicLong INTERRUPTED = new AtomicLong();
  private static final AtomicLong TAKEN_AS_THEY_WERE = new AtomicLong();

  private InterruptedDumps() {}

  /** One reading of a dump to its end: the messages, and whether the kernel marked any interrupted. */
  record Attempt(List<Message> messages, boolean interrupted) {}

  /**
   * Reads a dump with {@code attempt} until one is not interrupted, pausing with {@code pause}
   * (milliseconds) between attempts; after {@link #ATTEMPTS}, the last attempt without its
   * repeated messages.
   */
  static List<Message> read(Supplier<Attempt> attempt, LongConsumer pause, String operation) {
    Attempt last = null;
    for (int n = 0; n < ATTEMPTS; n++) {
      if (n > 0) {
        pause.accept(Math.min(MAX_PAUSE_MILLIS, 1L << (n - 1)));
      }
      last = attempt.get();
      if (!last.interrupted()) {
        return last.messages();
      }
      INTERRUPTED.incrementAndGet();
    }
    TAKEN_AS_THEY_WERE.incrementAndGet();
    LOG.debug("{}: the host kept changing during {} attempts; going on with the last listing", operation, ATTEMPTS);
    return withoutRepeats(last.messages());
  }

  /** The messages in order, each identical one (same type and bytes) only the first time. */
  static List<Message> withoutRepeats(List<Message> messages) {
    Set<Key> seen = new HashSet<>();
    List<Message> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      if (seen.add(new Key(m.type(), m.payload()))) {
        out.add(m);
      }
    }
    return out;
  }

  private record Key(int type, byte[] payload) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.type == type && Arrays.equals(k.payload, payload);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(payload);
    }
  }

  /** Attempts found interrupted, in this process so far (benchmarks print it). */
  static long interrupted() {
    return INTERRUPTED.get();
  }

  /** Dumps taken as the last attempt left them, in this process so far. */
  static long takenAsTheyWere() {
    return TAKEN_AS_THEY_WERE.get();
  }
}
