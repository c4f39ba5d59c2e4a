package io.netform.desired;

import io.netform.net.IpAddress;
import java.util.List;
import java.util.Optional;

/**
 * A container's name-resolution settings, Compose's keys with Compose's meaning: {@code hostname}
 * (its own name in its hosts file; default: the container's name), {@code links} (legacy links:
 * the linked container by its name and alias, in the hosts file on the default network and through
 * the embedded DNS, for this container only, on the others), {@code extra_hosts} (hosts-file lines),
 * {@code dns} (name servers: in resolv.conf on the default network, else where the embedded DNS
 * forwards this container's other names), {@code dns_search} and {@code dns_opt} (resolv.conf's
 * search and options lines).
 */
public record NameSettings(Optional<String> hostname, List<Link> links, List<ExtraHost> extraHosts,
    List<IpAddress> dns, List<String> dnsSearch, List<String> dnsOptions) {

  public static final NameSettings NONE = new NameSettings(Optional.empty(), List.of(), List.of(), List.of(), List.of(),
      List.of());

  public NameSettings {
    links = List.copyOf(links);
    extraHosts = List.copyOf(extraHosts);
    dns = List.copyOf(dns);
    dnsSearch = List.copyOf(dnsSearch);
    dnsOptions = List.copyOf(dnsOptions);
  }

  /** A legacy link ({@code NAME} or {@code NAME:ALIAS}); without an alias the alias is the name. */
  public record Link(String container, String alias) {

    @Override
    public String toString() {
      return alias.equals(container) ? container : container + ":" + alias;
    }
  }

  /**
   * An {@code extra_hosts} entry; an empty address is Docker's {@code host-gateway}: the host's
   * address on the network that carries the container's default route.
   */
  public record ExtraHost(String name, Optional<IpAddress> address) {

    public static final String HOST_GATEWAY = "host-gateway";

    public String addressText() {
      return address.map(IpAddress::toString).orElse(HOST_GATEWAY);
    }
  }
}
