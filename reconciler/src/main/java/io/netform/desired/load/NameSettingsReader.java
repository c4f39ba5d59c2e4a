package io.netform.desired.load;

import io.netform.desired.NameSettings;
import io.netform.desired.NameSettings.ExtraHost;
import io.netform.desired.NameSettings.Link;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a container's Compose name keys ({@code hostname}, {@code links}, {@code extra_hosts},
 * {@code dns}, {@code dns_search}, {@code dns_opt}) in each of the forms Compose accepts, and reports
 * what only their syntax shows. Each value is recorded at {@code KEY/VALUE} in the source map, so
 * that later checks (which names are valid, which containers exist) point at the item itself.
 */
final class NameSettingsReader {

  private final SourceMap sources;
  private final List<Diagnostic> problems;
  private final Map<String, Location> locations;

  NameSettingsReader(SourceMap sources, List<Diagnostic> problems, Map<String, Location> locations) {
    this.sources = sources;
    this.problems = problems;
    this.locations = locations;
  }

  NameSettings read(TypedNode c) {
    Optional<String> hostname = c.get("hostname").string();
    List<Link> links = new ArrayList<>();
    for (TypedNode item : stringsOf(c.get("links"))) {
      item.string().flatMap(text -> link(text, item)).ifPresent(links::add);
    }
    List<IpAddress> dns = new ArrayList<>();
    for (TypedNode item : stringsOf(c.get("dns"))) {
      item.string().ifPresent(text -> {
        Optional<IpAddress> ip = IpAddress.tryParse(text.strip());
        if (ip.isEmpty()) {
          problems.add(Diagnostic.error("bad-address", sources.value(item.path()), "dns \"" + text
              + "\" is not an IP address", "write a name server's address, e.g. 192.0.2.53"));
        }
        ip.ifPresent(dns::add);
      });
    }
    return new NameSettings(hostname, links, extraHosts(c.get("extra_hosts")), dns, texts(c.get("dns_search")),
        texts(c.get("dns_opt")));
  }

  /** Compose takes one value or a list of them for dns and dns_search. */
  private static List<TypedNode> stringsOf(TypedNode node) {
    return node.isList() ? node.items() : node.string().isPresent() ? List.of(node) : List.of();
  }

  private List<String> texts(TypedNode node) {
    List<String> out = new ArrayList<>();
    for (TypedNode item : stringsOf(node)) {
      item.string().ifPresent(text -> {
        out.add(text);
        remember(node.path(), text, item);
      });
    }
    return out;
  }

  private void remember(String keyPath, String value, TypedNode item) {
    locations.put(keyPath + "/" + SourceMap.segment(value), sources.value(item.path()));
  }

  private Optional<Link> link(String text, TypedNode item) {
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    String alias = colon < 0 ? text : text.substring(colon + 1);
    if (name.isEmpty() || alias.isEmpty() || alias.contains(":")) {
      problems.add(Diagnostic.error("bad-link", sources.value(item.path()), "link \"" + text
          + "\" is not NAME or NAME:ALIAS", "write the linked container's name, optionally with an alias: db or db:database"));
      return Optional.empty();
    }
    Link link = new Link(name, alias);
    locations.put(parentOf(item.path()) + "/" + SourceMap.segment(link.toString()), sources.value(item.path()));
    return Optional.of(link);
  }

  /**
   * Compose's list form ({@code "HOST:IP"} or {@code "HOST=IP"}, an IPv6 address optionally in
   * brackets) or mapping form ({@code HOST: IP}, or a list of addresses for one host).
   */
  private List<ExtraHost> extraHosts(TypedNode node) {
    List<ExtraHost> out = new ArrayList<>();
    for (TypedNode item : node.items()) {
      item.string().ifPresent(text -> {
        int eq = text.indexOf('=');
        int at = eq >= 0 ? eq : text.indexOf(':');
        if (at <= 0 || at == text.length() - 1) {
          problems.add(Diagnostic.error("bad-extra-host", sources.value(item.path()), "extra host \"" + text
              + "\" is not HOST:IP or HOST=IP", "write e.g. \"db.example:192.0.2.10\" or \"gw=host-gateway\""));
          return;
        }
        extraHost(text.substring(0, at), text.substring(at + 1), item, node.path()).ifPresent(out::add);
      });
    }
    node.entries().forEach((host, value) -> {
      for (TypedNode address : stringsOf(value)) {
        address.string().flatMap(text -> extraHost(host, text, address, node.path())).ifPresent(out::add);
      }
    });
    return out;
  }

  private Optional<ExtraHost> extraHost(String host, String written, TypedNode item, String keyPath) {
    String text = written.strip();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    Optional<IpAddress> ip = IpAddress.tryParse(text);
    if (ip.isEmpty() && !text.equals(ExtraHost.HOST_GATEWAY)) {
      problems.add(Diagnostic.error("bad-address", sources.value(item.path()), "extra host " + host + ": \"" + written
          + "\" is not an IP address", "write an address such as 192.0.2.10, or host-gateway for the host"));
      return Optional.empty();
    }
    ExtraHost entry = new ExtraHost(host, ip);
    locations.put(keyPath + "/" + SourceMap.segment(host + ":" + entry.addressText()), sources.value(item.path()));
    return Optional.of(entry);
  }

  private static String parentOf(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }
}
