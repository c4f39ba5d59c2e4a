package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.Cidr;
import io.netform.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A saved plan edited to reach what netform does not own (docs/security.md): on the live host,
 * with a foreign bridge, a foreign veth pair and a foreign address beside netform's own network,
 * every such plan is refused whole, as not what its desired state makes, and the foreign objects
 * stay as they were. (Edits of the desired state it keeps: SavedPlanDesiredStateTest.)
 */
@KernelTest
class EditedSavedPlanTest {

  private static final Cidr FOREIGN_ADDRESS = Cidr.parse("192.0.2.50/24");

  LiveHost live;
  Path desired;
  Path plan;

  @BeforeEach
  void setUp() throws Exception {
    live = LiveHost.create();
    desired = Files.createTempDirectory("netform-desired");
    Files.writeString(desired.resolve("state.yaml"), SavedPlanDesiredStateTest.STATE);
    live.apply(desired);
    try (NetnsHandle self = NetnsHandle.ofThisProcess()) {
      Rtnl r = self.rtnl();
      r.run(r.createBridge(r.batch(), "foreignbr", 1500, Optional.empty(), Optional.empty(), true));
      r.run(r.createVeth(r.batch(), "prod1", 1500, 0, Optional.empty(), true, "prod2", -1, Optional.empty()));
      r.run(r.addAddress(r.batch(), r.linkIndex("prod1").orElseThrow(), "prod1", FOREIGN_ADDRESS));
    }
    plan = live.state().resolve("plan.json");
    var planned = live.run("plan", "--out", plan.toString(), desired.toString());
    assertEquals(0, planned.code(), planned.out() + planned.err());
  }

  @AfterEach
  void tearDown() {
    try (NetnsHandle self = NetnsHandle.ofThisProcess()) {
      Rtnl r = self.rtnl();
      for (String name : new String[] {"foreignbr", "prod1"}) {
        if (r.linkIndex(name).isPresent()) {
          r.run(r.deleteLinkByName(r.batch(), name));
        }
      }
    }
    live.run("destroy", "--auto-approve", desired.toString());
  }

  @Test
  void aDeleteOfAForeignBridgeIsRefused() throws Exception {
    ObjectNode bridge = owned("bridge").deepCopy();
    bridge.put("name", "foreignbr");
    assertRefused(change("delete", "link/host/foreignbr", bridge, null));
  }

  @Test
  void aDeleteOfNetformsVethRenamedToAForeignOneIsRefused() throws Exception {
    ObjectNode veth = owned("veth").deepCopy();
    veth.put("hostName", "prod1");
    assertRefused(change("delete", "link/host/prod1", veth, null));
  }

  @Test
  void aDeleteOfAForeignAddressIsRefused() throws Exception {
    ObjectNode address = foreignAddress();
    assertRefused(change("delete", "addr/host/prod1/" + FOREIGN_ADDRESS, address, null));
  }

  @Test
  void anAddOnAForeignInterfaceIsRefused() throws Exception {
    ObjectNode address = foreignAddress();
    address.put("address", "192.0.2.51/24");
    assertRefused(change("create", "addr/host/prod1/192.0.2.51/24", null, address));
  }

  @Test
  void theSamePlanUneditedIsApplied() {
    var applied = live.run("apply", "--auto-approve", plan.toString());
    assertEquals(0, applied.code(), applied.out() + applied.err());
  }

  /** An address of netform's moved onto the foreign veth end. */
  private ObjectNode foreignAddress() throws Exception {
    ObjectNode address = owned("address").deepCopy();
    address.put("namespace", "").put("device", "prod1").put("address", FOREIGN_ADDRESS.toString());
    return address;
  }

  /** The plan file with {@code change} as its one change, applied: refused, and the foreign objects unchanged. */
  private void assertRefused(ObjectNode change) throws Exception {
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(plan));
    root.putArray("changes").add(change);
    Files.writeString(plan, Json.MAPPER.writeValueAsString(root));
    Set<String> before = foreignState();
    var applied = live.run("apply", "--auto-approve", "--no-color", plan.toString());
    assertEquals(1, applied.code(), applied.out() + applied.err());
    assertTrue(applied.err().contains("not what its desired state makes on this host"), applied.err());
    assertTrue(applied.err().contains(change.path("key").asString()), applied.err());
    assertTrue(!applied.out().contains("Apply complete"), applied.out());
    assertEquals(before, foreignState());
    assertTrue(before.contains("link foreignbr") && before.contains("address " + FOREIGN_ADDRESS + " on prod1"), before::toString);
    assertEquals(0, live.run("plan", "--detailed-exitcode", desired.toString()).code(), "netform's own objects untouched too");
  }

  private static ObjectNode change(String action, String key, ObjectNode before, ObjectNode after) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    ObjectNode object = after != null ? after : before;
    c.put("action", action).put("key", key).put("owner", object.path("owner").asString())
        .put("kind", object.path("kind").asString()).put("name", key);
    c.set("before", before);
    c.set("after", after);
    c.putArray("changed_attributes");
    return c;
  }

  /** The first object of {@code kind} netform owns, as a snapshot has it. */
  private ObjectNode owned(String kind) throws Exception {
    Path snapshot = live.state().resolve("snapshot.json");
    var shown = live.run("show", "--snapshot", snapshot.toString());
    assertEquals(0, shown.code(), shown.out() + shown.err());
    for (JsonNode o : (ArrayNode) Json.MAPPER.readTree(Files.readString(snapshot)).path("owned")) {
      if (o.path("kind").asString().equals(kind) && o.path("namespace").asString("").isEmpty()) {
        return (ObjectNode) o;
      }
    }
    throw new AssertionError("netform owns no " + kind + " on the host");
  }

  /** The host's links and addresses that are not netform's. */
  private static Set<String> foreignState() {
    try (NetnsHandle self = NetnsHandle.ofThisProcess()) {
      Rtnl r = self.rtnl();
      Set<String> out = new TreeSet<>();
      Function<Integer, String> name = i -> r.links().stream().filter(l -> l.index() == i).map(LinkInfo::name)
          .findFirst().orElse("?");
      for (LinkInfo l : r.links()) {
        if (!l.alias().orElse("").startsWith("netform")) {
          out.add("link " + l.name());
        }
      }
      for (AddressInfo a : r.addresses()) {
        String device = name.apply(a.linkIndex());
        if (device.equals("prod1") || device.equals("foreignbr")) {
          out.add("address " + a.address() + " on " + device);
        }
      }
      return out;
    }
  }
}
