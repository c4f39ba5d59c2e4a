package io.netform.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A part of a benchmark run in a JVM of its own, with the options the product runs that part
 * with; the part prints its figures as its last line ({@link #print}), the parent reads them back.
 */
final class ChildJvm {

  private ChildJvm() {}

  /** Runs {@code main} with {@code args} in a child JVM with {@code options} and {@code env}; its figures. */
  static Map<String, Double> run(List<String> options, Map<String, String> env, Class<?> main, List<String> args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the part " + args + " failed: " + out);
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    String last = out.substring(out.lastIndexOf('\n') + 1);
    for (String kv : last.substring("figures ".length()).split(" ")) {
      figures.put(kv.substring(0, kv.indexOf('=')), Double.parseDouble(kv.substring(kv.indexOf('=') + 1)));
    }
    return figures;
  }

  /** The line a child part ends with: its figures, by name. */
  static void print(Map<String, Double> figures) {
    StringBuilder line = new StringBuilder("figures");
    figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
  }
}
