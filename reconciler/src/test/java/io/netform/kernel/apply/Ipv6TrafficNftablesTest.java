package io.netform.kernel.apply;

import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.FirewallKind;

/** Every IPv6 traffic test of {@link Ipv6TrafficTest}, with netform's rules in nftables (ip6 netform). */
@KernelTest
class Ipv6TrafficNftablesTest extends Ipv6TrafficTest {

  @Override
  FirewallKind firewall() {
    return FirewallKind.NFTABLES;
  }
}
