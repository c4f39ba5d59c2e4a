package io.netform.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.TargetCompiler;
import io.netform.ipam.Allocation;
import io.netform.ipam.Allocator;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.ForeignNamespace;
import io.netform.model.ForeignObjects;
import io.netform.model.ForeignRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SnapshotTest {

  @TempDir
  Path dir;

  public static ObservedHost exampleHost() {
    var c = DesiredStateCheck.run(List.of(RepoFiles.examples()));
    var model = TargetCompiler.compile(c.state(), Allocator.allocate(c.state(), Allocation.none()).allocation());
    return new ObservedHost(model, new ForeignObjects(Set.of("eth0", "docker0"), List.of(Cidr.parse("192.0.2.0/24")),
        Set.of("someone-elses"), List.of(Cidr.parse("192.0.2.5/24")),
        Map.of("someone-elses", new ForeignNamespace(Set.of("lo", "eth0"), List.of(Cidr.parse("0.0.0.0/0")), false)),
        List.of(new ForeignRule(FirewallTable.NAT, "PREROUTING", "-p tcp -j NETFORM-DNAT")), "/run/netns"));
  }

  @Test
  void everyObjectKindRoundTrips() throws IOException {
    ObservedHost host = exampleHost();
    Path file = dir.resolve("snap.json");
    Snapshot.write(host, file);
    assertEquals(host, Snapshot.read(file));
    assertTrue(Files.readString(file).contains("\"format\" : \"netform-snapshot\""));
  }

  @Test
  void whatIsInTheNamespaceDirectoryAndIsNoNamespaceRoundTrips() throws IOException {
    ObservedHost example = exampleHost();
    ForeignObjects f = example.foreign();
    ObservedHost host = new ObservedHost(example.owned(), new ForeignObjects(f.hostLinkNames(), f.hostRoutes(),
        f.namespaces(), f.hostAddresses(), f.namespaceContents(), f.firewallRules(), f.namespaceDir(), f.names(),
        Map.of("c1", "a file of 12 bytes", "c2", "a symbolic link to /etc/hosts")));
    Path file = dir.resolve("snap.json");
    Snapshot.write(host, file);
    assertEquals(host, Snapshot.read(file));
  }

  @Test
  void ip6tablesRulesKeepTheirFamilyAndOlderSnapshotsReadAsIptables() throws IOException {
    FirewallRule rule6 = new FirewallRule(FirewallTable.NAT, "POSTROUTING", "-j NETFORM-POSTROUTING", 0, Owner.HOST,
        IpAddress.Family.V6);
    ForeignRule foreign6 = new ForeignRule(FirewallTable.NAT, "PREROUTING", "-j NETFORM-DNAT", IpAddress.Family.V6);
    ObservedHost host = new ObservedHost(HostModel.of(List.of(rule6)), new ForeignObjects(Set.of(), List.of(), Set.of(),
        List.of(), Map.of(), List.of(foreign6), "/run/netns"));
    Path file = dir.resolve("v6.json");
    Snapshot.write(host, file);
    assertEquals(host, Snapshot.read(file));
    Path old = dir.resolve("old-rules.json");
    Files.writeString(old, "{\"format\": \"netform-snapshot\", \"version\": 1, \"owned\": [{\"kind\": \"rule\", "
        + "\"table\": \"NAT\", \"chain\": \"POSTROUTING\", \"spec\": \"-j NETFORM-POSTROUTING\", \"tier\": 0, "
        + "\"owner\": \"host\"}], \"foreign\": {\"firewall_rules\": [{\"table\": \"nat\", \"chain\": \"PREROUTING\", "
        + "\"spec\": \"-j NETFORM-DNAT\"}], \"namespace_dir\": \"/run/netns\"}}\n");
    ObservedHost read = Snapshot.read(old);
    assertEquals(List.of(new FirewallRule(FirewallTable.NAT, "POSTROUTING", "-j NETFORM-POSTROUTING", 0, Owner.HOST)),
        List.copyOf(read.owned().objects().values()));
    assertEquals(IpAddress.Family.V4, read.foreign().firewallRules().get(0).family());
  }

  @Test
  void aForeignRuleOfTheRawTableIsReadBackAsWritten() throws IOException {
    ForeignRule raw = new ForeignRule(FirewallTable.RAW, "PREROUTING", "-i eth9 -j DROP", IpAddress.Family.V4);
    ObservedHost host = new ObservedHost(HostModel.of(List.of()), new ForeignObjects(Set.of(), List.of(), Set.of(),
        List.of(), Map.of(), List.of(raw), "/run/netns"));
    Path file = dir.resolve("raw.json");
    Snapshot.write(host, file);
    assertEquals(host, Snapshot.read(file));
  }

  @Test
  void aSnapshotFromBeforeTheHostFactsReadsAsAnUnknownHost() throws IOException {
    Path file = dir.resolve("old.json");
    Files.writeString(file, "{\"format\": \"netform-snapshot\", \"version\": 1, \"owned\": [],\n"
        + " \"foreign\": {\"host_links\": [\"eth0\"], \"host_routes\": [], \"namespaces\": []}}\n");
    ObservedHost read = Snapshot.read(file);
    assertEquals(Set.of("eth0"), read.foreign().hostLinkNames());
    assertTrue(!read.foreign().isLive(), "without the namespace directory nothing is checked against it");
  }

  @Test
  void containerInterfacesOfASnapshotFromBeforeTheIpv6FieldHaveIpv6OnAsTheKernelMadeThem() throws IOException {
    List<KernelObject> read = ownedOfAFileWith("old-links.json", ""
        + "  {\"kind\": \"veth\", \"hostName\": \"nfv1\", \"bridge\": \"br0\", \"peerNamespace\": \"web1\", "
        + "\"peerName\": \"eth0\", \"peerMac\": \"02:42:0a:0f:14:02\", \"mtu\": 1500, \"up\": true, \"hairpin\": false, "
        + "\"owner\": \"container:web1\"},\n"
        + "  {\"kind\": \"macvlan\", \"namespace\": \"mv1\", \"name\": \"eth0\", \"parent\": \"eth0\", "
        + "\"mac\": \"02:42:ac:10:0a:02\", \"mtu\": 1500, \"up\": true, \"owner\": \"container:mv1\"},\n"
        + "  {\"kind\": \"overlay-port\", \"namespace\": \"nfo-x\", \"name\": \"nfv2\", \"bridge\": \"br0\", "
        + "\"peerNamespace\": \"web1\", \"peerName\": \"eth1\", \"peerMac\": \"02:42:0a:00:00:02\", \"mtu\": 1450, "
        + "\"up\": true, \"owner\": \"container:web1\"}\n");
    assertEquals(3, read.size());
    read.forEach(o -> assertEquals("on", o.attributes().get("ipv6"), o.displayName()));
  }

  @Test
  void bridgesOfASnapshotFromBeforeTheSnoopingFieldHaveMulticastSnoopingOnAsTheKernelMadeThem() throws IOException {
    List<KernelObject> read = ownedOfAFileWith("old-bridges.json", ""
        + "  {\"kind\": \"bridge\", \"name\": \"nf-web\", \"mtu\": 1500, \"subnets\": [\"10.15.20.0/24\"], "
        + "\"owner\": \"network:web\"},\n"
        + "  {\"kind\": \"overlay-bridge\", \"namespace\": \"overlay+demo\", \"name\": \"br0\", \"mtu\": 1450, "
        + "\"subnets\": [\"10.0.0.0/24\"], \"owner\": \"network:demo\"}\n");
    assertEquals(2, read.size());
    read.forEach(o -> assertEquals("on", o.attributes().get("mcast_snooping"), o.displayName()));
  }

  /** The owned objects read from a snapshot file {@code name} whose {@code owned} holds {@code objects} (JSON lines). */
  private List<KernelObject> ownedOfAFileWith(String name, String objects) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "{\"format\": \"netform-snapshot\", \"version\": 1, \"owned\": [\n" + objects
        + " ],\n \"foreign\": {}}\n");
    return List.copyOf(Snapshot.read(file).owned().objects().values());
  }

  @Test
  void aBadObjectIsReportedWithItsPlace() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"format\": \"netform-snapshot\", \"version\": 1,\n \"owned\": [\n"
        + "  {\"kind\": \"address\", \"namespace\": \"\", \"device\": \"br0\", \"address\": \"10.0.0.1/24\", \"owner\": \"host\"},\n"
        + "  {\"kind\": \"bridge\", \"name\": \"br0\", \"mtu\": \"lots\", \"subnets\": [], \"owner\": \"host\"}\n ],\n"
        + " \"foreign\": {}}\n");
    SnapshotException e = assertThrows(SnapshotException.class, () -> Snapshot.read(file));
    assertTrue(e.getMessage().startsWith(file + ":4:3: owned[1] is not a valid object"), e.getMessage());
  }

  @Test
  void badObjectsAreOneLineInTheFilesWordsWithTheWayOut() throws IOException {
    String bridge = "{\"kind\": \"bridge\", \"name\": \"br0\", \"mtu\": 1500, \"subnets\": [\"10.0.0.0/24\"], "
        + "\"owner\": \"host\"}";
    assertEquals(":4:3: owned[1] is not a valid object: it is null, not an object", ownedError(bridge + ",\n  null"));
    assertEquals(":3:3: owned[0] is not a valid object: its field \"owner\" is missing",
        ownedError(bridge.replace(", \"owner\": \"host\"", "")));
    assertTrue(ownedError(bridge.replace("\"bridge\"", "\"weird\"")).startsWith(
        ":3:3: owned[0] is not a valid object: its kind \"weird\" is not one of namespace, bridge, veth"));
    assertEquals(":3:3: owned[0] is not a valid object: its field \"subnets[0]\" is \"ten\", not a CIDR: ten",
        ownedError(bridge.replace("10.0.0.0/24", "ten")));
    assertEquals(":3:3: owned[0] is not a valid object: its field \"mtu\" is null, not a whole number",
        ownedError(bridge.replace("1500", "null")));
    assertEquals(": foreign.host_routes[0]: {\"x\":1} is not an address block",
        readErrorWithForeign("  \"host_routes\": [{\"x\": 1}],\n").replaceFirst("^:\\d+:\\d+", ""));
    assertEquals(": foreign.host_links[1]: 5 is not a string",
        readErrorWithForeign("  \"host_links\": [\"eth0\", 5],\n").replaceFirst("^:\\d+:\\d+", ""));
  }

  /** The error reading a snapshot whose {@code owned} holds {@code objects} from line 3, after the file's name. */
  private String ownedError(String objects) throws IOException {
    Path file = dir.resolve("owned.json");
    Files.writeString(file, "{\"format\": \"netform-snapshot\", \"version\": 1,\n \"owned\": [\n  " + objects
        + "\n ],\n \"foreign\": {}}\n");
    String message = assertThrows(SnapshotException.class, () -> Snapshot.read(file)).getMessage();
    assertTrue(message.startsWith(file.toString()), message);
    assertTrue(message.endsWith("; record the snapshot again with: netform show --snapshot FILE"), message);
    return message.substring(file.toString().length(), message.indexOf("; record the snapshot again"));
  }

  @Test
  void aFileThatIsNoTextOrTooLargeIsRefusedUnread() throws IOException {
    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {'{', 0, '}'});
    assertEquals(binary + ":1:2: not a netform snapshot: the file holds binary data or is not UTF-8 text; record one "
        + "with: netform show --snapshot FILE", assertThrows(SnapshotException.class, () -> Snapshot.read(binary)).getMessage());
    assertTrue(assertThrows(SnapshotException.class, () -> Snapshot.read(Path.of("/dev/zero"))).getMessage()
        .startsWith("/dev/zero:1:1: not a netform snapshot: the file holds binary data"));
    Path huge = dir.resolve("huge.json");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(600L * 1024 * 1024); // sparse: nothing is written, and nothing of it is read
    }
    assertEquals(huge + ": the file holds 629145600 bytes; netform reads at most 536870912 bytes of such a file",
        assertThrows(SnapshotException.class, () -> Snapshot.read(huge)).getMessage());
  }

  @Test
  void aBadForeignRuleIsReportedWithItsPlace() throws IOException {
    // Properties named firewall_rules deeper in foreign come first (one an array of rules): the place is the path's
    String rules = "  \"firewall_rules\": [\n"
        + "   {\"table\": \"nat\", \"chain\": \"PREROUTING\", \"spec\": \"-j NETFORM-DNAT\"},\n"
        + "   {\"table\": \"nat\", \"chain\": \"PREROUTING\", \"spec\": \"-j NETFORM-DNAT\", \"family\": \"ipv6\"},\n"
        + "     %s\n  ],\n";
    String decoy = "  \"namespace_contents\": {\"firewall_rules\": {\"links\": [], \"routes\": [],\n"
        + "   \"firewall_rules\": [{\"family\": \"x\"}, {}, {}]}},\n";
    assertEquals(":8:6: foreign.firewall_rules[2]: family \"ipv5\" is not ipv4 or ipv6", readErrorWithForeign(decoy
        + String.format(rules, "{\"table\": \"filter\", \"chain\": \"FORWARD\", \"spec\": \"-j X\", \"family\": \"ipv5\"}")));
    assertEquals(":8:6: foreign.firewall_rules[2]: table \"mangle\" is not filter, nat or raw", readErrorWithForeign(decoy
        + String.format(rules, "{\"table\": \"mangle\", \"chain\": \"FORWARD\", \"spec\": \"-j X\"}")));
  }

  @Test
  void aBadRouteOrAddressIsReportedWithItsPlace() throws IOException {
    assertEquals(":4:6: foreign.host_routes[1]: \"192.0.2.0\" is not an address block",
        readErrorWithForeign("  \"host_routes\": [\"192.0.2.0/24\",\n     \"192.0.2.0\"],\n"));
    assertEquals(":4:22: foreign.host_addresses[0]: \"192.0.2.5/33\" is not an address block",
        readErrorWithForeign("  \"host_routes\": [\"192.0.2.0/24\"],\n  \"host_addresses\": [\"192.0.2.5/33\"],\n"));
    assertEquals(":5:51: foreign.namespace_contents.b.routes[1]: \"default\" is not an address block",
        readErrorWithForeign("  \"namespace_contents\": {\n"
            + "   \"a\": {\"links\": [\"lo\"], \"routes\": [\"0.0.0.0/0\"], \"host\": false},\n"
            + "   \"b\": {\"links\": [\"lo\"], \"routes\": [\"0.0.0.0/0\", \"default\"], \"host\": false}},\n"));
    assertEquals(":4:43: foreign.host_resolvers.resolved_nameservers[1]: \"dns.example\" is not an address",
        readErrorWithForeign("  \"host_resolvers\": {\"nameservers\": [\"127.0.0.53\"],\n"
            + "   \"resolved_nameservers\": [\"192.0.2.53\", \"dns.example\"]},\n"));
  }

  /**
   * The error reading a snapshot whose {@code foreign} holds {@code properties} (JSON lines from line
   * 3, each ending ",\n"), after the file's name, which it must start with.
   */
  private String readErrorWithForeign(String properties) throws IOException {
    Path file = dir.resolve("foreign.json");
    Files.writeString(file, "{\"format\": \"netform-snapshot\", \"version\": 1, \"owned\": [],\n \"foreign\": {\n"
        + properties + "  \"namespace_dir\": \"/run/netns\"}}\n");
    String message = assertThrows(SnapshotException.class, () -> Snapshot.read(file)).getMessage();
    assertTrue(message.startsWith(file.toString()), message);
    return message.substring(file.toString().length());
  }

  @Test
  void notJsonAndWrongFormatAreClearErrors() throws IOException {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\"format\": \"netform-snapshot\",\n  \"version\": 1,,}");
    assertTrue(assertThrows(SnapshotException.class, () -> Snapshot.read(file)).getMessage().startsWith(file + ":2:16"));
    Files.writeString(file, "{\"format\": \"terraform\"}");
    assertTrue(assertThrows(SnapshotException.class, () -> Snapshot.read(file)).getMessage().contains("netform show --snapshot"));
  }
}
