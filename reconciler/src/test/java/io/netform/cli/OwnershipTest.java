package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adversarial classes of issue 13 around namespaces, on the "live host" (the test JVM's own
 * private network namespace): netform never takes over, changes or deletes a namespace, interface,
 * address or route it did not make, whatever the desired state or the state directory says.
 */
@KernelTest
class OwnershipTest {

  Path state;
  Path netns;
  Path desired;
  NamedNamespaces named;

  LiveHost live;

  @BeforeEach
  void setUp() throws Exception {
    live = LiveHost.create();
    state = live.state();
    netns = live.netns();
    desired = Files.createTempDirectory("netform-desired");
    named = new NamedNamespaces(netns);
  }

  @AfterEach
  void tearDown() {
    live.run("destroy", "--auto-approve", desired.toString());
    named.list().forEach(named::delete);
    named.unmountDirectory();
  }


  private void write(String yaml) throws Exception {
    Files.writeString(desired.resolve("state.yaml"), yaml);
  }

  /** A namespace someone else made (as `ip netns add NAME` would), with loopback up and an address of its own. */
  private NetnsHandle foreignNamespace(String name) {
    NetnsHandle h = NetnsHandle.open(name, named.create(name));
    Rtnl r = h.rtnl();
    r.run(r.setLinkByName(r.batch(), "lo", Optional.of(true), 0, Optional.empty(), Optional.empty()));
    r.run(r.createVeth(r.batch(), "own-a", 1500, 0, Optional.empty(), true, "own-b", -1, Optional.empty()));
    r.run(r.addAddress(r.batch(), r.linkIndex("own-a").orElseThrow(), "own-a", Cidr.parse("192.0.2.7/24")));
    return h;
  }

  private static Set<String> state(NetnsHandle h) {
    Rtnl r = h.rtnl();
    Set<String> out = new TreeSet<>();
    for (LinkInfo l : r.links()) {
      out.add("link " + l.name() + (l.up() ? " up" : " down") + l.alias().map(a -> " alias " + a).orElse(""));
    }
    for (AddressInfo a : r.addresses()) {
      if (a.scope() != Nl.RT_SCOPE_LINK) {
        out.add("address " + a.address() + " on " + a.linkIndex());
      }
    }
    r.routes().forEach(rt -> out.add("route " + rt.destination() + " via " + rt.gateway().map(IpAddress::toString).orElse("-")));
    return out;
  }

  private static Set<String> hostLinks() {
    try (NetnsHandle self = NetnsHandle.ofThisProcess()) {
      return self.rtnl().links().stream().map(LinkInfo::name).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void anAdoptedNamespaceKeepsEverythingNetformDidNotMakeAndOutlivesTheDestroy() throws Exception {
    try (NetnsHandle web = foreignNamespace("web")) {
      Set<String> before = state(web);
      write("""
          version: 1
          networks:
            adopt-net:
              ipam:
                config:
                  - subnet: 10.201.0.0/24
          containers:
            app:
              namespace: %s
              networks: [adopt-net]
          """.formatted(netns.resolve("web")));
      var plan = live.run("plan", "--no-color", desired.toString());
      assertEquals(0, plan.code(), plan.out() + plan.err());
      assertTrue(plan.out().contains("adopted: netform never deletes it"), plan.out());
      var applied = live.run("apply", "--auto-approve", "--no-color", desired.toString());
      assertEquals(0, applied.code(), applied.out() + applied.err());
      Set<String> during = state(web);
      assertTrue(during.containsAll(before), "everything the owner made is still there: " + during);
      assertTrue(during.stream().anyMatch(s -> s.startsWith("address 10.201.0.")), "netform wired it: " + during);
      assertEquals(0, live.run("plan", "--detailed-exitcode", desired.toString()).code(), "converged");

      var destroyed = live.run("destroy", "--auto-approve", "--no-color", desired.toString());
      assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
      assertTrue(named.exists("web"), "the adopted namespace is never deleted");
      assertEquals(before, state(web), "and it holds exactly what its owner made");
    }
  }

  @Test
  void aPlantedInventoryEntryNeverMakesAForeignNamespaceNetforms() throws Exception {
    try (NetnsHandle victim = foreignNamespace("victim")) {
      Set<String> before = state(victim);
      // What a user who can write to the state directory could plant: a record naming someone else's namespace.
      Files.writeString(state.resolve("inventory.json"),
          "{\"version\":1,\"namespaces\":{\"victim\":\"" + netns.resolve("victim") + "\"}}\n");
      write("""
          version: 1
          networks:
            n1:
              ipam:
                config:
                  - subnet: 10.202.0.0/24
          containers:
            c1:
              networks: [n1]
          """);
      var applied = live.run("apply", "--auto-approve", "--no-color", desired.toString());
      assertEquals(0, applied.code(), applied.out() + applied.err());
      // At most the record is forgotten; the plan says the namespace itself is never deleted.
      assertTrue(applied.out().lines().filter(l -> l.contains("victim") && !l.contains("# container \"victim\""))
          .allMatch(l -> l.contains("- namespace victim (adopted: netform never deletes it")), applied.out());
      var destroyed = live.run("destroy", "--auto-approve", "--no-color", desired.toString());
      assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
      assertTrue(named.exists("victim"), "still there");
      assertEquals(before, state(victim));

      write("""
          version: 1
          containers:
            victim:
              network_mode: none
          """);
      var takeover = live.run("apply", "--auto-approve", "--no-color", desired.toString());
      assertEquals(1, takeover.code(), takeover.out() + takeover.err());
      assertTrue(takeover.out().contains("network namespace \"victim\" already exists and is not netform's"), takeover.out());
      assertEquals(before, state(victim), "a container of the same name does not take it over");
    }
  }

  @Test
  void anInterfaceSomeoneAddsToANamespaceOfNetformsIsLeftAlone() throws Exception {
    write("""
        version: 1
        networks:
          n8:
            ipam:
              config:
                - subnet: 10.208.0.0/24
        containers:
          c8:
            networks: [n8]
        """);
    assertEquals(0, live.run("apply", "--auto-approve", desired.toString()).code());
    try (NetnsHandle c8 = NetnsHandle.open("c8", netns.resolve("c8"))) {
      Rtnl r = c8.rtnl();
      r.run(r.createVeth(r.batch(), "debug0", 1500, 0, Optional.empty(), true, "debug1", -1, Optional.empty()));
      r.run(r.addAddress(r.batch(), r.linkIndex("debug0").orElseThrow(), "debug0", Cidr.parse("192.0.2.77/24")));
      var plan = live.run("plan", "--detailed-exitcode", "--no-color", desired.toString());
      assertEquals(0, plan.code(), "someone's interface and address are not netform's to remove: " + plan.out());
      var again = live.run("apply", "--auto-approve", desired.toString());
      assertEquals(0, again.code(), again.out() + again.err());
      assertTrue(state(c8).contains("address 192.0.2.77/24 on " + r.linkIndex("debug0").orElseThrow()), state(c8)::toString);
    }
  }

  @Test
  void theHostsOwnNamespaceIsNeverAdoptedEvenUnderAName() throws Exception {
    // `ip netns attach hostns <pid of this process>`: the namespace netform runs in, under a name.
    Path hostns = netns.resolve("hostns");
    named.create("placeholder"); // makes the directory a shared mount point, as iproute2 does
    Files.createFile(hostns);
    assertEquals(0, LibC.get().mount("/proc/self/ns/net", hostns.toString(), "none", LibC.MS_BIND, null));
    Set<String> links = hostLinks();
    for (String path : List.of(hostns.toString(), "/proc/self/ns/net")) {
      write("""
          version: 1
          networks:
            n2:
              ipam:
                config:
                  - subnet: 10.203.0.0/24
          containers:
            intruder:
              namespace: %s
              networks: [n2]
          """.formatted(path));
      var applied = live.run("apply", "--auto-approve", "--no-color", desired.toString());
      assertEquals(1, applied.code(), path + ": " + applied.out() + applied.err());
      assertTrue((applied.out() + applied.err()).contains("namespace"), applied.out() + applied.err());
      assertEquals(links, hostLinks(), path + ": nothing was created or changed");
    }
  }

  @Test
  void anAdoptedNamespaceWhoseOwnerUsesTheNamesNetformNeedsIsRefusedBeforeAnythingChanges() throws Exception {
    try (NetnsHandle busy = foreignNamespace("busy")) {
      Rtnl r = busy.rtnl();
      r.run(r.setLinkByName(r.batch(), "own-b", Optional.empty(), 0, Optional.empty(), Optional.empty()));
      r.run(r.setLink(r.batch(), r.linkIndex("own-b").orElseThrow(), "own-b", Optional.of("eth0"), 0, Optional.empty(),
          Optional.empty(), -1, Optional.empty()));
      int ownA = r.linkIndex("own-a").orElseThrow();
      r.run(r.setLinkByName(r.batch(), "own-a", Optional.of(true), 0, Optional.empty(), Optional.empty()));
      r.run(r.replaceRoute(r.batch(), Cidr.parse("0.0.0.0/0"), Optional.of(IpAddress.parse("192.0.2.1")), ownA,
          Nl.RTPROT_STATIC));
      Set<String> before = state(busy);
      Set<String> links = hostLinks();
      write("""
          version: 1
          networks:
            n3:
              ipam:
                config:
                  - subnet: 10.204.0.0/24
          containers:
            app:
              namespace: %s
              networks: [n3]
          """.formatted(netns.resolve("busy")));
      var applied = live.run("apply", "--auto-approve", "--no-color", desired.toString());
      assertEquals(1, applied.code(), applied.out() + applied.err());
      assertTrue(applied.out().contains("already has an interface \"eth0\" that netform did not make"), applied.out());
      assertTrue(applied.out().contains("already has a route to 0.0.0.0/0 that netform did not make"), applied.out());
      assertEquals(before, state(busy), "the owner's interfaces and routes are untouched");
      assertEquals(links, hostLinks(), "nothing was created on the host");
    }
  }

  @Test
  void whatTheHostCannotProvideIsRefusedByTheLivePlan() throws Exception {
    Set<String> links = hostLinks();
    write("""
        version: 1
        networks:
          mv:
            driver: macvlan
            parent: nosuchif0
            ipam:
              config:
                - subnet: 10.205.0.0/24
        containers:
          m1:
            networks: [mv]
        """);
    var plan = live.run("plan", "--no-color", desired.toString());
    assertEquals(1, plan.code(), plan.out() + plan.err());
    assertTrue(plan.out().contains("macvlan parent interface \"nosuchif0\""), plan.out());
    var applied = live.run("apply", "--auto-approve", "--no-color", desired.toString());
    assertEquals(1, applied.code());
    assertEquals(links, hostLinks(), "nothing was created");
    assertTrue(named.list().isEmpty(), "no namespace was created");
  }

  @Test
  void aSubnetHoldingAnAddressOfTheHostIsRefused() throws Exception {
    try (NetnsHandle self = NetnsHandle.ofThisProcess()) {
      Rtnl r = self.rtnl();
      r.run(r.createBridge(r.batch(), "someones-br", 1500, Optional.empty(), Optional.empty(), false));
      int br = r.linkIndex("someones-br").orElseThrow();
      r.run(r.addAddress(r.batch(), br, "someones-br", Cidr.parse("10.206.0.77/32")));
      try {
        write("""
            version: 1
            networks:
              n6:
                ipam:
                  config:
                    - subnet: 10.206.0.0/24
            containers:
              c6:
                networks: [n6]
            """);
        var plan = live.run("plan", "--no-color", desired.toString());
        assertEquals(1, plan.code(), plan.out() + plan.err());
        assertTrue(plan.out().contains("contains the host address 10.206.0.77/32"), plan.out());
      } finally {
        r.run(r.deleteLinkByName(r.batch(), "someones-br"));
      }
    }
  }

  @Test
  void aPortBoundToAnAddressTheHostLacksIsAWarningOfTheLivePlan() throws Exception {
    write("""
        version: 1
        networks:
          n7:
            ipam:
              config:
                - subnet: 10.207.0.0/24
        containers:
          c7:
            networks: [n7]
            ports: ["192.0.2.200:8080:80"]
        """);
    var plan = live.run("plan", "--no-color", desired.toString());
    assertEquals(0, plan.code(), plan.out() + plan.err());
    assertTrue(plan.err().contains("state.yaml:10:"), plan.err());
    assertTrue(plan.err().contains("bound to 192.0.2.200, which is not an address of this host"), plan.err());
    var offline = run("plan", "--empty-host", "--no-color", desired.toString());
    assertFalse(offline.err().contains("not an address of this host"), "an offline plan knows no host: " + offline.err());
  }
}
