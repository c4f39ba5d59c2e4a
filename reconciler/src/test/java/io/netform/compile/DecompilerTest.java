package io.netform.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.desired.write.DesiredStateYaml;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.ObservedHost;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** show's promise: what it prints validates and compiles back to exactly the objects it was read from. */
class DecompilerTest {

  @TestFactory
  Stream<DynamicTest> everyExampleRoundTripsThroughShow() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(RepoFiles.examples())) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> assertRoundTrips(TargetCompilerTest.compileFile(file), file.toString())));
  }

  /** The gateway network is told by the default route; a priority is shown only where Docker's order would differ. */
  @Test
  void theGatewayNetworkRoundTripsWhicheverItIs() {
    String yaml = "networks:\n  b: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n  a: {ipam: {config: [{subnet: 10.1.0.0/24}]}}\n"
        + "containers:\n  x: {networks: [b, a], ports: [\"8080:80\"]}\n";
    assertRoundTrips(TargetCompilerTest.compile(yaml), "a container whose gateway is its second network");
    assertRoundTrips(TargetCompilerTest.compile(yaml.replace("networks: [b, a]", "networks: {b: {gw_priority: 3}, a: {}}")),
        "a container whose gateway is its first network by priority");
  }

  /** A port of one family alone is shown with that family's unspecified address; one of both families, with none. */
  @Test
  void portsOfEachFamilyRoundTrip() {
    assertRoundTrips(TargetCompilerTest.compile(Ipv6FirewallRulesTest.DUAL), "ports on IPv4, IPv6 and both");
  }

  private static void assertRoundTrips(HostModel host, String what) {
    DesiredState shown = Hosts.shown(host);
    String yaml = DesiredStateYaml.write(shown, "shown");
    DesiredStateCheck.Checked reread = DesiredStateCheck.runText("shown.yaml", yaml);
    assertTrue(reread.passes(true), () -> yaml + "\n" + reread.diagnostics());
    HostModel again = Hosts.target(reread.state(), new ObservedHost(host, ForeignObjects.none()));
    assertEquals(host, again, () -> "show output of " + what + " does not compile back:\n" + yaml);
  }
}
