package io.netform.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.Cidr;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dumps of a namespace that another thread keeps changing, as a host with thousands of containers
 * is while netform applies or destroys (namespaces torn down by the kernel, links registered and
 * unregistered): the kernel marks such dumps interrupted (NLM_F_DUMP_INTR), and a dump must never
 * fail for it, nor lose or repeat an object that stayed put the whole time.
 */
@KernelTest
class DumpUnderChangeTest {

  /**
   * Enough links and addresses that each dump spans many 32 KiB parts, so changes fall between
   * them. Veths, not bridges: the kernel deletes a namespace's veths together, but waits for two
   * RCU barriers per bridge while holding the RTNL lock, which stalls every netlink user of the machine.
   */
  private static final int STABLE_PAIRS = 200;
  /** Veth pairs the other thread creates at most (the dumps stop it sooner), to bound the test. */
  private static final int CHURN_PAIRS = 2000;
  /** Dumps at least; more while the other thread is still at work. */
  private static final int DUMPS = 3;

  Namespaces ns;
  NetnsHandle host;
  Rtnl rtnl;

  @BeforeEach
  void setUp() throws Exception {
    ns = new Namespaces();
    host = ns.create("dump-busy");
    rtnl = host.rtnl();
    Rtnl.Batch b = rtnl.batch();
    for (int i = 0; i < STABLE_PAIRS; i++) {
      rtnl.createVeth(b, "nfs" + i, 1500, 0, Optional.empty(), false, "nft" + i, -1, Optional.empty());
    }
    rtnl.run(b);
    Map<String, Integer> index = new HashMap<>();
    rtnl.links().forEach(l -> index.put(l.name(), l.index()));
    for (int i = 0; i < STABLE_PAIRS; i++) {
      for (String end : List.of("nfs", "nft")) {
        int at = index.get(end + i);
        rtnl.addAddress(b, at, end + i, Cidr.parse("10." + (end.equals("nfs") ? 0 : 1) + "." + i / 250 + "." + (i % 250 + 1) + "/32"));
      }
    }
    rtnl.run(b);
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  @Test
  void dumpsOfANamespaceThatKeepsChangingNeitherFailNorLoseWhatStayed() throws Exception {
    Set<String> stableLinks = new HashSet<>();
    rtnl.links().forEach(l -> stableLinks.add(l.name()));
    Set<Cidr> stableAddresses = new HashSet<>();
    rtnl.addresses().forEach(a -> stableAddresses.add(a.address()));
    assertEquals(2 * STABLE_PAIRS + 2, stableAddresses.size(), "the veths' and loopback's addresses");

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger changes = new AtomicInteger();
    ExecutorService churner = Executors.newSingleThreadExecutor();
    try {
      // Its own socket in the same namespace: links keep being registered, each one a change of the
      // namespace's link (and address) generation, as while thousands of veths come or go.
      Future<?> churn = churner.submit(() -> {
        try (NetlinkSocket socket = host.call(NetlinkSocket::open)) {
          Rtnl other = new Rtnl(socket);
          for (int i = 0; i < CHURN_PAIRS && !stop.get(); i++) {
            other.run(other.createVeth(other.batch(), "nfc" + i, 1500, 0, Optional.empty(), false, "nfd" + i, -1,
                Optional.empty()));
            changes.incrementAndGet();
          }
        }
        return null;
      });
      long interruptedBefore = InterruptedDumps.interrupted();
      for (int i = 0; i < DUMPS || !churn.isDone(); i++) {
        List<LinkInfo> links = rtnl.links();
        List<AddressInfo> addresses = rtnl.addresses();
        assertEveryStableOneOnce(stableLinks, links.stream().map(LinkInfo::name).toList(), "links");
        assertEveryStableOneOnce(stableAddresses, addresses.stream().map(AddressInfo::address).toList(), "addresses");
      }
      stop.set(true);
      churn.get(60, TimeUnit.SECONDS);
      assertTrue(InterruptedDumps.interrupted() > interruptedBefore, "the kernel marked dumps interrupted");
    } finally {
      stop.set(true);
      churner.shutdownNow();
    }
    assertTrue(changes.get() > DUMPS, "the namespace changed while it was dumped (" + changes.get() + " changes)");
  }

  private static <T> void assertEveryStableOneOnce(Set<T> stable, List<T> dumped, String what) {
    Map<T, Integer> count = new HashMap<>();
    dumped.forEach(x -> count.merge(x, 1, Integer::sum));
    for (T x : stable) {
      assertEquals(1, count.getOrDefault(x, 0), what + ": " + x + " stayed put the whole time");
    }
  }
}
