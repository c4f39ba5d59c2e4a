package io.netform.model;

import io.netform.net.Cidr;
import java.util.List;
import java.util.Set;

/**
 * What a named namespace netform did not create holds, as far as adopting it could collide with
 * it: its interface names, its routes' destinations, and whether it is the host's own namespace
 * (netform's or PID 1's, mounted under a name), which netform never adopts.
 */
public record ForeignNamespace(Set<String> links, List<Cidr> routes, boolean isHost) {

  public ForeignNamespace {
    links = Set.copyOf(links);
    routes = List.copyOf(routes);
  }
}
