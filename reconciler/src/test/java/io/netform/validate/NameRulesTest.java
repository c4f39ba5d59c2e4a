package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Container;
import io.netform.desired.NameSettings;
import io.netform.desired.NameSettings.ExtraHost;
import io.netform.desired.NameSettings.Link;
import io.netform.diagnostics.Diagnostic;
import io.netform.net.IpAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Compose's name keys as read (every form Compose takes), and the checks of what names will be served. */
class NameRulesTest {

  private static DesiredStateCheck.Checked check(String yaml) {
    return DesiredStateCheck.runText("names.yaml", yaml);
  }

  private static List<Diagnostic> withCode(DesiredStateCheck.Checked c, String code) {
    return c.diagnostics().stream().filter(d -> d.code().equals(code)).toList();
  }

  private static final String TWO_NETWORKS = """
      networks:
        front: {}
        back: {}
      containers:
        db: {networks: [back]}
      """;

  @Test
  void everyComposeFormOfTheNameKeysIsRead() {
    var c = check(TWO_NETWORKS + """
          web:
            networks: [front, back]
            hostname: web.example
            links: [db, "db:database"]
            extra_hosts: ["a.example:192.0.2.1", "b.example=192.0.2.2", "c.example:::1", "d.example=[fd00::4]",
              "gw=host-gateway"]
            dns: 192.0.2.53
            dns_search: example.com
            dns_opt: [ndots:2, edns0]
          api:
            networks: [front]
            extra_hosts: {e.example: 192.0.2.5, f.example: [192.0.2.6, 192.0.2.7]}
            dns: [192.0.2.53, 192.0.2.54]
            dns_search: [a.example, b.example]
        """);
    assertTrue(c.passes(true), c.diagnostics()::toString);
    NameSettings web = c.state().containers().get("web").names();
    assertEquals(Optional.of("web.example"), web.hostname());
    assertEquals(List.of(new Link("db", "db"), new Link("db", "database")), web.links());
    assertEquals(List.of(host("a.example", "192.0.2.1"), host("b.example", "192.0.2.2"), host("c.example", "::1"),
        host("d.example", "fd00::4"), new ExtraHost("gw", Optional.empty())), web.extraHosts());
    assertEquals(List.of(IpAddress.parse("192.0.2.53")), web.dns());
    assertEquals(List.of("example.com"), web.dnsSearch());
    assertEquals(List.of("ndots:2", "edns0"), web.dnsOptions());
    Container api = c.state().containers().get("api");
    assertEquals(List.of(host("e.example", "192.0.2.5"), host("f.example", "192.0.2.6"), host("f.example", "192.0.2.7")),
        api.names().extraHosts());
    assertEquals(List.of("a.example", "b.example"), api.names().dnsSearch());
  }

  private static ExtraHost host(String name, String ip) {
    return new ExtraHost(name, Optional.of(IpAddress.parse(ip)));
  }

  @Test
  void anAliasThatIsAnotherContainersNameOnTheNetworkIsAWarningNamingBoth() {
    var c = check(TWO_NETWORKS + """
          cache:
            networks:
              back: {aliases: [db]}
              front: {aliases: [web]}
          web: {networks: [front]}
        """);
    assertTrue(c.valid(), c.diagnostics()::toString);
    List<Diagnostic> found = withCode(c, "alias-shadows-name");
    assertEquals(2, found.size(), c.diagnostics()::toString);
    Diagnostic d = found.get(0);
    assertEquals(8, d.location().line());
    assertTrue(d.message().contains("alias \"db\" of container \"cache\" on network \"back\" is also the name of "
        + "container \"db\" there (at names.yaml:5:7)"), d.message());
    assertTrue(d.message().contains("both containers' addresses, as Docker's does"), d.message());
  }

  @Test
  void aSharedAliasAndAnAliasOnAnotherNetworkAreFine() {
    var c = check(TWO_NETWORKS + """
          a: {networks: {back: {aliases: [search]}}}
          b: {networks: {back: {aliases: [search]}}}
          c: {networks: {front: {aliases: [db]}}}
        """);
    assertTrue(c.passes(true), c.diagnostics()::toString);
  }

  @Test
  void linksMustNameADeclaredContainerOnASharedNetworkAndNotItself() {
    var c = check(TWO_NETWORKS + """
          web:
            networks: [front]
            links: [dbb, db, web, "db:bad alias"]
        """);
    assertEquals("did you mean \"db\"?", withCode(c, "unknown-container").get(0).hint());
    assertEquals(2, withCode(c, "link-not-shared").size(), "db and db:bad alias: web is on front, db on back");
    assertTrue(withCode(c, "bad-link").get(0).message().contains("links to itself"));
    assertEquals(8, withCode(c, "bad-alias").get(0).location().line());
  }

  private static final String TWO_HOSTS = """
      hosts:
        a: {address: 10.10.10.1}
        b: {address: 10.10.10.2}
      networks:
        bridge0: {default: true, ipam: {config: [{subnet: 10.5.0.0/24}]}}
        plain: {}
        ov: {driver: overlay}
      containers:
        x: {host: a}
      """;

  /** A bridge network is one per host, as two Docker daemons each have their own: a link across hosts needs an overlay. */
  @Test
  void aLinkAcrossHostsOverABridgeNetworkIsNotShared() {
    var c = check(TWO_HOSTS + """
          y: {host: b, links: ["x:db"]}
        """);
    List<Diagnostic> found = withCode(c, "link-not-shared");
    assertEquals(1, found.size(), c.diagnostics()::toString);
    assertTrue(found.get(0).message().contains("container \"y\" on host b links to \"x\" on host a, and they share no "
        + "network: a bridge or macvlan network (\"bridge0\") is one per host"), found.get(0).message());
    assertTrue(check(TWO_HOSTS + """
          y: {host: a, links: ["x:db"]}
        """).passes(true), "on one host they share it");
    var overlay = check(TWO_HOSTS + """
          z: {host: a, networks: [plain, ov]}
          y: {host: b, networks: [plain, ov], links: ["z:db"]}
        """);
    assertTrue(overlay.passes(true), overlay.diagnostics()::toString);
  }

  @Test
  void anAliasShadowsANameOnlyWhereBothMeetOnOneHostOrOnAnOverlay() {
    var c = check(TWO_HOSTS + """
          db: {host: b, networks: [plain, ov]}
          apart: {host: a, networks: {plain: {aliases: [db]}}}
          sameHost: {host: b, networks: {plain: {aliases: [db]}}}
          overlay: {host: a, networks: {ov: {aliases: [db]}}}
        """);
    assertTrue(c.valid(), c.diagnostics()::toString);
    List<String> shadowing = withCode(c, "alias-shadows-name").stream().map(d -> d.message().split("\"")[3]).toList();
    assertEquals(List.of("sameHost", "overlay"), shadowing, c.diagnostics()::toString);
  }

  @Test
  void nameKeysOnAHostOrJoinedContainerAreIgnoredWithAWarning() {
    var c = check(TWO_NETWORKS + """
          side: {network_mode: "container:db", hostname: side, dns: [192.0.2.53]}
        """);
    assertTrue(c.valid(), c.diagnostics()::toString);
    assertEquals(2, withCode(c, "ignored-setting").size(), c.diagnostics()::toString);
    assertTrue(withCode(c, "ignored-setting").get(0).hint().contains("set it on db"));
  }

  @Test
  void searchDomainsAndOptionsAreChecked() {
    var c = check(TWO_NETWORKS + """
          web: {networks: [front], dns_search: ["a..b"], dns_opt: ["timeout:x", rotate]}
        """);
    assertTrue(withCode(c, "bad-dns-search").get(0).message().contains("two dots in a row"));
    assertTrue(withCode(c, "unknown-dns-option").get(0).message().contains("timeout needs a number"));
    assertEquals(1, withCode(c, "unknown-dns-option").size(), "rotate is known");
  }
}
