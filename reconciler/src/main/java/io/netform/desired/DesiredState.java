package io.netform.desired;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The merged desired state of all input files. Maps keep declaration order (it decides
 * allocation order, as with Docker, where creation order decides addresses). {@code fleet} holds
 * the hosts it spans ({@code hosts:}) and the overlay lock read next to it; {@code expectations}
 * the connectivity assertions ({@code expect:}) of all files, in order.
 */
public record DesiredState(Map<String, Network> networks, Map<String, Container> containers, SourceMap sources,
    Fleet fleet, List<Expectation> expectations) {

  public DesiredState {
    networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    containers = Collections.unmodifiableMap(new LinkedHashMap<>(containers));
    expectations = List.copyOf(expectations);
  }

  /** Without connectivity assertions ({@code expect:}), which only checks read. */
  public DesiredState(Map<String, Network> networks, Map<String, Container> containers, SourceMap sources, Fleet fleet) {
    this(networks, containers, sources, fleet, List.of());
  }

  /** One machine's desired state: no hosts declared. */
  public DesiredState(Map<String, Network> networks, Map<String, Container> containers, SourceMap sources) {
    this(networks, containers, sources, Fleet.NONE);
  }

  public static DesiredState empty() {
    return new DesiredState(Map.of(), Map.of(), SourceMap.empty());
  }

  /**
   * Whether {@code n} is the local bridge network each host adds for its overlay containers' way
   * out ({@link Fleet#GATEWAY_BRIDGE}); the name is no one else's while there are overlay networks.
   */
  public boolean isGatewayBridge(Network n) {
    return n.name().equals(Fleet.GATEWAY_BRIDGE) && networks.values().stream().anyMatch(Network::isOverlay);
  }

  /** The host a container runs on ({@link Fleet#hostOf}): its own, its joined container's, or the only one. */
  public Optional<String> hostOf(Container c) {
    return fleet.hostOf(c, containers);
  }

  /**
   * The container whose namespace {@code c} lives in: itself, or the one it joins, followed through
   * further joins (C joined to B, B to A: A). A join of an unknown container or a cycle of joins,
   * both refused by validation, ends where it is.
   */
  public Container namespaceHolder(Container c) {
    Set<String> seen = new HashSet<>();
    Container at = c;
    while (at.mode() instanceof NetworkMode.JoinContainer j && containers.containsKey(j.container())
        && seen.add(at.name())) {
      at = containers.get(j.container());
    }
    return at;
  }

  /**
   * The namespace a container's connections start in: its own, the one it joins (followed through
   * further joins), or the host's ("").
   */
  public String namespaceOf(Container c) {
    Container at = namespaceHolder(c);
    return at.mode() instanceof NetworkMode.Host ? "" : at.name();
  }

  /**
   * What a container shares its host's resources with (host ports, the addresses of its bridge and
   * macvlan networks, namespace files): the containers with the same key run on the same machine.
   */
  public String machineOf(Container c) {
    return hostOf(c).orElse("");
  }

  /**
   * The UDP port each host's VXLAN devices hold (its {@code vxlan_port}), for the hosts that wire an
   * overlay network: those with a container of their own on one. No published port may take it.
   */
  public Map<String, Integer> vxlanPorts() {
    Map<String, Integer> out = new HashMap<>();
    for (Container c : containers.values()) {
      Host h = fleet.hosts().get(machineOf(c));
      if (h != null && c.attachments().stream().map(a -> networks.get(a.network())).anyMatch(n -> n != null && n.isOverlay())) {
        out.put(h.name(), h.vxlanPort());
      }
    }
    return out;
  }

  /** The same state with other containers (the fleet and everything else kept). */
  public DesiredState withContainers(Map<String, Container> replaced) {
    return new DesiredState(networks, replaced, sources, fleet, expectations);
  }
}
