package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.compile.KernelNames;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.validate.DesiredStateCheck;
import io.netform.validate.DestroyRulesTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * destroy of a desired state that names a network other containers still use: refused before
 * anything changes (as Docker refuses to remove a network with endpoints), and never "complete"
 * while a container it keeps is cut off.
 */
@KernelTest
class DestroySharedNetworkTest {

  LiveHost host;
  Path whole;
  Path part;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    Path dir = Files.createTempDirectory("netform-desired");
    whole = Files.writeString(dir.resolve("w2.yaml"), DestroyRulesTest.WEB + DestroyRulesTest.A1 + DestroyRulesTest.B1);
    part = Files.writeString(dir.resolve("d2.yaml"), DestroyRulesTest.WEB + DestroyRulesTest.A1);
    host.apply(whole);
  }

  @AfterEach
  void tearDown() {
    host.run("destroy", "--auto-approve", whole.toString());
  }

  @Test
  void aNetworkAKeptContainerIsAttachedToIsNotDestroyed() {
    var refused = host.run("destroy", "--auto-approve", "--no-color", part.toString());
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().contains(part + ":3:3"), "located at the network: " + refused.err());
    assertTrue(refused.err().contains("network \"web\" cannot be destroyed: container \"b1\", which this destroy keeps, "
        + "is still attached to it"), refused.err());
    assertTrue(refused.err().contains("nothing destroyed"), refused.err());
    assertFalse(refused.out().contains("Destroy complete"), refused.out());

    assertTrue(hasEth0("b1"), "b1 keeps its interface");
    var unchanged = host.run("plan", "--detailed-exitcode", whole.toString());
    assertEquals(0, unchanged.code(), "nothing changed: " + unchanged.out() + unchanged.err());
  }

  /**
   * A host an earlier netform left cut off (its destroy deleted the bridge and b1's veth, then
   * stopped): b1's rules still name the bridge, and a second destroy says so instead of "complete".
   */
  @Test
  void aKeptContainerCutOffAlreadyIsNotReportedAsDestroyed() throws Exception {
    var web = DesiredStateCheck.run(List.of(whole)).state().networks().get("web");
    ip("link", "del", KernelNames.hostVeth("b1", "web"));
    ip("link", "del", KernelNames.bridge(web));
    assertFalse(hasEth0("b1"));

    var again = host.run("destroy", "--auto-approve", "--no-color", part.toString());
    assertEquals(1, again.code(), again.out() + again.err());
    assertTrue(again.err().contains("needs bridge " + KernelNames.bridge(web)), again.err());
    assertFalse(again.out().contains("Destroy complete"), again.out());
    var repaired = host.run("apply", "--auto-approve", whole.toString());
    assertEquals(0, repaired.code(), "applying the whole state puts b1 back: " + repaired.out() + repaired.err());
    assertTrue(hasEth0("b1"));
  }

  private boolean hasEth0(String container) {
    try (NetnsHandle ns = NetnsHandle.open(container, host.netns().resolve(container))) {
      return ns.rtnl().link("eth0").isPresent();
    }
  }

  private static void ip(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }
}
