package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.TargetState;
import io.netform.model.ForeignNamespace;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.validate.DesiredStateCheck;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a plan refuses because of the host, root-free: the host is a hand-made observation. */
class HostConflictsTest {

  static final String DIR = "/run/netns";

  static ObservedHost host(Set<String> links, List<Cidr> addresses, Map<String, ForeignNamespace> namespaces) {
    return new ObservedHost(HostModel.empty(), new ForeignObjects(links, List.of(), namespaces.keySet(), addresses,
        namespaces, List.of(), DIR));
  }

  static List<PlanConflict> conflicts(String yaml, ObservedHost host) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("t.yaml", yaml);
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    return Planner.plan(TargetState.against(checked.state(), host).model(), host).conflicts();
  }

  static String adopting(String path) {
    return """
        version: 1
        networks:
          n:
            ipam:
              config:
                - subnet: 10.1.0.0/24
        containers:
          app:
            namespace: %s
            networks: [n]
        """.formatted(path);
  }

  static ForeignNamespace empty(boolean isHost) {
    return new ForeignNamespace(Set.of("lo"), List.of(), isHost);
  }

  /** A foreign interface holding a name netform needs: the hint says what can be renamed, per kind. */
  @Test
  void aForeignInterfaceOnANameNetformNeedsSaysHowToFreeIt() {
    String yaml = "version: 1\nnetworks:\n  n: {driver_opts: {com.docker.network.bridge.name: br-n}}\n"
        + "containers:\n  app: {networks: [n]}\n";
    ObservedHost empty = host(Set.of("lo"), List.of(), Map.of());
    HostModel target = TargetState.against(DesiredStateCheck.runText("t.yaml", yaml).state(), empty).model();
    String veth = target.objects().values().stream().filter(o -> o instanceof io.netform.model.VethObject)
        .map(o -> ((io.netform.model.VethObject) o).hostName()).findFirst().orElseThrow();
    List<PlanConflict> taken = conflicts(yaml, host(Set.of("lo", "br-n", veth), List.of(), Map.of()));
    assertEquals(2, taken.size(), taken::toString);
    PlanConflict onBridge = taken.stream().filter(c -> c.message().contains("\"br-n\"")).findFirst().orElseThrow();
    PlanConflict onVeth = taken.stream().filter(c -> c.message().contains(veth)).findFirst().orElseThrow();
    assertTrue(onBridge.hint().contains("bridge_name"), onBridge.hint());
    assertTrue(!onVeth.hint().contains("bridge_name") && onVeth.hint().contains("renaming the container"), onVeth.hint());
  }

  @Test
  void anAdoptedNamespaceMustBeANamedOneOfThisHost() {
    ObservedHost host = host(Set.of("lo"), List.of(), Map.of("web", empty(false), "hostns", empty(true)));
    assertEquals(List.of(), conflicts(adopting(DIR + "/web"), host));
    assertTrue(conflicts(adopting("/somewhere/else/web"), host).get(0).message().contains("is not a named namespace in"));
    assertTrue(conflicts(adopting(DIR + "/missing"), host).get(0).message().contains("no network namespace is mounted at"));
    assertTrue(conflicts(adopting(DIR + "/hostns"), host).get(0).message().contains("this host's own network namespace"));
  }

  @Test
  void aContainerNeverAdoptsTheNamespaceNetformMakesForAnother() {
    ObservedHost host = host(Set.of("lo"), List.of(), Map.of());
    String yaml = adopting(DIR + "/db") + """
          db:
            networks: [n]
        """;
    assertTrue(conflicts(yaml, host).get(0).message().contains("is the one netform makes for container \"db\""));
  }

  @Test
  void aNamespacePathHoldingSomethingElseIsRefused() {
    ObservedHost host = new ObservedHost(HostModel.empty(), new ForeignObjects(Set.of("lo"), List.of(), Set.of(), List.of(),
        Map.of(), List.of(), DIR, io.netform.model.ForeignNames.UNKNOWN, Map.of("c1", "a symbolic link to /etc/hosts")));
    List<PlanConflict> found = conflicts("""
        version: 1
        containers:
          c1:
            network_mode: none
          c2:
            network_mode: none
        """, host);
    assertEquals(1, found.size(), found::toString);
    assertEquals("/run/netns/c1 is a symbolic link to /etc/hosts, not a network namespace; netform would mount the "
        + "namespace of container:c1 there and never takes over what it did not make", found.get(0).message());
    assertTrue(found.get(0).hint().startsWith("move it away (mv /run/netns/c1 /run/netns/c1.orig"), found.get(0).hint());
  }

  @Test
  void offlineNothingIsKnownSoNothingIsRefused() {
    assertEquals(List.of(), conflicts(adopting("/somewhere/else/web"), ObservedHost.emptyHost()));
  }

  @Test
  void anAdoptedNamespacesOwnInterfacesAndRoutesAreNeverTakenOver() {
    ObservedHost host = host(Set.of("lo"), List.of(), Map.of("web",
        new ForeignNamespace(Set.of("lo", "eth0"), List.of(Cidr.parse("0.0.0.0/0")), false)));
    List<PlanConflict> found = conflicts(adopting(DIR + "/web"), host);
    assertEquals(2, found.size(), found::toString);
    assertTrue(found.stream().anyMatch(c -> c.message().contains("already has an interface \"eth0\"")), found::toString);
    assertTrue(found.stream().anyMatch(c -> c.message().contains("already has a route to 0.0.0.0/0")), found::toString);
  }

  @Test
  void aMacvlanNeedsItsParentOnTheHost() {
    String yaml = """
        version: 1
        networks:
          mv:
            driver: macvlan
            parent: eth1
            ipam:
              config:
                - subnet: 10.2.0.0/24
        containers:
          m:
            networks: [mv]
        """;
    assertEquals(List.of(), conflicts(yaml, host(Set.of("lo", "eth1"), List.of(), Map.of())));
    assertTrue(conflicts(yaml, host(Set.of("lo", "eth0"), List.of(), Map.of())).get(0).message()
        .contains("macvlan parent interface \"eth1\""));
    assertEquals(List.of(), conflicts(yaml, ObservedHost.emptyHost()), "offline the host's interfaces are unknown");
  }

  @Test
  void aSubnetMustNotHoldAnAddressOfTheHost() {
    String yaml = """
        version: 1
        networks:
          n:
            ipam:
              config:
                - subnet: 10.3.0.0/24
        """;
    assertEquals(List.of(), conflicts(yaml, host(Set.of("lo"), List.of(Cidr.parse("10.4.0.9/32")), Map.of())));
    assertTrue(conflicts(yaml, host(Set.of("lo"), List.of(Cidr.parse("10.3.0.9/32")), Map.of())).get(0).message()
        .contains("contains the host address 10.3.0.9/32"));
  }

  @Test
  void anExternalNetworksBridgeMustExistOnAKnownHost() {
    String yaml = """
        networks:
          lan:
            name: br-lan
            external: true
            ipam: {config: [{subnet: 10.65.0.0/24}]}
        containers:
          a: {networks: [lan]}
          b: {networks: [lan]}
        """;
    List<PlanConflict> missing = conflicts(yaml, host(Set.of("lo", "eth0"), List.of(), Map.of()));
    assertEquals(1, missing.size(), "one conflict for the bridge, not one per container: " + missing);
    assertTrue(missing.get(0).message().startsWith("bridge \"br-lan\" that container:a is attached to does not exist"),
        missing.get(0).message());
    assertEquals(List.of(), conflicts(yaml, host(Set.of("lo", "br-lan"), List.of(), Map.of())));
    assertEquals(List.of(), conflicts(yaml, ObservedHost.emptyHost()), "an empty host is not known: nothing to check");
  }
}
