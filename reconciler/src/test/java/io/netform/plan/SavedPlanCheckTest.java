package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.converge.Goal;
import io.netform.converge.Proposal;
import io.netform.fleet.LocalState;
import io.netform.model.AddressObject;
import io.netform.model.BridgeObject;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.model.SysctlObject;
import io.netform.model.VxlanObject;
import io.netform.net.Cidr;
import io.netform.snapshot.SnapshotTest;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A saved plan, edited or not, against what netform owns now ({@link SavedPlanCheck}). */
class SavedPlanCheckTest {

  /** The examples' objects, applied; the host also holds foreign eth0 and docker0. */
  private static final ObservedHost APPLIED = SnapshotTest.exampleHost();

  /** The same host before netform made anything. */
  private static final ObservedHost BARE = new ObservedHost(HostModel.empty(), APPLIED.foreign());

  @Test
  void aPlanNetformMadeIsCarriedOutAsItIs() {
    Plan build = Planner.plan(APPLIED.owned(), BARE);
    assertFalse(build.isEmpty());
    assertEquals(build, SavedPlanCheck.verified(build, BARE));
    Plan removal = Planner.plan(HostModel.empty(), APPLIED);
    assertEquals(removal, SavedPlanCheck.verified(removal, APPLIED));
  }

  @Test
  void overlayObjectsPassToo() {
    var fleet = Hosts.examples(RepoFiles.examples().resolve("multi-host"));
    for (LocalState share : LocalState.shares(fleet).values()) {
      Plan build = Proposal.against(BARE, Goal.of(share)).plan();
      assertTrue(build.changes().stream().anyMatch(c -> c.object() instanceof VxlanObject));
      assertEquals(build, SavedPlanCheck.verified(build, BARE));
    }
  }

  @Test
  void aDeleteOfWhatNetformDoesNotOwnIsRefused() {
    BridgeObject foreign = new BridgeObject("eth0", 1500, Optional.empty(), List.of(), true, Owner.network("web"));
    String message = refused(APPLIED, delete(foreign));
    assertTrue(message.contains("netform owns no such object"), message);
  }

  @Test
  void aDeleteWhoseBeforeIsNotWhatNetformOwnsIsRefused() {
    BridgeObject owned = anyOwned(BridgeObject.class);
    BridgeObject other = new BridgeObject(owned.name(), owned.mtu() + 1, owned.mac(), owned.subnets(),
        owned.multicastSnooping(), owned.owner());
    String message = refused(APPLIED, delete(other));
    assertTrue(message.contains("differs from the plan's before"), message);
  }

  @Test
  void anAddOfWhatNetformHasIsRefused() {
    assertTrue(refused(APPLIED, create(anyOwned(BridgeObject.class))).contains("already has"));
  }

  @Test
  void anAddOnAForeignInterfaceIsRefused() {
    String message = refused(BARE, create(new AddressObject("", "eth0", Cidr.parse("203.0.113.9/24"), Owner.HOST)));
    assertTrue(message.contains("link/host/eth0, which is not netform's"), message);
  }

  @Test
  void anAddNamedLikeAForeignInterfaceIsAConflictFoundNow() {
    Plan saved = new Plan(List.of(create(new BridgeObject("docker0", 1500, Optional.empty(), List.of(), true,
        Owner.network("web")))), List.of());
    assertTrue(SavedPlanCheck.verified(saved, BARE).hasConflicts(), "the file's (empty) conflicts are not trusted");
  }

  @Test
  void noHostSettingOrRuleBeyondNetformsOwn() {
    assertTrue(refused(BARE, create(new SysctlObject("", "kernel.core_pattern", "|/tmp/x", Owner.HOST)))
        .contains("never sets kernel.core_pattern"));
    assertTrue(refused(BARE, create(new FirewallRule(FirewallTable.FILTER, "INPUT", "-j ACCEPT", 0, Owner.HOST)))
        .contains("only jumps"));
    assertTrue(refused(BARE, create(new NameFileObject("../../etc/cron.d", NameFileObject.Kind.HOSTS, "x", Owner.HOST)))
        .contains("has no namespace of netform's"));
  }

  @Test
  void aPlanThatLeavesOutWhatItsChangesNeedIsRefused() {
    Plan build = Planner.plan(APPLIED.owned(), BARE);
    List<Change> part = new ArrayList<>(build.changes());
    part.removeIf(c -> c.object() instanceof BridgeObject);
    assertTrue(refused(BARE, part.toArray(Change[]::new)).contains("which is not netform's"));
  }

  private static String refused(ObservedHost now, Change... changes) {
    Plan saved = new Plan(List.of(changes), List.of());
    return assertThrows(SavedPlanCheck.Mismatch.class, () -> SavedPlanCheck.verified(saved, now)).getMessage();
  }

  private static Change delete(KernelObject o) {
    return new Change(Action.DELETE, o.key(), Optional.of(o), Optional.empty(), List.of(), Optional.empty());
  }

  private static Change create(KernelObject o) {
    return new Change(Action.CREATE, o.key(), Optional.empty(), Optional.of(o), List.of(), Optional.empty());
  }

  private static <T extends KernelObject> T anyOwned(Class<T> kind) {
    return APPLIED.owned().objects().values().stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
  }
}
