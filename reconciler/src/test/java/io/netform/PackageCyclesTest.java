package io.netform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages show the architecture only while no two depend on each other, directly or around a loop. */
class PackageCyclesTest {

  private static final Pattern IMPORT = Pattern.compile("^import io\\.netform\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void noPackageDependsOnItselfThroughOthers() throws IOException {
    Path main = RepoFiles.root().resolve("reconciler/src/main/java/io/netform");
    Map<String, Set<String>> uses = new HashMap<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = main.relativize(f.getParent()).toString().replace('/', '.');
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            uses.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1));
          }
        }
      }
    }
    List<String> cycles = new ArrayList<>();
    for (String start : new TreeSet<>(uses.keySet())) {
      path(start, start, uses, new ArrayList<>(List.of(start)), new HashSet<>(), cycles);
    }
    assertEquals(List.of(), cycles, "package cycles");
  }

  private static void path(String start, String at, Map<String, Set<String>> uses, List<String> trail, Set<String> seen,
      List<String> cycles) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        cycles.add(String.join(" -> ", trail) + " -> " + start);
      } else if (seen.add(next)) {
        trail.add(next);
        path(start, next, uses, trail, seen, cycles);
        trail.remove(trail.size() - 1);
      }
    }
  }
}
