package io.netform.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what a test expects to happen, instead of sleeping for a guessed time. */
public final class Conditions {

  private Conditions() {}

  /** Whether {@code condition} held within {@code limit}; checked every 10 ms (fine enough to report latencies). */
  public static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
