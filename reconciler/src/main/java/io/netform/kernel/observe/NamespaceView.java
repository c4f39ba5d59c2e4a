package io.netform.kernel.observe;

import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.RouteInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What one namespace holds, read in three dumps. */
public record NamespaceView(String name, Path path, List<LinkInfo> links, List<AddressInfo> addresses, List<RouteInfo> routes) {

  // Plain loops: a container has two or three links, and these run thousands of times per observation.
  public Optional<LinkInfo> link(int index) {
    for (LinkInfo l : links) {
      if (l.index() == index) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  public Optional<LinkInfo> link(String name) {
    for (LinkInfo l : links) {
      if (l.name().equals(name)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }
}
