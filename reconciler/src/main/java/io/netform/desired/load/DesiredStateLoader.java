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
import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    DesiredStateFiles.Result found = DesiredStateFiles.find(inputs, problems);
    List<DesiredStateTexts.Text> read = new ArrayList<>();
    List<ParsedFile> parsedFiles = found.files().stream().map(f -> parse(f, read)).toList();
    DesiredStateTexts texts = new DesiredStateTexts(read, LockFile.text(inputs, limits, problems));
    return loaded(parsedFiles, found.emptyDirectories(), texts, problems,
        found.files().stream().map(DesiredStateFiles.Found::name).toList());
  }

  /**
   * Loads the texts a desired state was once read from (a saved plan's) exactly as from files,
   * with the same checks and the same names in diagnostics; nothing is read from the disk.
   */
  public LoadResult load(DesiredStateTexts texts) {
    List<Diagnostic> problems = new ArrayList<>();
    List<ParsedFile> parsedFiles = texts.files().stream().map(t -> problem(t).map(p -> failed(t.name(), p))
        .orElseGet(() -> YamlTreeBuilder.build(t.name(), t.text(), limits))).toList();
    Optional<Diagnostic> lockProblem = texts.lock().flatMap(this::problem);
    lockProblem.ifPresent(p -> problems.add(LockFile.unreadable(p)));
    Optional<DesiredStateTexts.Text> lock = texts.lock().filter(l -> lockProblem.isEmpty());
    return loaded(parsedFiles, List.of(), new DesiredStateTexts(texts.files(), lock), problems,
        texts.files().stream().map(DesiredStateTexts.Text::name).toList());
  }

  /** What a file's bytes would be refused for, found in a text held in memory: too large, binary, not Unicode. */
  private Optional<Diagnostic> problem(DesiredStateTexts.Text t) {
    long size = t.text().getBytes(StandardCharsets.UTF_8).length;
    return size > limits.maxFileBytes() ? Optional.of(tooLarge(t.name(), size + " bytes", limits))
        : TextDecoding.check(t.name(), t.text()).problem();
  }

  /** What both ways of loading share once the texts are read: the files merged, the lock added. */
  private LoadResult loaded(List<ParsedFile> parsedFiles, List<Path> emptyDirectories, DesiredStateTexts texts,
      List<Diagnostic> problems, List<String> names) {
    EmptyDesiredState.check(emptyDirectories, parsedFiles, problems);
    LoadResult merged = merge(parsedFiles, problems);
    List<Diagnostic> all = new ArrayList<>(merged.diagnostics());
    DesiredState state = merged.state();
    state = new DesiredState(state.networks(), state.containers(), state.sources(),
        state.fleet().withLock(texts.lock().flatMap(l -> LockFile.parse(l, limits, all))), state.expectations());
    return new LoadResult(state, all, names, texts);
  }

  /** Loads one desired state held in memory (tests, standard input). */
  public LoadResult loadText(String name, String text) {
    LoadResult loaded = loadParsed(YamlTreeBuilder.build(name, text, limits));
    return new LoadResult(loaded.state(), loaded.diagnostics(), loaded.files(),
        new DesiredStateTexts(List.of(new DesiredStateTexts.Text(name, text)), Optional.empty()));
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
        new Fleet(hosts, Optional.empty()), expectations), problems, List.of());
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

  /** Reads {@code found} from where it really is, never through a link; its text goes to {@code read}. */
  private ParsedFile parse(DesiredStateFiles.Found found, List<DesiredStateTexts.Text> read) {
    String name = found.name();
    try {
      TextDecoding.Result text = readText(name, found.real(), limits);
      if (text.problem().isPresent()) {
        return failed(name, text.problem().get());
      }
      read.add(new DesiredStateTexts.Text(name, text.text().get()));
      return YamlTreeBuilder.build(name, text.text().get(), limits);
    } catch (IOException e) {
      return failed(name, Diagnostic.error("unreadable-file", Location.ofFile(name),
          "cannot read the file: " + IoReasons.of(e), "check that the file exists and is readable"));
    }
  }

  /**
   * The text of the file at {@code real} (never read through a link), called {@code name} in
   * diagnostics: too large, binary or not UTF-8 is a located problem, as for every desired-state file.
   */
  static TextDecoding.Result readText(String name, Path real, LoadLimits limits) throws IOException {
    try {
      return TextDecoding.decode(name, InputFiles.bytes(real, limits.maxFileBytes(), LinkOption.NOFOLLOW_LINKS));
    } catch (InputFiles.TooLarge e) {
      return TextDecoding.Result.failed(tooLarge(name, e.size, limits));
    }
  }

  /** {@code size}: "N bytes", or "more than N bytes" when it was counted as it came. */
  private static Diagnostic tooLarge(String name, String size, LoadLimits limits) {
    return Diagnostic.error("file-too-large", Location.ofFile(name),
        "file is " + size + ", more than the limit of " + limits.maxFileBytes(), "split the desired state into several files");
  }

  private static ParsedFile failed(String name, Diagnostic problem) {
    return new ParsedFile(name, Optional.empty(), SourceMap.empty(), List.of(problem));
  }
}
