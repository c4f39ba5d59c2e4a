package io.netform.imports;

import io.netform.desired.write.DesiredStateYaml;
import io.netform.validate.DesiredStateCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The fixtures under src/test/resources/import/, in Docker's and Compose's own formats. */
final class ImportFixtures {

  static final String NETWORKS = "docker-networks.json";
  static final String CONTAINERS = "docker-containers.json";
  static final String COMPOSE = "compose.yaml";

  private ImportFixtures() {}

  static String text(String name) {
    try (InputStream in = ImportFixtures.class.getResourceAsStream("/import/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture's path, for the command line. */
  static Path path(String name) {
    return Path.of("src/test/resources/import", name).toAbsolutePath();
  }

  static DockerInspectImport.Imported docker(String networks, Optional<String> containers) {
    return DockerInspectImport.read(JsonDocument.parse(NETWORKS, networks),
        containers.map(c -> JsonDocument.parse(CONTAINERS, c)), List.of());
  }

  /** The imported state as the command writes it, read back and checked as netform validate does. */
  static DesiredStateCheck.Checked reread(DockerInspectImport.Imported imported) {
    return DesiredStateCheck.runText("imported.yaml", DesiredStateYaml.write(imported.state(), imported.notes().header("test")));
  }
}
