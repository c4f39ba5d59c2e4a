package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortRulesTest {

  private static List<Diagnostic> conflicts(String yaml) {
    DesiredStateCheck.Checked c = DesiredStateCheck.runText("ports.yaml", yaml);
    return c.diagnostics().stream().filter(d -> d.code().equals("port-conflict")).toList();
  }

  @Test
  void theUnspecifiedAddressClaimsEveryAddress() {
    List<Diagnostic> found = conflicts("networks:\n  n: {}\ncontainers:\n"
        + "  one: {networks: [n], ports: [\"0.0.0.0:8080:80\"]}\n  two: {networks: [n], ports: [\"10.0.0.5:8080:80\"]}\n");
    assertEquals(1, found.size(), found::toString);
    assertTrue(found.get(0).message().contains("\"one\""), found.get(0)::message);
    assertEquals("ports.yaml", found.get(0).location().file());
    assertTrue(found.get(0).location().line() > 0, "located at the port");
  }

  @Test
  void portsClaimTheHostBindingOfTheNetworkCarryingTheDefaultRoute() {
    String yaml = "networks:\n  b: {host_binding_ipv4: 198.18.0.2}\n  a: {host_binding_ipv4: 198.18.0.1}\n"
        + "containers:\n  one: {networks: [b, a], ports: [\"8080:80\"]}\n  two: {networks: [b], ports: [\"198.18.0.1:8080:80\"]}\n";
    assertEquals(1, conflicts(yaml).size(), "one publishes on a (first by name), so on 198.18.0.1");
    assertEquals(List.of(), conflicts(yaml.replace("networks: [b, a]", "networks: {b: {gw_priority: 1}, a: {}}")),
        "with priority, b carries the default route: 198.18.0.2, no conflict");
  }

  @Test
  void aContainerJoinedThroughAChainClaimsTheHostBindingOfTheNamespaceAtItsEnd() {
    String yaml = "networks:\n  a: {host_binding_ipv4: 198.18.0.1}\n  other: {}\n"
        + "containers:\n  first: {networks: [a]}\n  middle: {network_mode: \"container:first\"}\n"
        + "  last: {network_mode: \"container:middle\", ports: [\"8080:80\"]}\n"
        + "  two: {networks: [other], ports: [\"198.18.0.2:8080:80\"]}\n";
    assertEquals(List.of(), conflicts(yaml), "last publishes on first's network's 198.18.0.1, not on every address");
    assertEquals(1, conflicts(yaml.replace("198.18.0.2:8080", "198.18.0.1:8080")).size());
  }
}
