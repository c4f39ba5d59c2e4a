package io.netform.kernel.apply;

import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.FirewallKind;

/** Every test of {@link StaleConnectionCleanupTest}, with netform's rules in nftables. */
@KernelTest
class StaleConnectionCleanupNftablesTest extends StaleConnectionCleanupTest {

  @Override
  FirewallKind firewall() {
    return FirewallKind.NFTABLES;
  }
}
