package io.netform.validate;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.model.AddressObject;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks of a desired state against a known host (a live plan, or a snapshot of one) that no
 * offline check can make: a published port bound to an address the host does not have would
 * never answer. Warnings, located at the port or the network setting that names the address.
 */
public final class HostRules {

  private HostRules() {}

  /** {@code target} is what the host will hold after the apply (e.g. the gateways netform adds). */
  public static List<Diagnostic> check(DesiredState state, ObservedHost host, HostModel target) {
    if (!host.foreign().isLive()) {
      return List.of();
    }
    List<Cidr> addresses = new ArrayList<>(host.foreign().hostAddresses());
    for (KernelObject o : target.objects().values()) {
      if (o instanceof AddressObject a && a.namespace().equals(KernelObject.HOST_NS)) {
        addresses.add(a.address());
      }
    }
    Findings out = new Findings(state.sources());
    for (Network n : state.networks().values()) {
      n.hostBindingIpv4().filter(ip -> !onHost(ip, addresses)).ifPresent(ip -> out.warningAt(
          Paths.network(n.name()) + "/host_binding_ipv4", "address-not-on-host",
          "host_binding_ipv4 " + ip + " of network \"" + n.name() + "\" is not an address of this host: ports published "
              + "on it would never answer", "bind to an address the host has (ip -br addr shows them), or remove it"));
    }
    for (Container c : state.containers().values()) {
      if (c.mode() instanceof NetworkMode.None || c.mode() instanceof NetworkMode.Host) {
        continue;
      }
      for (PortMapping p : c.ports()) {
        Optional<IpAddress> ip = p.hostIp().filter(a -> !onHost(a, addresses));
        ip.ifPresent(a -> out.warningAt(SourceMap.portPath(c.name(), p.toString()), "address-not-on-host",
            "port " + p + " of container \"" + c.name() + "\" is bound to " + a + ", which is not an address of this "
                + "host: it would never answer", "bind it to an address the host has (ip -br addr shows them)"));
      }
    }
    return out.list();
  }

  /** The unspecified address means every address; all of 127.0.0.0/8 answers on loopback. */
  private static boolean onHost(IpAddress ip, List<Cidr> addresses) {
    if (ip.isUnspecified()) {
      return true;
    }
    for (Cidr a : addresses) {
      boolean loopback = a.address().isV4() && a.network().equals(Cidr.parse("127.0.0.0/8"));
      if (a.address().equals(ip) || (loopback && a.contains(ip))) {
        return true;
      }
    }
    return false;
  }
}
