package io.netform.imports;

import io.netform.desired.Driver;
import io.netform.desired.Fleet;
import io.netform.desired.IpamPool;
import io.netform.desired.NetformNames;
import io.netform.desired.Network;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The networks of {@code docker network inspect}'s output (an array of Docker's NetworkResource)
 * as netform networks. What netform has no counterpart for is left out with a note: Docker's
 * predefined host and none networks (network_mode says that), its swarm and gateway networks,
 * other drivers, and overlay networks when no hosts are given for them.
 */
final class DockerNetworks {

  /**
   * The networks imported, by name; why each other network was left out; and the names of the
   * containers on each network, imported or not (its {@code Containers}), in the file's order.
   */
  record Result(Map<String, Network> networks, Map<String, String> leftOut, Map<String, List<String>> members) {}

  private final ImportNotes notes;
  private final boolean hostsGiven;
  private final Map<String, Network> networks = new LinkedHashMap<>();
  private final Map<String, String> leftOut = new LinkedHashMap<>();
  private final Map<String, List<String>> members = new LinkedHashMap<>();

  private DockerNetworks(ImportNotes notes, boolean hostsGiven) {
    this.notes = notes;
    this.hostsGiven = hostsGiven;
  }

  static Result read(JsonValue root, ImportNotes notes, boolean hostsGiven) {
    List<JsonValue> all = root.elements();
    if (all.isEmpty()) {
      notes.leftOut("networks", "the file lists none");
    }
    DockerNetworks reader = new DockerNetworks(notes, hostsGiven);
    all.forEach(reader::network);
    return new Result(reader.networks, reader.leftOut, reader.members);
  }

  private void network(JsonValue n) {
    String name = n.get("Name").text().orElseThrow(() -> n.error("a network without a Name"));
    String driverText = n.get("Driver").text().orElse("bridge");
    List<String> names = new ArrayList<>();
    n.get("Containers").members().values().forEach(c -> c.get("Name").text().ifPresent(names::add));
    members.put(name, names);
    Optional<String> skip = skipReason(n, name, driverText);
    if (skip.isPresent()) {
      leave(name, skip.get());
      if (driverText.equals("overlay")) {
        notes.warn("network \"" + name + "\" left out: " + skip.get());
      }
      return;
    }
    Driver driver = Driver.fromText(driverText).orElseThrow();
    List<IpamPool> pools = new ArrayList<>();
    for (JsonValue config : n.get("IPAM").get("Config").elements()) {
      Optional<IpamPool> pool = pool(name, config);
      if (pool.isEmpty()) {
        return;
      }
      pools.add(pool.get());
    }
    if (driver == Driver.OVERLAY && pools.size() > 1) {
      leave(name, "an overlay network with " + pools.size() + " subnets: netform's overlay networks have one");
      return;
    }
    DockerNetworkOptions options = new DockerNetworkOptions(n.get("Options").members());
    // Docker's network named bridge is its default one, whatever else its options say (none other may have the name)
    boolean isDefault = options.takeFlag(DockerNetworkOptions.DEFAULT_BRIDGE, false) || name.equals("bridge");
    Optional<String> bridgeName = options.take(DockerNetworkOptions.BRIDGE_NAME);
    if (isDefault && bridgeName.isPresent()) {
      notes.leftOut("network \"" + name + "\" bridge name " + bridgeName.get(), "it is Docker's own bridge; netform"
          + " makes its own for the default network, so stop Docker's first or keep both apart");
      bridgeName = Optional.empty();
    }
    options.take(DockerNetworkOptions.ENABLE_IPV6); // the option form of EnableIPv6, which is read below
    boolean icc = options.takeFlag(DockerNetworkOptions.ICC, true);
    boolean masquerade = options.takeFlag(DockerNetworkOptions.MASQUERADE, true);
    Optional<IpAddress> hostBinding = options.take(DockerNetworkOptions.HOST_BINDING).flatMap(IpAddress::tryParse)
        .filter(ip -> !ip.isUnspecified());
    int mtu = mtu(name, options, driver);
    Optional<String> parent = options.take(DockerNetworkOptions.PARENT);
    options.take(DockerNetworkOptions.MACVLAN_MODE).filter(mode -> !mode.equals("bridge")).ifPresent(mode ->
        notes.leftOut("network \"" + name + "\" macvlan_mode " + mode, "netform's macvlan networks are in bridge mode"));
    Optional<Integer> vxlanId = options.take(DockerNetworkOptions.VXLAN_IDS).flatMap(DockerNetworks::number);
    if (driver == Driver.MACVLAN && parent.isEmpty()) {
      leave(name, "a macvlan network without a parent interface (Options.parent)");
      return;
    }
    options.leftOver().forEach((k, v) -> notes.leftOut("network \"" + name + "\" option " + k + "=" + v,
        "netform has no such setting"));
    Map<String, JsonValue> labels = n.get("Labels").members();
    if (!labels.isEmpty()) {
      notes.leftOut("network \"" + name + "\" labels (" + String.join(", ", labels.keySet()) + ")",
          "netform keeps labels nowhere on the host");
    }
    boolean attachable = n.get("Attachable").bool(false);
    if (attachable && driver != Driver.OVERLAY) {
      notes.leftOut("network \"" + name + "\" attachable", "every netform network takes any container");
    }
    Network network = new Network(name, driver, bridgeName, pools, n.get("Internal").bool(false), icc, masquerade, mtu,
        hostBinding, n.get("EnableIPv6").bool(false), Map.of(), parent, isDefault, false, vxlanId);
    networks.put(name, network);
    notes.imported("network " + name + " (" + driver.text() + (isDefault ? ", the default network" : "")
        + (pools.isEmpty() ? "" : ", " + String.join(", ", pools.stream().map(p -> p.subnet().toString()).toList())) + ")");
  }

  /** Why a network is not imported at all, if it is not. */
  private Optional<String> skipReason(JsonValue n, String name, String driver) {
    if (name.equals("host") || name.equals("none") || driver.equals("host") || driver.equals("null")) {
      return Optional.of("Docker's predefined network; a container says it with network_mode: " + name);
    }
    if (n.get("Ingress").bool(false)) {
      return Optional.of("a swarm's routing mesh (ingress), which needs a swarm");
    }
    if (name.equals(Fleet.GATEWAY_BRIDGE)) {
      return Optional.of("Docker's way out for overlay containers; netform makes its own with the overlay networks");
    }
    if (n.get("ConfigOnly").bool(false)) {
      return Optional.of("a configuration-only network (--config-only), a template for swarm networks");
    }
    if (!NetformNames.allowed(name)) {
      return Optional.of(NetformNames.REFUSED);
    }
    if (Driver.fromText(driver).isEmpty()) {
      return Optional.of("driver \"" + driver + "\": netform has bridge, macvlan and overlay networks");
    }
    if (driver.equals("overlay") && !hostsGiven) {
      return Optional.of("an overlay network spans hosts, which netform needs declared: import again with --host"
          + " NAME=ADDRESS for each host (docs/overlay.md)");
    }
    if (n.get("Options").members().containsKey("encrypted")) {
      return Optional.of("an encrypted overlay: netform does not encrypt overlays (it refuses encrypted, "
          + "encrypted-overlay); encrypt the underlay, then declare the network without it");
    }
    if (!n.get("EnableIPv4").bool(true)) {
      return Optional.of("an IPv6-only network (EnableIPv4 false): netform's networks have IPv4");
    }
    String ipamDriver = n.get("IPAM").get("Driver").text().orElse("default");
    if (!ipamDriver.equals("default")) {
      return Optional.of("IPAM driver \"" + ipamDriver + "\": netform has only the default one");
    }
    return Optional.empty();
  }

  private Optional<IpamPool> pool(String network, JsonValue config) {
    Optional<String> subnetText = config.get("Subnet").text();
    Optional<Cidr> subnet = subnetText.flatMap(Cidr::tryParse);
    if (subnet.isEmpty()) {
      leave(network, subnetText.map(s -> "subnet \"" + s + "\" is not an address range").orElse("an IPAM config without a Subnet"));
      return Optional.empty();
    }
    Optional<IpAddress> gateway = address(config.get("Gateway"));
    Optional<Cidr> range = config.get("IPRange").text().flatMap(Cidr::tryParse);
    Map<String, IpAddress> aux = new LinkedHashMap<>();
    config.get("AuxiliaryAddresses").members().forEach((k, v) -> address(v).ifPresentOrElse(ip -> aux.put(k, ip),
        () -> notes.leftOut("network \"" + network + "\" aux address " + k, "not an address")));
    return Optional.of(new IpamPool(subnet.get(), gateway, range, aux));
  }

  /** An address; Docker has written gateways with a prefix length (172.17.0.1/16), which is dropped. */
  static Optional<IpAddress> address(JsonValue v) {
    return v.text().map(t -> t.contains("/") ? t.substring(0, t.indexOf('/')) : t).flatMap(IpAddress::tryParse);
  }

  private int mtu(String network, DockerNetworkOptions options, Driver driver) {
    int fallback = driver == Driver.OVERLAY ? Network.OVERLAY_MTU : Network.DEFAULT_MTU;
    Optional<String> text = options.take(DockerNetworkOptions.MTU);
    Optional<Integer> mtu = text.flatMap(DockerNetworks::number).filter(m -> m >= 68 && m <= 65535);
    if (text.isPresent() && mtu.isEmpty() && !text.get().equals("0")) {
      notes.leftOut("network \"" + network + "\" mtu " + text.get(), "not an MTU (68-65535)");
    }
    return mtu.orElse(fallback);
  }

  /** A whole number written as text (Docker's options and port keys are strings); empty for anything else. */
  static Optional<Integer> number(String text) {
    try {
      return Optional.of(Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void leave(String name, String why) {
    leftOut.put(name, why);
    notes.leftOut("network \"" + name + "\"", why);
  }
}
