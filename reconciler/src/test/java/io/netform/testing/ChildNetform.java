package io.netform.testing;

import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real netform command in a child JVM started inside a sandbox's host namespace, which it
 * takes for the machine, with the sandbox's state and namespace directories: what an operator's
 * run does, with an environment of the test's choosing (a PATH without iptables, say).
 */
public final class ChildNetform {

  /** What the command printed and its exit code. */
  public record Result(int code, String out, String err) {}

  private ChildNetform() {}

  /** {@code netform COMMAND --state-dir … --netns-dir … ARGS} against {@code sandbox}, with {@code env} added. */
  public static Result run(Sandbox sandbox, Map<String, String> env, String command, String... args) throws Exception {
    return run(sandbox.host().root(), env, List.of(), argv(sandbox, command, args), Path.of("").toAbsolutePath());
  }

  /** {@code netform COMMAND --state-dir … --netns-dir … ARGS} against {@code sandbox}, run in {@code directory}. */
  public static Result runIn(Path directory, Sandbox sandbox, String command, String... args) throws Exception {
    return run(sandbox.host().root(), Map.of(), List.of(), argv(sandbox, command, args), directory);
  }

  private static List<String> argv(Sandbox sandbox, String command, String... args) {
    List<String> argv = new ArrayList<>(List.of(command, "--no-color", "--state-dir", sandbox.host().stateDir().toString(),
        "--netns-dir", sandbox.host().namespaces().dir().toString()));
    argv.addAll(List.of(args));
    return argv;
  }

  /**
   * {@code netform COMMAND --state-dir … --netns-dir … ARGS} against {@code sandbox}, left running
   * (a server): its output and errors go to {@code log}.
   */
  public static Process start(Sandbox sandbox, Path log, String command, String... args) {
    List<String> argv = new ArrayList<>(List.of(command, "--state-dir", sandbox.host().stateDir().toString(),
        "--netns-dir", sandbox.host().namespaces().dir().toString()));
    argv.addAll(List.of(args));
    return sandbox.host().root().start(new ProcessBuilder(command(argv)).redirectErrorStream(true)
        .redirectOutput(log.toFile()));
  }

  private static List<String> command(List<String> argv) {
    return command(List.of(), argv);
  }

  private static List<String> command(List<String> jvmOptions, List<String> argv) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, "io.netform.cli.Main"));
    command.addAll(argv);
    return command;
  }

  static Result run(NetnsHandle namespace, Map<String, String> env, List<String> argv) throws Exception {
    return run(namespace, env, List.of(), argv);
  }

  /**
   * {@code netform ARGV} in {@code namespace} with {@code jvmOptions} on its command line: the
   * child's alone (unlike the environment, a process it starts does not get them).
   */
  public static Result run(NetnsHandle namespace, Map<String, String> env, List<String> jvmOptions, List<String> argv)
      throws Exception {
    return run(namespace, env, jvmOptions, argv, Path.of("").toAbsolutePath());
  }

  private static Result run(NetnsHandle namespace, Map<String, String> env, List<String> jvmOptions, List<String> argv,
      Path directory) throws Exception {
    List<String> command = command(jvmOptions, argv);
    Path out = Files.createTempFile("netform-child", ".out");
    Path err = Files.createTempFile("netform-child", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p = namespace.start(pb);
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("netform " + argv.get(0) + " did not finish within 300 s: " + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }
}
