package io.netform.desired.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateYamlTest {

  @TempDir
  Path dir;

  /** Reading the examples, writing them out and reading that again gives the same desired state. */
  @Test
  void examplesRoundTrip() throws IOException {
    DesiredState original = DesiredStateCheck.run(List.of(RepoFiles.examples())).state();
    Path written = dir.resolve("all.yaml");
    Files.writeString(written, DesiredStateYaml.write(original, "written by a test"));
    DesiredStateCheck.Checked again = DesiredStateCheck.run(List.of(written));
    assertTrue(again.passes(true), again.diagnostics()::toString);
    assertEquals(original.networks(), again.state().networks());
    assertEquals(original.containers(), again.state().containers());
  }

  @Test
  void defaultsAreLeftOut() {
    DesiredState s = DesiredStateCheck.run(List.of(RepoFiles.examples().resolve("07-none.yaml"))).state();
    String yaml = DesiredStateYaml.write(s, "");
    assertEquals("version: 1\ncontainers:\n  centos3:\n    network_mode: none\n", yaml);
  }
}
