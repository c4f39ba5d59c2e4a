package io.netform.desired;

/**
 * Docker's network driver option keys that netform knows (its {@code driver_opts}, and the
 * {@code Options} of {@code docker network inspect}): one spelling for the loader, which takes
 * them as synonyms of its own keys, and for the import, which reads them from Docker.
 */
public final class DockerOptionKeys {

  public static final String BRIDGE_NAME = "com.docker.network.bridge.name";
  public static final String ICC = "com.docker.network.bridge.enable_icc";
  public static final String MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
  public static final String HOST_BINDING = "com.docker.network.bridge.host_binding_ipv4";
  public static final String MTU = "com.docker.network.driver.mtu";
  public static final String DEFAULT_BRIDGE = "com.docker.network.bridge.default_bridge";
  public static final String ENABLE_IPV6 = "com.docker.network.enable_ipv6";
  public static final String PARENT = "parent";
  public static final String MACVLAN_MODE = "macvlan_mode";
  /** An overlay network's VXLAN id, as Docker's overlay driver takes it. */
  public static final String VXLAN_IDS = "com.docker.network.driver.overlay.vxlanid_list";
  /** Docker's encrypted overlay (IPsec). */
  public static final String ENCRYPTED = "encrypted";

  private DockerOptionKeys() {}
}
