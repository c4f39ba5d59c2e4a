package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.model.ObservedHost;
import io.netform.snapshot.Fingerprint;
import io.netform.snapshot.SnapshotTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedPlanTest {

  @TempDir
  Path dir;

  @Test
  void roundTripsAndDetectsAChangedHost() throws IOException {
    ObservedHost target = SnapshotTest.exampleHost();
    Plan plan = Planner.plan(target.owned(), ObservedHost.emptyHost());
    SavedPlan saved = new SavedPlan(plan, Fingerprint.of(ObservedHost.emptyHost()), "test", Instant.parse("2026-11-24T00:00:00Z"));
    Path file = dir.resolve("plan.json");
    saved.write(file);
    SavedPlan read = SavedPlan.read(file);
    assertEquals(saved, read);
    assertFalse(read.isStaleFor(ObservedHost.emptyHost()));
    assertTrue(read.isStaleFor(target), "a host that changed since planning makes the plan stale");
  }

  @Test
  void fingerprintsAreStableAndSensitive() {
    ObservedHost host = SnapshotTest.exampleHost();
    assertEquals(Fingerprint.of(host), Fingerprint.of(SnapshotTest.exampleHost()));
    assertFalse(Fingerprint.of(host).equals(Fingerprint.of(ObservedHost.emptyHost())));
  }
}
