package io.netform.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
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
      try (DriftWatcher watcher = new DriftWatcher(host, repairs::incrementAndGet, 300)) {
        Thread.sleep(100); // subscribed before the burst
        Rtnl.Batch burst = rtnl.batch(); // 20 bridges in one request: dozens of events within a millisecond or so
        for (int i = 0; i < 20; i++) {
          rtnl.createBridge(burst, "burst" + i, 1500, Optional.empty(), Optional.empty(), true);
        }
        rtnl.run(burst);
        Thread.sleep(800);
        assertEquals(1, repairs.get(), "one repair for the whole burst");
        rtnl.run(rtnl.deleteLinkByName(rtnl.batch(), "burst0"));
        Thread.sleep(800);
        assertEquals(2, repairs.get(), "a later change gets its own repair");
      }
    }
  }
}
