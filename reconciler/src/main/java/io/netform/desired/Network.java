package io.netform.desired;

import io.netform.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network as declared, with Docker's driver options already folded into the first-class
 * fields. {@code name} is its name on the host (Compose's {@code name:}, else its key).
 * {@code pools} is empty when the user configured no subnet (IPAM then picks one from Docker's
 * default pools) — which also means static addresses are not allowed on it. An {@code external}
 * network is a bridge someone else made and manages: netform attaches containers to it and
 * changes nothing of the bridge itself. {@code vxlanId} is an overlay network's VXLAN id as written
 * (Docker's {@code com.docker.network.driver.overlay.vxlanid_list}); empty: allocated.
 */
public record Network(
    String name,
    Driver driver,
    Optional<String> bridgeName,
    List<IpamPool> pools,
    boolean internal,
    boolean icc,
    boolean masquerade,
    int mtu,
    Optional<IpAddress> hostBindingIpv4,
    boolean enableIpv6,
    Map<String, String> labels,
    Optional<String> parent,
    boolean isDefault,
    boolean external,
    Optional<Integer> vxlanId) {

  public static final int DEFAULT_MTU = 1500;
  /** An overlay's MTU: the underlay's 1500 less VXLAN's 50 bytes of headers, as Docker sets it. */
  public static final int OVERLAY_MTU = 1450;

  public Network {
    pools = List.copyOf(pools);
    labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
  }

  /** A network without a VXLAN id of its own. */
  public Network(String name, Driver driver, Optional<String> bridgeName, List<IpamPool> pools, boolean internal,
      boolean icc, boolean masquerade, int mtu, Optional<IpAddress> hostBindingIpv4, boolean enableIpv6,
      Map<String, String> labels, Optional<String> parent, boolean isDefault, boolean external) {
    this(name, driver, bridgeName, pools, internal, icc, masquerade, mtu, hostBindingIpv4, enableIpv6, labels, parent,
        isDefault, external, Optional.empty());
  }

  /** A network netform manages. */
  public Network(String name, Driver driver, Optional<String> bridgeName, List<IpamPool> pools, boolean internal,
      boolean icc, boolean masquerade, int mtu, Optional<IpAddress> hostBindingIpv4, boolean enableIpv6,
      Map<String, String> labels, Optional<String> parent, boolean isDefault) {
    this(name, driver, bridgeName, pools, internal, icc, masquerade, mtu, hostBindingIpv4, enableIpv6, labels, parent,
        isDefault, false);
  }

  /** An external network's existing bridge: {@code bridge_name}, else the network's name on the host. */
  public String externalBridge() {
    return bridgeName.orElse(name);
  }

  public boolean hasUserSubnet() {
    return !pools.isEmpty();
  }

  public boolean isOverlay() {
    return driver == Driver.OVERLAY;
  }

  /** The same network under another name (Compose's name:). */
  public Network renamed(String newName) {
    return new Network(newName, driver, bridgeName, pools, internal, icc, masquerade, mtu, hostBindingIpv4, enableIpv6,
        labels, parent, isDefault, external, vxlanId);
  }

  /** The same network as the one containers that name none join ({@code default: true}). */
  public Network asDefault() {
    return new Network(name, driver, bridgeName, pools, internal, icc, masquerade, mtu, hostBindingIpv4, enableIpv6,
        labels, parent, true, external, vxlanId);
  }

  public Network withInternal(boolean isInternal) {
    return new Network(name, driver, bridgeName, pools, isInternal, icc, masquerade, mtu, hostBindingIpv4, enableIpv6,
        labels, parent, isDefault, external, vxlanId);
  }

  /** The same network with other pools and VXLAN id (an overlay's, as the fleet allocated them). */
  public Network withOverlayAllocation(List<IpamPool> allocatedPools, int vni) {
    return new Network(name, driver, bridgeName, allocatedPools, internal, icc, masquerade, mtu, hostBindingIpv4,
        enableIpv6, labels, parent, isDefault, external, Optional.of(vni));
  }
}
