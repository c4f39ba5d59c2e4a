package io.netform.kernel.apply;

import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.FirewallKind;

/** Every published-port test of {@link PublishedPortsTest}, with netform's rules in nftables. */
@KernelTest
class PublishedPortsNftablesTest extends PublishedPortsTest {

  @Override
  FirewallKind firewall() {
    return FirewallKind.NFTABLES;
  }
}
