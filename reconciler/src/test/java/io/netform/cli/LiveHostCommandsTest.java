package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.HostLock;
import io.netform.kernel.KernelTest;
import io.netform.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * apply, destroy and saved plans on the "live host": here the test JVM's own private network
 * namespace, with state and namespace directories of the test's own.
 */
@KernelTest
class LiveHostCommandsTest {

  Path state;
  Path netns;
  Path desired;

  @BeforeEach
  void setUp() throws Exception {
    state = Files.createTempDirectory("netform-state");
    netns = Files.createTempDirectory("netform-netns");
    desired = Files.createTempDirectory("netform-desired");
    Files.copy(RepoFiles.examples().resolve("08-icc-off.yaml"), desired.resolve("a.yaml"));
    Files.copy(RepoFiles.examples().resolve("06-joined-container.yaml"), desired.resolve("b.yaml"));
  }

  @AfterEach
  void tearDown() {
    run("destroy", "--auto-approve", "--state-dir", state.toString(), "--netns-dir", netns.toString(), desired.toString());
  }

  private String[] host(String... args) {
    String[] out = new String[args.length + 4];
    System.arraycopy(args, 0, out, 0, 1);
    out[1] = "--state-dir";
    out[2] = state.toString();
    out[3] = "--netns-dir";
    out[4] = netns.toString();
    System.arraycopy(args, 1, out, 5, args.length - 1);
    return out;
  }

  @Test
  void destroyRemovesOnlyTheGivenDesiredStatesObjects() {
    var applied = run(host("apply", "--auto-approve", "--no-color", desired.toString()));
    assertEquals(0, applied.code(), applied.out() + applied.err());
    var again = run(host("plan", "--detailed-exitcode", desired.toString()));
    assertEquals(0, again.code(), "applied state re-plans empty: " + again.out());
    var destroyed = run(host("destroy", "--auto-approve", "--no-color", desired.resolve("a.yaml").toString()));
    assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
    assertTrue(destroyed.out().contains("# network \"noicc\""), destroyed.out());
    assertTrue(!destroyed.out().contains("joined-net"), "b.yaml's objects are untouched: " + destroyed.out());
    var rest = run(host("plan", "--detailed-exitcode", desired.resolve("b.yaml").toString()));
    assertEquals(0, rest.code(), "b.yaml still fully applied: " + rest.out());
  }

  @Test
  void aSavedPlanIsRefusedOnceTheHostChanged() throws Exception {
    Path plan = state.resolve("plan.json");
    var planned = run(host("plan", "--out", plan.toString(), desired.resolve("a.yaml").toString()));
    assertEquals(0, planned.code(), planned.err());
    assertEquals(0, run(host("apply", "--auto-approve", desired.resolve("b.yaml").toString())).code());
    var stale = run(host("apply", "--auto-approve", plan.toString()));
    assertEquals(1, stale.code());
    assertTrue(stale.err().contains("is stale"), stale.err());
    var fresh = run(host("plan", "--out", plan.toString(), desired.toString()));
    assertEquals(0, fresh.code());
    var applied = run(host("apply", "--auto-approve", "--no-color", plan.toString()));
    assertEquals(0, applied.code(), applied.out() + applied.err());
    assertTrue(applied.out().contains("Apply complete!"), applied.out());
  }

  @Test
  void aSecondRunSaysWhoHoldsTheLock() {
    try (HostLock held = HostLock.acquire(state, "apply (held by the test)")) {
      var r = run(host("apply", "--auto-approve", desired.toString()));
      assertEquals(1, r.code());
      assertTrue(r.err().contains("another netform is changing this host (pid " + ProcessHandle.current().pid()), r.err());
      assertTrue(r.err().contains("apply (held by the test)"), r.err());
    }
  }
}
