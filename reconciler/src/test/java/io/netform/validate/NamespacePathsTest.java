package io.netform.validate;

import static io.netform.validate.Validated.assertValid;
import static io.netform.validate.Validated.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A container adopts only a named namespace, written so that one file has one spelling, and alone. */
class NamespacePathsTest {

  private static String adopting(String path) {
    return "containers:\n  c:\n    network_mode: none\n    namespace: \"" + path + "\"\n";
  }

  @ParameterizedTest
  @ValueSource(strings = {"/proc/1/ns/net", "/proc/self/ns/net", "/proc/thread-self/ns/net", "/proc/4321/task/4321/ns/net",
      "/proc"})
  void aProcessNamespaceIsRefusedWithHowToNameIt(String path) {
    Diagnostic d = onlyError(adopting(path), "proc-namespace-path");
    assertTrue(d.message().contains("netform adopts only named namespaces"), d.message());
    assertEquals("name it first: ip netns attach NAME PID, then namespace: /run/netns/NAME", d.hint());
    assertEquals(4, d.location().line());
    assertEquals(16, d.location().column());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/run/netns/../netns/web | a '..' segment",
      "/run/./netns/web | a '.' segment",
      "/run//netns/web | a '//'",
      "/run/netns/web/ | a trailing '/'",
      "/ | a trailing '/'",
      "/web | not a namespace file in a directory (DIR/NAME)",
      "/run/netns/we\\tb | contains a control character"})
  void aPathNotInNormalFormIsRefused(String path, String fragment) {
    Diagnostic d = onlyError(adopting(path), "bad-namespace-path");
    assertTrue(d.message().contains(fragment), d.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"run/netns/web", "namespace"})
  void aRelativePathIsRefused(String path) {
    Diagnostic d = onlyError(adopting(path), "relative-namespace-path");
    assertEquals(16, d.location().column(), "at the value, also when it is spelt like its key");
    assertTrue(d.hint().endsWith("/run/netns/NAME"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/run/netns/web", "/var/run/netns/web", "/run/netns/..web", "/run/netns/.web", "/procfs/web",
      "/srv/ns dir/web"})
  void namedNamespacesAreFine(String path) {
    assertValid(adopting(path));
  }

  @Test
  void twoContainersAdoptingOneNamespaceAreRefused() {
    String yaml = adopting("/run/netns/shared") + "  d:\n    network_mode: none\n    namespace: /run/netns/shared\n";
    Diagnostic d = onlyError(yaml, "shared-namespace");
    assertEquals(7, d.location().line());
    assertTrue(d.message().contains("\"c\" and \"d\" both adopt the namespace /run/netns/shared (at t.yaml:4:16)"),
        d.message());
    assertTrue(d.hint().contains("network_mode: container:c"));
  }
}
