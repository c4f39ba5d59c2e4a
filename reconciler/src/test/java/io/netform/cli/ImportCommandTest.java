package io.netform.cli;

import static io.netform.cli.ValidateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command from end to end: import, then validate and plan --empty-host what it wrote. */
class ImportCommandTest {

  private static String fixture(String name) {
    return Path.of("src/test/resources/import", name).toAbsolutePath().toString();
  }

  @Test
  void dockerImportValidatesAndPlans(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("imported.yaml");
    var r = run("import", "docker", "--networks", fixture("docker-networks.json"), "--containers",
        fixture("docker-containers.json"), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out(), "--out: nothing on standard output");
    assertTrue(r.err().contains("warning: network \"my-overlay\" left out"), r.err());
    String yaml = Files.readString(out);
    assertTrue(yaml.startsWith("# Imported by netform import from "), yaml);
    assertEquals(0, run("validate", out.toString()).code());
    var plan = run("plan", "--empty-host", "--no-color", out.toString());
    assertEquals(0, plan.code(), plan.out() + plan.err());
    assertTrue(plan.out().contains("Plan: "), plan.out());
  }

  @Test
  void composeImportValidatesAndPlans(@TempDir Path dir) throws IOException {
    var r = run("import", "compose", fixture("compose.yaml"));
    assertEquals(0, r.code(), r.err());
    Path out = dir.resolve("compose-imported.yaml");
    Files.writeString(out, r.out());
    assertEquals(0, run("validate", out.toString()).code());
    assertEquals(0, run("plan", "--empty-host", out.toString()).code());
  }

  /**
   * The fleet given with --host: a host given twice is refused (one of the two would be dropped
   * without a word), and an error in what the import made shows that line, which was never written.
   */
  @Test
  void fleetHostsAreCheckedAndErrorsShowTheImportedLine() {
    var twice = run("import", "docker", "--networks", fixture("docker-networks.json"), "--containers",
        fixture("docker-containers.json"), "--host", "a=192.0.2.1", "--host", "a=192.0.2.2");
    assertEquals(1, twice.code(), twice.out());
    assertTrue(twice.err().contains("--host a is given twice"), twice.err());
    assertEquals("", twice.out());
    var loopback = run("import", "docker", "--networks", fixture("docker-networks.json"), "--containers",
        fixture("docker-containers.json"), "--host", "a=127.0.0.1", "--host", "b=192.0.2.2");
    assertEquals(1, loopback.code(), loopback.out());
    assertEquals("", loopback.out(), "nothing written");
    assertTrue(loopback.err().matches("(?s).*the imported desired state:\\d+:\\d+: error: host \"a\" has the address "
        + "127\\.0\\.0\\.1.*\\n +\\d+ \\| +address: 127\\.0\\.0\\.1\\n.*"), "the offending line is shown: " + loopback.err());
    assertTrue(loopback.err().contains("the lines of what the import would have written"), loopback.err());
  }

  @Test
  void unreadableAndMalformedInputIsOneLineAndExitOne(@TempDir Path dir) throws IOException {
    Path broken = Files.writeString(dir.resolve("n.json"), "[{\"Name\": \n");
    var r = run("import", "docker", "--networks", broken.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("netform: " + broken + ":2:1: not JSON"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    var missing = run("import", "docker", "--networks", dir.resolve("absent.json").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("absent.json: cannot read it: "), missing.err());
    var host = run("import", "docker", "--networks", fixture("docker-networks.json"), "--host", "a");
    assertEquals(1, host.code());
    assertTrue(host.err().contains("expected NAME=IPV4-ADDRESS"), host.err());
    Path compose = Files.writeString(dir.resolve("compose.yaml"), "services:\n  web:\n    networks: [nope]\n");
    var c = run("import", "compose", compose.toString());
    assertEquals(1, c.code());
    assertTrue(c.err().contains(compose + ":3:15: error: "), c.err());
    assertFalse(c.err().contains("Exception"), c.err());
    Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'[', '\n', '"', (byte) 0xe9, '"', ']'});
    var l = run("import", "docker", "--networks", latin1.toString());
    assertEquals(1, l.code(), l.out());
    assertTrue(l.err().contains(latin1 + ":2:2: invalid UTF-8 byte sequence (save the file as UTF-8"), l.err());
    Path empty = Files.writeString(dir.resolve("empty.json"), " \n"); // docker inspect with Docker stopped
    var e = run("import", "docker", "--networks", empty.toString());
    assertEquals(1, e.code(), e.out());
    assertTrue(e.err().contains(empty + ":1:1: the file is empty"), e.err());
    Path typed = Files.writeString(dir.resolve("typed.yaml"), "services:\n  web: {image: x, networks: \"front\"}\n");
    var t = run("import", "compose", typed.toString());
    assertEquals(1, t.code(), "a wrongly typed networks: is refused, never replaced by the default network: " + t.out());
    assertTrue(t.err().contains(typed + ":2:29: error: "), t.err());
    Path scalar = Files.writeString(dir.resolve("scalar.yaml"), "services:\n  web: 5\n");
    var sc = run("import", "compose", scalar.toString());
    assertEquals(1, sc.code(), sc.out());
    assertTrue(sc.err().contains(scalar + ":2:8: service web: expected a mapping"), sc.err());
  }

  @Test
  void endlessOrHugeInputIsRefusedUnreadAsTheDesiredStateLoaderRefusesIt(@TempDir Path dir) throws IOException {
    for (List<String> args : List.of(List.of("import", "compose", "/dev/zero"),
        List.of("import", "docker", "--networks", "/dev/zero"))) {
      var r = run(args.toArray(String[]::new));
      assertEquals(1, r.code(), r.out());
      assertTrue(r.err().startsWith("netform: /dev/zero:1:1: this file holds binary data (a NUL byte)"), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    Path huge = dir.resolve("huge.json");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(100L * 1024 * 1024); // sparse: nothing is written, and nothing of it is read
    }
    var h = run("import", "docker", "--networks", huge.toString());
    assertEquals(1, h.code(), h.out());
    assertEquals("netform: " + huge + ": the file holds 104857600 bytes; netform reads at most 67108864 bytes of such a "
        + "file", h.err().strip());
  }
}
