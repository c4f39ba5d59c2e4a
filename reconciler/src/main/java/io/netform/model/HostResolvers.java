package io.netform.model;

import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host's resolver configuration, as its resolv.conf says ({@code nameservers}, {@code search},
 * {@code options}), with the name servers of systemd-resolved's own file ({@code
 * /run/systemd/resolve/resolv.conf}) for when the first lists only its local stub. {@code known} is
 * false for an offline plan, which has no host to read.
 */
public record HostResolvers(List<IpAddress> nameservers, List<String> search, List<String> options,
    List<IpAddress> resolvedNameservers, boolean known) {

  /** Docker's fallback when the host names no server a container can reach (libnetwork's resolvconf). */
  public static final List<IpAddress> FALLBACK = List.of(IpAddress.parse("8.8.8.8"), IpAddress.parse("8.8.4.4"));

  public static final HostResolvers UNKNOWN = new HostResolvers(List.of(), List.of(), List.of(), List.of(), false);

  public HostResolvers {
    nameservers = List.copyOf(nameservers);
    search = List.copyOf(search);
    options = List.copyOf(options);
    resolvedNameservers = List.copyOf(resolvedNameservers);
  }

  /** From the text of the host's resolv.conf and of systemd-resolved's file (empty when absent). */
  public static HostResolvers parse(String resolvConf, String resolvedConf) {
    Parsed main = Parsed.of(resolvConf);
    return new HostResolvers(main.nameservers, main.search, main.options, Parsed.of(resolvedConf).nameservers, true);
  }

  /**
   * The name servers of a container without the embedded DNS (default network, none): as Docker
   * does, the host's without loopback ones (the container's loopback is its own); when only a
   * local stub such as systemd-resolved's 127.0.0.53 is listed, the servers that stub uses; when
   * none is left, Google's public servers.
   */
  public List<IpAddress> forContainers() {
    List<IpAddress> direct = reachable(nameservers);
    if (!direct.isEmpty()) {
      return direct;
    }
    List<IpAddress> behindStub = reachable(resolvedNameservers);
    return behindStub.isEmpty() ? FALLBACK : behindStub;
  }

  /**
   * Where the embedded DNS forwards: the host's servers as listed, loopback ones included, since
   * it forwards from the host's own namespace (as Docker 25 and later do); Docker's fallback when
   * the host lists none.
   */
  public List<IpAddress> upstreams() {
    return nameservers.isEmpty() ? FALLBACK : nameservers;
  }

  private static List<IpAddress> reachable(List<IpAddress> servers) {
    return servers.stream().filter(ip -> !ip.isLoopback()).toList();
  }

  /** The lines of a resolv.conf that matter here; later search lines replace earlier ones, as in glibc. */
  private record Parsed(List<IpAddress> nameservers, List<String> search, List<String> options) {

    static Parsed of(String text) {
      List<IpAddress> servers = new ArrayList<>();
      List<String> search = new ArrayList<>();
      List<String> options = new ArrayList<>();
      for (String raw : text.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        String[] words = line.split("\\s+");
        switch (words[0]) {
          case "nameserver" -> {
            Optional<IpAddress> ip = words.length > 1 ? IpAddress.tryParse(words[1].replaceAll("%.*$", ""))
                : Optional.empty();
            ip.ifPresent(servers::add);
          }
          case "search", "domain" -> {
            search.clear();
            search.addAll(List.of(words).subList(1, words.length));
          }
          case "options" -> options.addAll(List.of(words).subList(1, words.length));
          default -> { }
        }
      }
      return new Parsed(servers, search, options);
    }
  }
}
