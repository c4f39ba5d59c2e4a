package io.netform.validate;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.SourceMap;
import io.netform.gateway.GatewayOrder;
import io.netform.net.IpAddress;
import java.util.List;

/**
 * Settings netform accepts but would not act on: each is a located warning (so {@code validate
 * --strict} fails on it), never silence. (Settings that have no effect on one kind of network are
 * warned about where that network is read.)
 */
final class IgnoredSettings {

  private IgnoredSettings() {}

  static void check(DesiredState state, Findings out) {
    for (Network n : state.networks().values()) {
      if (!n.labels().isEmpty()) {
        out.warningAtKey(Paths.network(n.name()) + "/labels", "ignored-setting",
            "labels of network \"" + n.name() + "\" are not kept anywhere on the host (Docker shows them in "
                + "docker network inspect; netform has no such record)", "remove them, or keep them as YAML comments");
      }
      unusedIpv6Subnets(state, n, out);
    }
    for (Container c : state.containers().values()) {
      ipv6PortsWithoutIpv6(state, c, out);
    }
  }

  /**
   * An IPv6 subnet on a network without enable_ipv6 gives its containers no IPv6 address (as in
   * Docker, where the subnet needs --ipv6): unless a container names its ipv6_address, nothing
   * uses it.
   */
  private static void unusedIpv6Subnets(DesiredState state, Network n, Findings out) {
    if (n.enableIpv6() || n.external() || n.pools().stream().allMatch(p -> p.subnet().address().isV4())) {
      return; // and only then every attachment is looked at (1,000 networks x 10,000 containers)
    }
    boolean staticIpv6 = state.containers().values().stream().flatMap(c -> c.attachments().stream())
        .anyMatch(a -> a.network().equals(n.name()) && a.ipv6Address().isPresent());
    for (int i = 0; i < n.pools().size() && !staticIpv6; i++) {
      if (!n.pools().get(i).subnet().address().isV4()) {
        out.warningAt(Paths.pool(n.name(), i) + "/subnet", "ipv6-not-enabled", "network \"" + n.name()
            + "\" has an IPv6 subnet but not enable_ipv6: its containers get no IPv6 address from it",
            "add enable_ipv6: true to the network, or remove the IPv6 subnet");
      }
    }
  }

  /**
   * A port published on an IPv6 host address needs an IPv6 network to reach the container on:
   * Docker forwards it to the container's IPv4 address with its userland proxy, a process netform
   * does not run, so without one the port is not published at all.
   */
  private static void ipv6PortsWithoutIpv6(DesiredState state, Container c, Findings out) {
    if (c.mode() instanceof NetworkMode.None || c.mode() instanceof NetworkMode.Host) {
      return;
    }
    List<Attachment> attachments = state.namespaceHolder(c).attachments();
    if (GatewayOrder.ipv6Gateway(state.networks(), attachments).isPresent()
        || (GatewayOrder.ipv4Gateway(state.networks(), attachments).isEmpty()
            && !GatewayOrder.onOverlayWithAWayOut(state.networks(), attachments))) {
      return; // published over IPv6; or nowhere at all, which is warned about as such (e.g. internal networks)
    }
    for (PortMapping p : c.ports()) {
      p.hostIp().filter(ip -> ip.family() == IpAddress.Family.V6).ifPresent(ip -> out.warningAt(
          SourceMap.portPath(c.name(), p.toString()), "ipv6-port-without-ipv6",
          "port " + p + " of container \"" + c.name() + "\" is not published: its host address is IPv6, but the container "
              + "has no IPv6 network to forward it to (Docker would relay it to the IPv4 address with its userland "
              + "proxy; netform has no proxy)",
          "enable IPv6 on the container's network (enable_ipv6 and an IPv6 subnet), or publish on an IPv4 address"));
    }
  }
}
