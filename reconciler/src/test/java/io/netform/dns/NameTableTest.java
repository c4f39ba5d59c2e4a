package io.netform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netform.desired.NameSettings;
import io.netform.names.NameRecord;
import io.netform.names.NameRecord.Endpoint;
import io.netform.net.IpAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a container may resolve: the names and aliases of its networks, at their addresses there; others are forwarded. */
class NameTableTest {

  private static final List<IpAddress> HOST = List.of(IpAddress.parse("192.0.2.53"));

  private static Endpoint on(String network, String ipv4, String... aliases) {
    return new Endpoint(network, Optional.of(IpAddress.parse(ipv4)), Optional.empty(), List.of(aliases), true);
  }

  private static NameRecord record(String name, NameSettings settings, Endpoint... endpoints) {
    return new NameRecord(name, true, List.of(endpoints), settings);
  }

  private static final NameTable TABLE = NameTable.of(List.of(
      record("api", new NameSettings(Optional.empty(), List.of(new NameSettings.Link("db", "database")), List.of(),
          List.of(), List.of(), List.of()), on("front", "10.0.1.2", "app"), on("back", "10.0.2.2")),
      record("db", NameSettings.NONE, on("back", "10.0.2.3", "postgres")),
      record("proxy", new NameSettings(Optional.empty(), List.of(), List.of(), List.of(IpAddress.parse("192.0.2.99")),
          List.of(), List.of()), on("front", "10.0.1.3")),
      record("Web", NameSettings.NONE, new Endpoint("default", Optional.of(IpAddress.parse("172.17.0.2")), Optional.empty(),
          List.of(), false))), HOST);

  private static Object lookup(String asker, String name) {
    NameTable.Answer a = TABLE.lookup(asker, name, false);
    return a instanceof NameTable.Addresses ad ? ad.addresses().stream().map(Object::toString).toList() : a;
  }

  @Test
  void aContainerOnTwoNetworksIsAnsweredWithTheAddressTheAskerShares() {
    assertEquals(List.of("10.0.1.2"), lookup("proxy", "api"));
    assertEquals(List.of("10.0.1.2"), lookup("proxy", "APP."), "aliases, case-insensitive, absolute or not");
    assertEquals(List.of("10.0.2.2"), lookup("db", "api"));
    assertEquals(List.of("10.0.2.3"), lookup("api", "postgres.back"), "NAME.NETWORK");
  }

  @Test
  void namesOfUnsharedNetworksAndOfTheDefaultNetworkAreForwarded() {
    assertInstanceOf(NameTable.Forward.class, lookup("proxy", "db"));
    assertInstanceOf(NameTable.Forward.class, lookup("proxy", "app.back"), "an alias is scoped to its network");
    assertInstanceOf(NameTable.Forward.class, lookup("proxy", "web"), "no names on the default network");
    assertInstanceOf(NameTable.Forward.class, lookup("unknown", "api"), "an asker with no record");
    assertInstanceOf(NameTable.NoData.class, TABLE.lookup("proxy", "api", true), "no IPv6: no data");
  }

  @Test
  void aLinkAliasIsTheLinkingContainersAlone() {
    assertEquals(List.of("10.0.2.3"), lookup("api", "database"));
    assertInstanceOf(NameTable.Forward.class, lookup("db", "database"));
  }

  @Test
  void forwardsGoToTheContainersOwnServersElseTheHosts() {
    assertEquals(List.of(IpAddress.parse("192.0.2.99")), TABLE.upstreams("proxy"));
    assertEquals(HOST, TABLE.upstreams("api"));
    assertEquals(Optional.of("api.front"), TABLE.reverse("proxy", IpAddress.parse("10.0.1.2")));
    assertEquals(Optional.empty(), TABLE.reverse("proxy", IpAddress.parse("10.0.2.2")), "not a shared network");
  }

  @Test
  void aContainerOnAnotherHostIsServedOnItsOverlayOnlyAndOnceThoughEveryLocalOneRecordsIt() {
    NameRecord.Remote web2 = new NameRecord.Remote("demo", "web2", IpAddress.parse("10.0.0.3"), List.of("api"), "");
    NameTable table = NameTable.of(List.of(
        new NameRecord("web1", true, List.of(on("demo", "10.0.0.2")), NameSettings.NONE, List.of(web2)),
        new NameRecord("web3", true, List.of(on("demo", "10.0.0.4")), NameSettings.NONE, List.of(web2)),
        record("other", NameSettings.NONE, on("plain", "10.30.0.2"))), HOST);
    assertEquals(new NameTable.Addresses(List.of(IpAddress.parse("10.0.0.3"))), table.lookup("web1", "api", false));
    assertEquals(new NameTable.Addresses(List.of(IpAddress.parse("10.0.0.3"))), table.lookup("web3", "web2.demo", false));
    assertEquals(Optional.of("web2.demo"), table.reverse("web1", IpAddress.parse("10.0.0.3")));
    assertInstanceOf(NameTable.Forward.class, table.lookup("other", "web2", false), "not on the overlay");
    NameRecord written = new NameRecord("web1", true, List.of(on("demo", "10.0.0.2")), NameSettings.NONE, List.of(web2));
    assertEquals(written, NameRecord.parse("web1", written.body()), "the record reads back what it wrote");
  }
}
