package io.netform.kernel.sandbox;

import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Several sandbox hosts on one LAN, for trying and testing a multi-host desired state on one
 * machine: each host is a {@link Sandbox} of its own (its own namespaces, state directory and
 * world beyond its uplink {@code eth0}), and each also has an {@code eth1} on a bridge {@code lan}
 * (in the first host's world namespace) holding its declared underlay address, with a route to
 * every other host's address over it. Closing it removes every host.
 */
public final class SandboxFleet implements AutoCloseable {

  /** "Up to a handful": each host is a few namespaces and an apply of its own. */
  public static final int MAX_HOSTS = 5;

  /** The underlay interface of each sandbox host. */
  public static final String UNDERLAY = "eth1";
  private static final String LAN = "lan";

  private final Map<String, Sandbox> hosts;

  private SandboxFleet(Map<String, Sandbox> hosts) {
    this.hosts = Collections.unmodifiableMap(hosts);
  }

  /** One sandbox host per entry (name → underlay address), in order, all on one LAN. */
  public static SandboxFleet create(Path root, Map<String, IpAddress> addresses) {
    return create(root, addresses, FirewallKind.IPTABLES);
  }

  /** As {@link #create(Path, Map)}, each host's firewall rules going to {@code firewall}. */
  public static SandboxFleet create(Path root, Map<String, IpAddress> addresses, FirewallKind firewall) {
    Map<String, Sandbox> hosts = new LinkedHashMap<>();
    try {
      for (String name : addresses.keySet()) {
        hosts.put(name, Sandbox.create(root, firewall));
      }
      NetnsHandle lanSide = hosts.values().iterator().next().world();
      Rtnl w = lanSide.rtnl();
      w.run(w.createBridge(w.batch(), LAN, 1500, Optional.empty(), Optional.empty(), true));
      int lan = w.linkIndex(LAN).orElseThrow();
      int i = 0;
      for (Map.Entry<String, Sandbox> e : hosts.entrySet()) {
        String port = "lan" + i++;
        Rtnl h = e.getValue().host().root().rtnl();
        h.run(h.createVeth(h.batch(), UNDERLAY, 1500, 0, Optional.empty(), true, port, lanSide.fd(), Optional.empty()));
        w.run(w.setLink(w.batch(), w.linkIndex(port).orElseThrow(), port, Optional.empty(), 0, Optional.empty(),
            Optional.of(true), lan, Optional.empty()));
        int underlay = h.linkIndex(UNDERLAY).orElseThrow();
        h.run(h.addAddress(h.batch(), underlay, UNDERLAY, new Cidr(addresses.get(e.getKey()), 32)));
        Rtnl.Batch routes = h.batch();
        addresses.forEach((other, address) -> {
          if (!other.equals(e.getKey())) {
            h.replaceRoute(routes, new Cidr(address, 32), Optional.empty(), underlay, io.netform.kernel.netlink.Nl.RTPROT_STATIC);
          }
        });
        h.run(routes);
      }
    } catch (RuntimeException e) {
      new SandboxFleet(hosts).close();
      throw e;
    }
    return new SandboxFleet(hosts);
  }

  /** The sandbox hosts by name, in order. */
  public Map<String, Sandbox> hosts() {
    return hosts;
  }

  public Sandbox host(String name) {
    return hosts.get(name);
  }

  /** The first host last: the LAN lives in its world. */
  @Override
  public void close() {
    List<Sandbox> reversed = new ArrayList<>(hosts.values());
    Collections.reverse(reversed);
    reversed.forEach(Sandbox::close);
  }
}
