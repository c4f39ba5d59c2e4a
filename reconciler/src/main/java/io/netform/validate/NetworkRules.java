package io.netform.validate;

import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.fleet.HostNetworks;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks each network on its own and networks against each other (subnets, bridge names, default). */
final class NetworkRules {

  private NetworkRules() {}

  static void check(DesiredState state, Findings out) {
    List<Placed> subnets = new ArrayList<>();
    Map<String, String> bridgeNames = new HashMap<>();
    String defaultNetwork = null;
    for (Network n : state.networks().values()) {
      String path = Paths.network(n.name());
      checkPredefinedName(n, path, out);
      n.bridgeName().ifPresent(b -> {
        BridgeNames.problem(b).ifPresent(p -> out.errorAt(path + "/bridge_name", p));
        if (!n.external()) {
          claimBridge(b, n, bridgeNames, out);
        }
      });
      if (n.external()) {
        checkExternal(n, out);
        claimBridge(n.externalBridge(), n, bridgeNames, out);
      }
      if (n.driver() == Driver.MACVLAN) {
        if (n.parent().isEmpty()) {
          out.errorAtKey(path, "macvlan-without-parent", "macvlan network \"" + n.name() + "\" has no parent interface",
              "add parent: <host interface> (Docker: -o parent=eth0)");
        }
        n.bridgeName().ifPresent(b -> out.warningAt(path + "/bridge_name", "ignored-setting",
            "bridge_name has no effect on a macvlan network", "remove it"));
      }
      n.parent().ifPresent(p -> InterfaceNames.problem(p).ifPresent(problem -> out.errorAt(path + "/parent",
          "bad-interface-name", "parent interface \"" + p + "\" " + problem, "name an existing host interface")));
      if (n.isDefault()) {
        if (defaultNetwork != null) {
          out.errorAt(path + "/default", "two-default-networks",
              "networks \"" + defaultNetwork + "\" and \"" + n.name() + "\" are both marked default",
              "mark only one network default: true");
        }
        defaultNetwork = n.name();
      }
      if (n.enableIpv6() && n.pools().stream().noneMatch(p -> !p.subnet().address().isV4())) {
        out.errorAt(path + "/enable_ipv6", "ipv6-without-subnet",
            "network \"" + n.name() + "\" enables IPv6 but has no IPv6 subnet",
            "add an IPv6 entry (e.g. subnet: fd00:10::/64) to ipam.config");
      }
      n.hostBindingIpv4().filter(ip -> !ip.isV4()).ifPresent(ip -> out.errorAt(path + "/host_binding_ipv4",
          "wrong-family", "host_binding_ipv4 " + ip + " is not an IPv4 address", "write an IPv4 address"));
      n.hostBindingIpv4().filter(IpAddress::isV4).ifPresent(ip -> ReservedRanges.unusableOnHost(ip).ifPresent(r ->
          out.errorAt(path + "/host_binding_ipv4", "reserved-range", "host_binding_ipv4 " + ip + " is in " + r.describe(),
              "bind to an address of the host, or remove host_binding_ipv4 to publish on every address")));
      for (int i = 0; i < n.pools().size(); i++) {
        checkPool(n, i, out);
        subnets.add(new Placed(n.name(), i, n.pools().get(i).subnet().network()));
      }
    }
    Set<String> reported = new HashSet<>();
    for (Set<String> together : networksTogether(state)) {
      checkOverlaps(subnets.stream().filter(p -> together.contains(p.network)).toList(), reported, out);
    }
  }

  /**
   * The sets of networks one machine has at once: all of them without hosts:; in a fleet, each
   * host's bridge and macvlan networks with every overlay network (those span the fleet).
   */
  private static List<Set<String>> networksTogether(DesiredState state) {
    if (!state.fleet().declared()) {
      return List.of(state.networks().keySet());
    }
    Set<String> overlays = new HashSet<>();
    state.networks().values().stream().filter(Network::isOverlay).forEach(n -> overlays.add(n.name()));
    List<Set<String>> out = new ArrayList<>();
    for (String host : state.fleet().hosts().keySet()) {
      Set<String> together = new HashSet<>(overlays);
      together.addAll(HostNetworks.localOn(state, host));
      out.add(together);
    }
    return out;
  }

  private static void claimBridge(String bridge, Network n, Map<String, String> bridgeNames, Findings out) {
    String other = bridgeNames.putIfAbsent(bridge, n.name());
    if (other != null) {
      out.errorAt(bridgeSettingPath(n), "duplicate-bridge-name",
          "networks \"" + other + "\" and \"" + n.name() + "\" both use the bridge name \"" + bridge + "\"",
          "give each network its own bridge_name, or drop it to get a derived one");
    }
  }

  /** Where the name of a network's bridge was written: bridge_name, else (an external network) its name or key. */
  private static String bridgeSettingPath(Network n) {
    String path = Paths.network(n.name());
    return n.bridgeName().isPresent() ? path + "/bridge_name" : path + "/name";
  }

  /**
   * Docker's predefined networks: host and none are modes, never networks one creates; bridge is the
   * default network, which network_mode: bridge and a container without networks join, so a
   * network of that name that is not the default would be a second meaning of the word.
   */
  private static void checkPredefinedName(Network n, String path, Findings out) {
    if (n.name().equals("host") || n.name().equals("none")) {
      out.errorAtKey(path, "predefined-network", "\"" + n.name() + "\" is one of Docker's predefined networks: Docker "
          + "refuses to create a network of that name", "write network_mode: " + n.name()
          + " on the containers that should use it, and rename or remove this network");
    } else if (n.name().equals("bridge") && !n.isDefault()) {
      out.errorAtKey(path, "predefined-network", "\"bridge\" is Docker's default network (what network_mode: bridge and "
          + "a container without networks join), and this one is not marked default", "add default: true to it, or "
          + "rename it");
    }
  }

  /**
   * An external network is a bridge someone else made: netform needs its subnet (it hands out its
   * containers' addresses itself and cannot ask the bridge's owner which are free) and its name.
   */
  private static void checkExternal(Network n, Findings out) {
    String path = Paths.network(n.name());
    if (n.driver() != Driver.BRIDGE) {
      out.errorAt(path + "/driver", "external-not-bridge", "external network \"" + n.name() + "\" has driver "
          + n.driver().text() + "; an external network is an existing bridge", "remove driver (or external: true)");
    }
    if (!n.hasUserSubnet()) {
      out.errorAtKey(path + "/external", "external-without-subnet", "external network \"" + n.name()
          + "\" has no subnet: netform gives its containers their addresses and cannot ask the bridge's owner which "
          + "are free", "add ipam.config with the bridge's subnet (ip -br addr show " + n.externalBridge()
          + "), its gateway if not the first address, and an ip_range that the bridge's owner does not hand out");
    }
    if (n.bridgeName().isEmpty()) {
      InterfaceNames.problem(n.externalBridge()).ifPresent(problem -> out.errorAt(path + "/name", "bad-interface-name",
          "external network \"" + n.name() + "\" names the bridge \"" + n.externalBridge() + "\", which " + problem,
          "write name: (or bridge_name:) with the kernel name of the existing bridge (ip -br link show type bridge)"));
    }
  }

  private static void checkPool(Network n, int index, Findings out) {
    IpamPool pool = n.pools().get(index);
    String path = Paths.pool(n.name(), index);
    Cidr subnet = pool.subnet();
    if (subnet.hasHostBits()) {
      out.warningAt(path + "/subnet", "subnet-host-bits",
          "subnet " + subnet + " has host bits set; it means " + subnet.network(),
          "write subnet: " + subnet.network());
    }
    Cidr canonical = subnet.network();
    ReservedRanges.overlapping(canonical).ifPresent(r -> out.errorAt(path + "/subnet", "reserved-range",
        "subnet " + subnet + (r.block().contains(canonical) ? " lies in " : " overlaps ") + r.describe(),
        ReservedRanges.usableHint(canonical.family())));
    if (canonical.address().isV4() && canonical.prefix() > 30) {
      out.errorAt(path + "/subnet", "subnet-too-small", "subnet " + subnet + " leaves no address for containers",
          "use a prefix of /30 or shorter");
    }
    pool.gateway().ifPresent(gw -> {
      if (!canonical.contains(gw)) {
        out.errorAt(path + "/gateway", "gateway-outside-subnet",
            "gateway " + gw + " is not in subnet " + canonical, "pick a gateway inside " + canonical);
      } else if (isNetworkOrBroadcast(canonical, gw)) {
        out.errorAt(path + "/gateway", "gateway-reserved",
            "gateway " + gw + " is the " + (gw.equals(canonical.first()) ? "network" : "broadcast") + " address of " + canonical,
            "pick a usable address, e.g. " + canonical.first().plus(1));
      }
    });
    pool.ipRange().ifPresent(r -> {
      if (!canonical.contains(r.network())) {
        out.errorAt(path + "/ip_range", "range-outside-subnet",
            "ip_range " + r + " is not inside subnet " + canonical, "pick a range inside " + canonical);
      }
    });
    Map<IpAddress, String> reserved = new HashMap<>(); // Docker reserves each aux address once, after the gateway
    pool.auxAddresses().forEach((name, ip) -> {
      String auxPath = path + "/aux_addresses/" + io.netform.desired.SourceMap.segment(name);
      if (!canonical.contains(ip)) {
        out.errorAt(auxPath, "aux-outside-subnet", "aux address " + name + "=" + ip + " is not in subnet " + canonical,
            "pick an address inside " + canonical + " or remove it");
      } else if (pool.gateway().filter(ip::equals).isPresent()) {
        out.errorAt(auxPath, "aux-is-gateway", "failed to allocate secondary ip address (" + name + ":" + ip
            + "): Address already in use: it is the gateway", "remove it; the gateway is reserved anyway");
      } else if (reserved.containsKey(ip)) {
        out.errorAt(auxPath, "aux-address-twice", "failed to allocate secondary ip address (" + name + ":" + ip
            + "): Address already in use: it is aux address \"" + reserved.get(ip) + "\" too", "remove one of the two");
      } else {
        reserved.put(ip, name);
      }
    });
  }

  static boolean isNetworkOrBroadcast(Cidr subnet, IpAddress ip) {
    return subnet.address().isV4() && subnet.prefix() < 31 && (ip.equals(subnet.first()) || ip.equals(subnet.last()));
  }

  private record Placed(String network, int index, Cidr subnet) {}

  /** {@code reported}: the overlaps found already (on another host), each said once. */
  private static void checkOverlaps(List<Placed> subnets, Set<String> reported, Findings out) {
    // Sorted sweep: overlapping blocks are adjacent once ordered by start address.
    List<Placed> sorted = new ArrayList<>(subnets);
    sorted.sort((a, b) -> a.subnet.compareTo(b.subnet));
    Placed widest = null;
    for (Placed p : sorted) {
      if (widest != null && widest.subnet.overlaps(p.subnet) && reported.add(p + " " + widest)) {
        String what = widest.network.equals(p.network) ? "another subnet of the same network" : "network \"" + widest.network + "\"";
        out.errorAt(Paths.pool(p.network, p.index) + "/subnet", "subnet-overlap",
            "subnet " + p.subnet + " overlaps " + widest.subnet + " of " + what
                + " (Docker: Pool overlaps with other one on this address space)",
            "give each network a subnet of its own");
      }
      if (widest == null || widest.subnet.family() != p.subnet.family()
          || p.subnet.last().compareTo(widest.subnet.last()) > 0) {
        widest = p;
      }
    }
  }
}
