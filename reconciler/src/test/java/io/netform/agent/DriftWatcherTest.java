package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.testing.Conditions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A burst of netlink events asks for one reconcile, not one per event. */
@KernelTest
class DriftWatcherTest {

  @Test
  void aBurstOfEventsMakesOneRepair() throws Exception {
    try (Namespaces ns = new Namespaces()) {
      NetnsHandle host = ns.create("burst");
      Rtnl rtnl = host.rtnl();
      // IPv6 would add events of its own a second later (address configuration), blurring the count.
      assertEquals(0, host.start(new ProcessBuilder("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
          "net.ipv6.conf.default.disable_ipv6=1")).waitFor());
      AtomicInteger repairs = new AtomicInteger();
      long debounceMillis = 300;
      try (DriftWatcher watcher = new DriftWatcher(host, repairs::incrementAndGet, debounceMillis)) {
        // subscribed once constructed: the burst below is seen
        Rtnl.Batch burst = rtnl.batch(); // 20 bridges in one request: dozens of events within a millisecond or so
        for (int i = 0; i < 20; i++) {
          rtnl.createBridge(burst, "burst" + i, 1500, Optional.empty(), Optional.empty(), true);
        }
        rtnl.run(burst);
        assertTrue(Conditions.within(Duration.ofSeconds(10), () -> repairs.get() >= 1), "no repair for the burst");
        // That no second repair follows can only be seen by waiting: one more debounce window and then some.
        Thread.sleep(2 * debounceMillis);
        assertEquals(1, repairs.get(), "one repair for the whole burst");
        rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "burst0"));
        assertTrue(Conditions.within(Duration.ofSeconds(10), () -> repairs.get() >= 2), "no repair for the later change");
        assertEquals(2, repairs.get(), "a later change gets its own repair");
      }
    }
  }
}
