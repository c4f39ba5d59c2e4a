package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.HostLock;
import io.netform.kernel.KernelTest;
import io.netform.kernel.StateDirectory;
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

  LiveHost host;
  Path state;
  Path desired;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    state = host.state();
    desired = LiveHost.desired("08-icc-off.yaml", "06-joined-container.yaml");
  }

  @AfterEach
  void tearDown() {
    host.run("destroy", "--auto-approve", desired.toString());
  }

  @Test
  void destroyRemovesOnlyTheGivenDesiredStatesObjects() {
    var applied = host.run("apply", "--auto-approve", "--no-color", desired.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
    var again = host.run("plan", "--detailed-exitcode", desired.toString());
    assertEquals(0, again.code(), "applied state re-plans empty: " + again.out());
    var destroyed = host.run("destroy", "--auto-approve", "--no-color", desired.resolve("a.yaml").toString());
    assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
    assertTrue(destroyed.out().contains("# network \"noicc\""), destroyed.out());
    assertTrue(!destroyed.out().contains("joined-net"), "b.yaml's objects are untouched: " + destroyed.out());
    var rest = host.run("plan", "--detailed-exitcode", desired.resolve("b.yaml").toString());
    assertEquals(0, rest.code(), "b.yaml still fully applied: " + rest.out());
    var twice = host.run("destroy", "--auto-approve", "--no-color", desired.resolve("a.yaml").toString());
    assertEquals(0, twice.code(), twice.out() + twice.err());
    assertTrue(twice.out().contains("Nothing netform made for this desired state is on the host"),
        "a destroy does not say the host matches what it removes: " + twice.out());
  }

  @Test
  void aSavedPlanIsRefusedOnceTheHostChanged() throws Exception {
    Path plan = state.resolve("plan.json");
    var planned = host.run("plan", "--out", plan.toString(), desired.resolve("a.yaml").toString());
    assertEquals(0, planned.code(), planned.err());
    assertEquals(0, host.run("apply", "--auto-approve", desired.resolve("b.yaml").toString()).code());
    var stale = host.run("apply", "--auto-approve", plan.toString());
    assertEquals(1, stale.code());
    assertTrue(stale.err().contains("is stale"), stale.err());
    var fresh = host.run("plan", "--out", plan.toString(), desired.toString());
    assertEquals(0, fresh.code());
    var applied = host.run("apply", "--auto-approve", "--no-color", plan.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
    assertTrue(applied.out().contains("Apply complete!"), applied.out());
  }

  @Test
  void aSecondRunSaysWhoHoldsTheLock() {
    try (HostLock held = HostLock.acquire(StateDirectory.open(state), "apply (held by the test)")) {
      var r = host.run("apply", "--auto-approve", desired.toString());
      assertEquals(1, r.code());
      assertTrue(r.err().contains("another netform is changing this host (pid " + ProcessHandle.current().pid()), r.err());
      assertTrue(r.err().contains("apply (held by the test)"), r.err());
    }
  }
}
