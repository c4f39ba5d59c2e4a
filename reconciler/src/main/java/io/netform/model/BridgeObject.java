package io.netform.model;

import io.netform.net.Cidr;
import io.netform.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Linux bridge in the host namespace serving one network. {@code subnets} is recorded on the
 * bridge (in its alias) because a network whose subnet changes is replaced with everything
 * attached to it, as Docker would have to recreate it. {@code multicastSnooping} is on, as the
 * kernel and Docker have it (see {@link #snoopingLabel}).
 */
public record BridgeObject(String name, int mtu, Optional<MacAddress> mac, List<Cidr> subnets, boolean multicastSnooping,
    Owner owner) implements KernelObject {

  public BridgeObject {
    subnets = List.copyOf(subnets);
  }

  @Override
  public String key() {
    return KernelObject.linkKey(HOST_NS, name);
  }

  @Override
  public String kindLabel() {
    return "bridge";
  }

  @Override
  public String displayName() {
    return name;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("subnets", subnets.stream().map(Cidr::toString).collect(Collectors.joining(",")));
    a.put("mtu", Integer.toString(mtu));
    mac.ifPresent(m -> a.put("mac", m.toString()));
    a.put("mcast_snooping", snoopingLabel(multicastSnooping));
    return a;
  }

  /**
   * A bridge's multicast snooping (iproute2's {@code mcast_snooping}): the bridge learns which
   * ports joined which multicast group and sends a group's traffic only there. netform turns it
   * off while it fills a new bridge with ports (see Rtnl.setMulticastSnooping) and on when they
   * are up; a bridge left with it off (a crash in between, a change by hand) is a difference to
   * repair. Snapshots without the field had it on.
   */
  public static String snoopingLabel(boolean on) {
    return on ? "on" : "off";
  }

  /** Its alias names the owner (two networks may swap a bridge_name, or one be renamed keeping it). */
  @Override
  public boolean marksOwner() {
    return true;
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("subnets");
  }

  @Override
  public int rank() {
    return 1;
  }
}
