package io.netform.cli;

import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Commands on the "live host" (the test JVM's own private network namespace), with a state and a
 * namespace directory of the test's own.
 */
record LiveHost(Path state, Path netns) {

  static LiveHost create() throws IOException {
    return new LiveHost(Files.createTempDirectory("netform-state"), Files.createTempDirectory("netform-netns"));
  }

  /** A desired-state directory holding the given examples as a.yaml, b.yaml, … */
  static Path desired(String... examples) throws IOException {
    Path dir = Files.createTempDirectory("netform-desired");
    for (int i = 0; i < examples.length; i++) {
      Files.copy(RepoFiles.examples().resolve(examples[i]), dir.resolve((char) ('a' + i) + ".yaml"));
    }
    return dir;
  }

  /** Applies {@code desired} (no questions asked), which must succeed. */
  ValidateCommandTest.Result apply(Path desired) {
    ValidateCommandTest.Result applied = run("apply", "--auto-approve", desired.toString());
    org.junit.jupiter.api.Assertions.assertEquals(0, applied.code(), applied.out() + applied.err());
    return applied;
  }

  /** Runs {@code command} in-process with --state-dir and --netns-dir, then {@code args}. */
  ValidateCommandTest.Result run(String command, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = command;
    all[1] = "--state-dir";
    all[2] = state.toString();
    all[3] = "--netns-dir";
    all[4] = netns.toString();
    System.arraycopy(args, 0, all, 5, args.length);
    return ValidateCommandTest.run(all);
  }
}
