package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.testing.RepoFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

public class ValidateCommandTest {

  /** Runs the CLI in-process, capturing standard output and error. */
  public static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  public record Result(int code, String out, String err) {}

  @Test
  void examplesDirectoryIsValid() {
    Result r = run("validate", RepoFiles.examples().toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("Valid"), r.out());
  }

  @Test
  void invalidFileExitsOneWithLocatedMessageAndHint() {
    String file = RepoFiles.examples().resolve("invalid/unknown-driver-option.yaml").toString();
    Result r = run("validate", "--no-color", file);
    assertEquals(1, r.code());
    assertTrue(r.out().contains(file + ":8:7: error: unknown driver option"), r.out());
    assertTrue(r.out().contains("hint: did you mean \"com.docker.network.bridge.enable_ip_masquerade\"?"), r.out());
    assertFalse(r.out().contains("\u001b["), "no colour when not on a terminal");
  }

  @Test
  void jsonOutputParses() {
    String file = RepoFiles.examples().resolve("invalid/subnet-overlap.yaml").toString();
    Result r = run("validate", "--format", "json", file);
    JsonNode json = JsonMapper.builder().build().readTree(r.out());
    assertEquals("1", json.get("format_version").asString());
    assertFalse(json.get("valid").booleanValue());
    assertEquals("subnet-overlap", json.get("diagnostics").get(0).get("code").asString());
    assertEquals(5, json.get("diagnostics").get(0).get("line").intValue());
  }

  @Test
  void anUnknownFormatIsRefusedWithTheAcceptedOnes() {
    String file = RepoFiles.examples().resolve("07-none.yaml").toString();
    Result r = run("validate", "--format", "xml", file);
    assertEquals(1, r.code());
    assertEquals("", r.out(), "nothing printed in a format nobody asked for");
    assertEquals("netform: Invalid value for option '--format': expected one of [human, json, github] (case-insensitive) "
        + "but was 'xml'", r.err().lines().findFirst().orElseThrow());
  }

  @Test
  void aFormatInCapitalsIsTheSameFormat() {
    String file = RepoFiles.examples().resolve("invalid/subnet-overlap.yaml").toString();
    Result r = run("validate", "--format", "JSON", file);
    assertEquals(1, r.code(), r.err());
    assertFalse(JsonMapper.builder().build().readTree(r.out()).get("valid").booleanValue(), r.out());
  }

  @Test
  void githubAnnotations() {
    String file = RepoFiles.examples().resolve("invalid/unknown-network.yaml").toString();
    Result r = run("validate", "--format", "github", file);
    assertTrue(r.out().startsWith("::error file=" + file.replace(":", "%3A") + ",line=8,col=7,title=netform unknown-network::"),
        r.out());
  }

  @Test
  void strictFailsOnWarnings() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("netform", ".yaml");
    java.nio.file.Files.writeString(f, "networks:\n  n: {ipam: {config: [{subnet: 10.0.0.1/24}]}}\n");
    assertEquals(0, run("validate", f.toString()).code());
    Result strict = run("validate", "--strict", f.toString());
    assertEquals(1, strict.code());
    assertTrue(strict.err().contains("--strict: the warnings above fail the check"), "says why it fails: " + strict.err());
    assertEquals("", run("validate", f.toString()).err());
  }

  @Test
  void usageErrorsAreMessagesNotStackTraces() {
    Result r = run("validate", "--format");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("netform: "), r.err());
    assertFalse(r.err().contains("at io.netform"), r.err());
  }
}
