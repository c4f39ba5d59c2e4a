package io.netform.kernel.apply;

import io.netform.kernel.firewall.FirewallBackend;
import io.netform.model.AddressObject;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.KernelObject;
import io.netform.model.NamespaceObject;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import io.netform.plan.Plan;
import io.netform.plan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the executor carries out a plan, decided without a kernel (so tests can check it): the
 * deletions one by one, most dependent first, except netform's namespaces that go together in
 * bulk (when there are enough of them) with everything inside them; the creations, which the
 * executor groups into a few batches; in-place updates of links (after the host's links exist,
 * before addresses and routes) and of the rest (last); and every firewall change in one atomic
 * change set (a rule whose tier or owner changes is taken out and put back in place, with its new comment).
 */
public record Schedule(List<Step> deletions, int bulkAt, Map<String, List<String>> dying, int dyingSteps,
    List<KernelObject> creations, List<Step> linkUpdates, List<Step> otherUpdates, FirewallBackend.ChangeSet firewall,
    int firewallSteps, int steps) {

  /** Links (bridges, veths, macvlans) have rank 2 or lower; addresses and routes come after. */
  static final int LINK_RANK = 2;

  public static Schedule of(Plan plan) {
    return of(plan, BulkDeletion.AT_LEAST);
  }

  /** As {@link #of(Plan)}, with namespaces deleted in bulk from {@code bulkFrom} of them on. */
  static Schedule of(Plan plan, int bulkFrom) {
    List<Step> steps = plan.steps();
    Map<String, List<String>> dying = dyingNamespaces(steps, bulkFrom);
    List<Step> deletions = new ArrayList<>();
    List<KernelObject> creations = new ArrayList<>();
    List<Step> linkUpdates = new ArrayList<>();
    List<Step> otherUpdates = new ArrayList<>();
    List<FirewallRule> ruleCreates = new ArrayList<>();
    List<FirewallRule> ruleDeletes = new ArrayList<>();
    List<FirewallChain> chainCreates = new ArrayList<>();
    List<FirewallChain> chainDeletes = new ArrayList<>();
    int bulkAt = -1;
    int dyingSteps = 0;
    int firewallSteps = 0;
    for (Step s : steps) {
      boolean delete = s.kind() == Step.Kind.DELETE;
      if (s.object() instanceof FirewallRule || s.object() instanceof FirewallChain) {
        firewallSteps++;
      }
      if (s.object() instanceof FirewallRule r) {
        (delete ? ruleDeletes : ruleCreates).add(r);
        if (s.kind() == Step.Kind.UPDATE) {
          ruleDeletes.add((FirewallRule) s.before().orElseThrow()); // a new tier or owner: out, and back in place
        }
      } else if (s.object() instanceof FirewallChain c) {
        (delete ? chainDeletes : chainCreates).add(c);
      } else if (s.kind() == Step.Kind.CREATE) {
        creations.add(s.object());
      } else if (s.kind() == Step.Kind.UPDATE) {
        (s.object().rank() <= LINK_RANK ? linkUpdates : otherUpdates).add(s);
      } else if (dying.containsKey(diesWith(s.object()))) {
        dyingSteps++;
        if (bulkAt < 0 && s.object() instanceof NamespaceObject) {
          bulkAt = deletions.size(); // at the first of them, all at once
        }
      } else {
        deletions.add(s);
      }
    }
    return new Schedule(List.copyOf(deletions), bulkAt < 0 ? deletions.size() : bulkAt, dying, dyingSteps,
        List.copyOf(creations), List.copyOf(linkUpdates), List.copyOf(otherUpdates),
        new FirewallBackend.ChangeSet(chainCreates, ruleCreates, ruleDeletes, chainDeletes), firewallSteps, steps.size());
  }

  /**
   * The namespaces the plan deletes that netform made (adopted ones live on), each with the host
   * ends of the veths whose other end is inside it; empty when they are too few to go together.
   */
  static Map<String, List<String>> dyingNamespaces(List<Step> steps, int bulkFrom) {
    Map<String, List<String>> dying = new LinkedHashMap<>();
    for (Step s : steps) {
      if (s.kind() == Step.Kind.DELETE && s.object() instanceof NamespaceObject n && n.path().isEmpty()) {
        dying.put(n.name(), new ArrayList<>());
      }
    }
    if (dying.size() < bulkFrom) {
      return Map.of();
    }
    for (Step s : steps) {
      if (s.kind() == Step.Kind.DELETE && s.object() instanceof VethObject v && dying.containsKey(v.peerNamespace())) {
        dying.get(v.peerNamespace()).add(v.hostName());
      }
    }
    return dying;
  }

  /**
   * The namespace whose deletion takes {@code o} along: its own, for what is inside one (a
   * macvlan excepted: one left in a namespace that a process keeps alive would still reach the
   * parent's network, so it is deleted first); the peer's, for a veth; "" for the host's objects.
   */
  static String diesWith(KernelObject o) {
    return o instanceof NamespaceObject n ? n.name() : o instanceof VethObject v ? v.peerNamespace()
        : OverlayLinks.diesWith(o).orElseGet(() -> namespaceOf(o));
  }

  /** The container namespace an address or route lives in ("" for the host's, and for other kinds). */
  static String namespaceOf(KernelObject o) {
    return o instanceof AddressObject a ? a.namespace() : o instanceof RouteObject r ? r.namespace() : "";
  }
}
