package io.netform.cli;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `netform dns` options that cannot work are refused at once, not served forever. */
class DnsCommandOptionsTest {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aSandboxOfItsOwnIsRefused() {
    AgentCommandTest.assertUserError(ValidateCommandTest.run("dns", "--sandbox"),
        "dns --sandbox would serve an empty sandbox: apply --sandbox shows which names each container resolves");
  }
}
