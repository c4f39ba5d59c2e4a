package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.model.FirewallRule;
import io.netform.model.KernelObject;
import io.netform.model.Owner;
import io.netform.model.HostModel;
import io.netform.model.ForeignObjects;
import io.netform.model.ObservedHost;
import io.netform.plan.Plan;
import io.netform.plan.Planner;
import io.netform.plan.Step;
import io.netform.testing.Hosts;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The executor's order of work, checked without a kernel. */
class ScheduleTest {

  static String containers(int count) {
    StringBuilder yaml = new StringBuilder("version: 1\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.7.0.0/16\n"
        + "containers:\n");
    IntStream.range(0, count).forEach(i -> yaml.append("  c").append(i).append(":\n    networks: [n]\n    ports: [\"")
        .append(8000 + i).append(":80\"]\n"));
    return yaml.toString();
  }

  static HostModel target(String yaml) {
    return Hosts.target(Hosts.desired(yaml), ObservedHost.emptyHost());
  }

  static Plan from(HostModel have, HostModel want) {
    return Planner.plan(want, new ObservedHost(have, ForeignObjects.none()));
  }

  @Test
  void aColdApplyIsCreationsAndOneFirewallChangeSet() {
    Schedule s = Schedule.of(from(HostModel.empty(), target(containers(3))));
    assertEquals(List.of(), s.deletions());
    assertTrue(s.creations().stream().noneMatch(o -> o instanceof FirewallRule), "rules go to the change set");
    assertEquals(s.steps(), s.creations().size() + s.firewall().createRules().size() + s.firewall().createChains().size());
    assertEquals(s.firewall().createRules().size() + s.firewall().createChains().size(), s.firewallSteps());
    assertTrue(s.firewall().deleteRules().isEmpty() && s.firewall().deleteChains().isEmpty());
  }

  @Test
  void manyNamespacesGoInBulkWithEverythingInsideThemAndTheRestOneByOne() {
    HostModel all = target(containers(10));
    Schedule s = Schedule.of(from(all, target(containers(1))), 8);
    assertEquals(9, s.dying().size(), "c1..c9 go together");
    s.dying().values().forEach(veths -> assertEquals(1, veths.size(), "each with its veth's host end"));
    assertTrue(s.deletions().stream().noneMatch(step -> s.dying().containsKey(Schedule.diesWith(step.object()))),
        "nothing inside a dying namespace is deleted on its own");
    assertEquals(s.deletions().size(), s.bulkAt(), "after the other deletions");
    assertTrue(s.dyingSteps() > 9, "their veths, addresses and routes are counted for progress");
    assertEquals(s.steps(), s.deletions().size() + s.dyingSteps() + s.firewallSteps() + s.creations().size()
        + s.linkUpdates().size() + s.otherUpdates().size(), "every step is counted once (progress, crash points)");
  }

  @Test
  void fewNamespacesGoOneByOne() {
    Schedule s = Schedule.of(from(target(containers(3)), target(containers(1))), 8);
    assertEquals(Map.of(), s.dying());
    assertTrue(s.deletions().stream().anyMatch(step -> step.object().kindLabel().equals("namespace")));
    List<Integer> ranks = s.deletions().stream().map(step -> step.object().rank()).toList();
    assertEquals(ranks.stream().sorted((a, b) -> b - a).toList(), ranks, "most dependent first");
  }

  @Test
  void updatesAreSplitIntoLinksFirstAndTheRestLast() {
    Schedule s = Schedule.of(from(target(containers(2)), target(containers(2).replace("    ipam:", "    mtu: 1400\n    ipam:"))));
    assertTrue(!s.linkUpdates().isEmpty(), "the bridge and the veths change in place");
    assertTrue(s.linkUpdates().stream().allMatch(step -> step.object().rank() <= Schedule.LINK_RANK));
    assertTrue(s.otherUpdates().stream().allMatch(step -> step.object().rank() > Schedule.LINK_RANK));
    assertTrue(s.linkUpdates().stream().allMatch(step -> step.kind() == Step.Kind.UPDATE));
  }

  @Test
  void aRuleWhoseOwnerChangesIsTakenOutWithItsOldCommentAndPutBackWithTheNewInTheOneChangeSet() {
    HostModel want = target(containers(1));
    FirewallRule rule = want.objects().values().stream().filter(o -> o instanceof FirewallRule r
        && r.owner().equals(Owner.container("c0"))).map(o -> (FirewallRule) o).findFirst().orElseThrow();
    FirewallRule marked = new FirewallRule(rule.table(), rule.chain(), rule.spec(), rule.tier(), Owner.container("other"),
        rule.family());
    List<KernelObject> held = new java.util.ArrayList<>(want.objects().values());
    held.replaceAll(o -> o.key().equals(rule.key()) ? marked : o);
    Schedule s = Schedule.of(from(HostModel.of(held), want));
    assertEquals(List.of(marked), s.firewall().deleteRules(), "out with the comment the kernel holds");
    assertEquals(List.of(rule), s.firewall().createRules(), "back with its owner's");
    assertEquals(1, s.steps());
    assertTrue(s.creations().isEmpty() && s.deletions().isEmpty() && s.linkUpdates().isEmpty() && s.otherUpdates().isEmpty());
  }
}
