package io.netform.plan;

import io.netform.model.AddressObject;
import io.netform.model.FirewallRule;
import io.netform.model.KernelObject;
import io.netform.model.PortForward;
import io.netform.net.ConnectionFilter.Ends;
import io.netform.net.ConnectionFilter;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The connections the host's connection tracker would keep sending where a plan no longer sends
 * them. NAT rules are looked at for a connection's first packet only; later packets follow the
 * tracked entry, whatever the rules say now. A UDP client that keeps sending from one port (DNS,
 * syslog, WireGuard, games) is one endless connection: without this, a port moved to another
 * container, unpublished, or an address given to another container keeps reaching the old one.
 * As Docker (libnetwork's clearConntrackEntries), after an apply netform deletes:
 *
 * <ul>
 *   <li>{@code removedForwards}: connections a deleted DNAT rule rewrote, of any protocol (the
 *       destination was rewritten to that rule's container address and port, from that host
 *       port);
 *   <li>{@code removedAddresses}: every connection with an end at an address a container lost
 *       and did not get back in the same apply (Docker clears an endpoint's addresses);
 *   <li>{@code addedUdpForwards}: UDP connections to a host address at the port a new DNAT rule
 *       forwards that no NAT rewrote: a client that sent before the rule existed, to nobody,
 *       would otherwise never reach the container (moby issue 8795).
 * </ul>
 *
 * Nothing else is touched: a connection of another port, address or container stays.
 */
public record StaleConnections(List<PortForward> removedForwards, Set<IpAddress> removedAddresses,
    List<PortForward> addedUdpForwards) {

  public StaleConnections {
    removedForwards = List.copyOf(removedForwards);
    removedAddresses = Set.copyOf(removedAddresses);
    addedUdpForwards = List.copyOf(addedUdpForwards);
  }

  private static Map<Integer, List<PortForward>> byHostPort(List<PortForward> forwards) {
    return forwards.stream().collect(Collectors.groupingBy(PortForward::hostPort));
  }

  /** What {@code plan} leaves stale; read from its changes alone. */
  public static StaleConnections of(Plan plan) {
    List<PortForward> removed = new ArrayList<>();
    List<PortForward> added = new ArrayList<>();
    Set<Placed> gone = new HashSet<>();
    Set<Placed> kept = new HashSet<>();
    for (Change c : plan.changes()) {
      boolean destroys = c.action() == Action.DELETE || c.action() == Action.REPLACE;
      boolean creates = c.action() == Action.CREATE || c.action() == Action.REPLACE;
      if (destroys) {
        forward(c.before()).ifPresent(removed::add);
        containerAddress(c.before()).ifPresent(gone::add);
      }
      if (creates) {
        forward(c.after()).ifPresent(added::add);
        containerAddress(c.after()).ifPresent(kept::add);
      }
    }
    Set<PortForward> back = new HashSet<>(removed); // a rule replaced: it goes on
    back.retainAll(added);
    removed.removeAll(back);
    added.removeAll(back);
    added.removeIf(f -> f.protocolNumber() != TrackedConnection.UDP);
    gone.removeAll(kept); // back in the same namespace (a replaced veth's address): its connections go on
    Set<IpAddress> addresses = new HashSet<>();
    gone.forEach(p -> addresses.add(p.address()));
    return new StaleConnections(removed, addresses, added);
  }

  private static Optional<PortForward> forward(Optional<KernelObject> o) {
    return o.filter(FirewallRule.class::isInstance).flatMap(r -> PortForward.of((FirewallRule) r));
  }

  /** An address in a container's namespace. */
  private record Placed(String namespace, IpAddress address) {}

  private static Optional<Placed> containerAddress(Optional<KernelObject> o) {
    return o.filter(AddressObject.class::isInstance).map(AddressObject.class::cast).filter(a -> !a.namespace().isEmpty())
        .map(a -> new Placed(a.namespace(), a.address().address()));
  }

  public boolean isEmpty() {
    return removedForwards.isEmpty() && removedAddresses.isEmpty() && addedUdpForwards.isEmpty();
  }

  /** The address families whose connections must be looked at. */
  public Set<IpAddress.Family> families() {
    Set<IpAddress.Family> out = new HashSet<>();
    Stream.concat(removedForwards.stream(), addedUdpForwards.stream()).forEach(f -> out.add(f.family()));
    removedAddresses.forEach(a -> out.add(a.family()));
    return out;
  }

  /**
   * Filters for the kernel's dumps whose union holds every connection {@link #matcher} finds
   * stale (and more: each one found is judged again): per removed forward, its host port and
   * container end; per removed address, one for each end of either tuple it may be; per added
   * UDP forward, its host port.
   */
  public Set<ConnectionFilter> filters() {
    Set<ConnectionFilter> out = new LinkedHashSet<>();
    for (PortForward f : removedForwards) {
      out.add(new ConnectionFilter(f.family(), f.protocolNumber(), Ends.to(f.hostAddress(), f.hostPort()),
          Ends.from(f.container(), f.containerPort())));
    }
    for (IpAddress a : removedAddresses) {
      Ends from = Ends.from(a, 0);
      Ends to = Ends.to(Optional.of(a), 0);
      out.add(new ConnectionFilter(a.family(), 0, from, Ends.ANY));
      out.add(new ConnectionFilter(a.family(), 0, to, Ends.ANY));
      out.add(new ConnectionFilter(a.family(), 0, Ends.ANY, from));
      out.add(new ConnectionFilter(a.family(), 0, Ends.ANY, to));
    }
    for (PortForward f : addedUdpForwards) {
      out.add(new ConnectionFilter(f.family(), f.protocolNumber(), Ends.to(f.hostAddress(), f.hostPort()), Ends.ANY));
    }
    return out;
  }

  /**
   * Whether {@code c} is stale; {@code local} are the host's own addresses (a forward's
   * destinations). The forwards are looked up by a connection's port, not each tried: a dump of
   * 100,000 connections against a destroy of 1,000 published ports was a product of the two.
   */
  public boolean matches(TrackedConnection c, Set<IpAddress> local) {
    return matcher(local).test(c);
  }

  /** As {@link #matches}, for many connections: the lookups are built once. */
  public Predicate<TrackedConnection> matcher(Set<IpAddress> local) {
    Map<Integer, List<PortForward>> removed = byHostPort(removedForwards);
    Map<Integer, List<PortForward>> added = byHostPort(addedUdpForwards);
    return c -> {
      int port = c.original().destinationPort();
      return removed.getOrDefault(port, List.of()).stream().anyMatch(f -> rewrittenBy(f, c))
          || involvesRemovedAddress(c)
          || added.getOrDefault(port, List.of()).stream().anyMatch(f -> missed(f, c, local));
    };
  }

  /** Looked up, not scanned: a destroy of many containers removes many addresses. */
  private boolean involvesRemovedAddress(TrackedConnection c) {
    return removedAddresses.contains(c.original().source()) || removedAddresses.contains(c.original().destination())
        || removedAddresses.contains(c.reply().source()) || removedAddresses.contains(c.reply().destination());
  }

  /** {@code c} is a connection that {@code f} rewrote: to its host port, on to its container's. */
  private static boolean rewrittenBy(PortForward f, TrackedConnection c) {
    return c.family() == f.family() && c.protocol() == f.protocolNumber() && c.destinationRewritten()
        && c.original().destinationPort() == f.hostPort() && toHostAddress(f, c.original().destination())
        && c.reply().source().equals(f.container()) && c.reply().sourcePort() == f.containerPort();
  }

  /** {@code c} went to the host itself at the port {@code f} now forwards, before {@code f} existed. */
  private static boolean missed(PortForward f, TrackedConnection c, Set<IpAddress> local) {
    IpAddress to = c.original().destination();
    return c.family() == f.family() && c.protocol() == f.protocolNumber() && !c.rewritten()
        && c.original().destinationPort() == f.hostPort() && toHostAddress(f, to) && (local.contains(to) || to.isLoopback());
  }

  private static boolean toHostAddress(PortForward f, IpAddress destination) {
    return f.hostAddress().map(destination::equals).orElse(true);
  }
}
