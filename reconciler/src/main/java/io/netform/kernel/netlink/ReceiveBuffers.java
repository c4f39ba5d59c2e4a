package io.netform.kernel.netlink;

import io.netform.kernel.ffi.NativeBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native memory the kernel writes netlink replies and events into: a few buffers shared by
 * every socket and thread, each lent for one receive and given back at once. Native memory for
 * receiving is so bounded by how many threads receive at the same moment, not by how many threads
 * ever received: the agent starts short-lived threads at every reconcile (one per namespace it
 * changes, a few to read the namespaces), and a zero-filled megabyte each, freed only when the
 * garbage collector finalized its wrapper, kept the agent's resident memory growing.
 */
final class ReceiveBuffers {

  /** One datagram at most: a dump part is at most 32 KiB; only the pages written become resident. */
  static final int SIZE = 1 << 20;
  /** Idle buffers kept for the next receive; one given back while this many wait is unmapped. */
  static final int KEPT = 8;

  private static final ConcurrentLinkedDeque<NativeBuffer> IDLE = new ConcurrentLinkedDeque<>();
  private static final AtomicInteger IDLE_COUNT = new AtomicInteger();
  private static final AtomicInteger MAPPED = new AtomicInteger();

  private ReceiveBuffers() {}

  static NativeBuffer take() {
    NativeBuffer b = IDLE.pollFirst();
    if (b != null) {
      IDLE_COUNT.decrementAndGet();
      return b;
    }
    NativeBuffer mapped = NativeBuffer.map(SIZE);
    MAPPED.incrementAndGet();
    return mapped;
  }

  static void give(NativeBuffer b) {
    if (IDLE_COUNT.incrementAndGet() <= KEPT) {
      IDLE.addFirst(b); // the most recently used first: its pages are the ones already resident
      return;
    }
    IDLE_COUNT.decrementAndGet();
    MAPPED.decrementAndGet();
    b.close();
  }

  /** Buffers that exist now, lent or idle. */
  static int mapped() {
    return MAPPED.get();
  }
}
