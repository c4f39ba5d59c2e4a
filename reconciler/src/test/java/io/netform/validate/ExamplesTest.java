package io.netform.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example validates, alone and all together (a directory is one desired state), and every
 * file in examples/invalid/ fails with the diagnostic its first line announces:
 * {@code # expect: CODE LINE:COLUMN message fragment}.
 */
class ExamplesTest {

  private static List<Path> validExamples() throws IOException {
    try (Stream<Path> s = Files.list(RepoFiles.examples())) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void theWholeExamplesDirectoryIsOneValidDesiredState() throws IOException {
    Path dir = RepoFiles.examples();
    List<Path> valid = validExamples();
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(valid);
    assertTrue(checked.valid(), () -> "examples must validate together: " + checked.diagnostics());
    assertTrue(valid.size() >= 11, "one example per seed scenario");
    assertTrue(Files.isDirectory(dir.resolve("invalid")));
  }

  @TestFactory
  Stream<DynamicTest> eachExampleIsValidOnItsOwnWithoutWarnings() throws IOException {
    return validExamples().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      DesiredStateCheck.Checked checked = DesiredStateCheck.run(List.of(p));
      assertTrue(checked.passes(true), () -> p + ": " + checked.diagnostics());
    }));
  }

  @TestFactory
  Stream<DynamicTest> eachInvalidFileFailsWithItsAnnouncedDiagnostic() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(RepoFiles.examples().resolve("invalid"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      Expectation e = Expectation.of(p);
      DesiredStateCheck.Checked checked = DesiredStateCheck.run(List.of(p));
      assertFalse(checked.valid(), p + " must be invalid");
      boolean found = checked.diagnostics().stream().anyMatch(e::matches);
      assertTrue(found, () -> p + ": expected " + e + " but got " + checked.diagnostics());
    }));
  }

  record Expectation(String code, int line, int column, String fragment) {

    static Expectation of(Path file) throws IOException {
      byte[] bytes = Files.readAllBytes(file);
      String first = new String(bytes, 0, indexOfNewline(bytes), StandardCharsets.UTF_8);
      String[] parts = first.replaceFirst("^# expect: ", "").split(" ", 3);
      String[] loc = parts[1].split(":");
      return new Expectation(parts[0], Integer.parseInt(loc[0]), Integer.parseInt(loc[1]), parts[2]);
    }

    private static int indexOfNewline(byte[] b) {
      for (int i = 0; i < b.length; i++) {
        if (b[i] == '\n') {
          return i;
        }
      }
      return b.length;
    }

    boolean matches(Diagnostic d) {
      return d.isError() && d.code().equals(code) && d.location().line() == line && d.location().column() == column
          && d.message().contains(fragment) && !d.hint().isBlank();
    }
  }
}
