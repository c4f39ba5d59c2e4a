package io.netform.desired.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.diagnostics.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateLoaderTest {

  private static final String NETWORK = "version: 1\nnetworks:\n  n: {}\n";

  @TempDir
  Path dir;

  private static LoadResult load(Path... inputs) {
    return new DesiredStateLoader().load(List.of(inputs));
  }

  /** The one diagnostic of {@code code}, which must be the only error. */
  private static Diagnostic onlyError(LoadResult loaded, String code) {
    List<Diagnostic> errors = loaded.diagnostics().stream().filter(Diagnostic::isError).toList();
    assertEquals(1, errors.size(), loaded.diagnostics()::toString);
    assertEquals(code, errors.get(0).code(), errors::toString);
    return errors.get(0);
  }

  private static Set<String> errorFiles(LoadResult loaded, String code) {
    return loaded.diagnostics().stream().filter(d -> d.isError() && d.code().equals(code))
        .map(d -> Path.of(d.location().file()).getFileName().toString()).collect(java.util.stream.Collectors.toSet());
  }

  private static void mkfifo(Path p) throws Exception {
    assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
  }

  @Test
  void aLinkToAFileOutsideTheDirectoryIsReportedAndNeverRead() throws Exception {
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Path secret = Files.writeString(dir.resolve("secret.yaml"), "root:$6$s3cr3t-hash:19000:0:99999:7:::\n");
    Files.writeString(repo.resolve("net.yaml"), NETWORK);
    Files.createSymbolicLink(repo.resolve("shadow.yaml"), secret);

    LoadResult loaded = load(repo);
    Diagnostic link = onlyError(loaded, "link-outside");
    assertTrue(link.location().file().endsWith("shadow.yaml"), link::toString);
    assertTrue(loaded.diagnostics().stream().noneMatch(d -> (d.message() + d.hint()).contains("s3cr3t")),
        "nothing of the linked file reaches a message");
    assertTrue(loaded.files().stream().noneMatch(f -> f.endsWith("shadow.yaml")), loaded.files()::toString);
    assertTrue(loaded.texts().values().stream().noneMatch(t -> t.contains("s3cr3t")), "nor the texts shown with diagnostics");
  }

  @Test
  void theTextsOfTheFilesReadAreKeptForTheirDiagnostics() throws Exception {
    Path file = Files.writeString(dir.resolve("net.yaml"), NETWORK);
    assertEquals(java.util.Map.of(file.toString(), NETWORK), load(dir).texts());
  }

  @Test
  void aDirectoryGivenThroughALinkIsReadAsTheDirectory() throws Exception {
    Path real = Files.createDirectory(dir.resolve("real"));
    Files.writeString(real.resolve("net.yaml"), NETWORK);
    Path link = Files.createSymbolicLink(dir.resolve("desired"), real);

    LoadResult loaded = load(link);
    assertFalse(loaded.hasErrors(), loaded.diagnostics()::toString);
    assertEquals(Set.of("n"), loaded.state().networks().keySet());
    assertEquals(List.of(link.resolve("net.yaml").toString()), loaded.files(), "named by the path given");
  }

  @Test
  void aLinkInsideTheDirectoryIsFollowedToWhatIsNotReadByItsOwnName() throws Exception {
    Files.createDirectories(dir.resolve("versions/v1"));
    Files.createDirectories(dir.resolve("versions/v2"));
    Files.writeString(dir.resolve("versions/v1/net.yaml"), "networks:\n  old: {}\n");
    Files.writeString(dir.resolve("versions/v2/net.yaml"), "networks:\n  new: {}\n");
    Files.writeString(dir.resolve(".netformignore"), "versions/\n");
    Files.createSymbolicLink(dir.resolve("current"), Path.of("versions/v2")); // a directory link, relative
    Files.writeString(dir.resolve("extra.txt"), "containers:\n  c: {networks: [new]}\n");
    Files.createSymbolicLink(dir.resolve("extra.yaml"), Path.of("extra.txt")); // a file link

    LoadResult loaded = load(dir);
    assertFalse(loaded.hasErrors(), loaded.diagnostics()::toString);
    assertEquals(Set.of("new"), loaded.state().networks().keySet());
    assertEquals(Set.of("c"), loaded.state().containers().keySet());
    assertEquals(List.of(dir.resolve("current/net.yaml").toString(), dir.resolve("extra.yaml").toString()), loaded.files());
  }

  @Test
  void whatIsReadAlreadyIsNotReadAgainThroughALink() throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/net.yaml"), NETWORK);
    Files.createSymbolicLink(dir.resolve("alias"), Path.of("sub"));
    Files.createSymbolicLink(dir.resolve("sub/up"), Path.of("..")); // round to the top: read once, never for ever
    Files.createSymbolicLink(dir.resolve("also.yaml"), Path.of("sub/net.yaml"));

    LoadResult loaded = load(dir);
    assertFalse(loaded.hasErrors(), "no network defined twice: " + loaded.diagnostics());
    assertEquals(List.of(dir.resolve("sub/net.yaml").toString()), loaded.files(), "by its own name");
  }

  @Test
  void nothingInADirectoryIsSkippedWithoutAWord() throws Exception {
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Files.writeString(repo.resolve("net.yaml"), NETWORK);
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("more.yaml"), "networks:\n  more: {}\n");
    Files.createSymbolicLink(repo.resolve("dangling.yaml"), Path.of("gone.yaml"));
    Files.createSymbolicLink(repo.resolve("loop1.yaml"), Path.of("loop2.yaml"));
    Files.createSymbolicLink(repo.resolve("loop2.yaml"), Path.of("loop1.yaml"));
    mkfifo(repo.resolve("pipe.yml"));
    Files.createSymbolicLink(repo.resolve("shared"), elsewhere); // a directory out of it, whatever its name
    Files.createSymbolicLink(repo.resolve("notes.md"), elsewhere.resolve("more.yaml")); // not desired state: no word

    LoadResult loaded = load(repo);
    assertEquals(Set.of("dangling.yaml"), errorFiles(loaded, "dangling-link"));
    assertEquals(Set.of("loop1.yaml", "loop2.yaml"), errorFiles(loaded, "link-loop"));
    assertEquals(Set.of("pipe.yml"), errorFiles(loaded, "not-a-file"));
    assertEquals(Set.of("shared"), errorFiles(loaded, "link-outside"));
    assertEquals(5, loaded.diagnostics().size(), loaded.diagnostics()::toString);
    assertTrue(loaded.diagnostics().stream().filter(d -> d.code().equals("not-a-file"))
        .allMatch(d -> d.message().contains("FIFO")), loaded.diagnostics()::toString);
    assertEquals(Set.of("n"), loaded.state().networks().keySet());
  }

  @Test
  void whatIsIgnoredIsNeitherReadNorReported() throws Exception {
    Files.writeString(dir.resolve("net.yaml"), NETWORK);
    Files.createDirectories(dir.resolve("fixtures"));
    Files.createSymbolicLink(dir.resolve("fixtures/dangling.yaml"), Path.of("gone.yaml"));
    Files.createSymbolicLink(dir.resolve("shadow.yaml"), Path.of("/etc/shadow"));
    Files.writeString(dir.resolve(IgnoreFile.NAME), "fixtures\nshadow.yaml\n"); // a directory matched itself, a link
    LoadResult loaded = load(dir);
    assertTrue(loaded.diagnostics().isEmpty(), loaded.diagnostics()::toString);
    assertEquals(List.of(dir.resolve("net.yaml").toString()), loaded.files());
  }

  @Test
  void aPathGivenThatIsNoFileSaysWhatItIs() throws Exception {
    Path fifo = dir.resolve("pipe.yaml");
    mkfifo(fifo);
    assertTrue(onlyError(load(fifo), "not-a-file").message().contains("is a FIFO (named pipe)"));
    assertTrue(onlyError(load(Path.of("/dev/zero")), "not-a-file").message().contains("is a character device"));
    Path loop = Files.createSymbolicLink(dir.resolve("loop.yaml"), Path.of("loop.yaml"));
    assertTrue(onlyError(load(loop), "link-loop").message().contains("loop of links"));
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.yaml"), Path.of("gone.yaml"));
    assertTrue(onlyError(load(dangling), "dangling-link").message().contains("gone.yaml, which does not exist"));
    assertEquals("no such file or directory", onlyError(load(dir.resolve("nope.yaml")), "missing-file").message());
  }

  @Test
  void aDesiredStateOfNoFilesIsAnErrorNotEverythingRemoved() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertTrue(onlyError(load(empty), "empty-desired-state").hint().contains("netform destroy"));
    Path notes = Files.createDirectory(dir.resolve("notes"));
    Files.writeString(notes.resolve("net.yaml.bak"), NETWORK); // the only file renamed
    onlyError(load(notes), "empty-desired-state");
  }

  @Test
  void filesThatDeclareNothingAreAnErrorButVersionOneAloneIsAnEmptyStateOnPurpose() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "");
    Files.writeString(dir.resolve("b.yaml"), "# networks to come\n");
    Diagnostic nothing = onlyError(load(dir), "empty-desired-state");
    assertTrue(nothing.hint().contains("version: 1"), nothing::toString);

    Files.writeString(dir.resolve("c.yaml"), "version: 1\n");
    LoadResult declared = load(dir);
    assertFalse(declared.hasErrors(), declared.diagnostics()::toString);
    assertTrue(declared.state().networks().isEmpty());
  }

  @Test
  void anEmptyDirectoryBesideADesiredStateIsAWarning() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path file = Files.writeString(dir.resolve("net.yaml"), NETWORK);
    LoadResult loaded = load(file, empty);
    assertFalse(loaded.hasErrors(), loaded.diagnostics()::toString);
    assertEquals(List.of("empty-directory"), loaded.diagnostics().stream().map(Diagnostic::code).toList());
  }

  @Test
  void anIgnoreFileOrLockThatLinksOutOfTheDirectoryIsReportedNotRead() throws Exception {
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Files.writeString(repo.resolve("net.yaml"), NETWORK);
    Files.writeString(repo.resolve("broken.yaml"), "networks: [\n");
    Path outside = Files.writeString(dir.resolve("outside"), "broken.yaml\n"); // would hide the broken file
    Files.createSymbolicLink(repo.resolve(IgnoreFile.NAME), outside);
    Files.createSymbolicLink(repo.resolve(LockFile.NAME), outside);

    LoadResult loaded = load(repo);
    assertEquals(Set.of(IgnoreFile.NAME, LockFile.NAME), errorFiles(loaded, "link-outside"));
    assertEquals(Set.of("broken.yaml"), errorFiles(loaded, "yaml-syntax"), "the patterns of the link were not used");
    assertFalse(loaded.texts().containsKey(repo.resolve(LockFile.NAME).toString()));
    loaded.diagnostics().stream().filter(d -> d.code().equals("link-outside")).forEach(d -> assertEquals(
        "replace the link with the file itself or point it inside the directory", d.hint(),
        "listing the lock or the ignore file in .netformignore would not leave it out"));
  }

  /** What a saved plan relies on: the texts read load again as the files did, with the disk no longer read. */
  @Test
  void theTextsReadLoadAgainAsTheirFilesDidWithoutTheDisk() throws Exception {
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Path a = Files.writeString(repo.resolve("a.yaml"), NETWORK);
    Path b = Files.writeString(repo.resolve("b.yaml"), "version: 1\nnetworks:\n  m: {}\n  n: {}\n");
    Path lock = Files.writeString(repo.resolve(LockFile.NAME), "version: 2\n");
    LoadResult fromFiles = load(repo);
    assertEquals(Set.of("duplicate-name", "bad-lock"), fromFiles.diagnostics().stream().map(Diagnostic::code)
        .collect(java.util.stream.Collectors.toSet()));
    assertEquals(List.of(a.toString(), b.toString()), fromFiles.read().files().stream().map(DesiredStateTexts.Text::name)
        .toList());
    assertEquals(lock.toString(), fromFiles.read().lock().orElseThrow().name());
    for (Path p : List.of(a, b, lock)) {
      Files.delete(p);
    }
    LoadResult again = new DesiredStateLoader().load(fromFiles.read());
    assertEquals(fromFiles.state().networks(), again.state().networks());
    assertEquals(fromFiles.state().fleet(), again.state().fleet());
    assertEquals(fromFiles.diagnostics(), again.diagnostics(), "the same findings, at the same places of the same names");
    assertEquals(fromFiles.read(), again.read());
  }

  /** A kept text with what would keep its file from being read is refused where it is, as the file would be. */
  @Test
  void aKeptTextGetsTheChecksItsFileWould() throws Exception {
    Path file = Files.write(dir.resolve("a.yaml"), "version: 1\nnetworks:\n  n\0: {}\n".getBytes());
    Diagnostic fromFile = onlyError(load(file), "binary-file");
    Diagnostic kept = onlyError(loadKept("version: 1\nnetworks:\n  n\0: {}\n", "version: 1\n"), "binary-file");
    assertEquals(fromFile.message(), kept.message());
    assertEquals("a.yaml:3:4", kept.location().toString());
    Diagnostic surrogate = onlyError(loadKept("version: 1\nnetworks:\n  \ud83d\ude00n: {}\n  m\ud800: {}\n", "version: 1\n"),
        "invalid-utf8");
    assertEquals("a.yaml:4:4", surrogate.location().toString());
    Diagnostic lock = onlyError(loadKept(NETWORK, "\0\1"), "binary-file");
    assertEquals("netform.lock:1:1", lock.location().toString());
    assertTrue(lock.message().startsWith("the lock file: "), lock.message());
    assertEquals(List.of(), loadKept("\ufeff" + NETWORK + "# \ud83d\ude00\n", "version: 1\n").diagnostics(),
        "a pair of surrogates is one character");
  }

  private static LoadResult loadKept(String text, String lock) {
    return new DesiredStateLoader().load(new DesiredStateTexts(List.of(new DesiredStateTexts.Text("a.yaml", text)),
        java.util.Optional.of(new DesiredStateTexts.Text("netform.lock", lock))));
  }
}
