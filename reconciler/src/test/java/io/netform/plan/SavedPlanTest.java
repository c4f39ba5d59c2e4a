package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.load.DesiredStateTexts;
import io.netform.model.ObservedHost;
import io.netform.snapshot.Fingerprint;
import io.netform.snapshot.SnapshotException;
import io.netform.snapshot.SnapshotTest;
import io.netform.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class SavedPlanTest {

  private static final PlannedFrom FROM = new PlannedFrom(new DesiredStateTexts(
      List.of(new DesiredStateTexts.Text("state.yaml", "version: 1\n")), Optional.empty()), Optional.empty(), Optional.of("iptables"));

  @TempDir
  Path dir;

  @Test
  void roundTripsAndDetectsAChangedHost() throws IOException {
    ObservedHost target = SnapshotTest.exampleHost();
    Plan plan = Planner.plan(target.owned(), ObservedHost.emptyHost());
    SavedPlan saved = new SavedPlan(plan, Fingerprint.of(ObservedHost.emptyHost()), "test", Instant.parse("2026-11-24T00:00:00Z"),
        FROM);
    Path file = dir.resolve("plan.json");
    saved.write(file);
    SavedPlan read = SavedPlan.read(file);
    assertEquals(saved, read);
    assertFalse(read.isStaleFor(ObservedHost.emptyHost()));
    assertTrue(read.isStaleFor(target), "a host that changed since planning makes the plan stale");
  }

  @Test
  void fingerprintsAreStableAndSensitive() {
    ObservedHost host = SnapshotTest.exampleHost();
    assertEquals(Fingerprint.of(host), Fingerprint.of(SnapshotTest.exampleHost()));
    assertFalse(Fingerprint.of(host).equals(Fingerprint.of(ObservedHost.emptyHost())));
  }

  @Test
  void badPlanFilesAreOneLineInTheFilesWordsWithTheWayOut() throws IOException {
    assertEquals(": \"created\" is missing, not a string", error(root -> root.remove("created")));
    assertEquals(": \"created\" is \"yesterday\", not a time such as 2026-11-24T10:15:30Z",
        error(root -> root.put("created", "yesterday")));
    assertMatches(error(root -> change(root).put("action", "explode")),
        ":\\d+:\\d+: changes\\[\\d+\\]: its action \"explode\" is not one of create, update, delete, replace");
    assertMatches(error(root -> ((ObjectNode) change(root).get("after")).putNull("mtu")),
        ":\\d+:\\d+: changes\\[\\d+\\]: its after is not a valid object: its field \"mtu\" is null, not a whole number");
    assertMatches(error(root -> ((ObjectNode) change(root).get("after")).remove("owner")),
        ".*: changes\\[\\d+\\]: its after is not a valid object: its field \"owner\" is missing");
    assertEquals(": \"changes\" is missing, not a list", error(root -> root.remove("changes")));
    assertEquals(": plan format 1 is not supported (this netform reads 2)", error(root -> root.put("format_version", "1")));
    assertEquals(": \"format_version\" is 2, not a string", error(root -> root.put("format_version", 2)));
    assertEquals(": \"format_version\" is missing, not a string", error(root -> root.remove("format_version")));
    assertEquals(": \"desired_state\" is missing, not an object: this plan was not made by this netform",
        error(root -> root.remove("desired_state")));
    assertEquals(": \"desired_state.files\" is [], not a list of the desired state's files",
        error(root -> kept(root).putArray("files")));
    assertMatches(error(root -> ((ObjectNode) kept(root).get("files").get(0)).remove("text")),
        ":\\d+:\\d+: desired_state.files\\[0\\]: not an object with a \"name\" and a \"text\"");
    assertEquals(": \"desired_state.host\" is 7, not null or a host's name", error(root -> kept(root).put("host", 7)));
  }

  private static ObjectNode kept(ObjectNode root) {
    return (ObjectNode) root.get("desired_state");
  }

  /** apply reads it by these, which make each kept text and the backend what the plan was made with. */
  @Test
  void aKeptFileNamedTwiceOrAMissingBackendIsRefused() throws IOException {
    assertMatches(error(root -> ((ArrayNode) kept(root).get("files")).addObject().put("name", "state.yaml")
        .put("text", "networks: {}\n")),
        ":\\d+:\\d+: desired_state.files\\[1\\]: a second file named \"state.yaml\" \\(a plan keeps each file once\\)");
    assertEquals(": \"desired_state.lock\" is named \"state.yaml\", the name of one of its files (a plan keeps each file "
        + "once)", error(root -> kept(root).putObject("lock").put("name", "state.yaml").put("text", "version: 1\n")));
    assertEquals(": \"desired_state.firewall_backend\" is missing, not null or the firewall backend the plan was made "
        + "with", error(root -> kept(root).remove("firewall_backend")));
    assertEquals(": \"desired_state.firewall_backend\" is \" \", not null or the firewall backend the plan was made "
        + "with", error(root -> kept(root).put("firewall_backend", " ")));
  }

  /** A saved plan is known by its content, whatever its name; a YAML desired state, even in JSON's syntax, is not one. */
  @Test
  void aSavedPlanIsKnownByItsContent() throws IOException {
    Path plan = dir.resolve("myplan");
    new SavedPlan(new Plan(List.of(), List.of()), "sha256:0", "test", Instant.parse("2026-11-24T00:00:00Z"), FROM).write(plan);
    assertTrue(SavedPlan.holdsOne(plan));
    Path reordered = dir.resolve("reordered");
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(plan));
    String format = root.remove("format").asString();
    root.put("format", format);
    Files.writeString(reordered, Json.MAPPER.writeValueAsString(root));
    assertTrue(SavedPlan.holdsOne(reordered), "found after the other fields too");
    for (String other : List.of("version: 1\n", "{\"version\": 1, \"networks\": {}}", "format: netform-plan\n",
        "[]", "{\"format\": 2}", "")) {
      Path file = dir.resolve("other");
      Files.writeString(file, other);
      assertFalse(SavedPlan.holdsOne(file), other);
    }
    assertFalse(SavedPlan.holdsOne(dir), "a directory");
    assertFalse(SavedPlan.holdsOne(dir.resolve("missing")));
  }

  /** The desired state, its lock, the host and the backend (or none) a plan was made from come back as written. */
  @Test
  void keepsWhatThePlanWasMadeFrom() throws IOException {
    Path file = dir.resolve("from.json");
    PlannedFrom fleet = new PlannedFrom(new DesiredStateTexts(List.of(new DesiredStateTexts.Text("conf/a.yaml", "version: 1\n"),
        new DesiredStateTexts.Text("conf/b.yaml", "networks: {}\n")),
        Optional.of(new DesiredStateTexts.Text("conf/netform.lock", "version: 1\n"))), Optional.of("alpha"), Optional.of("nftables"));
    new SavedPlan(new Plan(List.of(), List.of()), "sha256:0", "test", Instant.parse("2026-11-24T00:00:00Z"), fleet).write(file);
    assertEquals(fleet, SavedPlan.read(file).from());
    new SavedPlan(new Plan(List.of(), List.of()), "sha256:0", "test", Instant.parse("2026-11-24T00:00:00Z"), FROM).write(file);
    assertEquals(FROM, SavedPlan.read(file).from());
    PlannedFrom offline = new PlannedFrom(FROM.texts(), Optional.empty(), Optional.empty());
    new SavedPlan(new Plan(List.of(), List.of()), "sha256:0", "test", Instant.parse("2026-11-24T00:00:00Z"), offline)
        .write(file);
    assertEquals(offline, SavedPlan.read(file).from(), "a plan from a snapshot without a chosen backend keeps none");
  }

  private static void assertMatches(String actual, String regex) {
    assertTrue(actual.matches(regex), actual);
  }

  /** The first change of {@code root} that creates a bridge. */
  private static ObjectNode change(ObjectNode root) {
    for (JsonNode c : root.get("changes")) {
      if (c.path("after").path("kind").asString("").equals("bridge")) {
        return (ObjectNode) c;
      }
    }
    throw new AssertionError("no bridge is made");
  }

  /** The error reading a saved plan edited by {@code edit}, between the file's name and the way out, which it must have. */
  private String error(java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObservedHost target = SnapshotTest.exampleHost();
    Path file = dir.resolve("edited.json");
    new SavedPlan(Planner.plan(target.owned(), ObservedHost.emptyHost()), "sha256:0", "test", Instant.now(), FROM).write(file);
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
    edit.accept(root);
    Files.writeString(file, Json.MAPPER.writeValueAsString(root));
    String message = assertThrows(SnapshotException.class, () -> SavedPlan.read(file)).getMessage();
    String again = "; make the plan again with: netform plan --out FILE PATH";
    assertTrue(message.startsWith(file.toString()) && message.endsWith(again), message);
    return message.substring(file.toString().length(), message.length() - again.length());
  }

  @Test
  void aFileThatIsNoPlanSaysSo() throws IOException {
    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {(byte) 0xff});
    assertEquals(binary + ":1:1: not a saved netform plan: the file holds binary data or is not UTF-8 text; make one "
        + "with: netform plan --out FILE PATH", assertThrows(SnapshotException.class, () -> SavedPlan.read(binary)).getMessage());
  }
}
