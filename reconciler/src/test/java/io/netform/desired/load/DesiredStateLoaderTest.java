package io.netform.desired.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateLoaderTest {

  @TempDir
  Path dir;

  @Test
  void aLinkToAFileOutsideTheDirectoryIsReportedAndNeverRead() throws Exception {
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Path secret = Files.writeString(dir.resolve("secret.yaml"), "root:$6$s3cr3t-hash:19000:0:99999:7:::\n");
    Files.writeString(repo.resolve("net.yaml"), "version: 1\nnetworks:\n  n: {}\n");
    Files.createSymbolicLink(repo.resolve("shadow.yaml"), secret);
    Files.createSymbolicLink(repo.resolve("also-net.yml"), repo.resolve("net.yaml")); // inside: read as any file

    LoadResult loaded = new DesiredStateLoader().load(List.of(repo));
    List<Diagnostic> links = loaded.diagnostics().stream().filter(d -> d.code().equals("link-outside")).toList();
    assertEquals(1, links.size(), loaded.diagnostics()::toString);
    assertTrue(links.get(0).location().file().endsWith("shadow.yaml"), links.get(0)::toString);
    assertTrue(loaded.diagnostics().stream().noneMatch(d -> (d.message() + d.hint()).contains("s3cr3t")),
        "nothing of the linked file reaches a message");
    assertTrue(loaded.files().stream().noneMatch(f -> f.endsWith("shadow.yaml")), loaded.files()::toString);
    assertTrue(loaded.files().stream().anyMatch(f -> f.endsWith("also-net.yml")), "a link inside the directory is read");
  }
}
