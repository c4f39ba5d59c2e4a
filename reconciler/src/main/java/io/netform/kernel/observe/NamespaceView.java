package io.netform.kernel.observe;

import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.RouteInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What one namespace holds, read in three dumps. */
public record NamespaceView(String name, Path path, List<LinkInfo> links, List<AddressInfo> addresses, List<RouteInfo> routes) {

  public Optional<LinkInfo> link(int index) {
    return links.stream().filter(l -> l.index() == index).findFirst();
  }

  public Optional<LinkInfo> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }
}
