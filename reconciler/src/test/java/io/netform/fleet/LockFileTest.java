package io.netform.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.cli.Main;
import io.netform.desired.OverlayLock;
import io.netform.desired.load.LockFile;
import io.netform.diagnostics.Diagnostic;
import io.netform.net.IpAddress;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** netform lock writes the allocation next to the desired state, hosts read it, validate --locked catches a stale one. */
class LockFileTest {

  @TempDir
  Path dir;

  private static final String TWO = FleetAllocatorTest.HOSTS + """
      networks:
        demo: {driver: overlay}
      containers:
        web1: {host: docker2, networks: [demo]}
        web2: {host: docker3, networks: [demo]}
      """;

  /** web0 written first: without the lock it would take .2 and move web1 and web2 up by one. */
  private static final String THREE = FleetAllocatorTest.HOSTS + """
      networks:
        demo: {driver: overlay}
      containers:
        web0: {host: docker3, networks: [demo]}
        web1: {host: docker2, networks: [demo]}
        web2: {host: docker3, networks: [demo]}
      """;

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("fleet.yaml"), yaml);
  }

  private OverlayLock allocation(Path file) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(List.of(file));
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    return FleetAllocator.allocate(checked.state()).allocation();
  }

  @Test
  void theLockKeepsEveryAddressWhenAContainerIsAddedBeforeThem() throws IOException {
    Path file = write(TWO);
    assertEquals(0, Main.run("lock", file.toString()));
    assertEquals(dir.resolve("netform.lock"), LockFile.near(List.of(file)));
    assertTrue(Files.readString(dir.resolve("netform.lock")).contains("web2:"));
    write(THREE);
    OverlayLock locked = allocation(file);
    assertEquals(IpAddress.parse("10.0.0.2"), locked.networks().get("demo").endpoints().get("web1").ipv4());
    assertEquals(IpAddress.parse("10.0.0.3"), locked.networks().get("demo").endpoints().get("web2").ipv4());
    assertEquals(IpAddress.parse("10.0.0.4"), locked.networks().get("demo").endpoints().get("web0").ipv4());
    Files.delete(dir.resolve("netform.lock"));
    OverlayLock unlocked = allocation(file);
    assertEquals(IpAddress.parse("10.0.0.2"), unlocked.networks().get("demo").endpoints().get("web0").ipv4(),
        "without the lock, declaration order decides (which is why the lock exists)");
  }

  @Test
  void validateLockedFailsWhileTheLockIsMissingOrStaleAndPassesOnceWritten() throws IOException {
    Path file = write(TWO);
    assertEquals(1, Main.run("validate", "--locked", file.toString()), "no lock yet");
    assertEquals(0, Main.run("validate", file.toString()), "without --locked a missing lock is fine");
    assertEquals(0, Main.run("lock", file.toString()));
    assertEquals(0, Main.run("validate", "--locked", file.toString()));
    write(THREE);
    List<Diagnostic> stale = DesiredStateCheck.run(List.of(file), true).diagnostics();
    assertEquals(1, stale.size(), stale::toString);
    assertEquals("stale-lock", stale.get(0).code());
    assertTrue(stale.get(0).message().contains("container \"web0\" on \"demo\" is not in it"), stale.get(0).message());
    assertTrue(stale.get(0).location().file().endsWith("netform.lock"));
    assertEquals(0, Main.run("lock", file.toString()));
    assertTrue(DesiredStateCheck.run(List.of(file), true).valid());
  }

  @Test
  void aDamagedLockIsALocatedErrorNeverATrace() throws IOException {
    Path file = write(TWO);
    Files.writeString(dir.resolve("netform.lock"), "version: 1\nnetworks:\n  demo:\n    subnet: 10.0.0.0/24\n    vni: 256\n");
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(List.of(file));
    assertFalse(checked.valid());
    Diagnostic d = checked.diagnostics().get(0);
    assertEquals("bad-lock", d.code());
    assertEquals(4, d.location().line());
    assertTrue(d.message().contains("needs a subnet, a gateway and a vni"), d.message());
  }

  /**
   * The lock is read as the desired-state files are: a binary or non-UTF-8 lock, or one larger than
   * their limit, is a located error with the way out; it is never read whole into memory first.
   */
  @Test
  void aBinaryOrOversizedLockIsALocatedErrorLikeADesiredStateFile() throws IOException {
    Path file = write(TWO);
    Path lock = dir.resolve("netform.lock");
    Files.write(lock, new byte[] {'v', 'e', 'r', 's', 'i', 'o', 'n', ':', ' ', '1', '\n', 'x', ':', ' ', (byte) 0xE9, '\n'});
    Diagnostic latin1 = DesiredStateCheck.run(List.of(file)).diagnostics().get(0);
    assertEquals(List.of("invalid-utf8", lock.toString(), 2, 4), List.of(latin1.code(), latin1.location().file(),
        latin1.location().line(), latin1.location().column()), latin1.toString());
    assertEquals("the lock file: invalid UTF-8 byte sequence", latin1.message());
    assertEquals("delete it and run netform lock to write it again", latin1.hint());
    Files.write(lock, new byte[] {'v', 0, 0});
    assertEquals("binary-file", DesiredStateCheck.run(List.of(file)).diagnostics().get(0).code());
    long limit = io.netform.desired.load.LoadLimits.DEFAULT.maxFileBytes();
    try (var big = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE,
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      big.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), limit); // sparse: a hole of limit bytes, then one
    }
    Diagnostic large = DesiredStateCheck.run(List.of(file)).diagnostics().get(0);
    assertEquals("file-too-large", large.code(), large.toString());
    assertEquals("the lock file: file is " + (limit + 1) + " bytes, more than the limit of " + limit, large.message());
  }

  /** A VXLAN id the kernel refuses is refused in the lock too, where it is, before any host plans with it. */
  @Test
  void aLockedVxlanIdOutOfRangeIsALocatedError() throws IOException {
    Path file = write(TWO);
    for (String vni : List.of("16777216", "0", "-5")) {
      Files.writeString(dir.resolve("netform.lock"), "version: 1\nnetworks:\n  demo:\n    subnet: 10.0.0.0/24\n"
          + "    gateway: 10.0.0.1\n    vni: " + vni + "\n");
      DesiredStateCheck.Checked checked = DesiredStateCheck.run(List.of(file));
      assertFalse(checked.valid(), vni);
      Diagnostic d = checked.diagnostics().get(0);
      assertEquals("bad-lock", d.code());
      assertEquals(6, d.location().line(), d.toString());
      assertEquals(10, d.location().column(), d.toString());
      assertTrue(d.message().contains("has vni " + vni + ", not a VXLAN id from 1 to 16777215"), d.message());
    }
  }

  private static String withWeb1At(String web1, String web2) {
    return FleetAllocatorTest.HOSTS + """
        networks:
          demo: {driver: overlay, ipam: {config: [{subnet: 10.0.0.0/24}]}}
        containers:
          web1: {host: docker2, networks: %s}
          web2: {host: docker3, networks: %s}
        """.formatted(web1, web2);
  }

  @Test
  void aStaticAddressMayNotTakeAnotherContainersLockedAddress() throws IOException {
    Path file = write(withWeb1At("[demo]", "[demo]"));
    assertEquals(0, Main.run("lock", file.toString()));
    write(withWeb1At("{demo: {ipv4_address: 10.0.0.3}}", "[demo]")); // web2's in the lock
    List<Diagnostic> errors = DesiredStateCheck.run(List.of(file)).diagnostics();
    assertEquals(List.of("address-in-use"), errors.stream().map(Diagnostic::code).toList(), errors::toString);
    Diagnostic d = errors.get(0);
    assertEquals(7, d.location().line(), d::toString);
    assertEquals(57, d.location().column(), d::toString);
    assertTrue(d.message().contains("gives 10.0.0.3 on network \"demo\" to container \"web2\""), d.message());
    assertTrue(d.hint().contains("move \"web2\"") && d.hint().contains("netform lock"), d.hint());
    assertEquals(1, Main.run("lock", file.toString()), "the lock is not rewritten behind web2's back");

    // web2 moved by a static address of its own: both change, and lock says so
    write(withWeb1At("{demo: {ipv4_address: 10.0.0.3}}", "{demo: {ipv4_address: 10.0.0.9}}"));
    List<Diagnostic> stale = DesiredStateCheck.run(List.of(file), true).diagnostics();
    assertEquals(List.of("stale-lock"), stale.stream().map(Diagnostic::code).toList(), stale::toString);
    assertTrue(stale.get(0).message().endsWith("container \"web1\" on \"demo\" has 10.0.0.3 02:42:0a:00:00:03 now, "
        + "the lock 10.0.0.2 02:42:0a:00:00:02"), stale.get(0).message());
    var lock = io.netform.cli.ValidateCommandTest.run("lock", file.toString());
    assertEquals(0, lock.code(), lock.err());
    assertTrue(lock.out().contains("2 endpoints (0 new, 2 changed)"), lock.out());
  }
}
