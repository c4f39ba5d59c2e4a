package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.testing.RepoFiles;
import org.junit.jupiter.api.Test;

/** {@code --host}: a command plans only its host's share of a multi-host desired state. */
class HostOptionTest {

  private static final String FLEET = RepoFiles.examples().resolve("multi-host").toString();

  @Test
  void eachHostPlansItsOwnContainersAndEntriesForTheOthers() {
    var docker2 = run("plan", "--empty-host", "--no-color", "--host", "docker2", FLEET);
    assertEquals(0, docker2.code(), docker2.err());
    assertTrue(docker2.out().contains("# container \"web1\""), docker2.out());
    assertTrue(docker2.out().contains("# container \"db\""), docker2.out());
    assertFalse(docker2.out().contains("# container \"web2\""), "web2 runs on docker3");
    assertTrue(docker2.out().contains("+ fdb overlay+myoverlay/vxlan0 02:42:ac:10:10:81"), "web2's entry: " + docker2.out());
    assertTrue(docker2.out().contains("NETFORM-VXLAN -s 192.168.50.101/32 -j ACCEPT"), docker2.out());

    var docker3 = run("plan", "--empty-host", "--no-color", "--host", "docker3", FLEET);
    assertEquals(0, docker3.code(), docker3.err());
    assertTrue(docker3.out().contains("# container \"web2\""), docker3.out());
    assertFalse(docker3.out().contains("# container \"web1\""), docker3.out());
    assertTrue(docker3.out().contains("+ fdb overlay+myoverlay/vxlan0 02:42:ac:10:10:80"), "web1's entry: " + docker3.out());
  }

  @Test
  void theExamplesLockIsCurrent() {
    var r = run("validate", "--locked", FLEET);
    assertEquals(0, r.code(), r.out() + r.err());
  }

  @Test
  void anUndeclaredHostIsAClearErrorListingTheDeclaredOnes() {
    var r = run("plan", "--empty-host", "--host", "docker9", FLEET);
    assertEquals(1, r.code());
    assertEquals("netform: --host docker9 is not one of the declared hosts (docker2, docker3): give one of them\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void withoutHostTheMachinesHostnameMustBeADeclaredHost() {
    String hostname = HostOption.machineHostname();
    var r = run("plan", "--empty-host", FLEET);
    if (hostname.equals("docker2") || hostname.equals("docker3")) {
      assertEquals(0, r.code(), r.err());
    } else {
      assertEquals(1, r.code());
      assertEquals("netform: this machine's hostname \"" + hostname + "\" is none of the declared hosts (docker2, docker3): "
          + "say which one it is with --host NAME\n", r.err());
    }
  }

  @Test
  void hostIsRefusedWhereNoHostsAreDeclared() {
    var r = run("plan", "--empty-host", "--host", "docker2", RepoFiles.examples().resolve("07-none.yaml").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--host docker2: the desired state declares no hosts"), r.err());
  }
}
