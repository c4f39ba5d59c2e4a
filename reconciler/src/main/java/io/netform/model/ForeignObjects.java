package io.netform.model;

import io.netform.net.Cidr;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What netform saw on the host but does not own, kept only as far as needed to refuse a desired
 * state that would collide with it or that the host cannot provide: interface names, routes and
 * addresses in the host namespace; named namespaces netform did not create (by file name in
 * {@code namespaceDir}) with what they hold; and foreign firewall rules that touch netform's
 * chains; and of names, the files netform did not write and the host's resolvers ({@code names});
 * and the entries of {@code namespaceDir} that are no namespace at all (a file, a directory, a
 * link: name → what it is), where netform must not make one either.
 * {@code namespaceDir} is empty when the host is not known (an offline plan), and then
 * nothing is checked against it.
 */
public record ForeignObjects(Set<String> hostLinkNames, List<Cidr> hostRoutes, Set<String> namespaces,
    List<Cidr> hostAddresses, Map<String, ForeignNamespace> namespaceContents, List<ForeignRule> firewallRules,
    String namespaceDir, ForeignNames names, Map<String, String> nonNamespaceEntries) {

  /** Without entries other than namespaces in the namespace directory (a snapshot of an older netform, a test). */
  public ForeignObjects(Set<String> hostLinkNames, List<Cidr> hostRoutes, Set<String> namespaces,
      List<Cidr> hostAddresses, Map<String, ForeignNamespace> namespaceContents, List<ForeignRule> firewallRules,
      String namespaceDir, ForeignNames names) {
    this(hostLinkNames, hostRoutes, namespaces, hostAddresses, namespaceContents, firewallRules, namespaceDir, names,
        Map.of());
  }

  /** Without anything known of names (a host read before netform wrote name files, a test). */
  public ForeignObjects(Set<String> hostLinkNames, List<Cidr> hostRoutes, Set<String> namespaces,
      List<Cidr> hostAddresses, Map<String, ForeignNamespace> namespaceContents, List<ForeignRule> firewallRules,
      String namespaceDir) {
    this(hostLinkNames, hostRoutes, namespaces, hostAddresses, namespaceContents, firewallRules, namespaceDir,
        ForeignNames.UNKNOWN);
  }

  public ForeignObjects {
    hostLinkNames = Set.copyOf(hostLinkNames);
    hostRoutes = List.copyOf(hostRoutes);
    namespaces = Set.copyOf(namespaces);
    hostAddresses = List.copyOf(hostAddresses);
    namespaceContents = Collections.unmodifiableMap(new TreeMap<>(namespaceContents));
    firewallRules = List.copyOf(firewallRules);
    nonNamespaceEntries = Collections.unmodifiableMap(new TreeMap<>(nonNamespaceEntries));
  }

  public ForeignObjects(Set<String> hostLinkNames, List<Cidr> hostRoutes, Set<String> namespaces) {
    this(hostLinkNames, hostRoutes, namespaces, List.of(), Map.of(), List.of(), "");
  }

  public static ForeignObjects none() {
    return new ForeignObjects(Set.of(), List.of(), Set.of());
  }

  /** Whether this was read from a real host (or a snapshot of one), so that what it lacks is known to be absent. */
  public boolean isLive() {
    return !namespaceDir.isEmpty();
  }
}
