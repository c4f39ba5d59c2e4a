package io.netform.kernel.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolPathTest {

  static Path file(Path dir, String name, String mode) throws Exception {
    Path f = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void theFirstExecutableOfThatNameOnThePathIsTheTool() throws Exception {
    Path a = Files.createTempDirectory("tools-a");
    Path b = Files.createTempDirectory("tools-b");
    Path c = Files.createTempDirectory("tools-c");
    file(a, "iptables-save", "rw-r--r--"); // not executable: skipped, as a shell would
    Path inB = file(b, "iptables-save", "rwxr-xr-x");
    file(c, "iptables-save", "rwxr-xr-x");
    assertEquals(Optional.of(inB), ToolPath.of(a + "::" + b + ":" + c).find("iptables-save"));
  }

  @Test
  void aMissingToolIsOneLineNamingItWhereItWasLookedForAndHowToInstallIt() throws Exception {
    Path a = Files.createTempDirectory("tools-a");
    FirewallException e = assertThrows(FirewallException.class, () -> ToolPath.of(a.toString()).require("iptables-restore"));
    assertEquals("iptables-restore is not installed (not found in " + a + "); netform needs it to read and change the "
        + "firewall: install iptables (apt-get install -y iptables)", e.getMessage());
    assertTrue(assertThrows(FirewallException.class, () -> ToolPath.of("").require("iptables-save")).getMessage()
        .contains("(not found in an empty PATH)"));
  }
}
