package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.testing.ChildNetform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * apply --confirm-within on the "live host" (the test JVM's own network namespace): the host goes
 * back to what netform held before, by its timer (a process of its own) or by rollback, unless
 * confirmed; meanwhile no other change is made.
 */
@KernelTest
class ConfirmRollbackTest {

  LiveHost host;
  Path before;
  Path after;

  /** The firewall backend the commands use; a subclass runs the same tests with nftables. */
  String firewall() {
    return "iptables";
  }

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create(firewall());
    before = LiveHost.desired("08-icc-off.yaml");
    after = LiveHost.desired("03-test-net1-test-net2.yaml");
    host.apply(before);
  }

  @AfterEach
  void tearDown() {
    ValidateCommandTest.run("confirm", "--state-dir", host.state().toString()); // stops a timer still waiting
    host.run("destroy", "--auto-approve", before.toString());
    host.run("destroy", "--auto-approve", after.toString());
  }

  private ValidateCommandTest.Result applyConfirmingWithin(String duration) throws Exception {
    var r = host.run("apply", "--auto-approve", "--no-color", "--confirm-within", duration, after.toString());
    Instant done = Instant.now();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("Confirm within " + duration + " with 'netform confirm'"), r.out());
    assertTrue(log().contains("rollback timer of checkpoint "), "the apply waited for its timer to start: " + log());
    String record = Files.readString(host.state().resolve("checkpoint.json"));
    Instant deadline = Instant.parse(record.replaceAll("(?s).*\"deadline\"\s*:\s*\"([^\"]+)\".*", "$1"));
    Duration within = new DurationConverter().convert(duration);
    assertTrue(!deadline.isBefore(done.minusSeconds(1).plus(within)), "the time to confirm starts when the apply is done: "
        + deadline + " for an apply done at " + done);
    return r;
  }

  private void assertHolds(Path desired) {
    var plan = host.run("plan", "--detailed-exitcode", desired.toString());
    assertEquals(0, plan.code(), "the host holds " + desired + ": " + plan.out() + plan.err());
  }

  /** Waits until the checkpoint is gone (the timer acted), at most {@code limit}. */
  private void awaitNoCheckpoint(Duration limit) throws InterruptedException {
    Instant until = Instant.now().plus(limit);
    while (Files.exists(host.state().resolve("checkpoint.json")) && Instant.now().isBefore(until)) {
      Thread.sleep(200);
    }
  }

  private String log() throws Exception {
    Path log = host.state().resolve("rollback.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void anUnconfirmedApplyIsRolledBackByItsTimer() throws Exception {
    applyConfirmingWithin("2s");
    assertHolds(after);
    var refused = host.run("destroy", "--auto-approve", after.toString());
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("waits for confirmation") && refused.err().contains("Nothing was changed"),
        refused.err());
    awaitNoCheckpoint(Duration.ofSeconds(30));
    assertTrue(log().contains("Rollback complete!"), log());
    assertHolds(before);
    assertEquals(1, ValidateCommandTest.run("confirm", "--state-dir", host.state().toString()).code(),
        "nothing is left to confirm");
  }

  /**
   * An apply killed half-way, after its checkpoint (the process halts after 10 of its steps): the
   * timer, a process of its own, outlives it and brings the host back to the checkpoint.
   */
  @Test
  void anApplyKilledHalfWayIsRolledBackByItsTimer() throws Exception {
    var killed = ChildNetform.run(NetnsHandle.ofThisProcess(), Map.of(), List.of("-Dnetform.test.crashAfterSteps=10"),
        List.of("apply", "--auto-approve", "--no-color", "--state-dir", host.state().toString(), "--netns-dir",
            host.netns().toString(), "--firewall-backend", firewall(), "--confirm-within", "3s", after.toString()));
    assertEquals(137, killed.code(), "halted half-way: " + killed.out() + killed.err());
    assertTrue(killed.out().contains("Plan: "), "it got as far as the plan: " + killed.out());
    assertTrue(Files.exists(host.state().resolve("checkpoint.json")), "the checkpoint outlives the apply");
    awaitNoCheckpoint(Duration.ofSeconds(60));
    assertTrue(log().contains("Rollback complete!"), log());
    assertHolds(before);
  }

  @Test
  void aConfirmedApplyStaysAndItsTimerEndsQuietly() throws Exception {
    applyConfirmingWithin("3s");
    var confirmed = ValidateCommandTest.run("confirm", "--state-dir", host.state().toString());
    assertEquals(0, confirmed.code(), confirmed.out() + confirmed.err());
    assertTrue(confirmed.out().startsWith("Confirmed: the apply of"), confirmed.out());
    Instant until = Instant.now().plusSeconds(20);
    while (!log().contains("nothing to do") && Instant.now().isBefore(until)) {
      Thread.sleep(200);
    }
    assertTrue(log().contains("was confirmed or rolled back: nothing to do"), log());
    assertHolds(after);
  }

  @Test
  void rollbackGoesBackAtOnceAndEndsTheCheckpoint() throws Exception {
    applyConfirmingWithin("10m");
    var rolled = host.run("rollback", "--no-color");
    assertEquals(0, rolled.code(), rolled.out() + rolled.err());
    assertTrue(rolled.out().contains("Rollback complete!") && rolled.out().contains("ended"), rolled.out());
    assertHolds(before);
    assertEquals(1, host.run("rollback").code(), "nothing is left to roll back");
  }

  @Test
  void aCheckpointNetformCannotReadStopsChangesWithoutATrace() throws Exception {
    Files.writeString(host.state().resolve("checkpoint.json"), "{\"format\": \"netform-checkpoint\", \"version\": 1, \"id\": \"x\"}");
    var r = host.run("apply", "--auto-approve", after.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("checkpoint.json cannot be read (its id \"x\" is not 12 hexadecimal digits)"), r.err());
    assertTrue(r.err().contains("remove it"), r.err());
    assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
    Files.delete(host.state().resolve("checkpoint.json"));
    assertHolds(before);
  }

  @Test
  void confirmWithinIsRefusedWhereNoCheckpointCanBeKept() throws Exception {
    Path plan = host.state().resolve("plan.json");
    assertEquals(0, host.run("plan", "--out", plan.toString(), after.toString()).code());
    var saved = host.run("apply", "--auto-approve", "--confirm-within", "1m", plan.toString());
    assertEquals(1, saved.code());
    assertTrue(saved.err().contains("not a saved plan"), saved.err());
    var zero = host.run("apply", "--auto-approve", "--confirm-within", "0s", after.toString());
    assertEquals(1, zero.code());
    assertTrue(zero.err().contains("not longer than zero"), zero.err());
    var sandbox = ValidateCommandTest.run("apply", "--sandbox", "--auto-approve", "--confirm-within", "1m", after.toString());
    assertEquals(1, sandbox.code());
    assertTrue(sandbox.err().contains("sandbox"), sandbox.err());
    assertHolds(before);
  }

  @Test
  void aTimerThatCannotStartStopsTheApplyBeforeAnyChange() throws Exception {
    Files.createDirectory(host.state().resolve("rollback.log")); // its output cannot go there
    var r = host.run("apply", "--auto-approve", "--confirm-within", "1m", after.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("the rollback timer did not start") && r.err().contains("Nothing was changed"), r.err());
    assertTrue(!Files.exists(host.state().resolve("checkpoint.json")), "no checkpoint without its timer");
    assertHolds(before);
    Files.delete(host.state().resolve("rollback.log"));
  }
}
