package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netform check on the "live host" (the test JVM's own network namespace) and after an apply in a
 * sandbox: real TCP connections from the containers' namespaces decide each assertion.
 */
@KernelTest
class CheckCommandTest {

  LiveHost host;
  Path desired;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    desired = LiveHost.desired("08-icc-off.yaml");
    host.apply(desired);
  }

  @AfterEach
  void tearDown() {
    host.run("destroy", "--auto-approve", desired.toString());
  }

  /** The example with one more assertion: {@code reachable} as given, from noicc-a to noicc-b. */
  private Path withAssertion(boolean reachable) throws Exception {
    Path file = Files.createTempDirectory("netform-check").resolve("a.yaml");
    Files.writeString(file, Files.readString(RepoFiles.examples().resolve("08-icc-off.yaml"))
        + "  - {from: noicc-b, to: noicc-a, port: 80, reachable: " + reachable + "}\n");
    return file;
  }

  @Test
  void iccOffIsCheckedWithRealConnections() {
    var r = host.run("check", desired.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("ok    noicc-a -> noicc-b:80  expected blocked, blocked: 10.50.0.3 no answer"), r.out());
    assertTrue(r.out().contains("1 expectation checked: 1 held, 0 failed."), r.out());
  }

  @Test
  void anAssertionThatDoesNotHoldFailsTheCheck() throws Exception {
    var r = host.run("check", "--timeout", "300ms", withAssertion(true).toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("FAIL  noicc-b -> noicc-a:80  expected reachable, blocked"), r.out());
    assertTrue(r.out().contains("2 expectations checked: 1 held, 1 failed."), r.out());
  }

  @Test
  void aSandboxApplyFailsWhenAnAssertionDoesNot() throws Exception {
    var held = ValidateCommandTest.run("apply", "--sandbox", "--auto-approve", withAssertion(false).toString());
    assertEquals(0, held.code(), held.out() + held.err());
    var failed = ValidateCommandTest.run("apply", "--sandbox", "--auto-approve", withAssertion(true).toString());
    assertEquals(1, failed.code(), failed.out() + failed.err());
    assertTrue(failed.out().contains("FAIL  noicc-b -> noicc-a:80"), failed.out());
  }

  @Test
  void anAssertionThisHostCannotCheckFailsTheCheck() throws Exception {
    Path other = LiveHost.desired("03-test-net1-test-net2.yaml"); // not applied here
    var r = host.run("check", other.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("FAIL  both-box -> net1-box:80  cannot be checked: net1-box has no address on this host"),
        r.out());
    assertTrue(r.out().contains("3 expectations checked: 0 held, 3 failed."), r.out());
    assertTrue(r.out().contains("a.yaml:26:5)"), "a failure names where its entry is written: " + r.out());
  }
}
