package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The firewall backend chosen per command on the live test host: the wrong one is refused before any change. */
@KernelTest
class FirewallBackendCommandsTest {

  LiveHost host;
  LiveHost nft; // the same host, its commands with --firewall-backend nftables
  Path desired;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    nft = new LiveHost(host.state(), host.netns(), "nftables");
    desired = LiveHost.desired("09-tomcat-mysql-ports.yaml");
  }

  @AfterEach
  void tearDown() {
    nft.run("destroy", "--auto-approve", desired.toString());
    host.run("destroy", "--auto-approve", desired.toString());
  }

  @Test
  void aDestroyWithTheWrongBackendIsRefusedAndChangesNothing() throws Exception {
    var applied = nft.run("apply", "--auto-approve", desired.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
    var plan = host.run("plan", "--detailed-exitcode", desired.toString());
    assertEquals(1, plan.code(), "a plan never shows changes that apply refuses: " + plan.out() + plan.err());
    assertTrue(plan.err().contains("nftables has netform's rules (table ip netform)") && plan.err().contains("no plan made"),
        plan.err());
    var wrong = host.run("destroy", "--auto-approve", desired.toString());
    assertEquals(1, wrong.code(), wrong.out() + wrong.err());
    assertTrue(wrong.err().contains("nftables has netform's rules (table ip netform)") && wrong.err().contains(
        "run the command with --firewall-backend nftables") && wrong.err().contains("Nothing was changed"), wrong.err());
    var unchanged = nft.run("plan", "--detailed-exitcode", desired.toString());
    assertEquals(0, unchanged.code(), "everything is still there: " + unchanged.out() + unchanged.err());
    var destroyed = nft.run("destroy", "--auto-approve", desired.toString());
    assertEquals(0, destroyed.code(), destroyed.out() + destroyed.err());
    Process tables = new ProcessBuilder("nft", "list", "tables").start();
    String left = new String(tables.getInputStream().readAllBytes());
    assertTrue(!left.contains(" netform"), "netform's tables went with the destroy: " + left);
  }
}
