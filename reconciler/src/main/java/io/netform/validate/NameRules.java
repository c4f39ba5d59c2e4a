package io.netform.validate;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DefaultNetwork;
import io.netform.desired.DesiredState;
import io.netform.desired.NameSettings.ExtraHost;
import io.netform.desired.NameSettings.Link;
import io.netform.desired.NameSettings;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Suggestions;
import io.netform.names.DnsNames;
import io.netform.names.NameScope;
import io.netform.names.ResolverOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks what name resolution will serve: container names, host names, aliases, links, extra hosts
 * and resolver settings (docs/dns.md). Names that DNS cannot carry are errors at their place; an
 * alias equal to another container's name on the same network is a warning naming both.
 */
final class NameRules {

  private NameRules() {}

  static void check(DesiredState written, Findings out) {
    DesiredState state = DefaultNetwork.applyTo(written); // links and aliases see the networks a container really joins
    // Containers by the name a DNS query matches, so that an alias is checked against the others in one lookup.
    Map<String, List<Container>> byName = new LinkedHashMap<>();
    state.containers().values().forEach(c -> byName.computeIfAbsent(DnsNames.normal(c.name()), k -> new ArrayList<>()).add(c));
    for (Container c : state.containers().values()) {
      String path = Paths.container(c.name());
      NameSettings n = c.names();
      boolean ownNamespace = c.mode() instanceof NetworkMode.Own || c.mode() instanceof NetworkMode.None;
      if (!ownNamespace) {
        ignoredWithoutNamespace(state, c, out);
        continue;
      }
      DnsNames.problem(c.name()).ifPresent(why -> out.errorAtKey(path, "bad-dns-name", "container name \"" + c.name()
          + "\" cannot be served as a DNS name: " + why, "rename the container (letters, digits, '-', '_', dots between labels)"));
      n.hostname().ifPresent(h -> DnsNames.problem(h).ifPresent(why -> out.errorAt(path + "/hostname", "bad-hostname",
          "hostname \"" + h + "\" is not a DNS name: " + why, "write a host name such as web or web.example.com")));
      aliases(state, byName, c, out);
      for (Link link : n.links()) {
        link(state, c, link, out);
      }
      for (ExtraHost e : n.extraHosts()) {
        String at = path + "/extra_hosts/" + SourceMap.segment(e.name() + ":" + e.addressText());
        DnsNames.problem(e.name()).ifPresent(why -> out.errorAt(at, "bad-extra-host", "extra host name \"" + e.name()
            + "\" is not a DNS name: " + why, "write a host name such as db.example"));
        if (e.address().isEmpty() && !hasHostGateway(state, c)) {
          out.errorAt(at, "no-host-gateway", "extra host " + e.name() + ": host-gateway is the host's address on the "
              + "network of the container's default route, and container \"" + c.name() + "\" has none",
              "attach it to a network that is not internal, or write the address itself");
        }
      }
      for (String domain : n.dnsSearch()) {
        DnsNames.problem(domain).ifPresent(why -> out.errorAt(path + "/dns_search/" + SourceMap.segment(domain),
            "bad-dns-search", "search domain \"" + domain + "\" is not a DNS name: " + why, "write a domain such as example.com"));
      }
      for (String option : n.dnsOptions()) {
        ResolverOptions.problem(option).ifPresent(problem -> out.errorAt(path + "/dns_opt/" + SourceMap.segment(option),
            "unknown-dns-option", problem.message(), problem.hint()));
      }
    }
  }

  private static void aliases(DesiredState state, Map<String, List<Container>> byName, Container c, Findings out) {
    for (Attachment a : c.attachments()) {
      Network net = state.networks().get(a.network());
      for (int i = 0; i < a.aliases().size(); i++) {
        String alias = a.aliases().get(i);
        String at = Paths.attachment(c.name(), a.network()) + "/aliases/" + i;
        Optional<String> problem = DnsNames.problem(alias);
        if (problem.isPresent()) {
          out.errorAt(at, "bad-alias", "alias \"" + alias + "\" is not a DNS name: " + problem.get(),
              "write a name such as db or db.internal");
          continue;
        }
        if (net != null && !NameScope.servesNames(state, net)) {
          out.errorAt(at, "alias-on-default-network", "alias \"" + alias + "\" on the default network \"" + a.network()
              + "\" (Docker: network-scoped alias is supported only for containers in user defined networks)",
              "put the alias on another network, or use links: for names on the default network");
          continue;
        }
        for (Container other : byName.getOrDefault(DnsNames.normal(alias), List.of())) {
          if (other != c && meet(state, c, other, a.network())) {
            out.warningAt(at, "alias-shadows-name", "alias \"" + alias + "\" of container \"" + c.name() + "\" on network \""
                + a.network() + "\" is also the name of container \"" + other.name() + "\" there (at "
                + out.where(Paths.container(other.name())) + "): the name answers with both containers' addresses, "
                + "as Docker's does", "rename the alias, unless both containers should answer to it");
          }
        }
      }
    }
  }

  private static void link(DesiredState state, Container c, Link link, Findings out) {
    String at = Paths.container(c.name()) + "/links/" + SourceMap.segment(link.toString());
    Container target = state.containers().get(link.container());
    if (target == null) {
      if (out.refused(Paths.container(link.container()))) {
        return;
      }
      String hint = Suggestions.closest(link.container(), state.containers().keySet())
          .map(s -> "did you mean \"" + s + "\"?").orElse("name a container declared under containers:");
      out.errorAt(at, "unknown-container", "link to unknown container \"" + link.container() + "\"", hint);
      return;
    }
    if (target == c) {
      out.errorAt(at, "bad-link", "container \"" + c.name() + "\" links to itself", "remove the link");
      return;
    }
    DnsNames.problem(link.alias()).ifPresent(why -> out.errorAt(at, "bad-alias", "link alias \"" + link.alias()
        + "\" is not a DNS name: " + why, "write a name such as db"));
    if (networks(c).stream().anyMatch(net -> meet(state, c, target, net))) {
      return;
    }
    List<String> elsewhere = networks(c).stream().filter(net -> joins(target, net)).map(net -> "\"" + net + "\"").toList();
    if (elsewhere.isEmpty()) {
      out.errorAt(at, "link-not-shared", "container \"" + c.name() + "\" links to \"" + target.name()
          + "\", which is on none of its networks (Docker: Cannot link to /" + target.name()
          + ", as it does not belong to the default network)",
          "attach both containers to one network, or remove the link");
    } else {
      out.errorAt(at, "link-not-shared", "container \"" + c.name() + "\" on host " + state.machineOf(c)
          + " links to \"" + target.name() + "\" on host " + state.machineOf(target) + ", and they share no "
          + "network: a bridge or macvlan network (" + String.join(", ", elsewhere) + ") is one per host, only an overlay "
          + "spans hosts",
          "put both containers on one host, attach both to an overlay network, or remove the link");
    }
  }

  /**
   * Whether {@code a} and {@code b} meet on {@code network}: both join it, and it is an overlay
   * (the fleet's) or both run on one host (a bridge or macvlan network is one per host, as each
   * Docker daemon has its own).
   */
  private static boolean meet(DesiredState state, Container a, Container b, String network) {
    if (!joins(a, network) || !joins(b, network)) {
      return false;
    }
    Network n = state.networks().get(network);
    return n != null && n.isOverlay() || state.machineOf(a).equals(state.machineOf(b));
  }

  private static List<String> networks(Container c) {
    return c.mode() instanceof NetworkMode.Own ? c.attachments().stream().map(Attachment::network).toList() : List.of();
  }

  private static boolean joins(Container c, String network) {
    return networks(c).contains(network);
  }

  /** The network that carries the default route must have a gateway: a non-internal network. */
  private static boolean hasHostGateway(DesiredState state, Container c) {
    return networks(c).stream().map(state.networks()::get)
        .anyMatch(n -> n != null && !n.internal());
  }

  /** Host and joined containers have no files or names of their own. */
  private static void ignoredWithoutNamespace(DesiredState state, Container c, Findings out) {
    NameSettings n = c.names();
    String path = Paths.container(c.name());
    List<String> keys = new java.util.ArrayList<>();
    n.hostname().ifPresent(h -> keys.add("hostname"));
    if (!n.links().isEmpty()) {
      keys.add("links");
    }
    if (!n.extraHosts().isEmpty()) {
      keys.add("extra_hosts");
    }
    if (!n.dns().isEmpty()) {
      keys.add("dns");
    }
    if (!n.dnsSearch().isEmpty()) {
      keys.add("dns_search");
    }
    if (!n.dnsOptions().isEmpty()) {
      keys.add("dns_opt");
    }
    for (String key : keys) {
      out.warningAt(path + "/" + key, "ignored-setting", key + " has no effect in network_mode " + c.mode().text()
          + ": the container uses " + (c.mode() instanceof NetworkMode.Host ? "the host's" : "that container's")
          + " hosts file and resolver", "remove it" + (c.mode() instanceof NetworkMode.JoinContainer
          ? ", or set it on " + state.namespaceHolder(c).name() : ""));
    }
  }
}
