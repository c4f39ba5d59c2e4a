package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Converger;
import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.desired.DesiredState;
import io.netform.diagnostics.Diagnostic;
import io.netform.kernel.KernelTest;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.Hosts;
import io.netform.validate.DestroyRulesTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A destroy of part of what was applied, on the kernel: refused while a container it keeps is on
 * a network it names (one that makes nothing on the host, macvlan) or joined to a container it
 * names (one publishing nothing); and what it removes no longer appears in the kept containers'
 * hosts files.
 */
@KernelTest
class PartialDestroyTest extends InSandbox {

  @Test
  void aMacvlanNetworkAKeptContainerIsOnIsNotDestroyed() {
    String mv = DestroyRulesTest.MACVLAN.replace("eth9", Sandbox.UPLINK);
    DesiredState whole = Hosts.desired(mv + "  b1: {networks: [mv]}\n");
    Hosts.converge(sandbox.host(), whole);
    assertRefused(mv, "network-in-use", "network \"mv\" cannot be destroyed: container \"b1\", which this destroy keeps, "
        + "is still attached to it");
    assertTrue(Hosts.inSync(sandbox.host(), whole), "nothing changed");
  }

  /** The probe's case: b1's record no longer says it is on mv (edited by hand); its macvlan on mv's parent does. */
  @Test
  void aMacvlanNetworkIsNotDestroyedWhileAKeptContainersMacvlanIsOnItWhateverItsRecordSays() throws Exception {
    String mv = DestroyRulesTest.MACVLAN.replace("eth9", Sandbox.UPLINK);
    DesiredState whole = Hosts.desired(mv + "  b1: {networks: [mv]}\n");
    Hosts.converge(sandbox.host(), whole);
    Path record = sandbox.host().stateDir().resolve("names").resolve("b1");
    String lines = Files.readString(record);
    assertTrue(lines.contains("endpoint mv "), lines);
    Files.writeString(record, lines.lines().filter(l -> !l.startsWith("endpoint ")).map(l -> l + "\n")
        .collect(Collectors.joining()));

    assertRefused(mv, "network-in-use", "network \"mv\" cannot be destroyed: container \"b1\", which this destroy keeps, "
        + "is still attached to it");
    assertTrue(ns("b1").rtnl().link("eth0").isPresent(), "b1 keeps its macvlan");
  }

  @Test
  void aContainerAKeptJoinedOneUsesIsNotDestroyed() {
    String b1 = DestroyRulesTest.WEB + DestroyRulesTest.B1;
    DesiredState whole = Hosts.desired(b1 + "  c2:\n    network_mode: container:b1\n");
    Hosts.converge(sandbox.host(), whole);
    assertTrue(Files.isRegularFile(sandbox.host().stateDir().resolve("names").resolve("c2")),
        "the joined container's record is what the host holds of it");
    assertRefused(b1, "container-in-use", "container \"b1\" cannot be destroyed: container \"c2\", which this destroy "
        + "keeps, still joins it (shares its network namespace)");
    assertTrue(Hosts.inSync(sandbox.host(), whole), "nothing changed");
  }

  @Test
  void aKeptContainersHostsFileNoLongerListsADestroyedOne() throws Exception {
    DesiredState whole = Hosts.desired(DestroyRulesTest.LAN + DestroyRulesTest.LINKS_A1);
    ApplyExamplesTest.makeExternalBridges(sandbox, whole);
    Hosts.converge(sandbox.host(), whole);
    var hostsFile = sandbox.host().names().etcNetns().resolve("b1").resolve("hosts");
    assertTrue(Files.readString(hostsFile).contains("db a1"), Files.readString(hostsFile));

    Hosts.converge(sandbox.host(), Goal.without(Hosts.desired(DestroyRulesTest.LAN)));
    String hosts = Files.readString(hostsFile);
    assertFalse(hosts.lines().anyMatch(l -> l.endsWith(" a1") && l.startsWith("10.66.0.2\t")), hosts);
    assertTrue(hosts.contains("\tb1\n") && hosts.contains("10.66.0.99\ta1\n"), "b1's own lines stay: " + hosts);
    assertTrue(ns("b1").rtnl().link("eth0").isPresent(), "b1 keeps its interface on the external network");
  }

  /** The probe's case: b1 names a1 in its extra hosts, without a link; a destroy of a1 leaves b1's lines as they are. */
  @Test
  void aKeptContainersExtraHostsNamingADestroyedOneStay() throws Exception {
    String b2 = "  b1: {extra_hosts: [\"a1:10.66.0.2\", \"a1-alt:10.66.0.2\"]}\n";
    DesiredState whole = Hosts.desired(DestroyRulesTest.LAN + b2);
    ApplyExamplesTest.makeExternalBridges(sandbox, whole);
    Hosts.converge(sandbox.host(), whole);
    var hostsFile = sandbox.host().names().etcNetns().resolve("b1").resolve("hosts");
    String before = Files.readString(hostsFile);
    assertTrue(before.contains("\n10.66.0.2\ta1\n10.66.0.2\ta1-alt\n"), before);

    Hosts.converge(sandbox.host(), Goal.without(Hosts.desired(DestroyRulesTest.LAN)));
    assertFalse(Files.exists(sandbox.host().names().etcNetns().resolve("a1")), "a1's files are gone");
    assertEquals(before, Files.readString(hostsFile), "b1's own lines, all of them");
  }

  private void assertRefused(String destroyed, String code, String message) {
    Proposal p = new Converger(sandbox.host()).propose(Goal.without(Hosts.desired(destroyed)));
    List<Diagnostic> errors = p.errors();
    assertEquals(List.of(code), errors.stream().map(Diagnostic::code).toList(), errors::toString);
    assertTrue(errors.get(0).message().startsWith(message), errors.get(0).message());
    assertTrue(p.isBlocked(), "nothing may be applied");
  }
}
