package io.netform.plan;

import io.netform.model.KernelObject;
import io.netform.model.ObservedHost;
import io.netform.snapshot.Fingerprint;
import io.netform.snapshot.JsonPlaces;
import io.netform.snapshot.ObjectJson;
import io.netform.snapshot.SnapshotException;
import io.netform.util.AtomicFiles;
import io.netform.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plan saved with {@code --out}: the plan JSON plus what it was made from and against. A later
 * apply compares the fingerprint with the host's and refuses a stale plan, as Terraform does,
 * plans again from {@code from} and carries out the changes only where {@link SavedPlanCheck}
 * finds them equal.
 */
public record SavedPlan(Plan plan, String fingerprint, String netformVersion, Instant created, PlannedFrom from) {

  public static final String FORMAT = "netform-plan";

  /**
   * The version of the plan file (its {@code format_version}): the plan JSON's, {@link PlanJson#FORMAT_VERSION},
   * with the desired state it was made from since version 2. A file of another version is refused.
   */
  public static final String FILE_VERSION = "2";

  /** What every error reading a plan file ends with: the way out. */
  private static final String AGAIN = "; make the plan again with: netform plan --out FILE PATH";

  public boolean isStaleFor(ObservedHost now) {
    return !Fingerprint.of(now).equals(fingerprint);
  }

  public void write(Path file) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("netform_version", netformVersion);
    root.put("created", created.toString());
    root.setAll(PlanJson.toJson(plan, fingerprint));
    root.put("format_version", FILE_VERSION);
    root.set(PlannedFrom.FIELD, from.toJson());
    AtomicFiles.write(file, Json.MAPPER.writeValueAsString(root) + "\n");
  }

  /**
   * Whether {@code file} holds a saved plan, whatever its name: a JSON object whose {@code format} is
   * {@link #FORMAT}. Only the top object's properties are read until that one, never the whole tree;
   * anything else (YAML, a directory, an unreadable file) is not one.
   */
  public static boolean holdsOne(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file); JsonParser parser = Json.MAPPER.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      for (String name = parser.nextName(); name != null; name = parser.nextName()) {
        JsonToken value = parser.nextToken();
        if (name.equals("format")) {
          return value == JsonToken.VALUE_STRING && FORMAT.equals(parser.getString());
        }
        parser.skipChildren();
      }
      return false;
    } catch (IOException | JacksonException e) {
      return false;
    }
  }

  /** Reads a plan file; what is wrong with one is a {@link SnapshotException}: one line naming the file and the place. */
  public static SavedPlan read(Path file) throws IOException {
    JsonPlaces places = JsonPlaces.read(file, "not a saved netform plan: the file holds binary data or is not "
        + "UTF-8 text; make one with: netform plan --out FILE PATH");
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(places.text());
    } catch (JacksonException e) {
      throw new SnapshotException(file + JsonPlaces.at(e.getLocation()) + ": not a saved plan (invalid JSON: "
          + e.getOriginalMessage() + ")" + AGAIN);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asString(""))) {
      throw new SnapshotException(file + ": not a saved netform plan; make one with: netform plan --out FILE PATH");
    }
    String version = string(root, "format_version", file); // a number 2 is no "2": a file netform did not write
    if (!FILE_VERSION.equals(version)) {
      throw new SnapshotException(file + ": plan format " + version + " is not supported (this netform reads "
          + FILE_VERSION + ")" + AGAIN);
    }
    List<Change> changes = new ArrayList<>();
    JsonNode list = array(root, "changes", file);
    for (int i = 0; i < list.size(); i++) {
      try {
        changes.add(change(list.get(i)));
      } catch (ObjectJson.Invalid e) {
        throw new SnapshotException(places.entry(i, "changes") + ": " + e.getMessage() + AGAIN);
      }
    }
    List<PlanConflict> conflicts = new ArrayList<>();
    array(root, "conflicts", file).forEach(c -> conflicts.add(new PlanConflict(c.path("key").asString(""),
        c.path("message").asString(""), c.path("hint").asString(""))));
    return new SavedPlan(new Plan(changes, conflicts), string(root, "fingerprint", file),
        root.path("netform_version").asString(""), created(root, file), PlannedFrom.read(root, places, AGAIN));
  }

  /** One entry of {@code changes}; what is wrong with it is an {@link ObjectJson.Invalid} in the file's words. */
  private static Change change(JsonNode c) {
    if (!c.isObject()) {
      throw new ObjectJson.Invalid("it is " + c + ", not an object");
    }
    String text = c.path("action").asString("");
    Action action = Arrays.stream(Action.values()).filter(a -> a.text().equals(text)).findFirst()
        .orElseThrow(() -> new ObjectJson.Invalid("its action " + c.path("action") + " is not one of "
            + String.join(", ", Arrays.stream(Action.values()).map(Action::text).toList())));
    if (!c.path("key").isString()) {
      throw new ObjectJson.Invalid("it has no key");
    }
    List<String> attrs = new ArrayList<>();
    c.path("changed_attributes").forEach(a -> attrs.add(a.asString("")));
    Optional<String> reason = Optional.ofNullable(c.get("reason")).filter(JsonNode::isString).map(JsonNode::asString);
    Change read = new Change(action, c.path("key").asString(), object(c, "before"), object(c, "after"), attrs, reason);
    if (read.before().isEmpty() && read.after().isEmpty()) {
      throw new ObjectJson.Invalid("it has neither a before nor an after");
    }
    return read;
  }

  private static Optional<KernelObject> object(JsonNode change, String field) {
    JsonNode node = change.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ObjectJson.read(node));
    } catch (ObjectJson.Invalid e) {
      throw new ObjectJson.Invalid("its " + field + " is not a valid object: " + e.getMessage());
    }
  }

  private static JsonNode array(JsonNode root, String field, Path file) {
    JsonNode node = root.path(field);
    if (!node.isArray()) {
      throw new SnapshotException(file + ": \"" + field + "\" is " + (node.isMissingNode() ? "missing" : node.toString())
          + ", not a list" + AGAIN);
    }
    return node;
  }

  private static String string(JsonNode root, String field, Path file) {
    JsonNode node = root.path(field);
    if (!node.isString()) {
      throw new SnapshotException(file + ": \"" + field + "\" is " + (node.isMissingNode() ? "missing" : node.toString())
          + ", not a string" + AGAIN);
    }
    return node.asString();
  }

  private static Instant created(JsonNode root, Path file) {
    String text = string(root, "created", file);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new SnapshotException(file + ": \"created\" is \"" + text + "\", not a time such as "
          + "2026-11-24T10:15:30Z" + AGAIN);
    }
  }
}
