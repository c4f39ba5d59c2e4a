package io.netform.plan;

import io.netform.desired.load.DesiredStateTexts;
import io.netform.snapshot.JsonPlaces;
import io.netform.snapshot.SnapshotException;
import io.netform.util.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a saved plan was made from, kept in it as Terraform's plan file keeps its configuration:
 * the desired state's texts, for a multi-host desired state which of its hosts the plan is for,
 * and the firewall backend it is applied with ({@code iptables}, {@code nftables}: its text, as
 * {@code --firewall-backend} takes it): the one a live host was observed with, or one chosen for a
 * plan from a snapshot; none for a snapshot's plan made without a choice, which takes apply's. Applying
 * the plan compiles this again, never the files on disk, and applies only if the plan's changes are
 * what it makes on the host now: the file's changes are never trusted alone.
 */
public record PlannedFrom(DesiredStateTexts texts, Optional<String> host, Optional<String> firewallBackend) {

  static final String FIELD = "desired_state";

  ObjectNode toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode files = o.putArray("files");
    texts.files().forEach(t -> text(files.addObject(), t));
    o.set("lock", texts.lock().map(t -> (JsonNode) text(Json.MAPPER.createObjectNode(), t)).orElse(null));
    o.put("host", host.orElse(null));
    o.put("firewall_backend", firewallBackend.orElse(null));
    return o;
  }

  private static ObjectNode text(ObjectNode o, DesiredStateTexts.Text t) {
    return o.put("name", t.name()).put("text", t.text());
  }

  /** The {@code desired_state} of a plan file; what is wrong with it is a {@link SnapshotException} ending in {@code again}. */
  static PlannedFrom read(JsonNode root, JsonPlaces places, String again) {
    JsonNode from = root.path(FIELD);
    if (!from.isObject()) {
      throw new SnapshotException(places.file() + ": \"" + FIELD + "\" is " + (from.isMissingNode() ? "missing"
          : from.toString()) + ", not an object: this plan was not made by this netform" + again);
    }
    JsonNode files = from.path("files");
    if (!files.isArray() || files.isEmpty()) {
      throw new SnapshotException(places.file() + ": \"" + FIELD + ".files\" is " + (files.isMissingNode() ? "missing"
          : files.toString()) + ", not a list of the desired state's files" + again);
    }
    List<DesiredStateTexts.Text> texts = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < files.size(); i++) {
      Optional<DesiredStateTexts.Text> t = text(files.get(i));
      if (t.isEmpty()) {
        throw new SnapshotException(places.entry(i, FIELD, "files") + ": not an object with a \"name\" and a \"text\""
            + again);
      }
      if (!names.add(t.get().name())) {
        throw new SnapshotException(places.entry(i, FIELD, "files") + ": a second file named \"" + t.get().name()
            + "\" (a plan keeps each file once)" + again);
      }
      texts.add(t.get());
    }
    JsonNode lock = from.path("lock");
    Optional<DesiredStateTexts.Text> lockText = lock.isNull() || lock.isMissingNode() ? Optional.empty()
        : Optional.of(text(lock).orElseThrow(() -> new SnapshotException(places.file() + ": \"" + FIELD
            + ".lock\" is " + lock + ", not null or an object with a \"name\" and a \"text\"" + again)));
    if (lockText.isPresent() && names.contains(lockText.get().name())) {
      throw new SnapshotException(places.file() + ": \"" + FIELD + ".lock\" is named \"" + lockText.get().name()
          + "\", the name of one of its files (a plan keeps each file once)" + again);
    }
    JsonNode host = from.path("host");
    if (!host.isNull() && !host.isMissingNode() && !host.isString()) {
      throw new SnapshotException(places.file() + ": \"" + FIELD + ".host\" is " + host + ", not null or a host's name"
          + again);
    }
    JsonNode backend = from.path("firewall_backend");
    if (!backend.isNull() && (!backend.isString() || backend.asString().isBlank())) {
      throw new SnapshotException(places.file() + ": \"" + FIELD + ".firewall_backend\" is " + (backend.isMissingNode()
          ? "missing" : backend.toString()) + ", not null or the firewall backend the plan was made with" + again);
    }
    return new PlannedFrom(new DesiredStateTexts(texts, lockText), Optional.ofNullable(host.isString() ? host.asString()
        : null), Optional.ofNullable(backend.isString() ? backend.asString() : null));
  }

  private static Optional<DesiredStateTexts.Text> text(JsonNode o) {
    return o.path("name").isString() && o.path("text").isString()
        ? Optional.of(new DesiredStateTexts.Text(o.path("name").asString(), o.path("text").asString()))
        : Optional.empty();
  }
}
