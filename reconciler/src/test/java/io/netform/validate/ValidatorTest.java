package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorTest {

  @TempDir
  Path dir;

  private DesiredStateCheck.Checked check(String... files) throws IOException {
    List<Path> paths = new java.util.ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      Path p = dir.resolve("f" + i + ".yaml");
      Files.writeString(p, files[i]);
      paths.add(p);
    }
    return DesiredStateCheck.run(paths);
  }

  private static Diagnostic only(DesiredStateCheck.Checked c, String code) {
    return c.diagnostics().stream().filter(d -> d.code().equals(code)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " in " + c.diagnostics()));
  }

  @Test
  void hostBitsInASubnetAreAWarningWithTheCanonicalForm() throws IOException {
    var c = check("networks:\n  mynet: {ipam: {config: [{subnet: 192.168.0.1/16, gateway: 192.168.0.2}]}}\n");
    assertTrue(c.valid());
    assertFalse(c.passes(true), "--strict turns the warning into a failure");
    Diagnostic d = only(c, "subnet-host-bits");
    assertTrue(d.hint().contains("192.168.0.0/16"));
  }

  @Test
  void aNameDefinedInTwoFilesNamesBothPlaces() throws IOException {
    var c = check("networks:\n  web: {}\n", "networks:\n  web: {}\n");
    Diagnostic d = only(c, "duplicate-name");
    assertTrue(d.location().file().endsWith("f1.yaml"));
    assertTrue(d.message().contains("f0.yaml:2:3"), d.message());
  }

  @Test
  void filesMergeIntoOneState() throws IOException {
    var c = check("networks:\n  web: {ipam: {config: [{subnet: 10.1.0.0/24}]}}\n",
        "containers:\n  box:\n    networks:\n      web: {ipv4_address: 10.1.0.9}\n");
    assertTrue(c.valid(), c.diagnostics()::toString);
    assertEquals(1, c.state().networks().size());
    assertEquals(1, c.state().containers().size());
  }

  @Test
  void dockerOptionsAreSynonymsOfFirstClassKeys() throws IOException {
    var c = check("networks:\n  n:\n    driver_opts:\n      com.docker.network.bridge.name: br-n\n"
        + "      com.docker.network.driver.mtu: \"9000\"\n      com.docker.network.bridge.enable_icc: \"false\"\n");
    assertTrue(c.valid(), c.diagnostics()::toString);
    var n = c.state().networks().get("n");
    assertEquals("br-n", n.bridgeName().orElseThrow());
    assertEquals(9000, n.mtu());
    assertFalse(n.icc());
  }

  @Test
  void agreeingSpellingsAreFine() throws IOException {
    var c = check("networks:\n  n:\n    icc: false\n    driver_opts: {com.docker.network.bridge.enable_icc: \"false\"}\n");
    assertTrue(c.valid(), c.diagnostics()::toString);
  }

  @Test
  void errorsFromADriverOptionPointAtTheOption() throws IOException {
    var c = check("networks:\n  n:\n    driver_opts:\n      com.docker.network.bridge.name: a-name-far-too-long\n");
    Diagnostic d = only(c, "bad-interface-name");
    assertEquals(4, d.location().line());
  }

  @Test
  void everyErrorIsReportedAtOnce() throws IOException {
    var c = check("networks:\n  a: {bridge_name: \"x/y\"}\n  b: {driver: macvlan}\ncontainers:\n  c: {networks: [zzz]}\n");
    assertTrue(c.diagnostics().stream().filter(Diagnostic::isError).count() >= 3, c.diagnostics()::toString);
  }

  @Test
  void aContainerWithoutNetworksJoinsTheDefaultOneSilently() throws IOException {
    var c = check("networks:\n  bridge: {default: true}\ncontainers:\n  lonely: {}\n");
    assertTrue(c.passes(true), c.diagnostics()::toString);
    var warned = check("networks:\n  web: {}\ncontainers:\n  lonely: {}\n");
    only(warned, "no-network");
  }

  /** Docker reserves the gateway, then each aux address: one already taken fails the network's creation. */
  @Test
  void anAuxAddressTakenAlreadyIsRefusedAsDockerRefusesIt() {
    String pool = "version: 1\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 173.20.0.0/16\n"
        + "          gateway: 173.20.0.1\n";
    Diagnostic gateway = Validated.onlyError(pool + "          aux_addresses: {a: 173.20.0.1}\n", "aux-is-gateway");
    assertTrue(gateway.message().startsWith("failed to allocate secondary ip address (a:173.20.0.1): Address already in use"),
        gateway.message());
    Diagnostic twice = Validated.onlyError(pool + "          aux_addresses: {a: 173.20.0.9, b: 173.20.0.9}\n",
        "aux-address-twice");
    assertEquals(8, twice.location().line(), twice.toString());
    assertTrue(twice.message().contains("(b:173.20.0.9)") && twice.message().contains("aux address \"a\" too"),
        twice.message());
    Validated.assertValid(pool + "          aux_addresses: {a: 173.20.0.9, b: 173.20.0.10}\n");
  }

  /** A name the schema refuses is reported where that name is written, not at the mapping's first key. */
  @Test
  void aBadNameIsReportedWhereItIsWritten() {
    Diagnostic d = Validated.onlyError("version: 1\nnetworks:\n  good: {}\n  other: {}\n  -bad: {}\n", "schema-propertyNames");
    assertEquals(List.of(5, 3), List.of(d.location().line(), d.location().column()), d.toString());
    assertTrue(d.message().startsWith("\"-bad\" is not a name netform takes under networks"), d.message());
    assertTrue(d.hint().contains("start the name with a letter or digit"), d.hint());
  }

  /** host and none are Docker's modes, never networks; bridge is only ever the default network. */
  @Test
  void dockersPredefinedNetworkNamesKeepTheirMeaning() {
    Diagnostic host = Validated.onlyError("version: 1\nnetworks:\n  host: {}\n", "predefined-network");
    assertTrue(host.hint().contains("network_mode: host"), host.hint());
    Validated.onlyError("version: 1\nnetworks:\n  none: {}\n", "predefined-network");
    Diagnostic bridge = Validated.onlyError("version: 1\nnetworks:\n  bridge: {}\n  main: {default: true}\n",
        "predefined-network");
    assertEquals(3, bridge.location().line());
    Validated.assertValid("version: 1\nnetworks:\n  bridge: {default: true}\n");
  }

  @Test
  void portsOnAnInternalOnlyContainerAreAWarning() throws IOException {
    var c = check("networks:\n  i: {internal: true}\ncontainers:\n  c: {networks: [i], ports: [\"80:80\"]}\n");
    assertTrue(c.valid());
    only(c, "ports-on-internal");
  }

  @Test
  void portsOnDifferentHostAddressesDoNotConflict() throws IOException {
    var c = check("networks:\n  w: {}\ncontainers:\n  a: {networks: [w], ports: [\"127.0.0.1:80:80\"]}\n"
        + "  b: {networks: [w], ports: [\"127.0.0.2:80:80\"]}\n  d: {networks: [w], ports: [\"80:80/udp\"]}\n");
    assertTrue(c.valid(), c.diagnostics()::toString);
  }

  @Test
  void netformignoreSkipsMatchingPathsOfADirectory() throws IOException {
    Files.createDirectories(dir.resolve("drafts"));
    Files.writeString(dir.resolve("drafts/broken.yaml"), "networks: [\n");
    Files.writeString(dir.resolve("good.yaml"), "networks:\n  web: {}\n");
    assertFalse(DesiredStateCheck.run(List.of(dir)).valid());
    Files.writeString(dir.resolve(".netformignore"), "# drafts are not ready\ndrafts/\n");
    var c = DesiredStateCheck.run(List.of(dir));
    assertTrue(c.valid(), c.diagnostics()::toString);
    assertEquals(1, c.files());
  }

  @Test
  void missingPathIsAnErrorNotACrash() {
    var c = DesiredStateCheck.run(List.of(dir.resolve("nope.yaml")));
    only(c, "missing-file");
  }
}
