package io.netform.kernel;

import io.netform.kernel.firewall.FirewallException;
import io.netform.model.BridgeObject;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.KernelObject;
import io.netform.net.IpAddress.Family;
import java.util.stream.Stream;

/**
 * What an operation needs from the machine, checked before it changes anything: a tool found
 * missing half-way would leave the host half-changed (links made, rules not), or worse, make a
 * destroy believe there were no rules to remove.
 */
public final class Preflight {

  private Preflight() {}

  /** Fails (a {@link FirewallException} naming what to install) unless every tool is there. */
  public static void check(KernelHost host) {
    host.firewall().checkAvailable();
  }

  /**
   * Fails unless ip6tables is there when {@code involved} (what an operation keeps, makes or
   * removes: the target and the host as observed, or a saved plan's changes) needs IPv6 rules: an
   * IPv6 rule or chain, or one of netform's bridges with an IPv6 subnet, whose rules could not be
   * read without ip6tables-save. Hosts without IPv6 networks never need ip6tables.
   */
  public static void checkIpv6(KernelHost host, Stream<KernelObject> involved) {
    if (involved.noneMatch(Preflight::needsIpv6Rules)) {
      return;
    }
    try {
      host.firewall().checkAvailable(Family.V6);
    } catch (FirewallException e) {
      throw new FirewallException(e.getMessage() + " (needed for the IPv6 rules of networks with enable_ipv6)");
    }
  }

  /**
   * Fails when the other firewall backend's rules of netform are on this host and the operation
   * keeps firewall rules ({@code kept}: what it keeps or makes), or would remove none of this
   * backend's ({@code held}: what netform holds now) (see FirewallBackend.checkAlone).
   */
  public static void checkAlone(KernelHost host, Stream<KernelObject> kept, Stream<KernelObject> held) {
    host.firewall().checkAlone(kept.anyMatch(Preflight::isFirewall), held.anyMatch(Preflight::isFirewall));
  }

  private static boolean isFirewall(KernelObject o) {
    return o instanceof FirewallRule || o instanceof FirewallChain;
  }

  static boolean needsIpv6Rules(KernelObject o) {
    return (o instanceof FirewallRule r && r.family() == Family.V6)
        || (o instanceof FirewallChain c && c.family() == Family.V6)
        || (o instanceof BridgeObject b && b.subnets().stream().anyMatch(s -> s.family() == Family.V6));
  }
}
