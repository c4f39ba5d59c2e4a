package io.netform.names;

import io.netform.desired.NameSettings;
import io.netform.desired.NameSettings.ExtraHost;
import io.netform.desired.NameSettings.Link;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What netform records of one container's names in the state directory: the embedded DNS serves
 * from these records, and {@code show} reads the settings back from them. {@code serve}: the
 * server listens inside the container's namespace (one netform created, on a network with names).
 * {@code endpoints}: its networks in attachment order, each marked whether the embedded DNS serves
 * names there (every network but the default one). Written as lines of words,
 * {@code KEY VALUE...}, which names, addresses and options never contain spaces to break.
 */
public record NameRecord(String container, boolean serve, List<Endpoint> endpoints, NameSettings settings) {

  /** A container's address on a network, its aliases there, and whether the network has names. */
  public record Endpoint(String network, Optional<IpAddress> ipv4, Optional<IpAddress> ipv6, List<String> aliases,
      boolean named) {

    public Endpoint {
      aliases = List.copyOf(aliases);
    }
  }

  public NameRecord {
    endpoints = List.copyOf(endpoints);
  }

  /** The endpoints on networks the embedded DNS serves. */
  public List<Endpoint> named() {
    return endpoints.stream().filter(Endpoint::named).toList();
  }

  /** The record's lines, after netform's mark. */
  public String body() {
    StringBuilder sb = new StringBuilder();
    sb.append("# What the embedded DNS serves of this container; netform rewrites it at every apply.\n");
    sb.append("serve ").append(serve ? "yes" : "no").append('\n');
    for (Endpoint e : endpoints) {
      sb.append("endpoint ").append(e.network()).append(' ').append(e.ipv4().map(IpAddress::toString).orElse("-"))
          .append(' ').append(e.ipv6().map(IpAddress::toString).orElse("-")).append(' ')
          .append(e.aliases().isEmpty() ? "-" : String.join(",", e.aliases())).append(' ')
          .append(e.named() ? "names" : "no-names").append('\n');
    }
    settings.hostname().ifPresent(h -> sb.append("hostname ").append(h).append('\n'));
    settings.links().forEach(l -> sb.append("link ").append(l.container()).append(' ').append(l.alias()).append('\n'));
    settings.extraHosts().forEach(e -> sb.append("extra_host ").append(e.name()).append(' ').append(e.addressText())
        .append('\n'));
    settings.dns().forEach(ip -> sb.append("dns ").append(ip).append('\n'));
    settings.dnsSearch().forEach(d -> sb.append("dns_search ").append(d).append('\n'));
    settings.dnsOptions().forEach(o -> sb.append("dns_opt ").append(o).append('\n'));
    return sb.toString();
  }

  /** The record in {@code text} (what {@link #body()} wrote), read leniently: lines it does not know are skipped. */
  public static NameRecord parse(String container, String text) {
    boolean serve = false;
    List<Endpoint> endpoints = new ArrayList<>();
    Optional<String> hostname = Optional.empty();
    List<Link> links = new ArrayList<>();
    List<ExtraHost> extraHosts = new ArrayList<>();
    List<IpAddress> dns = new ArrayList<>();
    List<String> search = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] w = line.strip().split("\\s+");
      if (w.length < 2 || w[0].startsWith("#")) {
        continue;
      }
      switch (w[0]) {
        case "serve" -> serve = w[1].equals("yes");
        case "endpoint" -> {
          if (w.length == 6) {
            endpoints.add(new Endpoint(w[1], IpAddress.tryParse(w[2]), IpAddress.tryParse(w[3]),
                w[4].equals("-") ? List.of() : List.of(w[4].split(",")), w[5].equals("names")));
          }
        }
        case "hostname" -> hostname = Optional.of(w[1]);
        case "link" -> links.add(new Link(w[1], w.length > 2 ? w[2] : w[1]));
        case "extra_host" -> {
          if (w.length > 2) {
            extraHosts.add(new ExtraHost(w[1], IpAddress.tryParse(w[2])));
          }
        }
        case "dns" -> IpAddress.tryParse(w[1]).ifPresent(dns::add);
        case "dns_search" -> search.add(w[1]);
        case "dns_opt" -> options.add(w[1]);
        default -> { }
      }
    }
    return new NameRecord(container, serve, endpoints,
        new NameSettings(hostname, links, extraHosts, dns, search, options));
  }
}
