package io.netform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options netform runs with, read from where they are set, so that a benchmark measures
 * the product as it is run: the launcher's ({@code ./netform}, one-shot commands) and the
 * systemd unit's (the agent).
 */
final class JvmOptions {

  private static final Pattern LAUNCHER_OPTIONS = Pattern.compile("(?m)^opts=\\(([^)]*)\\)");

  private JvmOptions() {}

  /**
   * The launcher's options ({@code opts=(...)} in {@code ./netform}), as {@code ./netform plan}
   * or {@code apply} runs, without its class-data archive (whose content depends on which command
   * ran first after a build).
   */
  static List<String> oneShot() {
    Matcher m = LAUNCHER_OPTIONS.matcher(read(Path.of("netform")));
    if (!m.find()) {
      throw new IllegalStateException("no JVM options (a line opts=(...)) in ./netform");
    }
    return Arrays.stream(m.group(1).trim().split("\\s+")).map(o -> o.replace("'", "")).toList();
  }

  /** The options between {@code java} and {@code -jar} on the systemd unit's ExecStart line. */
  static List<String> agent() {
    return unit(UNIT);
  }

  /** The options of {@code netform dns} as its systemd unit (examples/systemd/netform-dns.service) starts it. */
  static List<String> dnsServer() {
    return unit(Path.of("examples/systemd/netform-dns.service"));
  }

  private static List<String> unit(Path unit) {
    List<String> words = execStart(unit);
    return new ArrayList<>(words.subList(1, words.indexOf("-jar")));
  }

  /** The environment the systemd unit sets for the agent ({@code Environment=NAME=VALUE} lines). */
  static Map<String, String> agentEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : read(UNIT).split("\n")) {
      if (line.startsWith("Environment=")) {
        for (String assignment : line.substring("Environment=".length()).trim().split("\\s+")) {
          int eq = assignment.indexOf('=');
          env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
      }
    }
    return env;
  }

  /** The value the systemd unit gives the agent's {@code option} (e.g. {@code --poll}). */
  static String agentArgument(String option) {
    List<String> words = execStart(UNIT);
    int at = words.indexOf(option);
    if (at < 0 || at + 1 >= words.size()) {
      throw new IllegalStateException("no " + option + " on the ExecStart line of " + UNIT);
    }
    return words.get(at + 1);
  }

  private static final Path UNIT = Path.of("examples/systemd/netform-agent.service");

  /** The words of the unit's ExecStart command, continuation lines included. */
  private static List<String> execStart(Path file) {
    String unit = read(file).replace("\\\n", " ");
    for (String line : unit.split("\n")) {
      if (line.startsWith("ExecStart=")) {
        return Arrays.asList(line.substring("ExecStart=".length()).trim().split("\\s+"));
      }
    }
    throw new IllegalStateException("no ExecStart line in " + file);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " (run from the repository's root, as bench/run does)", e);
    }
  }
}
