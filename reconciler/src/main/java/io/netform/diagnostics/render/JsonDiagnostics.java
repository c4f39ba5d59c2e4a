package io.netform.diagnostics.render;

import io.netform.diagnostics.Diagnostic;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Machine-readable validation result, format version 1 (documented in docs/validation.md). */
public final class JsonDiagnostics implements DiagnosticFormat {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public String render(List<Diagnostic> diagnostics, Summary summary) {
    ObjectNode root = JSON.createObjectNode();
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    root.put("format_version", "1");
    root.put("valid", errors == 0);
    root.put("errors", errors);
    root.put("warnings", diagnostics.size() - errors);
    root.put("files", summary.files());
    root.put("networks", summary.networks());
    root.put("containers", summary.containers());
    ArrayNode list = root.putArray("diagnostics");
    for (Diagnostic d : diagnostics) {
      ObjectNode o = list.addObject();
      o.put("severity", d.severity().label());
      o.put("code", d.code());
      o.put("file", d.location().file());
      o.put("line", d.location().line());
      o.put("column", d.location().column());
      o.put("message", d.message());
      o.put("hint", d.hint());
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }
}
