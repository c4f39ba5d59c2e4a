package io.netform.plan;

import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.snapshot.Fingerprint;
import io.netform.snapshot.ObjectJson;
import io.netform.snapshot.SnapshotException;
import io.netform.util.AtomicFiles;
import io.netform.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plan saved with {@code --out}: the plan JSON plus what it was made against. A later apply
 * compares the fingerprint with the host's and refuses a stale plan, as Terraform does.
 */
public record SavedPlan(Plan plan, String fingerprint, String netformVersion, Instant created) {

  public static final String FORMAT = "netform-plan";

  public boolean isStaleFor(ObservedHost now) {
    return !Fingerprint.of(now).equals(fingerprint);
  }

  public void write(Path file) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("netform_version", netformVersion);
    root.put("created", created.toString());
    root.setAll(PlanJson.toJson(plan, fingerprint));
    AtomicFiles.write(file, Json.MAPPER.writeValueAsString(root) + "\n");
  }

  public static SavedPlan read(Path file) throws IOException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new SnapshotException(file + ": not a saved plan (invalid JSON: " + e.getOriginalMessage() + ")");
    }
    if (root == null || !FORMAT.equals(root.path("format").asString(""))) {
      throw new SnapshotException(file + ": not a saved netform plan; make one with: netform plan --out FILE PATH");
    }
    if (!PlanJson.FORMAT_VERSION.equals(root.path("format_version").asString(""))) {
      throw new SnapshotException(file + ": plan format " + root.path("format_version").asString("?")
          + " is not supported (this netform reads " + PlanJson.FORMAT_VERSION + "); plan again");
    }
    List<Change> changes = new ArrayList<>();
    for (JsonNode c : root.path("changes")) {
      try {
        List<String> attrs = new ArrayList<>();
        c.path("changed_attributes").forEach(a -> attrs.add(a.asString()));
        changes.add(new Change(Action.valueOf(c.path("action").asString().toUpperCase(java.util.Locale.ROOT)),
            c.path("key").asString(), object(c.get("before")), object(c.get("after")), attrs,
            Optional.ofNullable(c.get("reason")).map(JsonNode::asString)));
      } catch (JacksonException | IllegalArgumentException e) {
        throw new SnapshotException(file + ": change " + c.path("key").asString("?") + " cannot be read: " + e.getMessage());
      }
    }
    List<PlanConflict> conflicts = new ArrayList<>();
    root.path("conflicts").forEach(c -> conflicts.add(new PlanConflict(c.path("key").asString(),
        c.path("message").asString(), c.path("hint").asString())));
    return new SavedPlan(new Plan(changes, conflicts), root.path("fingerprint").asString(),
        root.path("netform_version").asString(), Instant.parse(root.path("created").asString()));
  }

  private static Optional<KernelObject> object(JsonNode node) {
    return node == null || node.isNull() ? Optional.empty() : Optional.of(ObjectJson.read(node));
  }
}
