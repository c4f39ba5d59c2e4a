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
 * {@code show --host NAME} on the "live host" (the test JVM's own namespace) holding docker2's
 * share of the multi-host example: what it prints validates and plans to no changes for docker2,
 * with no lock file beside it.
 */
@KernelTest
class ShowFleetCommandTest {

  static final String FLEET = RepoFiles.examples().resolve("multi-host").toString();

  LiveHost host;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    var applied = host.run("apply", "--auto-approve", "--no-color", "--host", "docker2", FLEET);
    assertEquals(0, applied.code(), applied.out() + applied.err());
  }

  @AfterEach
  void tearDown() {
    var destroyed = host.run("destroy", "--auto-approve", "--host", "docker2", FLEET);
    assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
  }

  @Test
  void theShownFleetValidatesAndPlansToNoChangesForThisHost() throws Exception {
    var shown = host.run("show", "--host", "docker2");
    assertEquals(0, shown.code(), shown.err());
    assertTrue(shown.out().contains("\n  docker3:\n    address: 192.168.50.101\n"), shown.out());
    assertTrue(shown.out().contains("\n  web2:\n    host: docker3\n    networks:\n"), shown.out());
    assertTrue(shown.out().contains("gives no changes (plan --host docker2); no lock"), shown.out());
    Path dir = Files.createTempDirectory("netform-shown");
    Path file = dir.resolve("shown.yaml");
    Files.writeString(file, shown.out());
    var valid = ValidateCommandTest.run("validate", "--strict", file.toString());
    assertEquals(0, valid.code(), valid.out() + valid.err() + shown.out());
    var plan = host.run("plan", "--detailed-exitcode", "--no-color", "--host", "docker2", dir.toString());
    assertEquals(0, plan.code(), plan.out() + plan.err() + shown.out());
  }

  @Test
  void aHostNameTheOverlayEntriesGiveAnotherHostIsRefusedInWords() {
    var shown = host.run("show", "--host", "docker3");
    assertEquals(1, shown.code(), shown.out());
    assertEquals("netform: --host docker3: the overlay entries on this machine record docker3 as another host, at "
        + "192.168.50.101; give this machine's own name with --host\n", shown.err());
  }

  @Test
  void aHostNameTheDesiredStateCannotTakeIsRefusedInWords() {
    var shown = host.run("show", "--host", "docker 2");
    assertEquals(1, shown.code(), shown.out());
    assertEquals("netform: --host docker 2 is not a host name the desired state takes (letters, digits, '_', '.', '-'): "
        + "give one with --host NAME\n", shown.err());
  }

  @Test
  void theHeaderSaysWhatCouldNotBeReadBackInLinesOfReadableLength() {
    var shown = host.run("show", "--host", "docker2");
    assertTrue(shown.out().contains("# Overlay networks without a container on this host leave nothing here and are not"), shown.out());
    assertTrue(shown.out().lines().filter(l -> l.startsWith("#")).allMatch(l -> l.length() <= 100), shown.out());
  }

  @Test
  void theSnapshotOfSuchAHostPlansTheFleetToNoChanges() throws Exception {
    Path snapshot = Files.createTempDirectory("netform-snapshot").resolve("host.json");
    var shown = host.run("show", "--snapshot", snapshot.toString());
    assertEquals(0, shown.code(), shown.err());
    var plan = ValidateCommandTest.run("plan", "--detailed-exitcode", "--observed", snapshot.toString(), "--host", "docker2",
        FLEET);
    assertEquals(0, plan.code(), plan.out() + plan.err());
  }
}
