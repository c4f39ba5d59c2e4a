package io.netform.ipam;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.DynamicPort;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Chooses the host ports of published ports that have none (Docker's {@code -P}, Compose's
 * {@code "80"}), before anything is compiled, so that later stages only see fixed mappings. A pure
 * function of the desired state and the ports the host already publishes:
 *
 * <ul>
 *   <li>A port keeps the host port it got before (read back from the host's rules) while that is
 *       still in its range and no fixed mapping of the desired state claims it.
 *   <li>The others take the lowest free port of their range (Docker's ephemeral range
 *       32768–60999 unless a range is given), in declaration order; free means claimed by no fixed
 *       mapping and no other chosen port of the same protocol, on any host address of the container's
 *       host (in a fleet, each host has its own ports, and a host wiring an overlay network never
 *       gives its VXLAN port, UDP).
 * </ul>
 *
 * So adding or removing a container never moves another's port.
 */
public final class PortAllocator {

  private PortAllocator() {}

  /** The desired state with every dynamic port resolved, and the ports for which no host port was free. */
  public record Result(DesiredState state, List<Diagnostic> problems) {

    public Result {
      problems = List.copyOf(problems);
    }
  }

  public static Result allocate(DesiredState desired, Map<String, List<PortMapping>> published) {
    return allocate(desired, () -> published);
  }

  /**
   * @param hostPorts the host's published ports by container ({@link ObservedPorts}; none for a
   *     host not known), read only when some port needs a host port: a host's rules are many.
   */
  public static Result allocate(DesiredState desired, Supplier<Map<String, List<PortMapping>>> hostPorts) {
    if (desired.containers().values().stream().allMatch(c -> c.dynamicPorts().isEmpty())) {
      return new Result(desired, List.of());
    }
    Map<String, List<PortMapping>> published = hostPorts.get();
    // each host has its own ports (a fleet's containers share them only with those on their host)
    Map<String, Map<Protocol, Set<Integer>>> takenOn = new HashMap<>();
    Function<Container, Map<Protocol, Set<Integer>>> portsOf = c -> takenOn.computeIfAbsent(
        desired.machineOf(c), k -> new EnumMap<>(Protocol.class));
    // a host's VXLAN socket holds its VXLAN port where it wires an overlay network
    desired.vxlanPorts().forEach((host, port) -> claim(takenOn.computeIfAbsent(host, k -> new EnumMap<>(Protocol.class)),
        Protocol.UDP, port));
    for (Container c : desired.containers().values()) {
      if (publishes(c)) {
        c.ports().forEach(p -> claim(portsOf.apply(c), p.protocol(), p.hostPort()));
      }
    }
    Map<String, List<PortMapping>> chosen = new HashMap<>();
    Map<DynamicPortId, Integer> kept = new HashMap<>();
    for (Container c : desired.containers().values()) {
      Map<Protocol, Set<Integer>> taken = portsOf.apply(c);
      List<PortMapping> before = new ArrayList<>(published.getOrDefault(c.name(), List.of()));
      for (int i = 0; i < c.dynamicPorts().size(); i++) {
        DynamicPort d = c.dynamicPorts().get(i);
        Optional<PortMapping> same = before.stream().filter(p -> p.protocol() == d.protocol()
            && p.containerPort() == d.containerPort() && d.inRange(p.hostPort())
            && !taken.getOrDefault(d.protocol(), Set.of()).contains(p.hostPort())).findFirst();
        if (same.isPresent() && publishes(c)) {
          before.remove(same.get());
          claim(taken, d.protocol(), same.get().hostPort());
          kept.put(new DynamicPortId(c.name(), i), same.get().hostPort());
        }
      }
    }
    List<Diagnostic> problems = new ArrayList<>();
    Map<String, Location> locations = new HashMap<>();
    for (Container c : desired.containers().values()) {
      Map<Protocol, Set<Integer>> taken = portsOf.apply(c);
      List<PortMapping> ports = chosen.computeIfAbsent(c.name(), k -> new ArrayList<>());
      for (int i = 0; i < c.dynamicPorts().size(); i++) {
        DynamicPort d = c.dynamicPorts().get(i);
        Location written = desired.sources().value(SourceMap.portPath(c.name(), d.toString()));
        Optional<Integer> port = Optional.ofNullable(kept.get(new DynamicPortId(c.name(), i)))
            .or(() -> firstFree(d, taken.computeIfAbsent(d.protocol(), k -> new HashSet<>())));
        if (port.isEmpty()) {
          problems.add(Diagnostic.error("no-free-host-port", written, "no host port is free in " + d.firstHostPort() + "-"
              + d.lastHostPort() + " for port " + d.containerPort() + "/" + d.protocol().text() + " of container \""
              + c.name() + "\"", "give it a wider range or a host port of its own"));
          continue;
        }
        claim(taken, d.protocol(), port.get());
        PortMapping mapping = d.on(port.get());
        ports.add(mapping);
        locations.put(SourceMap.portPath(c.name(), mapping.toString()), written);
      }
    }
    Map<String, Container> containers = new LinkedHashMap<>();
    desired.containers().forEach((name, c) -> containers.put(name, c.dynamicPorts().isEmpty() ? c
        : c.withChosenPorts(chosen.getOrDefault(name, List.of()))));
    SourceMap sources = desired.sources().merge(new SourceMap(locations, Map.of()));
    return new Result(new DesiredState(desired.networks(), containers, sources, desired.fleet(), desired.expectations()),
        problems);
  }

  private record DynamicPortId(String container, int index) {}

  /** Ports of containers in none or host mode are never published, so they claim nothing. */
  private static boolean publishes(Container c) {
    return !(c.mode() instanceof NetworkMode.None) && !(c.mode() instanceof NetworkMode.Host);
  }

  private static void claim(Map<Protocol, Set<Integer>> taken, Protocol protocol, int port) {
    taken.computeIfAbsent(protocol, k -> new HashSet<>()).add(port);
  }

  private static Optional<Integer> firstFree(DynamicPort d, Set<Integer> taken) {
    for (int p = d.firstHostPort(); p <= d.lastHostPort(); p++) {
      if (!taken.contains(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
