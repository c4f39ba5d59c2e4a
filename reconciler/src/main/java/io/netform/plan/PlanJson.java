package io.netform.plan;

import io.netform.model.KernelObject;
import io.netform.util.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The plan as versioned JSON (format documented in docs/plan-output.md). */
public final class PlanJson {

  public static final String FORMAT_VERSION = "1";

  private PlanJson() {}

  public static ObjectNode toJson(Plan plan, String fingerprint) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("fingerprint", fingerprint);
    ObjectNode summary = root.putObject("summary");
    summary.put("add", plan.toAdd());
    summary.put("change", plan.toChange());
    summary.put("destroy", plan.toDestroy());
    ArrayNode changes = root.putArray("changes");
    for (Change c : plan.changes()) {
      ObjectNode o = changes.addObject();
      o.put("action", c.action().text());
      o.put("key", c.key());
      o.put("owner", c.owner().toString());
      o.put("kind", c.object().kindLabel());
      o.put("name", c.object().displayName());
      o.set("before", c.before().map(PlanJson::object).orElse(null));
      o.set("after", c.after().map(PlanJson::object).orElse(null));
      ArrayNode attrs = o.putArray("changed_attributes");
      c.changedAttributes().forEach(attrs::add);
      c.reason().ifPresent(r -> o.put("reason", r));
    }
    ArrayNode conflicts = root.putArray("conflicts");
    for (PlanConflict c : plan.conflicts()) {
      conflicts.addObject().put("key", c.key()).put("message", c.message()).put("hint", c.hint());
    }
    return root;
  }

  public static String render(Plan plan, String fingerprint) {
    return Json.MAPPER.writeValueAsString(toJson(plan, fingerprint)) + "\n";
  }

  static JsonNode object(KernelObject o) {
    return Json.MAPPER.valueToTree(o);
  }
}
