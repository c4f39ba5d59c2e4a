package io.netform.cli;

import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Commands on the "live host" (the test JVM's own private network namespace), with a state and a
 * namespace directory of the test's own.
 */
record LiveHost(Path state, Path netns, String firewall) {

  static LiveHost create() throws IOException {
    return create("iptables");
  }

  /** A live host whose commands keep the firewall rules with {@code firewall} (iptables or nftables). */
  static LiveHost create(String firewall) throws IOException {
    return new LiveHost(Files.createTempDirectory("netform-state"), Files.createTempDirectory("netform-netns"), firewall);
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

  /** Runs {@code command} in-process with --state-dir, --netns-dir and --firewall-backend, then {@code args}. */
  ValidateCommandTest.Result run(String command, String... args) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(command, "--state-dir", state.toString(),
        "--netns-dir", netns.toString(), "--firewall-backend", firewall));
    all.addAll(java.util.List.of(args));
    return ValidateCommandTest.run(all.toArray(String[]::new));
  }
}
