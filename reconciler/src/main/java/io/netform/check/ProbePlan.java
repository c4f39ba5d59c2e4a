package io.netform.check;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Expectation;
import io.netform.fleet.OverlayWiring;
import io.netform.model.AddressObject;
import io.netform.model.HostModel;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which expectations this host checks, and how (a pure function of the desired state, this host's
 * share and what netform holds here): those starting in a container of this host, towards every
 * address the target has here (a local container's on each of its networks, a remote one's on
 * the overlay networks this host wires), so that "reachable" means one of them answers and
 * "blocked" that none does.
 */
public final class ProbePlan {

  private ProbePlan() {}

  /**
   * @param fleet the whole desired state (its expectations and where each container runs)
   * @param host this host's name in the fleet, or "" for a single machine
   */
  public static List<Probe> of(DesiredState fleet, String host, OverlayWiring overlay, HostModel owned) {
    List<Probe> out = new ArrayList<>();
    for (Expectation e : fleet.expectations()) {
      Container from = fleet.containers().get(e.from());
      if (from == null) {
        out.add(Probe.missing(e, "container " + e.from() + " is not declared"));
        continue;
      }
      if (!host.isEmpty() && !fleet.machineOf(from).equals(host)) {
        out.add(Probe.onOtherHost(e, e.from() + " runs on host " + fleet.machineOf(from) + ": checked there"));
        continue;
      }
      List<IpAddress> addresses = e.toAddress().map(List::of).orElseGet(() -> addressesOf(fleet, e.to(), overlay, owned));
      Container to = fleet.containers().get(e.to());
      if (addresses.isEmpty() && to != null && !host.isEmpty() && !fleet.machineOf(to).equals(host)) {
        // on another host and on no overlay network with this one: no path from here, by design
        out.add(Probe.here(e, fleet.namespaceOf(from), List.of()));
        continue;
      }
      if (addresses.isEmpty()) {
        out.add(Probe.missing(e, e.to() + " has no address on this host (is the desired state applied here?)"));
        continue;
      }
      out.add(Probe.here(e, fleet.namespaceOf(from), addresses));
    }
    return out;
  }

  private static List<IpAddress> addressesOf(DesiredState fleet, String container, OverlayWiring overlay, HostModel owned) {
    Container c = fleet.containers().get(container);
    String namespace = c == null ? container : fleet.namespaceOf(c);
    List<IpAddress> out = new ArrayList<>();
    if (!namespace.isEmpty()) {
      owned.objects().values().stream()
          .filter(o -> o instanceof AddressObject a && a.namespace().equals(namespace))
          .map(o -> ((AddressObject) o).address().address()).forEach(out::add);
    }
    // remote endpoints are recorded under the container that owns the namespace (one joined shares it)
    overlay.segments().forEach(s -> s.remotes().stream().filter(r -> r.container().equals(namespace))
        .forEach(r -> out.add(r.address())));
    return out;
  }
}
