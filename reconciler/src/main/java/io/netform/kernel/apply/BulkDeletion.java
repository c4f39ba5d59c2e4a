package io.netform.kernel.apply;

import io.netform.kernel.KernelHost;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.Rtnl;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Many of netform's namespaces deleted in one apply go together. Deleting a veth returns only
 * after a full RCU grace period (the kernel's rcu_barrier when it unregisters a device: 15–30 ms
 * each on a small machine), so a thousand containers took half a minute one by one. Unmounted
 * together, their namespaces are torn down by the kernel in one batch, veths included, with one
 * barrier for all.
 */
final class BulkDeletion {

  /** From how many deleted namespaces on: for a few, waiting for the kernel's batch is no shorter than deleting directly. */
  static final int AT_LEAST = Integer.getInteger("netform.bulkDeletion", 8);

  /** How long the kernel may go without tearing down another dying namespace before netform steps in. */
  private static final long PATIENCE_NANOS = 2_000_000_000L;

  /**
   * Crash tests only: halt after this many namespaces are unmounted; one more than there are:
   * after the inventory is written. Set with {@code -Dnetform.test.crashInBulkDeletion=N}.
   */
  private static final int CRASH_AT = Integer.getInteger("netform.test.crashInBulkDeletion", -1);

  private BulkDeletion() {}

  /**
   * Unmounts all the dying namespaces and forgets them in one inventory write; the kernel then
   * destroys each with its interfaces (a veth pair goes when either end does), addresses and
   * routes. Waits until their veths are gone from the host; any that stay (a process still holds
   * its namespace) are deleted from the host, as they would have been one by one.
   */
  static void run(KernelHost host, Map<String, List<String>> dying) {
    int unmounted = 0;
    for (String name : dying.keySet()) {
      host.namespaces().delete(name);
      crashPoint(++unmounted);
    }
    host.inventory().removeNamespaces(dying.keySet());
    crashPoint(unmounted + 1);
    Set<String> remaining = new HashSet<>();
    dying.values().forEach(remaining::addAll);
    Rtnl root = host.root().rtnl();
    long lastProgress = System.nanoTime();
    while (!remaining.isEmpty() && System.nanoTime() - lastProgress < PATIENCE_NANOS) {
      Set<String> present = new HashSet<>();
      root.links().forEach(l -> present.add(l.name()));
      if (remaining.retainAll(present)) {
        lastProgress = System.nanoTime();
      }
      if (!remaining.isEmpty()) {
        sleepBriefly();
      }
    }
    for (String veth : remaining) {
      try {
        root.run(root.deleteLinkByName(root.batch(), veth));
      } catch (NetlinkException e) {
        if (!KernelExecutor.ALREADY_GONE.contains(e.errno())) {
          throw e;
        }
      }
    }
  }

  private static void crashPoint(int reached) {
    if (reached == CRASH_AT) {
      Runtime.getRuntime().halt(137);
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while namespaces were being torn down", e);
    }
  }
}
