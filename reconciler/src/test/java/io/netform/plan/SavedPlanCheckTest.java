package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netform.model.BridgeObject;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.snapshot.SnapshotTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A saved plan's changes, edited or not, against the plan made again from its desired state ({@link SavedPlanCheck}). */
class SavedPlanCheckTest {

  /** The examples' objects, applied; the host also holds foreign eth0 and docker0. */
  private static final ObservedHost APPLIED = SnapshotTest.exampleHost();

  /** The same host before netform made anything. */
  private static final ObservedHost BARE = new ObservedHost(HostModel.empty(), APPLIED.foreign());

  /** What the examples' desired state makes on the bare host. */
  private static final Plan BUILD = Planner.plan(APPLIED.owned(), BARE);

  @Test
  void thePlanMadeAgainIsCarriedOutWhenTheFileHasItsChangesInAnyOrder() {
    assertFalse(BUILD.isEmpty());
    List<Change> reversed = new ArrayList<>(BUILD.changes());
    java.util.Collections.reverse(reversed);
    assertSame(BUILD, SavedPlanCheck.verified(new Plan(reversed, List.of()), BUILD));
  }

  @Test
  void theFilesConflictsAreNotTrustedButThePlanMadeAgainsAre() {
    Plan planned = new Plan(BUILD.changes(), List.of(new PlanConflict("link/host/docker0", "taken", "rename it")));
    assertEquals(planned.conflicts(), SavedPlanCheck.verified(new Plan(BUILD.changes(), List.of()), planned).conflicts());
  }

  @Test
  void aChangeTheDesiredStateDoesNotMakeIsNamedAndRefused() {
    FirewallRule accept = new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-j ACCEPT", 0, Owner.network("web"));
    assertEquals("create " + accept.kindLabel() + " " + accept.displayName() + " (" + accept.key() + "): made again from "
        + "its desired state on this host now, the plan has no such change", refused(with(BUILD, create(accept))));
  }

  @Test
  void aChangeMadeOtherwiseSaysWhatDiffers() {
    BridgeObject bridge = any(BridgeObject.class);
    BridgeObject wider = new BridgeObject(bridge.name(), bridge.mtu() + 1, bridge.mac(), bridge.subnets(),
        bridge.multicastSnooping(), bridge.owner());
    assertEquals("create bridge " + bridge.displayName() + " (" + bridge.key() + "): made again from its desired state "
        + "on this host now, this change has another after", refused(replaced(BUILD, create(wider))));
    Change update = new Change(Action.UPDATE, bridge.key(), Optional.of(wider), Optional.of(bridge), List.of("mtu"),
        Optional.empty());
    assertEquals("update bridge " + bridge.displayName() + " (" + bridge.key() + "): made again from its desired state "
        + "on this host now, this change has another action (create), another before", refused(replaced(BUILD, update)));
  }

  @Test
  void aChangeLeftOutIsNamed() {
    BridgeObject bridge = any(BridgeObject.class);
    List<Change> part = new ArrayList<>(BUILD.changes());
    part.removeIf(c -> c.key().equals(bridge.key()));
    assertEquals("create bridge " + bridge.displayName() + " (" + bridge.key() + "): the plan leaves out this change, "
        + "which its desired state makes on this host now", refused(new Plan(part, List.of())));
  }

  @Test
  void aChangeGivenTwiceIsNamed() {
    BridgeObject bridge = any(BridgeObject.class);
    assertEquals("create bridge " + bridge.displayName() + " (" + bridge.key() + "): the plan changes this object twice",
        refused(with(BUILD, create(bridge))));
  }

  private static String refused(Plan saved) {
    return assertThrows(SavedPlanCheck.Mismatch.class, () -> SavedPlanCheck.verified(saved, BUILD)).getMessage();
  }

  private static Plan with(Plan plan, Change extra) {
    List<Change> changes = new ArrayList<>(plan.changes());
    changes.add(extra);
    return new Plan(changes, List.of());
  }

  /** {@code plan} with {@code c} in place of its change of the same object. */
  private static Plan replaced(Plan plan, Change c) {
    return new Plan(plan.changes().stream().map(o -> o.key().equals(c.key()) ? c : o).toList(), List.of());
  }

  private static Change create(KernelObject o) {
    return new Change(Action.CREATE, o.key(), Optional.empty(), Optional.of(o), List.of(), Optional.empty());
  }

  private static <T extends KernelObject> T any(Class<T> kind) {
    return APPLIED.owned().objects().values().stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
  }
}
