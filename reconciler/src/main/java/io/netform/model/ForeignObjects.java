package io.netform.model;

import io.netform.net.Cidr;
import java.util.List;
import java.util.Set;

/**
 * What netform saw on the host but does not own, kept only as far as needed to refuse a desired
 * state that would collide with it: interface names in the host namespace, routes in the host
 * namespace (a wanted subnet already routed elsewhere), and namespace names.
 */
public record ForeignObjects(Set<String> hostLinkNames, List<Cidr> hostRoutes, Set<String> namespaces) {

  public ForeignObjects {
    hostLinkNames = Set.copyOf(hostLinkNames);
    hostRoutes = List.copyOf(hostRoutes);
    namespaces = Set.copyOf(namespaces);
  }

  public static ForeignObjects none() {
    return new ForeignObjects(Set.of(), List.of(), Set.of());
  }
}
