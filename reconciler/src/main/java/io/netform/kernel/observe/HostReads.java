package io.netform.kernel.observe;

import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.RouteInfo;
import io.netform.kernel.netlink.Rtnl;
import java.util.List;

/** The host namespace's links, addresses and routes, as three dumps return them. */
public record HostReads(List<LinkInfo> links, List<AddressInfo> addresses, List<RouteInfo> routes) {

  public static HostReads read(Rtnl rtnl) {
    return new HostReads(rtnl.links(), rtnl.addresses(), rtnl.routes());
  }
}
