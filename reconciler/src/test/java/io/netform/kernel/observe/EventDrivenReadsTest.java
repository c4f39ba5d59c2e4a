package io.netform.kernel.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.apply.KernelExecutor;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.plan.Plan;
import io.netform.snapshot.Snapshot;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import io.netform.testing.Hosts;

/**
 * The event-driven view must see exactly what a fresh read sees, after every kind of out-of-band
 * change, while re-reading only the namespaces that changed.
 */
@KernelTest
class EventDrivenReadsTest {

  @Test
  void theViewAlwaysMatchesAFreshReadAndRereadsOnlyWhatChanged() throws Exception {
    DesiredState desired = DesiredStateCheck.runText("09.yaml",
        Files.readString(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"))).state();
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
         EventDrivenReads view = new EventDrivenReads(sandbox.host().root())) {
      HostObserver fresh = new HostObserver(sandbox.host());
      HostObserver cached = new HostObserver(sandbox.host(), view);
      assertSame(fresh, cached, "an empty host");
      converge(sandbox, desired, fresh);
      assertSame(fresh, cached, "after netform's own apply");
      assertSame(fresh, cached, "again");
      assertEquals(0, view.lastRead(), "nothing changed, nothing re-read");

      Rtnl host = sandbox.host().root().rtnl();
      try (NetnsHandle mysql = NetnsHandle.open("mysql1", sandbox.host().namespaces().path("mysql1"));
           NetnsHandle tomcat = NetnsHandle.open("tomcat1", sandbox.host().namespaces().path("tomcat1"))) {
        Rtnl inMysql = mysql.rtnl();
        Rtnl inTomcat = tomcat.rtnl();
        int mysqlEth0 = inMysql.linkIndex("eth0").orElseThrow();
        Cidr mysqlAddress = inMysql.addresses().stream().filter(a -> a.linkIndex() == mysqlEth0).findFirst().orElseThrow()
            .address();
        inMysql.run(inMysql.deleteAddress(inMysql.batch(), mysqlEth0, "eth0", mysqlAddress));
        assertSame(fresh, cached, "an address removed in a container");
        assertEquals(1, view.lastRead(), "only that container re-read");

        inTomcat.run(inTomcat.setLinkByName(inTomcat.batch(), "eth0", Optional.empty(), 1400, Optional.empty(), Optional.empty()));
        assertSame(fresh, cached, "a container's MTU changed");
        tomcat.writeSysctl("net/ipv6/conf/eth0/disable_ipv6", "0");
        assertSame(fresh, cached, "IPv6 turned on by hand on a container's interface");
        tomcat.writeSysctl("net/ipv6/conf/eth0/disable_ipv6", "1");
        assertSame(fresh, cached, "and off again");
        int tomcatEth0 = inTomcat.linkIndex("eth0").orElseThrow();
        inTomcat.run(inTomcat.deleteRoute(inTomcat.batch(), Cidr.parse("0.0.0.0/0"), Optional.empty(), tomcatEth0));
        assertSame(fresh, cached, "a container's default route deleted");
      }
      int bridge = host.linkIndex("nf-ecb3c5cefc52").orElseThrow();
      Cidr gateway = host.addresses().stream().filter(a -> a.linkIndex() == bridge && a.address().address().isV4())
          .findFirst().orElseThrow().address();
      host.run(host.deleteAddress(host.batch(), bridge, "nf-ecb3c5cefc52", gateway));
      assertSame(fresh, cached, "the bridge's gateway address removed");
      host.run(host.setLinkByName(host.batch(), "nf-ecb3c5cefc52", Optional.empty(), 1400, Optional.empty(), Optional.empty()));
      assertSame(fresh, cached, "the bridge's MTU changed");
      host.run(host.createBridge(host.batch(), "someones-br", 1500, Optional.empty(), Optional.empty(), true));
      host.run(host.addAddress(host.batch(), host.linkIndex("someones-br").orElseThrow(), "someones-br",
          Cidr.parse("192.0.2.1/24")));
      assertSame(fresh, cached, "a foreign bridge with an address (and its route)");
      host.run(host.setLinkByName(host.batch(), "someones-br", Optional.of(false), 0, Optional.empty(), Optional.empty()));
      assertSame(fresh, cached, "the foreign bridge down (IPv4 drops its route without a word)");
      host.run(host.deleteLinkByName(host.batch(), "someones-br"));
      assertSame(fresh, cached, "the foreign bridge deleted");
      String veth = host.links().stream().filter(l -> l.kind().equals("veth")).findFirst().orElseThrow().name();
      host.run(host.setLinkByName(host.batch(), veth, Optional.of(false), 0, Optional.empty(), Optional.empty()));
      assertSame(fresh, cached, "a host-side veth set down");
      // Taking a port off its bridge sends a bridge-port RTM_DELLINK too, which is not the link's deletion.
      int vethIndex = host.linkIndex(veth).orElseThrow();
      host.run(host.setLink(host.batch(), vethIndex, "veth " + veth, Optional.empty(), 0, Optional.empty(), Optional.empty(), 0,
          Optional.empty()));
      assertSame(fresh, cached, "a host-side veth taken off its bridge");
      host.run(host.deleteLinkByName(host.batch(), "nf-ecb3c5cefc52"));
      assertSame(fresh, cached, "the bridge deleted");

      java.nio.file.Path hostsFile = sandbox.host().names().etcNetns().resolve("tomcat1").resolve("hosts");
      Files.writeString(hostsFile, Files.readString(hostsFile) + "10.1.2.3\tintruder\n");
      assertSame(fresh, cached, "a container's hosts file edited by hand");
      Files.delete(sandbox.host().names().etcNetns().resolve("mysql1").resolve("resolv.conf"));
      assertSame(fresh, cached, "a container's resolv.conf deleted");

      converge(sandbox, desired, fresh);
      assertSame(fresh, cached, "after the repair");
      assertEquals(0, sandbox.host().root().start(new ProcessBuilder("iptables", "-F", "NETFORM-FORWARD")).waitFor());
      assertSame(fresh, cached, "netform's chain flushed (a firewall reload)");
      converge(sandbox, desired, fresh);
      assertSame(fresh, cached, "the rules put back");
      String mysqlVeth = host.links().stream().filter(l -> l.alias().orElse("").contains("mysql1/")).findFirst().orElseThrow()
          .name();
      sandbox.host().namespaces().delete("mysql1");
      sandbox.host().namespaces().create("mysql1"); // same name, another namespace (and not netform's)
      // The kernel dismantles the old namespace in the background; compare once its veth is gone.
      long deadline = System.currentTimeMillis() + 10_000;
      while (host.linkIndex(mysqlVeth).isPresent() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertSame(fresh, cached, "a namespace replaced under its name");
      assertEquals(-1, host.currentNamespaceId(sandbox.host().namespaces().path("mysql1")),
          "a foreign namespace is read, never given an id");
      ObservedHost seen = cached.observe();
      assertTrue(seen.foreign().namespaces().contains("mysql1"), "the namespace under the old name is not netform's");
      assertTrue(Hosts.plan(desired, seen).conflicts().stream().anyMatch(c -> c.key().equals("netns/mysql1")),
          "netform refuses to take it over");
      sandbox.host().namespaces().delete("mysql1");
      converge(sandbox, desired, fresh);
      assertSame(fresh, cached, "after the second repair");
    }
  }

  @Test
  void netformGivesItsNamespacesAnIdSoTheirEventsAreSeen() throws Exception {
    DesiredState desired = DesiredStateCheck.runText("07.yaml",
        Files.readString(RepoFiles.examples().resolve("07-none.yaml"))).state(); // a container without any interface
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
         EventDrivenReads view = new EventDrivenReads(sandbox.host().root())) {
      HostObserver fresh = new HostObserver(sandbox.host());
      HostObserver cached = new HostObserver(sandbox.host(), view);
      converge(sandbox, desired, fresh);
      String name = sandbox.host().namespaces().list().get(0);
      assertTrue(sandbox.host().root().rtnl().currentNamespaceId(sandbox.host().namespaces().path(name)) >= 0,
          "an id for " + name);
      assertSame(fresh, cached, "after the apply");
      assertSame(fresh, cached, "again");
      assertEquals(0, view.lastRead(), "served from the view");
      try (NetnsHandle inside = NetnsHandle.open(name, sandbox.host().namespaces().path(name))) {
        Rtnl r = inside.rtnl();
        r.run(r.addAddress(r.batch(), r.linkIndex("lo").orElseThrow(), "lo", Cidr.parse("fe80::99/64")));
        assertSame(fresh, cached, "a link-local address added in it");
        assertEquals(0, view.lastRead(), "IPv6's link-local bookkeeping is no reason to read it again");
        r.run(r.setLinkByName(r.batch(), "lo", Optional.of(false), 0, Optional.empty(), Optional.empty()));
      }
      assertSame(fresh, cached, "its loopback set down");
      assertEquals(1, view.lastRead(), "the event named it");
    }
  }

  private static void assertSame(HostObserver fresh, HostObserver cached, String when) {
    assertEquals(Snapshot.toJson(fresh.observe()), Snapshot.toJson(cached.observe()), when);
  }


  private static void converge(Sandbox sandbox, DesiredState desired, HostObserver observer) {
    ObservedHost seen = observer.observe();
    Plan plan = Hosts.plan(desired, seen);
    assertTrue(plan.conflicts().isEmpty(), plan.conflicts()::toString);
    try (KernelExecutor executor = new KernelExecutor(sandbox.host())) {
      executor.apply(plan, done -> { });
    }
    assertTrue(Hosts.plan(desired, observer.observe()).isEmpty(), "converged");
  }
}
