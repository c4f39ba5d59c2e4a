package io.netform.graph;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.fleet.LocalState;
import io.netform.ipam.Allocation;
import io.netform.ipam.Allocator;
import io.netform.ipam.EndpointAllocation;
import io.netform.ipam.NetworkAllocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a topology picture shows, as data (a pure function of the desired state): networks and
 * containers as nodes, grouped by host in a fleet (overlay networks span the hosts), and their
 * links: a container's attachment with its address, a namespace shared with {@code container:},
 * the host's own namespace, and the way out of a network that masquerades.
 */
public record Topology(List<Group> groups, List<Node> shared, List<Link> links) {

  public enum Kind { NETWORK, INTERNAL_NETWORK, CONTAINER, HOST, WORLD }

  /** A node: {@code id} is unique in the picture and safe as an identifier in every format. */
  public record Node(String id, String label, Kind kind) {}

  /** A host's own nodes; one group named "" on a single machine. {@code id} is unique as a node's is. */
  public record Group(String id, String host, String label, List<Node> nodes) {}

  public record Link(String from, String to, String label, boolean dotted) {}

  private static final String WORLD = "world";

  public static Topology of(DesiredState state) {
    if (!state.fleet().declared()) {
      return build(List.of(new Share("", "", state)));
    }
    List<Share> shares = new ArrayList<>();
    LocalState.shares(state).forEach((name, share) -> shares.add(new Share(name,
        name + " " + state.fleet().hosts().get(name).address(), share.state())));
    return build(shares);
  }

  private record Share(String host, String label, DesiredState state) {}

  /** A share's state has its host's own networks and containers, and every overlay network (LocalState). */
  private static Topology build(List<Share> shares) {
    Ids ids = new Ids();
    List<Group> groups = new ArrayList<>();
    Map<String, Node> overlays = new LinkedHashMap<>();
    List<Link> links = new ArrayList<>();
    boolean leaves = false;
    for (Share share : shares) {
      List<Node> nodes = new ArrayList<>();
      Allocation allocated = Allocator.allocate(share.state(), Allocation.none()).allocation();
      Map<String, String> networkIds = new LinkedHashMap<>();
      for (Network n : share.state().networks().values()) {
        Node node = new Node(ids.of("n", n.name(), n.isOverlay() ? "" : share.host()), networkLabel(n, allocated),
            n.internal() ? Kind.INTERNAL_NETWORK : Kind.NETWORK);
        networkIds.put(n.name(), node.id());
        if (n.isOverlay()) {
          overlays.putIfAbsent(node.id(), node);
        } else {
          nodes.add(node);
          // netform masquerades a managed bridge's traffic; an external bridge's and a macvlan's are not its own
          if (!n.internal() && n.masquerade() && !n.external() && n.driver() != io.netform.desired.Driver.MACVLAN) {
            links.add(new Link(node.id(), WORLD, "masquerade", false));
            leaves = true;
          }
        }
      }
      String hostNode = null; // drawn once a container uses the host's namespace
      for (Container c : share.state().containers().values()) {
        String cid = ids.of("c", c.name(), "");
        nodes.add(new Node(cid, containerLabel(c, publishes(share.state().namespaceHolder(c), share.state())), Kind.CONTAINER));
        if (c.mode() instanceof NetworkMode.JoinContainer j) {
          links.add(new Link(cid, ids.of("c", j.container(), ""), "shares its namespace", true));
        } else if (c.mode() instanceof NetworkMode.Host) {
          hostNode = ids.of("host", share.host().isEmpty() ? "namespace" : share.host(), "");
          links.add(new Link(cid, hostNode, "host's namespace", true));
        }
        for (Attachment a : c.attachments()) {
          Optional.ofNullable(networkIds.get(a.network())).ifPresent(nid -> links.add(new Link(cid, nid,
              allocated.endpoint(c.name(), a.network()).map(Topology::addresses).orElse(""), false)));
        }
      }
      if (hostNode != null) {
        nodes.add(new Node(hostNode, "host namespace", Kind.HOST));
      }
      groups.add(new Group(ids.of("h", share.host(), ""), share.host(), share.label(), nodes));
    }
    List<Node> shared = new ArrayList<>(overlays.values());
    if (leaves) {
      shared.add(new Node(WORLD, "world", Kind.WORLD));
    }
    return new Topology(groups, shared, links);
  }

  private static String networkLabel(Network n, Allocation allocated) {
    List<String> parts = new ArrayList<>(List.of(n.name(), n.driver().name().toLowerCase(java.util.Locale.ROOT)));
    Optional.ofNullable(allocated.networks().get(n.name())).map(NetworkAllocation::pools).orElse(List.of())
        .forEach(p -> parts.add(p.subnet().toString()));
    if (n.internal()) {
      parts.add("internal");
    }
    if (n.external()) {
      parts.add("external");
    }
    if (!n.icc()) {
      parts.add("icc off");
    }
    return String.join(" ", parts);
  }

  /**
   * Ports are published only from a namespace of the container's own with a way out (as validate
   * warns otherwise); a joined container's, from the one its joins end in ({@code holder}).
   */
  private static boolean publishes(Container holder, DesiredState state) {
    return holder.mode() instanceof NetworkMode.Own && holder.attachments().stream().map(a -> state.networks().get(a.network()))
        .anyMatch(n -> n != null && !n.internal());
  }

  /** The container's name and, where they are published, its ports (those netform chooses too). */
  private static String containerLabel(Container c, boolean published) {
    String ports = Stream.concat(c.ports().stream().map(PortMapping::toString), c.dynamicPorts().stream().map(Object::toString))
        .collect(Collectors.joining(" "));
    return c.name() + (ports.isEmpty() || !published ? "" : " ports " + ports);
  }

  private static String addresses(EndpointAllocation e) {
    return e.ipv4() + e.ipv6().map(v6 -> " " + v6).orElse("");
  }

  /**
   * Node identifiers: letters, digits and '_' only (names may hold '.' and '-', which Mermaid and
   * DOT read otherwise), made unique by a number, one per node however its name is spelled.
   */
  private static final class Ids {
    private final Map<String, String> given = new LinkedHashMap<>();

    String of(String prefix, String name, String host) {
      return given.computeIfAbsent(prefix + " " + name + " " + host,
          k -> prefix + "_" + name.replaceAll("[^A-Za-z0-9]", "_") + (host.isEmpty() ? "" : "_" + host.replaceAll(
              "[^A-Za-z0-9]", "_")) + "_" + (given.size() + 1));
    }
  }
}
