package io.netform.plan;

import io.netform.model.FirewallRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import io.netform.model.NamespaceObject;
import io.netform.model.ObservedHost;
import io.netform.model.SysctlObject;
import io.netform.model.VethObject;
import io.netform.names.NameRecord;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether a saved plan may be carried out on the host as observed now. A plan file is input like
 * any other, and may have been edited: only its changes are taken from it, and only if they are
 * exactly what netform would plan from the host it observes now to the target those changes
 * imply. So a delete, update or replacement names an object netform owns now, as it is now; an
 * add collides with nothing (the planner's conflicts, recomputed, never the file's); and what an
 * add creates is only what a desired state could make netform create: objects that depend on
 * netform's own, and no host setting or firewall rule beyond netform's.
 */
public final class SavedPlanCheck {

  /** A saved plan that does not fit what netform owns now; the message names the change. */
  public static final class Mismatch extends RuntimeException {
    Mismatch(Change c, String why) {
      super(c.action().text() + c.after().or(c::before).map(o -> " " + o.kindLabel() + " " + o.displayName()).orElse("")
          + " (" + c.key() + "): " + why);
    }
  }

  /** A rule in a built-in chain that sends traffic on to one of netform's chains. */
  private static final Pattern JUMP = Pattern.compile("(.* )?-j NETFORM-[A-Z0-9-]+");

  private static final Pattern LOOPBACK_DROP = Pattern.compile("-d 127\\.0\\.0\\.0/8 -i (\\S+) -j DROP");

  private static final Pattern ROUTE_LOCALNET = Pattern.compile("net/ipv4/conf/[^/]+/route_localnet");

  private SavedPlanCheck() {}

  /**
   * The plan to carry out, as netform plans it now (with the conflicts found now); a
   * {@link Mismatch} if {@code saved} differs from it in any change.
   */
  public static Plan verified(Plan saved, ObservedHost now) {
    Map<String, Change> byKey = new LinkedHashMap<>();
    // What the plan was made towards: what netform owns, changed as the plan says; what a plan
    // never deletes (a sysctl) is in it only where the plan touches it, as the planner leaves it out.
    TreeMap<String, KernelObject> implied = new TreeMap<>(now.owned().objects());
    implied.values().removeIf(Planner::neverDeleted);
    for (Change c : saved.changes()) {
      wellFormed(c);
      if (byKey.put(c.key(), c) != null) {
        throw new Mismatch(c, "the plan changes this object twice");
      }
      owned(c, now.owned());
      c.after().ifPresentOrElse(a -> implied.put(c.key(), a), () -> implied.remove(c.key()));
    }
    HostModel target = new HostModel(implied);
    Set<String> provided = new HashSet<>();
    implied.values().forEach(t -> provided.addAll(t.provides()));
    for (Change c : saved.changes()) {
      c.after().ifPresent(a -> netformMakes(c, a, target, provided));
    }
    Plan recomputed = Planner.plan(target, now);
    Map<String, Change> needed = new LinkedHashMap<>();
    recomputed.changes().forEach(c -> needed.put(c.key(), c));
    for (Change c : saved.changes()) {
      Change n = needed.get(c.key());
      if (n == null || n.action() != c.action() || !n.before().equals(c.before()) || !n.after().equals(c.after())) {
        throw new Mismatch(c, "netform would not make this change to what it owns now");
      }
    }
    for (Change n : recomputed.changes()) {
      if (!byKey.containsKey(n.key())) {
        throw new Mismatch(n, "the plan leaves out this change, which the others need");
      }
    }
    return recomputed;
  }

  /** The change's parts fit its action and its key. */
  private static void wellFormed(Change c) {
    boolean before = c.action() != Action.CREATE;
    boolean after = c.action() != Action.DELETE;
    if (c.before().isPresent() != before || c.after().isPresent() != after) {
      throw new Mismatch(c, "a " + c.action().text() + " has " + (before ? "a" : "no") + " before and " + (after ? "an" : "no")
          + " after");
    }
    Stream.of(c.before(), c.after()).flatMap(Optional::stream).filter(o -> !o.key().equals(c.key())).findFirst()
        .ifPresent(o -> {
          throw new Mismatch(c, "its object is " + o.key() + ", not " + c.key());
        });
  }

  /** What a change finds must be what netform owns now: nothing for an add, exactly its before otherwise. */
  private static void owned(Change c, HostModel owned) {
    Optional<KernelObject> have = owned.get(c.key());
    if (c.action() == Action.CREATE) {
      if (have.isPresent()) {
        throw new Mismatch(c, "netform already has this object");
      }
    } else if (have.isEmpty()) {
      throw new Mismatch(c, "netform owns no such object on this host");
    } else if (!have.equals(c.before())) {
      throw new Mismatch(c, "what netform owns differs from the plan's before");
    }
  }

  /** The namespace a name file is for: its container's, or for a joined container's record the one it joined. */
  private static String namespaceOf(NameFileObject f) {
    return f.file() == NameFileObject.Kind.RECORD
        ? NameRecord.parse(f.container(), f.content()).joined().orElse(f.container()) : f.container();
  }

  /** What an add or update creates is something netform makes, on what netform owns or will own. */
  private static void netformMakes(Change c, KernelObject o, HostModel target, Set<String> provided) {
    for (String needed : o.dependsOn()) {
      if (!provided.contains(needed) && !externalBridge(o, needed)) {
        throw new Mismatch(c, "it needs " + needed + ", which is not netform's");
      }
    }
    if (o instanceof NamespaceObject ns && !plainName(ns.name())) {
      throw new Mismatch(c, "\"" + ns.name() + "\" is not a namespace name netform makes");
    }
    if (o instanceof NameFileObject f && !(plainName(f.container())
        && target.get(KernelObject.namespaceKey(namespaceOf(f))).isPresent())) {
      throw new Mismatch(c, "container \"" + f.container() + "\" has no namespace of netform's");
    }
    if (o instanceof SysctlObject s && !setByNetform(s)) {
      throw new Mismatch(c, "netform never sets " + s.name() + " to " + s.value());
    }
    if (o instanceof FirewallRule r && !r.chain().startsWith("NETFORM") && !JUMP.matcher(r.spec()).matches()
        && !loopbackDrop(r, provided)) {
      throw new Mismatch(c, "in " + r.chain() + ", a chain netform does not own, netform adds only jumps to its own "
          + "chains");
    }
  }

  /** The host-wide settings netform sets (forwarding, to 1), and route_localnet (0 or 1) of its own interfaces. */
  private static boolean setByNetform(SysctlObject s) {
    if (s.device().isEmpty()) {
      return SysctlObject.HOST_WIDE.contains(s.name()) && s.value().equals("1") && s.namespace().equals(KernelObject.HOST_NS);
    }
    return ROUTE_LOCALNET.matcher(s.name()).matches() && plainName(s.device().get())
        && (s.value().equals("0") || s.value().equals("1"));
  }

  /** The one rule netform adds to a built-in chain that is no jump: dropping loopback traffic from one of its bridges. */
  private static boolean loopbackDrop(FirewallRule r, Set<String> provided) {
    Matcher m = LOOPBACK_DROP.matcher(r.spec());
    return r.chain().equals("PREROUTING") && m.matches()
        && provided.contains(KernelObject.linkKey(KernelObject.HOST_NS, m.group(1)));
  }

  /**
   * A veth's bridge may be one netform does not own: an external network's, as a desired state
   * may name (one the host lacks is a conflict the planner finds).
   */
  private static boolean externalBridge(KernelObject o, String needed) {
    return o instanceof VethObject v && needed.equals(KernelObject.linkKey(KernelObject.HOST_NS, v.bridge()));
  }

  /** A name that is one file name in a directory: never a path out of it. */
  private static boolean plainName(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
  }
}
