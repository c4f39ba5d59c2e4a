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
 * names there (every network but the default one and a host's gateway bridge, {@link NameScope}). {@code remotes}: the containers on other hosts
 * of the overlay networks this container carries them for (the first local container on each),
 * which the embedded DNS serves to every local container there as it serves local ones (this
 * host has no record of its own for them). {@code joined}: the container whose namespace this one
 * shares ({@code network_mode: container:NAME}); such a record has no endpoints, and is what the host
 * holds of that container, so that a destroy of NAME sees it still needed. Written as lines of words,
 * {@code KEY VALUE...}, which names, addresses and options never contain spaces to break.
 */
public record NameRecord(String container, boolean serve, List<Endpoint> endpoints, NameSettings settings,
    List<Remote> remotes, Optional<String> joined) {

  /** A container's address on a network, its aliases there, and whether the network has names. */
  public record Endpoint(String network, Optional<IpAddress> ipv4, Optional<IpAddress> ipv6, List<String> aliases,
      boolean named) {

    public Endpoint {
      aliases = List.copyOf(aliases);
    }
  }

  /**
   * A container on another host, on one of this container's overlay networks: its address and
   * aliases there, and the name of its host ({@code show} reads it back; empty in a record written
   * before hosts were recorded).
   */
  public record Remote(String network, String container, IpAddress ipv4, List<String> aliases, String host) {

    public Remote {
      aliases = List.copyOf(aliases);
    }
  }

  public NameRecord {
    endpoints = List.copyOf(endpoints);
    remotes = List.copyOf(remotes);
  }

  /** The record of a container with a namespace of its own. */
  public NameRecord(String container, boolean serve, List<Endpoint> endpoints, NameSettings settings,
      List<Remote> remotes) {
    this(container, serve, endpoints, settings, remotes, Optional.empty());
  }

  /** A record without remote containers (one on no overlay network). */
  public NameRecord(String container, boolean serve, List<Endpoint> endpoints, NameSettings settings) {
    this(container, serve, endpoints, settings, List.of());
  }

  /** The record of a container joined to {@code joined}'s namespace. */
  public static NameRecord joining(String container, String joined, NameSettings settings) {
    return new NameRecord(container, false, List.of(), settings, List.of(), Optional.of(joined));
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
          .append(aliasesText(e.aliases())).append(' ')
          .append(e.named() ? "names" : "no-names").append('\n');
    }
    for (Remote r : remotes) {
      sb.append("remote ").append(r.network()).append(' ').append(r.container()).append(' ').append(r.ipv4())
          .append(' ').append(aliasesText(r.aliases())).append(r.host().isEmpty() ? "" : " " + r.host()).append('\n');
    }
    joined.ifPresent(j -> sb.append("join ").append(j).append('\n'));
    settings.hostname().ifPresent(h -> sb.append("hostname ").append(h).append('\n'));
    settings.links().forEach(l -> sb.append("link ").append(l.container()).append(' ').append(l.alias()).append('\n'));
    settings.extraHosts().forEach(e -> sb.append("extra_host ").append(e.name()).append(' ').append(e.addressText())
        .append('\n'));
    settings.dns().forEach(ip -> sb.append("dns ").append(ip).append('\n'));
    settings.dnsSearch().forEach(d -> sb.append("dns_search ").append(d).append('\n'));
    settings.dnsOptions().forEach(o -> sb.append("dns_opt ").append(o).append('\n'));
    return sb.toString();
  }

  private static String aliasesText(List<String> aliases) {
    return aliases.isEmpty() ? "-" : String.join(",", aliases);
  }

  private static List<String> aliases(String text) {
    return text.equals("-") ? List.of() : List.of(text.split(","));
  }

  /** The record in {@code text} (what {@link #body()} wrote), read leniently: lines it does not know are skipped. */
  public static NameRecord parse(String container, String text) {
    boolean serve = false;
    List<Endpoint> endpoints = new ArrayList<>();
    List<Remote> remotes = new ArrayList<>();
    Optional<String> hostname = Optional.empty();
    Optional<String> joined = Optional.empty();
    List<Link> links = new ArrayList<>();
    List<ExtraHost> extraHosts = new ArrayList<>();
    List<IpAddress> dns = new ArrayList<>();
    List<String> search = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] w = line.strip().split("\\p{javaWhitespace}+"); // the same whitespace strip() removes
      if (w.length < 2 || w[0].startsWith("#")) {
        continue;
      }
      switch (w[0]) {
        case "serve" -> serve = w[1].equals("yes");
        case "endpoint" -> {
          if (w.length == 6) {
            endpoints.add(new Endpoint(w[1], IpAddress.tryParse(w[2]), IpAddress.tryParse(w[3]),
                aliases(w[4]), w[5].equals("names")));
          }
        }
        case "remote" -> {
          if (w.length == 5 || w.length == 6) {
            String host = w.length == 6 ? w[5] : "";
            IpAddress.tryParse(w[3]).ifPresent(ip -> remotes.add(new Remote(w[1], w[2], ip, aliases(w[4]), host)));
          }
        }
        case "join" -> joined = Optional.of(w[1]);
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
        new NameSettings(hostname, links, extraHosts, dns, search, options), remotes, joined);
  }
}
