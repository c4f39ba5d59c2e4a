package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.TargetState;
import io.netform.converge.Goal;
import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import io.netform.model.AddressObject;
import io.netform.model.FirewallRule;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.model.VethObject;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A destroy removes no network or container that something it keeps still needs: the goal of a
 * destroy is an error (nothing may be applied), located at what cannot go, and names what keeps it.
 */
public class DestroyRulesTest {

  /** Network web, then its containers A1 and B1: all three are what is applied, WEB + A1 what is destroyed. */
  public static final String WEB = """
      version: 1
      networks:
        web:
          ipam:
            config:
              - subnet: 10.5.0.0/24
      containers:
      """;

  public static final String A1 = """
        a1:
          networks:
            web:
              ipv4_address: 10.5.0.10
          ports: ["7000:80"]
      """;

  public static final String B1 = """
        b1:
          networks:
            web:
              ipv4_address: 10.5.0.11
          ports: ["7001:80"]
      """;

  static DesiredState state(String yaml) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("d2.yaml", yaml);
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    return checked.state();
  }

  /** What netform holds after applying {@code yaml} (its target on an empty host). */
  static HostModel applied(String yaml) {
    return TargetState.against(state(yaml), ObservedHost.emptyHost()).model();
  }

  static TargetState destroy(String yaml, HostModel owned) {
    return Goal.without(state(yaml)).target(new ObservedHost(owned, ForeignObjects.none()));
  }

  static List<Diagnostic> errors(TargetState t) {
    return t.problems().stream().filter(Diagnostic::isError).toList();
  }

  @Test
  void aNetworkWithAContainerThatStaysIsNotDestroyed() {
    TargetState t = destroy(WEB + A1, applied(WEB + A1 + B1));
    List<Diagnostic> errors = errors(t);
    assertEquals(1, errors.size(), errors::toString);
    Diagnostic d = errors.get(0);
    assertEquals("network-in-use", d.code());
    assertEquals("d2.yaml:3:3", d.location().toString(), "at the network in the destroyed desired state");
    assertTrue(d.message().startsWith("network \"web\" cannot be destroyed: container \"b1\", which this destroy keeps, "
        + "is still attached to it (veth b1/eth0"), d.message());
    assertTrue(!d.message().contains("a1"), "a1 is destroyed with it: " + d.message());
    assertTrue(d.hint().contains("destroy those containers too") && d.hint().contains("apply a desired state that leaves them out"), d.hint());
  }

  @Test
  void everyContainerThatStaysIsNamed() {
    String c1 = B1.replace("b1", "c1").replace("10.5.0.11", "10.5.0.12").replace("7001", "7002");
    List<Diagnostic> errors = errors(destroy(WEB + A1, applied(WEB + A1 + B1 + c1)));
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).message().contains("container \"b1\", container \"c1\", which this destroy keeps, are still "
        + "attached"), errors.get(0).message());
  }

  @Test
  void aNetworkGoesWithAllItsContainersWhileAnotherNetworksStay() {
    String other = """
          c3:
            networks: [back]
        """;
    String back = WEB.replace("web:", "back:").replace("10.5.0.0", "10.6.0.0").replace("version: 1\nnetworks:\n", "")
        .replace("containers:\n", "");
    HostModel owned = applied(WEB.replace("containers:\n", back + "containers:\n") + A1 + B1 + other);
    TargetState t = destroy(WEB + A1 + B1, owned);
    assertEquals(List.of(), errors(t));
    assertTrue(t.model().get(KernelObject.namespaceKey("c3")).isPresent(), "c3 stays");
  }

  /**
   * A host an older netform left half-destroyed (the bridge gone, b1's veth with it): b1's rules
   * still name the bridge, so destroying the network again is still refused instead of "complete".
   */
  @Test
  void aKeptContainerCutOffAlreadyIsNotCalledDestroyedCleanly() {
    HostModel whole = applied(WEB + A1 + B1);
    String bridge = bridgeOf(whole);
    Predicate<KernelObject> left = o -> o.owner().equals(Owner.container("b1")) && !(o instanceof VethObject)
        && !o.key().startsWith("addr/") && !o.key().startsWith("route/") || o.owner().equals(Owner.HOST);
    HostModel halfDestroyed = HostModel.of(whole.objects().values().stream().filter(left).toList());
    assertTrue(halfDestroyed.objects().values().stream().anyMatch(o -> o instanceof FirewallRule r
        && r.spec().contains(bridge)), "b1's rules name the bridge");
    List<Diagnostic> errors = errors(destroy(WEB + A1, halfDestroyed));
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).message().contains("needs bridge " + bridge), errors.get(0).message());
  }

  @Test
  void aContainerAnotherJoinsIsNotDestroyedWithoutIt() {
    String joined = """
          c2:
            network_mode: container:b1
            ports: ["7002:81"]
        """;
    List<Diagnostic> errors = errors(destroy(WEB + B1, applied(WEB + B1 + joined)));
    assertEquals(List.of("network-in-use", "container-in-use"), errors.stream().map(Diagnostic::code).toList(),
        errors::toString);
    Diagnostic container = errors.get(1);
    assertEquals("d2.yaml:8:3", container.location().toString());
    assertEquals("container \"b1\" cannot be destroyed: container \"c2\", which this destroy keeps, still joins it "
        + "(shares its network namespace)", container.message(),
        "the join, in the user's words, rather than the forwarding rule that follows from it");
  }

  /** A macvlan network makes nothing on the host; its containers' macvlans on its parent and their records show they are on it. */
  public static final String MACVLAN = """
      version: 1
      networks:
        mv:
          driver: macvlan
          parent: eth9
          ipam: {config: [{subnet: 10.205.0.0/24}]}
      containers:
        a1: {networks: [mv]}
      """;

  @Test
  void aMacvlanNetworkWithAContainerThatStaysIsNotDestroyed() {
    List<Diagnostic> errors = errors(destroy(MACVLAN, applied(MACVLAN + "  b1: {networks: [mv]}\n")));
    assertEquals(1, errors.size(), errors::toString);
    Diagnostic d = errors.get(0);
    assertEquals("network-in-use", d.code());
    assertEquals("d2.yaml:3:3", d.location().toString());
    assertEquals("network \"mv\" cannot be destroyed: container \"b1\", which this destroy keeps, is still attached to it",
        d.message(), "as for a bridge network, in the user's words (a network by name, as b1's record says it)");
  }

  /** What the kernel shows stands when netform's record of a kept container is lost or damaged: its macvlan on mv's parent. */
  @Test
  void aMacvlanNetworkIsKeptByAKeptContainersMacvlanWithoutItsRecord() {
    assertKeptByB1WithoutItsRecord(MACVLAN);
  }

  /** A macvlan network declaring no subnet (one allocated): any kept macvlan on its parent may be on it. */
  @Test
  void aMacvlanNetworkWithoutASubnetIsKeptByAKeptContainersMacvlanOnItsParent() {
    String undeclared = MACVLAN.replace("    ipam: {config: [{subnet: 10.205.0.0/24}]}\n", "");
    assertTrue(!undeclared.contains("ipam"), undeclared);
    assertKeptByB1WithoutItsRecord(undeclared);
  }

  /** A kept macvlan whose address is gone (deleted by hand) may be on any macvlan network of its parent. */
  @Test
  void aMacvlanNetworkIsKeptByAKeptContainersMacvlanWithoutAnAddress() {
    HostModel owned = withoutRecordOf(applied(MACVLAN + "  b1: {networks: [mv]}\n"), "b1");
    assertRefusedWhileB1Stays(MACVLAN, HostModel.of(owned.objects().values().stream()
        .filter(o -> !(o instanceof AddressObject a && a.namespace().equals("b1"))).toList()));
  }

  private static void assertKeptByB1WithoutItsRecord(String macvlan) {
    assertRefusedWhileB1Stays(macvlan, withoutRecordOf(applied(macvlan + "  b1: {networks: [mv]}\n"), "b1"));
  }

  private static void assertRefusedWhileB1Stays(String macvlan, HostModel owned) {
    List<Diagnostic> errors = errors(destroy(macvlan, owned));
    assertEquals(List.of("network-in-use"), errors.stream().map(Diagnostic::code).toList(), errors::toString);
    assertEquals("network \"mv\" cannot be destroyed: container \"b1\", which this destroy keeps, is still attached to it",
        errors.get(0).message());
  }

  private static HostModel withoutRecordOf(HostModel applied, String container) {
    String record = "file/" + container + "/record";
    assertTrue(applied.get(record).isPresent(), record);
    return HostModel.of(applied.objects().values().stream().filter(o -> !o.key().equals(record)).toList());
  }

  /** A kept container on another macvlan network of the same parent (its address in that one's subnet) keeps nothing destroyed. */
  @Test
  void aMacvlanOnAnotherNetworkOfTheSameParentKeepsNothing() {
    String other = MACVLAN.replace("containers:", """
          mv2:
            driver: macvlan
            parent: eth9
            ipam: {config: [{subnet: 10.206.0.0/24}]}
        containers:""");
    assertEquals(List.of(), errors(destroy(MACVLAN, withoutRecordOf(applied(other + "  b1: {networks: [mv2]}\n"), "b1"))));
  }

  /** An external default network (a host's docker0, say) and a container on it; another links to it. */
  public static final String LAN = """
      version: 1
      networks:
        lan:
          name: br-lan
          external: true
          default: true
          ipam: {config: [{subnet: 10.66.0.0/24}]}
      containers:
        a1: {networks: [lan]}
      """;

  public static final String LINKS_A1 = "  b1: {links: [\"a1:db\"], extra_hosts: [\"a1:10.66.0.99\"]}\n";

  /**
   * An external network is its owner's: netform never removes it, so its other containers keep it.
   * What a kept container's hosts file says of a destroyed one goes with it: its link's line.
   */
  @Test
  void anExternalNetworkIsLeftToTheContainersThatStayWithoutTheDestroyedNames() {
    HostModel owned = applied(LAN + LINKS_A1);
    assertTrue(hostsOf(owned, "b1").contains("db a1"), hostsOf(owned, "b1"));
    TargetState t = destroy(LAN, owned);
    assertEquals(List.of(), errors(t));
    assertTrue(t.model().get(KernelObject.namespaceKey("b1")).isPresent(), "b1 stays");
    assertTrue(t.model().get(KernelObject.namespaceKey("a1")).isEmpty(), "a1 goes");
    String hosts = hostsOf(t.model(), "b1");
    assertTrue(!hosts.contains("db a1"), hosts);
    assertTrue(hosts.contains("10.66.0.99\ta1\n"), "an extra host by that name at another address is b1's own: " + hosts);
    assertTrue(hosts.startsWith("# netform: container:b1") && hosts.contains("\tb1\n"), hosts);
  }

  /** A kept container's extra hosts are its own lines, even those naming a destroyed container at its address. */
  @Test
  void aKeptContainersExtraHostsStayWhateverTheyName() {
    String extra = "  b1: {extra_hosts: [\"a1:10.66.0.2\", \"a1-alt:10.66.0.2\"]}\n";
    HostModel owned = applied(LAN + extra);
    assertTrue(owned.objects().values().stream().anyMatch(o -> o.toString().contains("10.66.0.2/24")), "a1 is at 10.66.0.2");
    String hosts = hostsOf(destroy(LAN, owned).model(), "b1");
    assertTrue(hosts.contains("\n10.66.0.2\ta1\n10.66.0.2\ta1-alt\n"), hosts);
  }

  /** A link's line and an extra host's that read the same: the link's goes with the destroyed container, the other stays. */
  @Test
  void aLinkGoesAndTheSameExtraHostStays() {
    HostModel owned = applied(LAN + "  b1: {links: [a1], extra_hosts: [\"a1:10.66.0.2\"]}\n");
    assertEquals(2, hostsOf(owned, "b1").lines().filter("10.66.0.2\ta1"::equals).count(), hostsOf(owned, "b1"));
    String hosts = hostsOf(destroy(LAN, owned).model(), "b1");
    assertEquals(hostsOf(applied(LAN + "  b1: {extra_hosts: [\"a1:10.66.0.2\"]}\n"), "b1"), hosts,
        "as if b1 had never linked to a1");
  }

  static String hostsOf(HostModel m, String container) {
    return ((NameFileObject) m.get("file/" + container + "/hosts").orElseThrow()).content();
  }

  /** A joined container that publishes nothing has only its name record on the host, which names the namespace it joined. */
  @Test
  void aContainerJoinedWithoutPortsKeepsTheOneItJoined() {
    String joined = """
          c2:
            network_mode: container:b1
        """;
    List<Diagnostic> errors = errors(destroy(WEB + B1, applied(WEB + B1 + joined)));
    assertEquals(List.of("container-in-use"), errors.stream().map(Diagnostic::code).toList(), errors::toString);
    assertEquals("d2.yaml:8:3", errors.get(0).location().toString());
    assertEquals("container \"b1\" cannot be destroyed: container \"c2\", which this destroy keeps, still joins it "
        + "(shares its network namespace)", errors.get(0).message());
  }

  /** One joined to a joined container shares the first one's namespace: its record names that one, which a destroy of it needs. */
  @Test
  void aContainerJoinedThroughAnotherKeepsTheOneWhoseNamespaceItShares() {
    String joined = """
          c2:
            network_mode: container:b1
          c3:
            network_mode: container:c2
        """;
    HostModel owned = applied(WEB + B1 + joined);
    assertTrue(((NameFileObject) owned.get("file/c3/record").orElseThrow()).content().contains("join b1\n"));
    List<Diagnostic> errors = errors(destroy(WEB + B1, owned));
    assertEquals(List.of("container-in-use"), errors.stream().map(Diagnostic::code).toList(), errors::toString);
    assertTrue(errors.get(0).message().endsWith("container \"c2\", container \"c3\", which this destroy keeps, still join "
        + "it (share its network namespace)"), errors.get(0).message());
  }

  private static String bridgeOf(HostModel m) {
    return m.objects().values().stream().filter(o -> o instanceof io.netform.model.BridgeObject)
        .map(KernelObject::displayName).findFirst().orElseThrow();
  }
}
