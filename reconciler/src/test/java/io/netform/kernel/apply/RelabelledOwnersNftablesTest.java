package io.netform.kernel.apply;

import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.FirewallKind;

/** {@link RelabelledOwnersTest} with netform's rules in nftables. */
@KernelTest
class RelabelledOwnersNftablesTest extends RelabelledOwnersTest {

  @Override
  FirewallKind firewall() {
    return FirewallKind.NFTABLES;
  }
}
