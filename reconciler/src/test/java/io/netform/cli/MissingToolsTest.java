package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.firewall.ToolPath;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.ChildNetform;
import io.netform.testing.RepoFiles;
import io.netform.testing.SandboxContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * apply and destroy on a machine whose PATH lacks iptables: a one-line error naming the tool and
 * how to install it, before anything changes. The real command, in a sandbox, with that PATH.
 */
@KernelTest
class MissingToolsTest {

  static final String PORTS = RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml").toString();

  Sandbox sandbox;

  @BeforeEach
  void setUp() throws Exception {
    sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"));
  }

  @AfterEach
  void tearDown() {
    sandbox.close();
  }

  @Test
  void destroyWithoutIptablesRemovesNothingAndSaysWhatToInstall() throws Exception {
    ChildNetform.Result applied = ChildNetform.run(sandbox, Map.of(), "apply", "--auto-approve", PORTS);
    assertEquals(0, applied.code(), applied.out() + applied.err());
    String before = SandboxContents.of(sandbox);
    Path empty = Files.createTempDirectory("netform-empty-path");
    ChildNetform.Result r = ChildNetform.run(sandbox, Map.of("PATH", empty.toString()), "destroy", "--auto-approve", PORTS);
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals("netform: iptables-save is not installed (not found in " + empty + "); netform needs it to read and change "
        + "the firewall: install iptables (apt-get install -y iptables). Nothing was changed.\n", r.err());
    assertEquals(before, SandboxContents.of(sandbox), "every link, namespace and rule is still there");
  }

  @Test
  void applyWithoutIptablesRestoreCreatesNothing() throws Exception {
    Path onlySave = Files.createTempDirectory("netform-save-only");
    Files.createSymbolicLink(onlySave.resolve("iptables-save"), ToolPath.fromEnvironment().require("iptables-save"));
    String before = SandboxContents.of(sandbox);
    ChildNetform.Result r = ChildNetform.run(sandbox, Map.of("PATH", onlySave.toString()), "apply", "--auto-approve", PORTS);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("netform: iptables-restore is not installed"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertEquals(before, SandboxContents.of(sandbox), "no namespace, link or rule was created");
  }

  /** ip6tables is needed only for IPv6 networks: checked, like iptables, before anything changes. */
  static final String IPV6 = RepoFiles.examples().resolve("14-ipv6.yaml").toString();

  /** A PATH with iptables but not ip6tables. */
  private static Map<String, String> iptablesOnly() throws Exception {
    Path dir = Files.createTempDirectory("netform-iptables-only");
    for (String tool : java.util.List.of("iptables-save", "iptables-restore")) {
      Files.createSymbolicLink(dir.resolve(tool), ToolPath.fromEnvironment().require(tool));
    }
    return Map.of("PATH", dir.toString());
  }

  private static void assertRefusedForIpv6(ChildNetform.Result refused) {
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().startsWith("netform: ip6tables-save is not installed"), refused.err());
    assertTrue(refused.err().endsWith("(needed for the IPv6 rules of networks with enable_ipv6). Nothing was changed.\n"),
        refused.err());
  }

  @Test
  void ip6tablesIsNeededOnlyForIpv6Networks() throws Exception {
    Map<String, String> env = iptablesOnly();
    String before = SandboxContents.of(sandbox);
    assertRefusedForIpv6(ChildNetform.run(sandbox, env, "apply", "--auto-approve", IPV6));
    assertEquals(before, SandboxContents.of(sandbox), "no namespace, link or rule was created");
    ChildNetform.Result ipv4 = ChildNetform.run(sandbox, env, "apply", "--auto-approve", PORTS);
    assertEquals(0, ipv4.code(), "an IPv4-only state needs no ip6tables: " + ipv4.out() + ipv4.err());
  }

  @Test
  void aSavedIpv6PlanIsNotAppliedWithoutIp6tables() throws Exception {
    Path plan = Files.createTempDirectory("netform-plan").resolve("plan.json");
    ChildNetform.Result planned = ChildNetform.run(sandbox, Map.of(), "plan", "--out", plan.toString(), IPV6);
    assertEquals(0, planned.code(), planned.out() + planned.err());
    String before = SandboxContents.of(sandbox);
    assertRefusedForIpv6(ChildNetform.run(sandbox, iptablesOnly(), "apply", "--auto-approve", plan.toString()));
    assertEquals(before, SandboxContents.of(sandbox), "no namespace, link or rule was created");
  }
}
