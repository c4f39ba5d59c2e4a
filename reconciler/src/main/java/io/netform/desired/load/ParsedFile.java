package io.netform.desired.load;

import io.netform.desired.SourceMap;
import io.netform.diagnostics.Diagnostic;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** One desired-state file as a JSON tree, with where every node came from and what went wrong. */
public record ParsedFile(String file, Optional<JsonNode> root, SourceMap sources, List<Diagnostic> problems) {

  public ParsedFile {
    problems = List.copyOf(problems);
  }
}
