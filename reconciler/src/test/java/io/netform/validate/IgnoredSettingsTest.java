package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A setting netform accepts but does not act on is a located warning, so validate --strict fails on it. */
class IgnoredSettingsTest {

  private static DesiredStateCheck.Checked check(String yaml) {
    return DesiredStateCheck.runText("s.yaml", yaml);
  }

  /** The one diagnostic of {@code code}: a warning (valid, not strict), at {@code line}. */
  private static Diagnostic onlyWarning(DesiredStateCheck.Checked c, String code, int line) {
    List<Diagnostic> found = c.diagnostics().stream().filter(d -> d.code().equals(code)).toList();
    assertEquals(1, found.size(), c.diagnostics()::toString);
    assertTrue(c.valid(), c.diagnostics()::toString);
    assertFalse(c.passes(true), "--strict fails on it");
    assertEquals(line, found.get(0).location().line(), found.get(0)::toString);
    return found.get(0);
  }

  @Test
  void networkLabelsAreKeptNowhere() {
    Diagnostic d = onlyWarning(check("""
        networks:
          n:
            labels: {team: web}
        """), "ignored-setting", 3);
    assertTrue(d.message().contains("labels of network \"n\""), d.message());
  }

  @Test
  void aliasesOnAUserNetworkAreServedSoNotIgnored() {
    assertTrue(check("""
        networks:
          n: {}
        containers:
          c:
            networks:
              n:
                aliases: [web]
        """).diagnostics().stream().noneMatch(d -> d.code().equals("ignored-setting")));
  }

  @Test
  void anIpv6SubnetWithoutEnableIpv6GivesNoAddresses() {
    String yaml = """
        networks:
          n:
            ipam:
              config:
                - subnet: 10.1.0.0/24
                - subnet: "fd00:1::/64"
        containers:
          c: {networks: [n]}
        """;
    Diagnostic d = onlyWarning(check(yaml), "ipv6-not-enabled", 6);
    assertTrue(d.hint().contains("enable_ipv6: true"), d.hint());
    assertTrue(check(yaml.replace("n:\n    ipam", "n:\n    enable_ipv6: true\n    ipam")).passes(true), "enabled: used");
    assertTrue(check(yaml.replace("c: {networks: [n]}", "c: {networks: {n: {ipv6_address: \"fd00:1::9\"}}}")).passes(true),
        "a static IPv6 address uses it");
  }

  @Test
  void anIpv6HostAddressOnAnIpv4OnlyNetworkIsNotPublished() {
    String yaml = """
        networks:
          n: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
        containers:
          c:
            networks: [n]
            ports: ["[::]:9443:443", "9090:80"]
        """;
    Diagnostic d = onlyWarning(check(yaml), "ipv6-port-without-ipv6", 6);
    assertTrue(d.message().contains("userland proxy"), d.message());
    String ipv6 = yaml.replace("n: {ipam: {config: [{subnet: 10.1.0.0/24}]}}",
        "n: {enable_ipv6: true, ipam: {config: [{subnet: 10.1.0.0/24}, {subnet: \"fd00:1::/64\"}]}}");
    assertTrue(check(ipv6).passes(true), () -> check(ipv6).diagnostics().toString());
    String staticIpv6 = yaml.replace("{subnet: 10.1.0.0/24}", "{subnet: 10.1.0.0/24}, {subnet: \"fd00:1::/64\"}")
        .replace("networks: [n]", "networks: {n: {ipv6_address: \"fd00:1::9\"}}");
    assertTrue(check(staticIpv6).passes(true), () -> "a static IPv6 address is an IPv6 network too: "
        + check(staticIpv6).diagnostics());
  }

  /** Docker's check, kept: an ipv6_address needs an IPv6 subnet on its network (an error, not silence). */
  @Test
  void anIpv6AddressOnANetworkWithoutIpv6IsAnError() {
    var c = check("""
        networks:
          n: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
        containers:
          c: {networks: {n: {ipv6_address: "fd00:1::9"}}}
        """);
    assertFalse(c.valid());
    assertTrue(c.diagnostics().stream().anyMatch(d -> d.code().equals("address-outside-subnet")
        && d.location().line() == 4), c.diagnostics()::toString);
  }
}
