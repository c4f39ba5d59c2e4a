package io.netform.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.desired.load.DesiredStateLoader;
import io.netform.testing.Hosts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  private static List<String> ports(PortAllocator.Result r, String container) {
    return r.state().containers().get(container).ports().stream().map(PortMapping::toString).toList();
  }

  private static PortMapping published(int host, int container) {
    return new PortMapping(Optional.empty(), host, container, Protocol.TCP);
  }

  @Test
  void portsWithoutAHostPortTakeTheFirstFreeOfDockersEphemeralRangeSkippingFixedOnes() {
    DesiredState s = Hosts.desired("""
        networks: {n: {}}
        containers:
          a: {networks: [n], ports: ["80", "32768:8080"]}
          b: {networks: [n], ports: ["80", "53/udp"]}
        """);
    PortAllocator.Result r = PortAllocator.allocate(s, Map.of());
    assertEquals(List.of(), r.problems());
    assertEquals(List.of("32768:8080/tcp", "32769:80/tcp"), ports(r, "a"));
    assertEquals(List.of("32770:80/tcp", "32768:53/udp"), ports(r, "b"), "each protocol has its own ports");
    assertTrue(r.state().containers().values().stream().allMatch(c -> c.dynamicPorts().isEmpty()));
  }

  @Test
  void aChosenPortIsKeptWhenOthersComeAndGoUnlessAFixedMappingClaimsIt() {
    String yaml = """
        networks: {n: {}}
        containers:
        %s  b: {networks: [n], ports: ["80"]}
        """;
    DesiredState grown = Hosts.desired(yaml.formatted("  newcomer: {networks: [n], ports: [\"80\"]}\n"));
    PortAllocator.Result r = PortAllocator.allocate(grown, Map.of("b", List.of(published(32790, 80))));
    assertEquals(List.of("32790:80/tcp"), ports(r, "b"), "b keeps its port though a container declared before it came");
    assertEquals(List.of("32768:80/tcp"), ports(r, "newcomer"));
    DesiredState claimed = Hosts.desired(yaml.formatted("  fixed: {networks: [n], ports: [\"32790:9000\"]}\n"));
    assertEquals(List.of("32768:80/tcp"), ports(PortAllocator.allocate(claimed, Map.of("b", List.of(published(32790, 80)))),
        "b"), "a fixed mapping takes the port back");
  }

  @Test
  void aRangeThatIsFullIsALocatedError() {
    DesiredState s = new DesiredStateLoader().loadText("test.yaml", """
        networks: {n: {}}
        containers:
          a:
            networks: [n]
            ports: ["8000:1", "8000-8001:80", "8000-8001:81"]
        """).state();
    PortAllocator.Result r = PortAllocator.allocate(s, Map.of());
    assertEquals(List.of("8000:1/tcp", "8001:80/tcp"), ports(r, "a"));
    assertEquals(1, r.problems().size(), r.problems()::toString);
    assertEquals("no-free-host-port", r.problems().get(0).code());
    assertEquals(5, r.problems().get(0).location().line());
    assertTrue(r.problems().get(0).message().startsWith("no host port is free in 8000-8001 for port 81/tcp"),
        r.problems().get(0).message());
  }

  @Test
  void theHostsDnatRulesSayWhichPortsArePublished() {
    assertEquals(Optional.of(published(32768, 80)), ObservedPorts.published(
        "! -i nf-0123456789ab -p tcp -m tcp --dport 32768 -j DNAT --to-destination 172.18.0.2:80"));
    assertEquals(Optional.of(new PortMapping(Optional.empty(), 40000, 53, Protocol.UDP)), ObservedPorts.published(
        "-d 127.0.0.1/32 -p udp -m udp --dport 40000 -j DNAT --to-destination 10.1.0.2:53"));
    assertEquals(Optional.empty(), ObservedPorts.published("-s 10.1.0.2/32 -d 10.1.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE"));
  }
}
