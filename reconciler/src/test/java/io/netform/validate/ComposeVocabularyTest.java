package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.KernelNames;
import io.netform.diagnostics.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compose's networking vocabulary, pasted into netform: what it means here, and the errors that say what to write. */
class ComposeVocabularyTest {

  private static DesiredStateCheck.Checked check(String yaml) {
    return DesiredStateCheck.runText("compose.yaml", yaml);
  }

  private static List<Diagnostic> withCode(DesiredStateCheck.Checked c, String code) {
    return c.diagnostics().stream().filter(d -> d.code().equals(code)).toList();
  }

  @Test
  void topLevelServicesIsAnErrorShowingTheEquivalentContainers() {
    var c = check("""
        networks:
          front: {}
        services:
          web:
            image: nginx
            networks: [front]
            ports: ["8080:80"]
          db:
            image: postgres
        """);
    List<Diagnostic> found = withCode(c, "compose-services");
    assertEquals(1, found.size(), c.diagnostics()::toString);
    Diagnostic d = found.get(0);
    assertEquals(3, d.location().line());
    assertEquals(1, d.location().column());
    assertTrue(d.message().contains("netform's key is \"containers\""), d.message());
    assertEquals("rename services: to containers: and keep only each service's networking keys: "
        + "containers: {web: {networks: [front], ports: [\"8080:80\"]}} (and so on for the other 1); leave out image", d.hint());
    assertEquals(List.of(), withCode(c, "unknown-key"), "not only \"unknown key\"");
  }

  @Test
  void aNetworksNameIsItsNameOnTheHostAndErrorsStillPointAtItsKey() {
    var c = check("""
        networks:
          front:
            name: shop_front
            ipam:
              config:
                - subnet: 10.61.0.0/24
                  gateway: 10.62.0.1
        containers:
          web:
            networks: [front]
        """);
    assertEquals(List.of("shop_front"), List.copyOf(c.state().networks().keySet()));
    assertEquals("shop_front", c.state().containers().get("web").attachments().get(0).network());
    assertEquals(KernelNames.bridge(check("networks:\n  shop_front: {}\n").state().networks().get("shop_front")),
        KernelNames.bridge(c.state().networks().get("shop_front")), "the bridge's derived name comes from the name");
    Diagnostic gateway = withCode(c, "gateway-outside-subnet").get(0);
    assertEquals(7, gateway.location().line(), "located where the key's settings were written");
  }

  @Test
  void twoNetworksWithOneNameOnTheHostAreAnError() {
    var c = check("""
        networks:
          a:
            name: shared
          shared: {}
        """);
    Diagnostic d = withCode(c, "duplicate-name").get(0);
    assertEquals(3, d.location().line());
    assertTrue(d.message().contains("network \"a\" is named \"shared\" on the host, which is already the name of network "
        + "\"shared\""), d.message());
  }

  @Test
  void attachableIsAcceptedWithAWarningThatStrictFailsOn() {
    var c = check("networks:\n  front:\n    attachable: true\n");
    assertTrue(c.valid(), c.diagnostics()::toString);
    assertFalse(c.passes(true));
    Diagnostic d = withCode(c, "ignored-setting").get(0);
    assertEquals(3, d.location().line());
    assertTrue(d.message().startsWith("attachable has no effect here"), d.message());
  }

  @Test
  void anExternalNetworkNeedsTheBridgesSubnetAndSaysWhatHasNoEffect() {
    var c = check("""
        networks:
          lan:
            external: true
            icc: false
        """);
    Diagnostic missing = withCode(c, "external-without-subnet").get(0);
    assertEquals(3, missing.location().line());
    assertTrue(missing.hint().contains("ip -br addr show lan"), missing.hint());
    Diagnostic icc = withCode(c, "ignored-setting").get(0);
    assertEquals(4, icc.location().line());
    assertTrue(icc.message().startsWith("icc has no effect on an external network"), icc.message());
  }

  @Test
  void anExternalNetworksBridgeIsItsName() {
    var c = check("""
        networks:
          lan:
            name: br-lan
            external: true
            ipam:
              config:
                - subnet: 10.63.0.0/24
        containers:
          web:
            networks: [lan]
        """);
    assertTrue(c.passes(true), c.diagnostics()::toString);
    assertEquals("br-lan", c.state().networks().get("br-lan").externalBridge());
    assertTrue(c.state().networks().get("br-lan").external());
  }

  /**
   * Ports are published through an external network's bridge with rules of the container's own;
   * only the host's loopback connections cannot get in there (route_localnet is the bridge
   * owner's): a port bound to 127.0.0.1 is a warning in the plan, where it is written.
   */
  @Test
  void portsWhoseDefaultRouteIsOnAnExternalNetworkArePublishedExceptOnLoopback() {
    String yaml = """
        networks:
          lan:
            external: true
            ipam: {config: [{subnet: 10.67.0.0/24}]}
          own:
            ipam: {config: [{subnet: 10.68.0.0/24}]}
        containers:
          outside:
            networks: [lan]
            ports: ["8081:80", "127.0.0.1:8083:80"]
          both:
            networks: {lan: {}, own: {gw_priority: 1}}
            ports: ["8082:80"]
        """;
    var c = check(yaml);
    assertTrue(c.passes(true), c.diagnostics()::toString);
    var target = io.netform.compile.TargetState.against(c.state(), io.netform.model.ObservedHost.emptyHost());
    List<Diagnostic> warnings = target.problems();
    assertEquals(1, warnings.size(), warnings::toString);
    Diagnostic d = warnings.get(0);
    assertEquals("ports-on-external", d.code());
    assertEquals(10, d.location().line());
    assertTrue(d.message().contains("port 127.0.0.1:8083:80/tcp of container \"outside\" is not published: its default route "
        + "is on external network \"lan\""), d.message());
    List<String> dnat = target.model().objects().values().stream()
        .filter(o -> o instanceof io.netform.model.FirewallRule r && r.chain().equals("NETFORM-DNAT"))
        .map(o -> ((io.netform.model.FirewallRule) o).spec()).sorted().toList();
    assertTrue(dnat.contains("! -d 127.0.0.0/8 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 10.67.0.2:80"),
        dnat::toString);
    assertTrue(dnat.stream().noneMatch(r -> r.contains("8083")), "nothing for the port that is not published");
  }

  @Test
  void longSyntaxPortsMeanWhatTheyMeanInCompose() {
    var c = check("""
        networks:
          web: {}
        containers:
          app:
            networks: [web]
            expose: ["3000", 3001, "4000-4010/udp"]
            ports:
              - target: 80
                published: 8080
                host_ip: 127.0.0.1
                protocol: udp
                mode: host
                name: web
                app_protocol: http
              - {target: "81", published: "8081"}
              - {target: 82, published: "9000-9005"}
              - {target: 83}
              - 84
              - "85/udp"
        """);
    assertTrue(c.passes(true), c.diagnostics()::toString);
    var app = c.state().containers().get("app");
    assertEquals(List.of("127.0.0.1:8080:80/udp", "8081:81/tcp"), app.ports().stream().map(Object::toString).toList());
    assertEquals(List.of("9000-9005:82/tcp", "83/tcp", "84/tcp", "85/udp"),
        app.dynamicPorts().stream().map(Object::toString).toList(), "no host port: one netform chooses");
  }

  @Test
  void ingressModeNeedsASwarmAndTheErrorSaysWhatToWrite() {
    var c = check("""
        networks:
          web: {}
        containers:
          app:
            networks: [web]
            ports:
              - target: 80
                published: "8080"
                mode: ingress
        """);
    Diagnostic d = withCode(c, "ingress-port").get(0);
    assertEquals(List.of(9, 15), List.of(d.location().line(), d.location().column()));
    assertTrue(d.message().contains("needs a swarm"), d.message());
    assertTrue(d.hint().startsWith("write mode: host or leave mode out"), d.hint());
    assertTrue(c.state().containers().get("app").ports().isEmpty(), "nothing published from a refused port");
  }

  @Test
  void longSyntaxMistakesAreLocated() {
    var c = check("""
        containers:
          app:
            ports:
              - {target: 80-81}
              - {published: 8080}
              - {target: 80, published: 8080, protocol: icmp}
              - {target: 80, host_ip: localhost}
            expose: ["80/icmp"]
        """);
    List<String> found = c.diagnostics().stream().filter(Diagnostic::isError)
        .map(d -> d.location().line() + ":" + d.code()).sorted().toList();
    assertEquals(List.of("4:bad-port", "5:schema-required", "6:schema-enum", "7:bad-address", "8:bad-port"), found,
        c.diagnostics()::toString);
  }
}
