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

  @Test
  void ipv6sOwnBookkeepingIsNotDrift() throws Exception {
    try (Namespaces ns = new Namespaces()) {
      NetnsHandle host = ns.create("v6noise");
      Rtnl rtnl = host.rtnl();
      rtnl.run(rtnl.setLinkByName(rtnl.batch(), "lo", Optional.of(true), 0, Optional.empty(), Optional.empty()));
      AtomicInteger repairs = new AtomicInteger();
      long debounceMillis = 200;
      try (DriftWatcher watcher = new DriftWatcher(host, repairs::incrementAndGet, debounceMillis)) {
        // A pair with IPv6 on both ends: once up, the kernel gives each a link-local address, checks it
        // for duplicates for a second, adds its routes and solicits routers: events for seconds.
        rtnl.run(rtnl.createVeth(rtnl.batch(), "v6a", 1500, 0, Optional.empty(), true, "v6b", -1, Optional.empty()));
        rtnl.run(rtnl.setLinkByName(rtnl.batch(), "v6b", Optional.of(true), 0, Optional.empty(), Optional.empty()));
        assertTrue(Conditions.within(Duration.ofSeconds(10), () -> repairs.get() >= 1), "no repair for the new links");
        int afterLinks = repairs.get();
        int index = rtnl.linkIndex("v6a").orElseThrow();
        rtnl.run(rtnl.addAddress(rtnl.batch(), index, "v6a", io.netform.net.Cidr.parse("fe80::1234/64")));
        // Duplicate address detection ends about a second after the links came up, the router
        // solicitations follow: all of it inside this wait.
        Thread.sleep(3000);
        assertEquals(afterLinks, repairs.get(), "IPv6 link-local addresses, the kernel's IPv6 routes and router "
            + "solicitation asked for a repair");
        rtnl.run(rtnl.addAddress(rtnl.batch(), index, "v6a", io.netform.net.Cidr.parse("10.9.8.7/24")));
        assertTrue(Conditions.within(Duration.ofSeconds(10), () -> repairs.get() > afterLinks),
            "no repair for an address netform could own");
      }
    }
  }

  @Test
  void ipv6TurnedOnOrOffOnAnInterfaceIsDrift() throws Exception {
    try (Namespaces ns = new Namespaces()) {
      NetnsHandle host = ns.create("v6toggle");
      Rtnl rtnl = host.rtnl();
      // As in a container namespace netform makes: its interfaces start with IPv6 off.
      host.writeSysctl("net/ipv6/conf/default/disable_ipv6", "1");
      AtomicInteger repairs = new AtomicInteger();
      try (DriftWatcher watcher = new DriftWatcher(host, repairs::incrementAndGet, 200)) {
        rtnl.run(rtnl.createVeth(rtnl.batch(), "v4a", 1500, 0, Optional.empty(), true, "v4b", -1, Optional.empty()));
        rtnl.run(rtnl.setLinkByName(rtnl.batch(), "v4b", Optional.of(true), 0, Optional.empty(), Optional.empty()));
        assertTrue(Conditions.within(Duration.ofSeconds(10), () -> repairs.get() >= 1), "no repair for the new links");
        Thread.sleep(600); // the links' own events, debounced: one repair
        int afterLinks = repairs.get();
        host.writeSysctl("net/ipv6/conf/v4a/disable_ipv6", "0");
        assertTrue(Conditions.within(Duration.ofSeconds(10), () -> repairs.get() > afterLinks), "no repair for IPv6 turned on");
        Thread.sleep(600);
        int afterOn = repairs.get();
        host.writeSysctl("net/ipv6/conf/v4a/disable_ipv6", "1");
        assertTrue(Conditions.within(Duration.ofSeconds(10), () -> repairs.get() > afterOn), "no repair for IPv6 turned off");
      }
    }
  }
}
