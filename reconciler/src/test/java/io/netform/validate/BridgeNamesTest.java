package io.netform.validate;

import static io.netform.validate.Validated.assertValid;
import static io.netform.validate.Validated.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.KernelNames;
import io.netform.desired.Network;
import io.netform.diagnostics.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bridge names netform would create wrongly, or that collide with the kernel's or its own, are refused. */
class BridgeNamesTest {

  private static String bridge(String name) {
    return "networks:\n  n:\n    bridge_name: \"" + name + "\"\n";
  }

  @ParameterizedTest
  @ValueSource(strings = {"br%d", "%d", "web%", "br%%"})
  void aTemplateNameIsRefusedOnce(String name) {
    Diagnostic d = onlyError(bridge(name), "template-bridge-name");
    assertTrue(d.message().contains("\"" + name + "\" contains '%'") && d.message().contains("every run"), d.message());
    assertEquals(3, d.location().line());
    assertEquals(18, d.location().column());
  }

  @Test
  void aTemplateNameGivenAsADockerOptionIsRefusedAtTheOption() {
    Diagnostic d = onlyError("networks:\n  n:\n    driver_opts:\n      com.docker.network.bridge.name: br%d\n",
        "template-bridge-name");
    assertEquals(4, d.location().line());
  }

  @ParameterizedTest
  @ValueSource(strings = {"lo", "all", "default", "bonding_masters"})
  void namesTheKernelKeepsAreRefused(String name) {
    assertTrue(onlyError(bridge(name), "kernel-reserved-bridge-name").message().startsWith("bridge name \"" + name + "\" is "));
  }

  @Test
  void namesNetformDerivesForItsOwnObjectsAreRefused() {
    Network other = Validated.of("networks:\n  other: {}\n").state().networks().get("other");
    String derivedBridge = KernelNames.bridge(other);
    String derivedVeth = KernelNames.hostVeth("c", "other");
    for (String name : new String[] {derivedBridge, derivedVeth}) {
      String yaml = bridge(name) + "  other: {}\ncontainers:\n  c: {networks: [other]}\n";
      assertTrue(onlyError(yaml, "netform-reserved-bridge-name").message().contains("nf- or nfv and 12 hex digits"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"br-web", "nf-docker0", "nfv", "nf-0123456789a", "nf-0123456789AB", "lo0", "all0", "docker0"})
  void otherNamesAreFine(String name) {
    assertValid(bridge(name));
  }
}
