package io.netform.model;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A sysctl netform needs: host-wide (e.g. {@code net.ipv4.ip_forward=1}), which netform sets but
 * never resets on delete because other software on the host may rely on it too; or one of
 * netform's own interfaces (e.g. {@code net/ipv4/conf/BRIDGE/route_localnet}), which lives and
 * dies with the interface. An interface's setting is named with {@code /} separators, as
 * sysctl(8) allows, because an interface name may contain dots.
 */
public record SysctlObject(String namespace, String name, String value, Owner owner) implements KernelObject {

  private static final String INTERFACE_PREFIX = "net/ipv4/conf/";

  public static final String IPV4_FORWARDING = "net.ipv4.ip_forward";

  public static final String IPV6_FORWARDING = "net.ipv6.conf.all.forwarding";

  /** The host-wide settings netform sets, and nothing else. */
  public static final Set<String> HOST_WIDE = Set.of(IPV4_FORWARDING, IPV6_FORWARDING);

  /** {@code net/ipv4/conf/DEVICE/SETTING} of {@code device} in {@code namespace}. */
  public static SysctlObject ofInterface(String namespace, String device, String setting, String value, Owner owner) {
    return new SysctlObject(namespace, INTERFACE_PREFIX + device + "/" + setting, value, owner);
  }

  /** The interface this setting belongs to; empty for a host-wide one. */
  public Optional<String> device() {
    if (!name.startsWith(INTERFACE_PREFIX)) {
      return Optional.empty();
    }
    String rest = name.substring(INTERFACE_PREFIX.length());
    int slash = rest.indexOf('/');
    return slash > 0 ? Optional.of(rest.substring(0, slash)) : Optional.empty();
  }

  @Override
  public String key() {
    return "sysctl/" + KernelObject.nsLabel(namespace) + "/" + name;
  }

  @Override
  public String kindLabel() {
    return "sysctl";
  }

  @Override
  public String displayName() {
    return (namespace.isEmpty() ? "" : namespace + ": ") + name;
  }

  @Override
  public Map<String, String> attributes() {
    return Map.of("value", value);
  }

  /** An interface's setting needs the interface, and goes when it is replaced. */
  @Override
  public Set<String> dependsOn() {
    return device().map(d -> Set.of(KernelObject.linkKey(namespace, d))).orElse(Set.of());
  }

  /** Host-wide settings come first; an interface's after its interface. */
  @Override
  public int rank() {
    return device().isPresent() ? 3 : 0;
  }
}
