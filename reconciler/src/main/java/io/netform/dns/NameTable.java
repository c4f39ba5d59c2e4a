package io.netform.dns;

import io.netform.names.DnsNames;
import io.netform.names.NameRecord;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the embedded DNS answers, built from the containers' name records (a pure value, replaced
 * whole when a record changes). A container asks; the answer comes from the networks it is on,
 * in its attachment order: the names and aliases there, with their addresses there. Like Docker,
 * it also answers {@code NAME.NETWORK} for its networks, and its link aliases (its own, no one
 * else's). Containers on other hosts of an overlay network are served there from the remotes the
 * local containers' records carry. A name it does not share a network with is not found here, and is forwarded.
 */
public final class NameTable {

  /** One container's addresses on one network. */
  record Target(String container, Optional<IpAddress> ipv4, Optional<IpAddress> ipv6) {}

  /** A container that asks: its networks with names, its link aliases (alias → container), its upstream servers. */
  record Asker(String container, List<String> networks, Map<String, String> links, List<IpAddress> upstreams) {}

  /** The answer to a query about a name. */
  public interface Answer {}

  /** Addresses of the asked family, in the order the containers were recorded. */
  public record Addresses(List<IpAddress> addresses) implements Answer {}

  /** The name is served here, but has no address of the asked family (NOERROR, no records: Docker's answer). */
  public record NoData() implements Answer {}

  /** Not a name of the asker's networks: forwarded upstream. */
  public record Forward() implements Answer {}

  public static final NameTable EMPTY = new NameTable(Map.of(), Map.of(), Map.of());

  private final Map<String, Map<String, List<Target>>> byNetwork;
  private final Map<String, Asker> askers;
  private final Map<String, Map<IpAddress, String>> reverse;

  private NameTable(Map<String, Map<String, List<Target>>> byNetwork, Map<String, Asker> askers,
      Map<String, Map<IpAddress, String>> reverse) {
    this.byNetwork = byNetwork;
    this.askers = askers;
    this.reverse = reverse;
  }

  /** {@code defaultUpstreams}: where containers without {@code dns} of their own are forwarded (the host's servers). */
  public static NameTable of(Collection<NameRecord> records, List<IpAddress> defaultUpstreams) {
    Map<String, Map<String, List<Target>>> byNetwork = new HashMap<>();
    Map<String, Map<IpAddress, String>> reverse = new HashMap<>();
    Map<String, Asker> askers = new HashMap<>();
    Set<String> remotesAdded = new HashSet<>();
    for (NameRecord r : records) {
      List<String> networks = new ArrayList<>();
      for (NameRecord.Endpoint e : r.named()) {
        networks.add(DnsNames.normal(e.network()));
        add(byNetwork, reverse, e.network(), new Target(r.container(), e.ipv4(), e.ipv6()), e.aliases());
      }
      for (NameRecord.Remote remote : r.remotes()) {
        // One local record per overlay network carries its remote containers (see NameFiles); served once, whichever does.
        if (remotesAdded.add(DnsNames.normal(remote.network()) + " " + remote.container())) {
          add(byNetwork, reverse, remote.network(), new Target(remote.container(), Optional.of(remote.ipv4()),
              Optional.empty()), remote.aliases());
        }
      }
      Map<String, String> links = new HashMap<>();
      r.settings().links().forEach(l -> links.put(DnsNames.normal(l.alias()), DnsNames.normal(l.container())));
      List<IpAddress> upstreams = r.settings().dns().isEmpty() ? defaultUpstreams : r.settings().dns();
      askers.put(r.container(), new Asker(r.container(), List.copyOf(networks), Map.copyOf(links), List.copyOf(upstreams)));
    }
    return new NameTable(byNetwork, askers, reverse);
  }

  /** {@code target}'s name and aliases on {@code network}, and its addresses' reverse names there. */
  private static void add(Map<String, Map<String, List<Target>>> byNetwork, Map<String, Map<IpAddress, String>> reverse,
      String network, Target target, List<String> aliases) {
    String net = DnsNames.normal(network);
    Map<String, List<Target>> names = byNetwork.computeIfAbsent(net, k -> new HashMap<>());
    names.computeIfAbsent(DnsNames.normal(target.container()), k -> new ArrayList<>()).add(target);
    for (String alias : aliases) {
      names.computeIfAbsent(DnsNames.normal(alias), k -> new ArrayList<>()).add(target);
    }
    Map<IpAddress, String> ptr = reverse.computeIfAbsent(net, k -> new HashMap<>());
    String fqdn = target.container() + "." + network;
    target.ipv4().ifPresent(ip -> ptr.put(ip, fqdn));
    target.ipv6().ifPresent(ip -> ptr.put(ip, fqdn));
  }

  /** The answer for {@code asker} asking for {@code name}'s IPv4 ({@code ipv6} false) or IPv6 addresses. */
  public Answer lookup(String asker, String name, boolean ipv6) {
    Asker a = askers.get(asker);
    if (a == null) {
      return new Forward();
    }
    String wanted = DnsNames.normal(name);
    wanted = a.links().getOrDefault(wanted, wanted);
    for (String net : a.networks()) {
      List<Target> found = byNetwork.getOrDefault(net, Map.of()).get(wanted);
      if (found != null) {
        return addresses(found, ipv6);
      }
    }
    // NAME.NETWORK, where NAME and NETWORK may both have dots: try every split, Docker's way.
    for (int dot = wanted.indexOf('.'); dot > 0; dot = wanted.indexOf('.', dot + 1)) {
      String net = wanted.substring(dot + 1);
      if (a.networks().contains(net)) {
        List<Target> found = byNetwork.getOrDefault(net, Map.of()).get(wanted.substring(0, dot));
        if (found != null) {
          return addresses(found, ipv6);
        }
      }
    }
    return new Forward();
  }

  private static Answer addresses(List<Target> targets, boolean ipv6) {
    LinkedHashSet<IpAddress> out = new LinkedHashSet<>();
    for (Target t : targets) {
      (ipv6 ? t.ipv6() : t.ipv4()).ifPresent(out::add);
    }
    return out.isEmpty() ? new NoData() : new Addresses(List.copyOf(out));
  }

  /** {@code NAME.NETWORK} of an address on one of the asker's networks (a PTR query). */
  public Optional<String> reverse(String asker, IpAddress ip) {
    Asker a = askers.get(asker);
    if (a == null) {
      return Optional.empty();
    }
    for (String net : a.networks()) {
      String name = reverse.getOrDefault(net, Map.of()).get(ip);
      if (name != null) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /** Where the asker's other names go: its own {@code dns}, else the host's servers. */
  public List<IpAddress> upstreams(String asker) {
    Asker a = askers.get(asker);
    return a == null ? List.of() : a.upstreams();
  }
}
