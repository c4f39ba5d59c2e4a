package io.netform.kernel.probe;

import io.netform.check.Answer;
import io.netform.check.Probe;
import io.netform.check.ProbePlan;
import io.netform.check.Verdict;
import io.netform.desired.DesiredState;
import io.netform.fleet.LocalState;
import io.netform.kernel.KernelHost;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.HostModel;
import io.netform.model.NamespaceObject;
import io.netform.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out probes: from inside each one's namespace, a TCP connection to its addresses in turn,
 * until one answers when the path should be open, all of them when it should be blocked. Only the
 * addresses the probes name are contacted.
 */
public final class ProbeRunner {

  private ProbeRunner() {}

  /**
   * The connectivity assertions of {@code fleet} that start on this host ({@code name} in the fleet,
   * "" alone; {@code share} its share): the host observed, each checked from {@code root} or the
   * container's namespace. What {@code netform check} and the agent's checks share.
   */
  public static List<Verdict> checkExpectations(KernelHost host, NetnsHandle root, DesiredState fleet, String name,
      LocalState share, Duration timeout) {
    HostModel owned = new HostObserver(host).observe().owned();
    return run(host, root, owned, ProbePlan.of(fleet, name, share.overlay(), owned), timeout);
  }

  public static List<Verdict> run(KernelHost host, HostModel owned, List<Probe> probes, Duration timeout) {
    return run(host, host.root(), owned, probes, timeout);
  }

  /**
   * As {@link #run(KernelHost, HostModel, List, Duration)}, probing from the host's own namespace
   * through {@code root}: a handle of the caller's, so that a probe waiting for its answer there
   * never holds up others' work on the host's handle.
   */
  public static List<Verdict> run(KernelHost host, NetnsHandle root, HostModel owned, List<Probe> probes,
      Duration timeout) {
    Map<String, NetnsHandle> opened = new HashMap<>();
    List<Verdict> out = new ArrayList<>();
    try {
      for (Probe p : probes) {
        if (p.notHere().isPresent()) {
          out.add(new Verdict(p, Map.of()));
          continue;
        }
        Optional<NetnsHandle> from = handle(host, root, owned, p.namespace(), opened);
        if (from.isEmpty()) {
          out.add(new Verdict(Probe.missing(p.expectation(), "the namespace of " + p.expectation().from()
              + " is not on this host (is the desired state applied here?)"), Map.of()));
          continue;
        }
        out.add(new Verdict(p, from.get().call(() -> answers(p, timeout))));
      }
    } finally {
      opened.values().forEach(NetnsHandle::close);
    }
    return out;
  }

  private static Map<IpAddress, Answer> answers(Probe p, Duration timeout) {
    Map<IpAddress, Answer> found = new LinkedHashMap<>();
    for (IpAddress a : p.addresses()) {
      Answer answer = TcpProbe.connect(a, p.expectation().port(), timeout);
      found.put(a, answer);
      if (answer.open()) {
        break; // one open path settles it either way
      }
    }
    return found;
  }

  /** The host's own namespace ({@code root}) for "", else the container namespace netform holds by that name. */
  private static Optional<NetnsHandle> handle(KernelHost host, NetnsHandle root, HostModel owned, String namespace,
      Map<String, NetnsHandle> opened) {
    if (namespace.isEmpty()) {
      return Optional.of(root);
    }
    if (opened.containsKey(namespace)) {
      return Optional.of(opened.get(namespace));
    }
    Optional<NamespaceObject> held = owned.objects().values().stream()
        .filter(o -> o instanceof NamespaceObject n && n.name().equals(namespace)).map(o -> (NamespaceObject) o).findFirst();
    held.ifPresent(n -> opened.put(namespace, NetnsHandle.open(namespace, host.namespacePath(n.name(), n.path()))));
    return Optional.ofNullable(opened.get(namespace));
  }
}
