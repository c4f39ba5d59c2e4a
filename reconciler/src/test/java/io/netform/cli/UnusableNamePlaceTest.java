package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A container's directory under the etc-netns directory that other users may change: plan says
 * what it is and the fitting fix; destroy removes all else, names netform's files it leaves there
 * and does not call itself complete.
 */
@KernelTest
class UnusableNamePlaceTest {

  private static final String BOX = """
      version: 1
      networks:
        net1:
          ipam: {config: [{subnet: 10.67.0.0/24}]}
      containers:
        net1-box: {networks: [net1]}
      """;

  LiveHost host;
  Path desired;
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    host = LiveHost.create();
    desired = Files.writeString(Files.createTempDirectory("netform-desired").resolve("box.yaml"), BOX);
    host.apply(desired);
    dir = Path.of(host.netns() + "-etc").resolve("net1-box");
    assertTrue(Files.isRegularFile(dir.resolve("hosts")), "applied: " + dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (Files.isDirectory(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setOwner(dir, Files.getOwner(dir.getParent()));
    }
    host.run("destroy", "--auto-approve", desired.toString());
  }

  @Test
  void aGroupWritableDirectoryIsSaidAsSuchWithItsFix() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
    var plan = host.run("plan", "--no-color", desired.toString());
    assertEquals(1, plan.code(), plan.out() + plan.err());
    assertTrue(plan.out().contains("the hosts of container \"net1-box\", " + dir + ", is a directory writable by group "
        + "(mode 0775): netform writes and deletes only in a directory no other user may change"), plan.out());
    assertTrue(plan.out().contains("chmod go-w " + dir + " if netform should write there, or rename the container"),
        plan.out());
  }

  @Test
  void aDirectoryAnotherUserOwnsIsSaidAsSuchWithItsFix() throws Exception {
    Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    int uid = (Integer) Files.getAttribute(dir, "unix:uid");
    var plan = host.run("plan", "--no-color", desired.toString());
    assertEquals(1, plan.code(), plan.out() + plan.err());
    assertTrue(plan.out().contains(", is a directory owned by uid " + uid + " (mode 0755): "), plan.out());
    assertTrue(plan.out().contains("chown root: " + dir + " if netform should write there"), plan.out());
  }

  @Test
  void aDestroyThatLeavesNetformsFilesSaysSoAndIsNotComplete() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
    var destroyed = host.run("destroy", "--auto-approve", "--no-color", desired.toString());
    assertEquals(1, destroyed.code(), destroyed.out() + destroyed.err());
    String said = destroyed.out() + destroyed.err();
    assertTrue(said.contains("netform's resolv.conf and hosts of container \"net1-box\" stay: " + dir + " is a directory "
        + "writable by group (mode 0775)"), said);
    assertTrue(said.contains("chmod go-w " + dir + ", then run this destroy again"), said);
    assertTrue(said.contains("rm " + dir.resolve("resolv.conf") + " " + dir.resolve("hosts")), said);
    assertFalse(said.contains("Destroy complete!"), said);
    assertTrue(destroyed.out().contains("Destroy done, except netform's files named above."), destroyed.out());
    assertTrue(Files.exists(dir.resolve("hosts")) && Files.exists(dir.resolve("resolv.conf")), "left as said");

    var again = host.run("destroy", "--auto-approve", "--no-color", desired.toString());
    assertEquals(1, again.code(), "still not complete, nothing else to do: " + again.out() + again.err());
    assertTrue(again.err().contains("destroy incomplete"), again.err());

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    var fixed = host.run("destroy", "--auto-approve", "--no-color", desired.toString());
    assertEquals(0, fixed.code(), fixed.out() + fixed.err());
    assertTrue(fixed.out().contains("Destroy complete!"), fixed.out());
    assertFalse(Files.exists(dir), "netform's files and their directory are gone");
  }
}
