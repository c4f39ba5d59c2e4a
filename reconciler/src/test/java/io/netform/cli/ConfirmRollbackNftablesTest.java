package io.netform.cli;

import io.netform.kernel.KernelTest;

/** Every test of {@link ConfirmRollbackTest} with the nftables backend: the timer rolls back netform's nft tables too. */
@KernelTest
class ConfirmRollbackNftablesTest extends ConfirmRollbackTest {

  @Override
  String firewall() {
    return "nftables";
  }
}
