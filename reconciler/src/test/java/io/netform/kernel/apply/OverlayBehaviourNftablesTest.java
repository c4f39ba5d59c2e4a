package io.netform.kernel.apply;

import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.FirewallKind;

/** Every overlay test of {@link OverlayBehaviourTest} with the nftables backend: VXLAN accepted only from declared hosts there too. */
@KernelTest
class OverlayBehaviourNftablesTest extends OverlayBehaviourTest {

  @Override
  FirewallKind firewall() {
    return FirewallKind.NFTABLES;
  }
}
