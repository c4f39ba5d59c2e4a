package io.netform.validate;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An attachment's own addresses. Docker's static-address checks: a user subnet is required, the
 * address lies in it and is free; and a MAC address the kernel accepts for an interface.
 */
final class AddressRules {

  private AddressRules() {}

  static void check(DesiredState state, Findings out) {
    Map<String, Map<IpAddress, String>> taken = new HashMap<>();
    Map<String, Map<MacAddress, String>> macs = new HashMap<>();
    for (Container c : state.containers().values()) {
      for (Attachment a : c.attachments()) {
        Network n = state.networks().get(a.network());
        if (n == null) {
          continue;
        }
        String path = Paths.attachment(c.name(), a.network());
        // An overlay is one network across the fleet; a bridge or macvlan network is one per host.
        String segment = n.isOverlay() ? n.name() : n.name() + " on " + state.machineOf(c);
        Map<IpAddress, String> inUse = taken.computeIfAbsent(segment, k -> new HashMap<>());
        a.ipv4Address().ifPresent(ip -> checkStatic(n, c, ip, path + "/ipv4_address", inUse, out));
        a.ipv6Address().ifPresent(ip -> checkStatic(n, c, ip, path + "/ipv6_address", inUse, out));
        a.macAddress().flatMap(MacAddresses::problem).ifPresent(p -> out.errorAt(path + "/mac_address", p));
        a.macAddress().filter(mac -> MacAddresses.problem(mac).isEmpty()).ifPresent(mac -> {
          // One MAC twice on one segment: frames go to either, and an overlay's static entries to one only.
          String other = macs.computeIfAbsent(segment, k -> new HashMap<>()).putIfAbsent(mac, c.name());
          if (other != null) {
            out.errorAt(path + "/mac_address", "mac-in-use", "mac_address " + mac + " is also given to container \""
                + other + "\" on network \"" + n.name() + "\"", "give each container its own MAC address, or leave it out");
          }
        });
      }
    }
  }

  private static void checkStatic(Network n, Container c, IpAddress ip, String path,
      Map<IpAddress, String> taken, Findings out) {
    if (!n.hasUserSubnet()) {
      out.errorAt(path, "static-without-subnet",
          "user specified IP address is supported only when connecting to networks with user configured subnets"
              + " (network \"" + n.name() + "\" has none)",
          "add ipam.config with a subnet to network \"" + n.name() + "\", or drop the static address");
      return;
    }
    Optional<IpamPool> pool = n.pools().stream().filter(p -> p.subnet().network().contains(ip)).findFirst();
    if (pool.isEmpty()) {
      out.errorAt(path, "address-outside-subnet",
          "Invalid address " + ip + ": It does not belong to any of this network's subnets (network \"" + n.name() + "\")",
          "pick an address inside " + n.pools().stream().map(p -> p.subnet().network().toString())
              .reduce((x, y) -> x + " or " + y).orElse("the subnet"));
      return;
    }
    IpamPool p = pool.get();
    if (NetworkRules.isNetworkOrBroadcast(p.subnet().network(), ip)) {
      out.errorAt(path, "address-reserved", "address " + ip + " is the network or broadcast address of " + p.subnet().network(),
          "pick a usable address");
      return;
    }
    if (p.gateway().filter(ip::equals).isPresent() || (p.gateway().isEmpty() && ip.equals(p.subnet().first().plus(1)))) {
      out.errorAt(path, "address-in-use", "Address already in use: " + ip + " is the gateway of network \"" + n.name() + "\"",
          "pick another address");
      return;
    }
    for (Map.Entry<String, IpAddress> aux : p.auxAddresses().entrySet()) {
      if (aux.getValue().equals(ip)) {
        out.errorAt(path, "address-in-use", "Address already in use: " + ip + " is reserved as aux address \""
            + aux.getKey() + "\" of network \"" + n.name() + "\"", "pick another address");
        return;
      }
    }
    String other = taken.putIfAbsent(ip, c.name());
    if (other != null) {
      out.errorAt(path, "address-in-use", "Address already in use: " + ip + " is also given to container \"" + other
          + "\" on network \"" + n.name() + "\"", "give each container its own address");
    }
  }
}
