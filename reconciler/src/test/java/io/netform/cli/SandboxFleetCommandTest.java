package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.testing.RepoFiles;
import org.junit.jupiter.api.Test;

/** {@code apply --sandbox} of a multi-host desired state: a sandbox host per declared host, on one LAN. */
@KernelTest
class SandboxFleetCommandTest {

  @Test
  void applyBuildsOneSandboxHostPerDeclaredHostAndShowsReachabilityAcrossThem() {
    var r = run("apply", "--sandbox", "--auto-approve", "--no-color", RepoFiles.examples().resolve("multi-host").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("working in 2 sandbox hosts on one LAN (docker2, docker3;"), r.err());
    assertTrue(r.out().contains("=== host docker2 (10.10.10.102)"), r.out());
    assertTrue(r.out().contains("=== host docker3 (192.168.50.101)"), r.out());
    assertTrue(r.out().contains("Reachability across the sandbox hosts"), r.out());
    assertTrue(r.out().contains("web1@docker2  -> db no, web2 yes, world yes"), r.out());
    assertTrue(r.out().contains("web2@docker3  -> web1 yes, db yes, world yes"), r.out());
    assertTrue(r.out().contains("db@docker2    -> web1 no, web2 yes, world no"), r.out());
    // the example's expect: entries, each checked by the host its container runs on
    assertTrue(r.out().contains("Expectations on docker2 (TCP connect"), r.out());
    assertTrue(r.out().contains("ok    db -> web1:80  expected blocked, blocked:"), r.out());
    assertTrue(r.out().contains("3 expectations checked: 3 held, 0 failed."), r.out());
    assertTrue(r.out().contains("0 expectations checked: 0 held, 0 failed; 3 checked on other hosts."), r.out());
  }

  @Test
  void oneHostOfAFleetInASandboxChecksOnlyWhatStartsThere() {
    var r = run("apply", "--sandbox", "--host", "docker3", "--auto-approve", "--no-color",
        RepoFiles.examples().resolve("multi-host").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("skip  web1 -> web2:80  (web1 runs on host docker2: checked there)"), r.out());
  }
}
