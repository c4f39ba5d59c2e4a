package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.testing.RepoFiles;
import org.junit.jupiter.api.Test;

/** The commands end to end on a sandbox, as the README's quick start runs them. */
@KernelTest
class SandboxCommandsTest {

  @Test
  void showOnAFreshSandboxPrintsAnEmptyDesiredState() {
    var r = run("show", "--sandbox");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("version: 1"), r.out());
  }

  @Test
  void applyShowsDockersIsolationWithRealConnections() {
    var r = run("apply", "--sandbox", "--auto-approve", "--no-color",
        RepoFiles.examples().resolve("03-test-net1-test-net2.yaml").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("Apply complete! Resources: 58 added, 0 changed, 0 destroyed"), r.out());
    assertTrue(r.out().contains("net1-box  -> net2-box no, both-box yes, world yes"), r.out());
    assertTrue(r.out().contains("both-box  -> net1-box yes, net2-box yes, world yes"), r.out());
    assertTrue(r.out().contains("ok    net1-box -> net2-box:80  expected blocked, blocked: 173.20.0.4 no answer"), r.out());
    assertTrue(r.out().contains("3 expectations checked: 3 held, 0 failed."), r.out());
  }

  @Test
  void applyWithTheNftablesBackendShowsTheSameIsolation() {
    var r = run("apply", "--sandbox", "--auto-approve", "--no-color", "--firewall-backend", "nftables",
        RepoFiles.examples().resolve("03-test-net1-test-net2.yaml").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("Apply complete! Resources: 58 added, 0 changed, 0 destroyed"), r.out());
    assertTrue(r.out().contains("net1-box  -> net2-box no, both-box yes, world yes"), r.out());
    assertTrue(r.out().contains("3 expectations checked: 3 held, 0 failed."), r.out());
  }

  @Test
  void anUnknownFirewallBackendIsRefusedWithTheChoices() {
    var r = run("plan", "--sandbox", "--firewall-backend", "pf", RepoFiles.examples().resolve("07-none.yaml").toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("'pf' is no firewall backend: use iptables or nftables"), r.err());
  }

  @Test
  void applyShowsWhichNamesEachContainerResolves() {
    var r = run("apply", "--sandbox", "--auto-approve", "--no-color",
        RepoFiles.examples().resolve("14-names-aliases-links.yaml").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("\n  proxy         -> shop-api 10.80.1.2, api 10.80.1.2, proxy 10.80.1.3, www 10.80.1.3; "
        + "not: shop-db, db, postgres, shop-replica, database\n"), r.out());
    assertTrue(r.out().contains("\n  shop-api      -> shop-db 10.80.2.2, db 10.80.2.2/10.80.2.3, postgres 10.80.2.2, "), r.out());
  }

  @Test
  void applyWithoutATerminalOrApprovalChangesNothing() {
    var r = run("apply", "--sandbox", RepoFiles.examples().resolve("07-none.yaml").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--auto-approve"), r.err());
  }

  @Test
  void livePlanOfASandboxNeedsNoFlags() {
    var r = run("plan", "--sandbox", "--detailed-exitcode", RepoFiles.examples().resolve("07-none.yaml").toString());
    assertEquals(2, r.code(), r.out() + r.err());
  }
}
