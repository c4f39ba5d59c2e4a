package io.netform.desired.load;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Expectation;
import io.netform.desired.Fleet;
import io.netform.desired.Host;
import io.netform.desired.Network;
import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Reads desired-state files and directories (recursively, {@code *.yaml} and {@code *.yml}, in
 * name order) into one {@link DesiredState}. Every file is checked on its own (syntax, schema,
 * values), then names are merged; a name defined in two places is an error naming both.
 */
public final class DesiredStateLoader {

  /**
   * A check of one file's document before it is read into records (the schema check: it lives
   * with the other checks, in validate, which uses this loader; passing it in keeps the two
   * packages from depending on each other).
   */
  @FunctionalInterface
  public interface FileCheck {
    List<Diagnostic> check(JsonNode root, SourceMap sources);
  }

  private final LoadLimits limits;
  private final FileCheck fileCheck;

  public DesiredStateLoader(LoadLimits limits, FileCheck fileCheck) {
    this.limits = limits;
    this.fileCheck = fileCheck;
  }

  /** A loader that reads without any check of the documents' shape (tests of later stages). */
  public DesiredStateLoader() {
    this(LoadLimits.DEFAULT, (root, sources) -> List.of());
  }

  public LoadResult load(List<Path> inputs) {
    List<Diagnostic> problems = new ArrayList<>();
    List<Path> files = expand(inputs, problems);
    List<ParsedFile> parsedFiles = files.stream().map(this::parse).toList();
    LoadResult merged = merge(parsedFiles, problems);
    List<Diagnostic> all = new ArrayList<>(merged.diagnostics());
    DesiredState state = merged.state();
    state = new DesiredState(state.networks(), state.containers(), state.sources(),
        state.fleet().withLock(LockFile.read(inputs, limits, all)), state.expectations());
    return new LoadResult(state, all, files.stream().map(Path::toString).toList());
  }

  /** Loads one desired state held in memory (tests, standard input). */
  public LoadResult loadText(String name, String text) {
    return loadParsed(YamlTreeBuilder.build(name, text, limits));
  }

  /** Loads one document already parsed (a translated one keeps its source's locations). */
  public LoadResult loadParsed(ParsedFile parsed) {
    LoadResult merged = merge(List.of(parsed), new ArrayList<>());
    return new LoadResult(merged.state(), merged.diagnostics(), List.of(parsed.file()));
  }

  private LoadResult merge(List<ParsedFile> parsedFiles, List<Diagnostic> problems) {
    Map<String, Network> networks = new LinkedHashMap<>();
    Map<String, Container> containers = new LinkedHashMap<>();
    Map<String, Host> hosts = new LinkedHashMap<>();
    SourceMap sources = SourceMap.empty();
    Map<String, DocumentMapper.HostName> hostNames = new LinkedHashMap<>();
    List<Expectation> expectations = new ArrayList<>();
    for (ParsedFile parsed : parsedFiles) {
      problems.addAll(parsed.problems());
      if (parsed.root().isEmpty()) {
        continue;
      }
      problems.addAll(fileCheck.check(parsed.root().get(), parsed.sources()));
      DocumentMapper.Mapped mapped = DocumentMapper.map(parsed.root().get(), parsed.sources());
      problems.addAll(mapped.problems());
      mergeNames("network", "/networks/", mapped.networks(), networks, sources, parsed.sources(), problems);
      mergeNames("container", "/containers/", mapped.containers(), containers, sources, parsed.sources(), problems);
      mergeNames("host", "/hosts/", mapped.hosts(), hosts, sources, parsed.sources(), problems);
      sources = sources.merge(parsed.sources()).merge(mapped.extraSources());
      mapped.hostNames().forEach(hostNames::putIfAbsent);
      expectations.addAll(mapped.expectations());
    }
    NetworkNames.Renamed renamed = NetworkNames.apply(networks, containers, hostNames, sources, problems);
    return new LoadResult(new DesiredState(renamed.networks(), renamed.containers(), renamed.sources(),
        new Fleet(hosts, java.util.Optional.empty()), expectations), problems, List.of());
  }

  /** Parses one text already in memory (used by tests and by stdin input). */
  public ParsedFile parseText(String file, String text) {
    return YamlTreeBuilder.build(file, text, limits);
  }

  private <T> void mergeNames(String kind, String prefix, Map<String, T> incoming, Map<String, T> merged,
      SourceMap earlier, SourceMap current, List<Diagnostic> problems) {
    for (Map.Entry<String, T> e : incoming.entrySet()) {
      String path = prefix + SourceMap.segment(e.getKey());
      if (merged.containsKey(e.getKey())) {
        Location first = earlier.key(path);
        problems.add(Diagnostic.error("duplicate-name", current.key(path),
            kind + " \"" + e.getKey() + "\" is defined twice: here and at " + first,
            "rename one of them or delete one definition"));
        continue;
      }
      merged.put(e.getKey(), e.getValue());
    }
  }

  private ParsedFile parse(Path file) {
    String name = file.toString();
    try {
      long size = Files.size(file);
      if (size > limits.maxFileBytes()) {
        return failed(name, Diagnostic.error("file-too-large", Location.ofFile(name),
            "file is " + size + " bytes, more than the limit of " + limits.maxFileBytes(),
            "split the desired state into several files"));
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) Math.min(size + 1, limits.maxFileBytes()));
      }
      TextDecoding.Result text = TextDecoding.decode(name, bytes);
      if (text.problem().isPresent()) {
        return failed(name, text.problem().get());
      }
      return YamlTreeBuilder.build(name, text.text().get(), limits);
    } catch (IOException e) {
      return failed(name, Diagnostic.error("unreadable-file", Location.ofFile(name),
          "cannot read the file: " + e.getMessage(), "check that the file exists and is readable"));
    }
  }

  private static ParsedFile failed(String name, Diagnostic problem) {
    return new ParsedFile(name, java.util.Optional.empty(), SourceMap.empty(), List.of(problem));
  }

  private static List<Path> expand(List<Path> inputs, List<Diagnostic> problems) {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          IgnoreFile ignore = IgnoreFile.in(input);
          Path root = input.toRealPath();
          List<Path> found = walk.filter(Files::isRegularFile).filter(DesiredStateLoader::isYaml)
              .filter(p -> !ignore.ignores(input.relativize(p))).filter(p -> insideOrReported(p, root, problems))
              .sorted().toList();
          if (found.isEmpty()) {
            problems.add(Diagnostic.warning("empty-directory", Location.ofFile(input.toString()),
                "no .yaml or .yml files in this directory", "point netform at the folder holding your desired state"));
          }
          files.addAll(found);
        } catch (IOException e) {
          problems.add(Diagnostic.error("unreadable-file", Location.ofFile(input.toString()),
              "cannot list the directory: " + e.getMessage(), "check permissions"));
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        problems.add(Diagnostic.error("missing-file", Location.ofFile(input.toString()), "no such file or directory",
            "check the path"));
      }
    }
    return files;
  }

  /**
   * A file found in a directory is read only if it really lies inside it: a link to a file
   * elsewhere (say, a committed link to /etc/shadow, read by the agent as root) is reported, never
   * read, so no line of it can reach an error message, a log or the status.
   */
  private static boolean insideOrReported(Path file, Path root, List<Diagnostic> problems) {
    try {
      if (file.toRealPath().startsWith(root)) {
        return true;
      }
    } catch (IOException e) {
      // a dangling link: reported below like any other link out of the directory
    }
    problems.add(Diagnostic.error("link-outside", Location.ofFile(file.toString()),
        "this is a link to a file outside " + root + "; netform reads only the files inside the desired-state directory",
        "replace the link with the file itself, or point it at a file inside the directory"));
    return false;
  }

  private static boolean isYaml(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }
}
