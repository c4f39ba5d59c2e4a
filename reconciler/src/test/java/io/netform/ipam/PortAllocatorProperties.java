package io.netform.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.DynamicPort;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.desired.SourceMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Host ports netform chooses: never one that is taken, and never moved by other containers coming or going. */
class PortAllocatorProperties {

  /** Ports crowded into a few host ports, so that choices and fixed mappings meet often. */
  @Provide
  Arbitrary<List<Container>> containers() {
    Arbitrary<Protocol> protocols = Arbitraries.of(Protocol.TCP, Protocol.UDP);
    Arbitrary<PortMapping> fixed = Combinators.combine(Arbitraries.integers().between(32768, 32780),
        Arbitraries.integers().between(1, 5), protocols).as((h, c, p) -> new PortMapping(Optional.empty(), h, c, p));
    Arbitrary<DynamicPort> dynamic = Combinators.combine(Arbitraries.integers().between(1, 5), protocols,
        Arbitraries.of(true, false)).as((c, p, ephemeral) -> ephemeral ? DynamicPort.ephemeral(Optional.empty(), c, p)
            : new DynamicPort(Optional.empty(), 32768, 32790, c, p));
    Arbitrary<Container> container = Combinators.combine(fixed.list().ofMaxSize(3), dynamic.list().ofMaxSize(4))
        .as((f, d) -> new Container("?", NetworkMode.OWN, List.of(), f, Optional.empty(), d));
    return container.list().ofMinSize(1).ofMaxSize(8);
  }

  private static DesiredState state(List<Container> containers, String prefix) {
    Map<String, Container> byName = new LinkedHashMap<>();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String name = prefix + i;
      byName.put(name, new Container(name, c.mode(), c.attachments(), c.ports(), c.namespacePath(), c.dynamicPorts()));
    }
    return new DesiredState(Map.of(), byName, SourceMap.empty());
  }

  /** What the host publishes after applying {@code r}: every container's ports. */
  private static Map<String, List<PortMapping>> published(PortAllocator.Result r) {
    Map<String, List<PortMapping>> out = new LinkedHashMap<>();
    r.state().containers().forEach((name, c) -> out.put(name, c.ports()));
    return out;
  }

  @Property
  void aChosenPortIsNeverTakenByAFixedMappingOrAnotherChoice(@ForAll("containers") List<Container> containers) {
    DesiredState s = state(containers, "c");
    PortAllocator.Result r = PortAllocator.allocate(s, Map.of());
    Set<String> fixed = new HashSet<>();
    s.containers().values().forEach(c -> c.ports().forEach(p -> fixed.add(p.protocol() + "/" + p.hostPort())));
    Set<String> chosen = new HashSet<>();
    r.state().containers().forEach((name, c) -> c.ports().subList(s.containers().get(name).ports().size(), c.ports().size())
        .forEach(p -> {
          String slot = p.protocol() + "/" + p.hostPort();
          assertTrue(!fixed.contains(slot) && chosen.add(slot), () -> "port " + slot + " given twice: " + r.state().containers());
        }));
    int requested = s.containers().values().stream().mapToInt(c -> c.dynamicPorts().size()).sum();
    assertEquals(requested, chosen.size() + r.problems().size(), "every port got a host port or an error");
  }

  @Property
  void containersComingAndGoingNeverMoveAChosenPort(@ForAll("containers") List<Container> containers,
      @ForAll("containers") List<Container> newcomers, @ForAll int gone) {
    DesiredState before = state(containers, "c");
    PortAllocator.Result first = PortAllocator.allocate(before, Map.of());
    Map<String, Container> after = new LinkedHashMap<>();
    // Newcomers declared first, with ports to choose only (a fixed mapping may rightly take a port back).
    state(newcomers.stream().map(c -> new Container("?", c.mode(), List.of(), List.of(), Optional.empty(), c.dynamicPorts()))
        .toList(), "new").containers().forEach(after::put);
    List<String> names = new ArrayList<>(before.containers().keySet());
    String removed = names.get(Math.floorMod(gone, names.size()));
    before.containers().forEach((name, c) -> {
      if (!name.equals(removed)) {
        after.put(name, c);
      }
    });
    PortAllocator.Result second = PortAllocator.allocate(new DesiredState(Map.of(), after, SourceMap.empty()),
        published(first));
    first.state().containers().forEach((name, c) -> {
      if (!name.equals(removed) && first.problems().isEmpty()) {
        assertEquals(c.ports(), second.state().containers().get(name).ports(), name + "'s ports moved");
      }
    });
  }
}
