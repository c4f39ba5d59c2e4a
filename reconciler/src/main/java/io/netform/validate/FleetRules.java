package io.netform.validate;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Fleet;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.diagnostics.Suggestions;
import io.netform.net.IpAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What breaks a fleet: containers on hosts that are not declared (or on no host where several
 * are), two hosts at one address, overlay networks without hosts or with what netform's overlay
 * does not carry (IPv6, several subnets), one VXLAN id on two networks, and a subnet that holds
 * a host's underlay address (every host would route its own underlay into a network), and an
 * underlay address no other host can reach (loopback, multicast, …).
 */
final class FleetRules {

  private FleetRules() {}

  static void check(DesiredState state, Findings out) {
    Map<String, Host> hosts = state.fleet().hosts();
    Map<IpAddress, String> byAddress = new HashMap<>();
    for (Host h : hosts.values()) {
      ReservedRanges.unusableAsUnderlay(h.address()).ifPresent(r -> out.errorAt(Paths.host(h.name()) + "/address",
          "reserved-range", "host \"" + h.name() + "\" has the address " + h.address() + ", in " + r.describe()
              + "; the other hosts send its overlay traffic (VXLAN) there", "give the address the other hosts reach "
              + "it at on the underlay network (e.g. its LAN address)"));
      String other = byAddress.putIfAbsent(h.address(), h.name());
      if (other != null) {
        out.errorAt(Paths.host(h.name()) + "/address", "duplicate-host-address", "hosts \"" + other + "\" and \""
            + h.name() + "\" both have the address " + h.address() + " (at " + out.where(Paths.host(other) + "/address")
            + ")", "give each host its own underlay address");
      }
    }
    for (Container c : state.containers().values()) {
      checkHost(state, c, out);
    }
    Map<Integer, String> vnis = new HashMap<>();
    for (Network n : state.networks().values()) {
      if (n.isOverlay()) {
        checkOverlay(state, n, vnis, out);
      } else if (state.isGatewayBridge(n)) {
        out.errorAtKey(Paths.network(n.name()), "reserved-network-name", "the network name \"" + Fleet.GATEWAY_BRIDGE
            + "\" is the one each host gives its overlay containers' way out", "rename this network");
      }
      // A macvlan or an external network gives the host no route: its subnet may well be the hosts' LAN.
      boolean routedByHost = n.driver() != Driver.MACVLAN && !n.external();
      for (int i = 0; routedByHost && i < n.pools().size(); i++) {
        IpamPool p = n.pools().get(i);
        for (Host h : hosts.values()) {
          if (p.subnet().network().contains(h.address())) {
            out.errorAt(Paths.pool(n.name(), i) + "/subnet", "subnet-holds-host", "subnet " + p.subnet() + " of network \""
                + n.name() + "\" holds the address " + h.address() + " of host \"" + h.name() + "\"",
                "choose a subnet outside the hosts' underlay addresses");
          }
        }
      }
    }
  }

  private static void checkHost(DesiredState state, Container c, Findings out) {
    Map<String, Host> hosts = state.fleet().hosts();
    String path = Paths.container(c.name());
    if (c.host().isPresent() && !hosts.containsKey(c.host().get())) {
      if (out.refused(Paths.host(c.host().get()))) {
        return;
      }
      String hint = hosts.isEmpty() ? "declare the host under hosts: (with its underlay address), or remove host:"
          : Suggestions.closest(c.host().get(), hosts.keySet()).map(s -> "did you mean \"" + s + "\"?")
              .orElse("declared hosts: " + String.join(", ", hosts.keySet()));
      out.errorAt(path + "/host", "unknown-host", "container \"" + c.name() + "\" runs on host \"" + c.host().get()
          + "\", which is not declared under hosts:", hint);
      return;
    }
    if (state.hostOf(c).isEmpty() && hosts.size() > 1) {
      String joins = c.mode() instanceof NetworkMode.JoinContainer j ? ", nor does \"" + j.container() + "\", whose namespace it joins" : "";
      out.errorAtKey(path, "host-required", "container \"" + c.name() + "\" does not say which host it runs on" + joins
          + ", and " + hosts.size() + " hosts are declared", "add host: with one of " + String.join(", ", hosts.keySet()));
      return;
    }
    if (c.mode() instanceof NetworkMode.JoinContainer j && state.containers().containsKey(j.container())) {
      Optional<String> joined = state.hostOf(state.containers().get(j.container()));
      Optional<String> own = state.hostOf(c);
      if (joined.isPresent() && own.isPresent() && !joined.equals(own)) {
        out.errorAt(path + "/network_mode", "join-across-hosts", "container \"" + c.name() + "\" on host \"" + own.get()
            + "\" joins the namespace of \"" + j.container() + "\", which runs on host \"" + joined.get() + "\"",
            "put both containers on one host");
      }
    }
  }

  private static void checkOverlay(DesiredState state, Network n, Map<Integer, String> vnis, Findings out) {
    String path = Paths.network(n.name());
    if (!state.fleet().declared()) {
      out.errorAt(path + "/driver", "overlay-without-hosts", "overlay network \"" + n.name() + "\" spans hosts, and "
          + "no hosts: are declared", "declare the machines under hosts: (name, address), or use driver: bridge");
    }
    if (n.enableIpv6() || n.pools().stream().anyMatch(p -> !p.subnet().address().isV4())) {
      out.errorAt(path + (n.enableIpv6() ? "/enable_ipv6" : "/ipam"), "overlay-ipv4-only", "overlay network \""
          + n.name() + "\" has IPv6; netform's overlay networks carry IPv4 only", "remove the IPv6 subnet and enable_ipv6");
    } else if (n.pools().size() > 1) {
      out.errorAt(Paths.pool(n.name(), 1) + "/subnet", "overlay-one-subnet", "overlay network \"" + n.name()
          + "\" has " + n.pools().size() + " subnets; netform's overlay networks have one", "keep one subnet");
    }
    n.vxlanId().ifPresent(id -> {
      String other = vnis.putIfAbsent(id, n.name());
      if (other != null) {
        out.errorAt(path + "/vxlanid_list", "duplicate-vni", "networks \"" + other + "\" and \"" + n.name()
            + "\" both use VXLAN id " + id, "give each overlay network its own id, or leave the option out to get one");
      }
    });
  }
}
