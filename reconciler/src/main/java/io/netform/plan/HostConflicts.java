package io.netform.plan;

import io.netform.model.BridgeObject;
import io.netform.model.ForeignNamespace;
import io.netform.model.ForeignObjects;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NamespaceObject;
import io.netform.model.ObservedHost;
import io.netform.model.Owner;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import io.netform.net.Cidr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What forbids applying a target to a host: objects that would collide with something netform
 * does not own, and what the target needs that the host cannot provide. A pure function of the
 * target and the observed host; checks that need the host are skipped when it is not known (an
 * offline plan against an empty host).
 */
final class HostConflicts {

  private final HostModel target;
  private final ObservedHost observed;
  private final ForeignObjects foreign;
  private final List<PlanConflict> out = new ArrayList<>();

  private HostConflicts(HostModel target, ObservedHost observed) {
    this.target = target;
    this.observed = observed;
    this.foreign = observed.foreign();
  }

  static List<PlanConflict> of(HostModel target, ObservedHost observed) {
    HostConflicts c = new HostConflicts(target, observed);
    c.check();
    return c.out;
  }

  private void check() {
    Map<String, String> adoptedFiles = new HashMap<>(); // container → namespace file name, for adopted namespaces
    Set<String> missingBridges = new HashSet<>(); // each reported once, however many containers it would take
    for (KernelObject o : target.objects().values()) {
      String hostName = o instanceof BridgeObject b ? b.name() : o instanceof VethObject v ? v.hostName() : null;
      if (hostName != null && foreign.hostLinkNames().contains(hostName)) {
        conflict(o, "interface \"" + hostName + "\" already exists on the host and is not netform's; "
            + o.owner() + " needs that name for its " + o.kindLabel(),
            o instanceof BridgeObject ? "rename it in the desired state (bridge_name), or remove the foreign interface"
                : "remove the foreign interface (netform names a veth's host end after its container and network: "
                    + "renaming the container also frees it)");
      }
      if (o instanceof NamespaceObject ns && ns.path().isEmpty() && foreign.namespaces().contains(ns.name())) {
        conflict(o, "network namespace \"" + ns.name() + "\" already exists and is not netform's",
            "rename the container, point its namespace: at that namespace's file to adopt it, or delete the namespace");
      }
      if (o instanceof NamespaceObject ns && ns.path().isEmpty() && foreign.nonNamespaceEntries().containsKey(ns.name())) {
        takenPath(ns);
      }
      if (o instanceof NamespaceObject ns && ns.path().isPresent()) {
        adoptable(ns).ifPresent(file -> adoptedFiles.put(ns.name(), file));
      }
      if (o instanceof BridgeObject b) {
        subnetFree(b);
      }
      if (o instanceof VethObject v && foreign.isLive() && !hostHasLink(v.bridge()) && missingBridges.add(v.bridge())) {
        conflict(o, "bridge \"" + v.bridge() + "\" that " + o.owner() + " is attached to does not exist on this host; it "
            + "is an external network's bridge, which netform never makes",
            "create that bridge first (or start what makes it), or set the external network's name: to the kernel "
                + "name of a bridge this host has (ip -br link show type bridge)");
      }
      if (o instanceof MacvlanObject m && foreign.isLive() && !hostHasLink(m.parent())) {
        conflict(o, "macvlan parent interface \"" + m.parent() + "\" of " + o.owner() + " does not exist on this host",
            "set parent: to an interface this host has (ip link shows them), or create that interface first");
      }
    }
    adoptedCollisions(adoptedFiles);
  }

  /**
   * Where netform would mount a namespace is something else, which it neither mounts over (hiding
   * it, or through a link whatever it leads to) nor ever removes.
   */
  private void takenPath(NamespaceObject ns) {
    Path path = Path.of(foreign.namespaceDir()).resolve(ns.name());
    String what = foreign.nonNamespaceEntries().get(ns.name());
    conflict(ns, path + " is " + what + ", not a network namespace; netform would mount the namespace of " + ns.owner()
        + " there and never takes over what it did not make",
        "move it away (mv " + path + " " + path + ".orig; an empty file is what an interrupted netform or ip netns add "
            + "leaves: rm " + path + "), or rename the " + (ns.owner().kind() == Owner.Kind.NETWORK ? "network" : "container"));
  }

  /**
   * A new subnet must not overlap the host's own routes and addresses. One the bridge already has
   * is not checked again: a route the host gained later (a VPN coming up) must not block every
   * plan of a live network, which netform never renumbers.
   */
  private void subnetFree(BridgeObject b) {
    List<Cidr> live = observed.owned().get(b.key()).filter(o -> o instanceof BridgeObject)
        .map(o -> ((BridgeObject) o).subnets()).orElse(List.of());
    for (Cidr subnet : b.subnets()) {
      if (live.contains(subnet)) {
        continue;
      }
      for (Cidr route : foreign.hostRoutes()) {
        if (route.prefix() > 0 && route.overlaps(subnet)) {
          conflict(b, "subnet " + subnet + " of " + b.owner() + " overlaps the host route " + route
              + ", which netform does not own", "choose a subnet that the host does not already route");
        }
      }
      for (Cidr address : foreign.hostAddresses()) {
        if (subnet.contains(address.address())) {
          conflict(b, "subnet " + subnet + " of " + b.owner() + " contains the host address " + address
              + ", which netform does not own", "choose a subnet that the host's own addresses are outside of");
        }
      }
    }
  }

  /**
   * Whether an adopted namespace's path names a namespace netform may adopt on this host: a named
   * namespace mounted in the host's namespace directory, not netform's own, not the host's. Returns
   * its file name when it may.
   */
  private Optional<String> adoptable(NamespaceObject ns) {
    if (!foreign.isLive() || ns.isGone()) {
      return Optional.empty();
    }
    Path path = Path.of(ns.path().orElseThrow());
    Path dir = Path.of(foreign.namespaceDir());
    String hint = "name the namespace first (ip netns attach NAME PID) and write namespace: " + dir.resolve("NAME");
    if (path.getParent() == null || !path.getParent().equals(dir) || path.getFileName() == null) {
      conflict(ns, "namespace " + path + " of " + ns.owner() + " is not a named namespace in " + dir
          + "; netform adopts only those", hint);
      return Optional.empty();
    }
    String file = path.getFileName().toString();
    if (Stream.of(observed.owned(), target).anyMatch(m -> m.get(KernelObject.namespaceKey(file))
        .filter(o -> ((NamespaceObject) o).path().isEmpty()).isPresent())) {
      conflict(ns, "namespace " + path + " of " + ns.owner() + " is the one netform makes for container \"" + file + "\"",
          "give each container its own namespace: remove namespace: from " + ns.owner() + " or adopt another one");
      return Optional.empty();
    }
    ForeignNamespace contents = foreign.namespaceContents().get(file);
    if (contents == null) {
      conflict(ns, "no network namespace is mounted at " + path + " (for " + ns.owner() + ")", hint);
      return Optional.empty();
    }
    if (contents.isHost()) {
      conflict(ns, "namespace " + path + " of " + ns.owner() + " is this host's own network namespace; netform never "
          + "adopts it (its interfaces, addresses and routes are the host's)",
          "adopt a container's own namespace, or use network_mode: host");
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /** In an adopted namespace, the interfaces and default route netform would add must not collide with its owner's. */
  private void adoptedCollisions(Map<String, String> adoptedFiles) {
    if (adoptedFiles.isEmpty()) {
      return;
    }
    for (KernelObject o : target.objects().values()) {
      String ns = o instanceof VethObject v ? v.peerNamespace() : o instanceof MacvlanObject m ? m.namespace()
          : o instanceof RouteObject r ? r.namespace() : null;
      String file = ns == null ? null : adoptedFiles.get(ns);
      if (file == null) {
        continue;
      }
      ForeignNamespace contents = foreign.namespaceContents().get(file);
      String device = o instanceof VethObject v ? v.peerName() : o instanceof MacvlanObject m ? m.name() : null;
      if (device != null && contents.links().contains(device)) {
        conflict(o, "adopted namespace " + file + " (container \"" + ns + "\") already has an interface \"" + device
            + "\" that netform did not make", "remove or rename that interface inside the namespace, or attach the "
            + "container differently; netform never changes interfaces it did not make");
      }
      if (o instanceof RouteObject r && contents.routes().stream().anyMatch(d -> d.equals(r.destination()))) {
        conflict(o, "adopted namespace " + file + " (container \"" + ns + "\") already has a route to " + r.destination()
            + " that netform did not make", "remove that route inside the namespace, or attach the container only to "
            + "internal networks (which give it no default route)");
      }
    }
  }

  private boolean hostHasLink(String name) {
    return foreign.hostLinkNames().contains(name)
        || observed.owned().get(KernelObject.linkKey(KernelObject.HOST_NS, name)).isPresent()
        || target.get(KernelObject.linkKey(KernelObject.HOST_NS, name)).isPresent();
  }

  private void conflict(KernelObject o, String message, String hint) {
    out.add(new PlanConflict(o.key(), message, hint));
  }
}
