package io.netform.names;

import io.netform.desired.NameSettings;
import io.netform.model.HostResolvers;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The text of a container's resolv.conf and hosts, as Docker writes them (after netform's mark). */
public final class ContainerFiles {

  /** Docker's standard lines, the same in every container. */
  private static final String LOCALHOST = """
      127.0.0.1\tlocalhost
      ::1\tlocalhost ip6-localhost ip6-loopback
      fe00::0\tip6-localnet
      ff00::0\tip6-mcastprefix
      ff02::1\tip6-allnodes
      ff02::2\tip6-allrouters
      """;

  private ContainerFiles() {}

  /** One hosts line: an address and its names. */
  public record HostsLine(IpAddress address, List<String> names) {

    public HostsLine {
      names = List.copyOf(names);
    }
  }

  /**
   * resolv.conf: with the embedded DNS ({@code served}) its address and {@code ndots:0} (unless
   * the container sets ndots), as Docker writes it; without, the container's own {@code dns} or the
   * host's servers a container can reach. Search domains and options: the container's, else the host's.
   */
  public static String resolvConf(boolean served, NameSettings n, HostResolvers host) {
    StringBuilder sb = new StringBuilder();
    if (served) {
      sb.append("nameserver ").append(NameScope.SERVER_ADDRESS).append('\n');
    } else {
      (n.dns().isEmpty() ? host.forContainers() : n.dns()).forEach(ip -> sb.append("nameserver ").append(ip).append('\n'));
    }
    List<String> search = n.dnsSearch().isEmpty() ? host.search() : n.dnsSearch();
    if (!search.isEmpty()) {
      sb.append("search ").append(String.join(" ", search)).append('\n');
    }
    List<String> options = new ArrayList<>(n.dnsOptions().isEmpty() ? host.options() : n.dnsOptions());
    if (served && !ResolverOptions.setsNdots(options)) {
      options.add("ndots:0");
    }
    if (!options.isEmpty()) {
      sb.append("options ").append(String.join(" ", options)).append('\n');
    }
    return sb.toString();
  }

  /**
   * hosts: Docker's localhost lines, then the extra hosts, the linked containers (default network),
   * and the container's own host name at each of its addresses.
   */
  public static String hosts(String hostname, List<IpAddress> own, List<HostsLine> extra, List<HostsLine> links) {
    StringBuilder sb = new StringBuilder(LOCALHOST);
    extra.forEach(l -> line(sb, l));
    links.forEach(l -> line(sb, l));
    own.forEach(ip -> line(sb, new HostsLine(ip, List.of(hostname))));
    return sb.toString();
  }

  /** The names of the line a link ({@code links:}) to {@code container} writes: its alias, host name and name, each once. */
  public static List<String> linkNames(String alias, String hostname, String container) {
    return List.copyOf(new LinkedHashSet<>(List.of(alias, hostname, container)));
  }

  /**
   * {@code hosts} (a file's whole text, as {@link #hosts} composed it) without the line a link wrote
   * to a container now gone: {@code names} at one of its {@code addresses}. Every other line stays.
   * An extra host's line may read the same (alias, host name and name all one, at that address):
   * the links' lines come after the extra hosts', so the link's is the last such line.
   */
  public static String hostsWithoutLink(String hosts, Set<IpAddress> addresses, List<String> names) {
    List<String> lines = new ArrayList<>(Arrays.asList(hosts.split("(?<=\n)")));
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] words = lines.get(i).strip().split("\\s+");
      if (IpAddress.tryParse(words[0]).filter(addresses::contains).isPresent()
          && Arrays.asList(words).subList(1, words.length).equals(names)) {
        lines.remove(i);
        break;
      }
    }
    return String.join("", lines);
  }

  private static void line(StringBuilder sb, HostsLine l) {
    sb.append(l.address()).append('\t').append(String.join(" ", l.names())).append('\n');
  }
}
