package io.netform.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.observe.HostReads;
import io.netform.kernel.observe.KernelReads;
import io.netform.kernel.observe.NamespaceView;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.net.IpAddress;
import io.netform.testing.Traffic;
import io.netform.validate.DesiredStateCheck;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The user's edits, each from a converged host: every one converges in one apply whose plan
 * foresaw all of it (no extra round needed), and the kernel holds what it should afterwards,
 * including what the kernel changes by itself (routes flushed with an address, loopback state).
 */
@KernelTest
class ConvergerTest {

  static final String BASE = """
      version: 1
      networks:
        front:
          ipam:
            config:
              - subnet: 10.61.0.0/24
        back:
          ipam:
            config:
              - subnet: 10.62.0.0/24
      containers:
        web:
          networks:
            front:
              ipv4_address: 10.61.0.10
          ports: ["8080:80"]
        db:
          networks: [back]
      """;

  static DesiredState state(String yaml) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("edit.yaml", yaml);
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    return checked.state();
  }

  /** Applies {@code yaml} and checks the outcome: converged, verified, and (when {@code foreseen}) in one round. */
  static Outcome apply(Sandbox sandbox, String yaml, boolean foreseen) {
    Converger converger = new Converger(sandbox.host());
    Goal goal = Goal.of(state(yaml));
    Proposal proposal = converger.propose(goal);
    assertFalse(proposal.isBlocked(), () -> proposal.plan().conflicts() + " " + proposal.errors());
    Outcome outcome = proposal.plan().isEmpty()
        ? new Outcome(proposal.plan(), List.of(), List.of(), Optional.empty(), 0)
        : converger.apply(proposal, goal, step -> { });
    assertTrue(outcome.converged(), () -> "not converged: " + outcome.unconverged() + " " + outcome.failure());
    if (foreseen) {
      assertEquals(List.of(), outcome.rounds(), "the plan foresaw every change");
    }
    assertTrue(converger.propose(goal).plan().isEmpty(), "a fresh plan is empty");
    return outcome;
  }

  static void edit(String description, String edited, Consumer<Sandbox> check) throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-edits"))) {
      apply(sandbox, BASE, true);
      Outcome outcome = apply(sandbox, edited, true);
      assertFalse(outcome.plan().isEmpty(), description + " changes something");
      check.accept(sandbox);
    }
  }

  static NetnsHandle open(Sandbox sandbox, String container) {
    return NetnsHandle.open(container, sandbox.host().namespaces().path(container));
  }

  static Optional<String> defaultRoute(Sandbox sandbox, String container) {
    try (NetnsHandle ns = open(sandbox, container)) {
      Rtnl r = ns.rtnl();
      return r.routes().stream().filter(rt -> rt.destination().prefix() == 0 && rt.destination().address().isV4())
          .findFirst().map(rt -> rt.gateway().map(IpAddress::toString).orElse("-") + " dev "
              + r.links().stream().filter(l -> l.index() == rt.outputIndex()).findFirst().map(LinkInfo::name).orElse("?"));
    }
  }

  static List<String> addresses(Sandbox sandbox, String container) {
    try (NetnsHandle ns = open(sandbox, container)) {
      Rtnl r = ns.rtnl();
      return r.addresses().stream().filter(a -> a.address().address().isV4() && !a.address().address().toString().startsWith("127."))
          .map(a -> a.address().toString()).sorted().toList();
    }
  }

  @Test
  void changingAStaticAddressKeepsTheDefaultRoute() throws Exception {
    edit("a new static address", BASE.replace("10.61.0.10", "10.61.0.20"), sandbox -> {
      assertEquals(List.of("10.61.0.20/24"), addresses(sandbox, "web"));
      assertEquals(Optional.of("10.61.0.1 dev eth0"), defaultRoute(sandbox, "web"), "the kernel flushed it; netform put it back");
    });
  }

  @Test
  void aNewMacAddress() throws Exception {
    edit("a MAC", BASE.replace("ipv4_address: 10.61.0.10", "ipv4_address: 10.61.0.10\n        mac_address: 02:42:aa:bb:cc:dd"),
        sandbox -> {
          try (NetnsHandle ns = open(sandbox, "web")) {
            assertEquals("02:42:aa:bb:cc:dd", ns.rtnl().link("eth0").orElseThrow().mac().orElseThrow().toString());
          }
          assertEquals(Optional.of("10.61.0.1 dev eth0"), defaultRoute(sandbox, "web"));
        });
  }

  @Test
  void aNewMtu() throws Exception {
    edit("an MTU", BASE.replace("  front:\n    ipam:", "  front:\n    mtu: 1400\n    ipam:"), sandbox -> {
      try (NetnsHandle ns = open(sandbox, "web")) {
        assertEquals(1400, ns.rtnl().link("eth0").orElseThrow().mtu());
      }
    });
  }

  @Test
  void movingAContainerToAnotherNetwork() throws Exception {
    edit("a move", BASE.replace("    networks: [back]", "    networks: [front]"), sandbox -> {
      assertTrue(addresses(sandbox, "db").get(0).startsWith("10.61.0."), addresses(sandbox, "db")::toString);
      assertEquals(Optional.of("10.61.0.1 dev eth0"), defaultRoute(sandbox, "db"));
    });
  }

  @Test
  void theGatewayMovesWithThePriority() throws Exception {
    String both = BASE.replace("    networks: [back]", "    networks:\n      front: {}\n      back: {}");
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-edits"))) {
      apply(sandbox, both, true);
      assertEquals(Optional.of("10.62.0.1 dev eth1"), defaultRoute(sandbox, "db"), "equal priorities: back, first by name");
      apply(sandbox, both.replace("      front: {}", "      front:\n        gw_priority: 10"), true);
      assertEquals(Optional.of("10.61.0.1 dev eth0"), defaultRoute(sandbox, "db"));
    }
  }

  /** Published ports follow the default route, and leave with their mapping, each in one apply. */
  @Test
  void publishedPortsMoveWithTheDefaultRouteAndGoWithTheirMapping() throws Exception {
    String both = BASE.replace("        ipv4_address: 10.61.0.10\n",
        "        ipv4_address: 10.61.0.10\n      back:\n        ipv4_address: 10.62.0.10\n");
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-edits"))) {
      apply(sandbox, both, true);
      try (NetnsHandle web = open(sandbox, "web"); ServerSocket server = web.call(() -> new ServerSocket(80))) {
        assertEquals(Optional.of("10.62.0.10"), reachedAt(sandbox, server), "back carries the default route and the port");
        apply(sandbox, both.replace("        ipv4_address: 10.61.0.10\n", "        ipv4_address: 10.61.0.10\n        gw_priority: 1\n"),
            true);
        assertEquals(Optional.of("10.61.0.10"), reachedAt(sandbox, server), "the port moved to front with the default route");
        apply(sandbox, both.replace("    ports: [\"8080:80\"]\n", ""), true);
        assertEquals(Optional.empty(), reachedAt(sandbox, server), "the mapping is gone");
      }
    }
  }

  /** The container address that a connection from the world to the host's port 8080 arrived at. */
  static Optional<String> reachedAt(Sandbox sandbox, ServerSocket server) throws Exception {
    return Traffic.accept(server, sandbox.world(), Sandbox.HOST_ADDRESS.toString(), 8080).map(Traffic.Accepted::server);
  }

  @Test
  void renamingABridge() throws Exception {
    edit("a bridge name", BASE.replace("  back:\n    ipam:", "  back:\n    bridge_name: br-back\n    ipam:"), sandbox -> {
      Rtnl host = sandbox.host().root().rtnl();
      assertTrue(host.link("br-back").isPresent(), "the new bridge");
      assertEquals(Optional.of("10.62.0.1 dev eth0"), defaultRoute(sandbox, "db"));
    });
  }

  @Test
  void flagsAndPorts() throws Exception {
    edit("internal", BASE.replace("  back:\n    ipam:", "  back:\n    internal: true\n    ipam:"),
        sandbox -> assertEquals(Optional.empty(), defaultRoute(sandbox, "db"), "an internal network gives no way out"));
    edit("icc off", BASE.replace("  front:\n    ipam:", "  front:\n    icc: false\n    ipam:"), sandbox -> { });
    edit("no masquerade", BASE.replace("  front:\n    ipam:", "  front:\n    masquerade: false\n    ipam:"),
        sandbox -> { });
    edit("another port", BASE.replace("\"8080:80\"", "\"8081:80\", \"5353:53/udp\""), sandbox -> { });
  }

  @Test
  void aLoopbackSetDownIsPutBackUp() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-edits"))) {
      apply(sandbox, BASE, true);
      try (NetnsHandle ns = open(sandbox, "db")) {
        Rtnl r = ns.rtnl();
        r.run(r.setLinkByName(r.batch(), "lo", Optional.of(false), 0, Optional.empty(), Optional.empty()));
        Outcome repaired = apply(sandbox, BASE, true);
        assertTrue(repaired.plan().changes().stream().anyMatch(c -> c.changedAttributes().contains("loopback")),
            repaired.plan().changes()::toString);
        assertTrue(r.link("lo").orElseThrow().up(), "loopback up again");
      }
    }
  }

  @Test
  void anApplyThatStopsPartWayRemovesWhatItCreated() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-edits"))) {
      apply(sandbox, BASE, true);
      Converger converger = new Converger(sandbox.host());
      String more = BASE + """
            cache:
              networks: [back]
          """;
      Goal goal = Goal.of(state(more));
      Proposal proposal = converger.propose(goal);
      // Between plan and apply someone takes a name the plan needs: the apply stops there.
      String veth = proposal.plan().changes().stream().filter(c -> c.object() instanceof io.netform.model.VethObject)
          .map(c -> ((io.netform.model.VethObject) c.object()).hostName()).findFirst().orElseThrow();
      Rtnl host = sandbox.host().root().rtnl();
      host.run(host.createBridge(host.batch(), veth, 1500, Optional.empty(), Optional.empty(), false));
      Outcome outcome = converger.apply(proposal, goal, step -> { });
      assertTrue(outcome.failure().isPresent(), "the apply stopped");
      assertTrue(outcome.failure().get().undone() > 0, "and removed what it had made");
      assertEquals(List.of(), outcome.failure().get().undoFailed());
      assertFalse(outcome.failure().get().retryCanHelp(), "the same apply would stop there again");
      assertFalse(sandbox.host().namespaces().exists("cache"), "the new namespace is gone again");
      assertTrue(host.link(veth).isPresent(), "the foreign interface is still there");
      assertEquals(Optional.empty(), host.link(veth).orElseThrow().alias(), "and not marked as netform's");
      assertTrue(converger.propose(Goal.of(state(BASE))).plan().isEmpty(), "the host is as before");
    }
  }

  @Test
  void aPlanFromAViewCaughtMidUpdateIsMadeAgainFromAFreshRead() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-edits"))) {
      apply(sandbox, BASE, true);
      Rtnl host = sandbox.host().root().rtnl();
      String bridge = host.links().stream().filter(l -> l.kind().equals("bridge")).findFirst().orElseThrow().name();
      // Someone deletes a bridge; the view has seen its ports released, not yet the bridge gone.
      for (io.netform.kernel.netlink.LinkInfo l : host.links()) {
        if (l.master() == host.linkIndex(bridge).orElseThrow()) {
          host.run(host.setLink(host.batch(), l.index(), l.name(), Optional.empty(), 0, Optional.empty(), Optional.empty(), 0,
              Optional.empty()));
        }
      }
      HostReads midUpdate = HostReads.read(host);
      host.run(host.deleteLinkByName(host.batch(), bridge));
      KernelReads fresh = KernelReads.fresh(sandbox.host().root());
      KernelReads view = new KernelReads() {
        @Override
        public HostReads host() {
          return midUpdate;
        }

        @Override
        public List<NamespaceView> namespaces(java.util.Map<String, java.nio.file.Path> candidates,
            java.util.Map<String, Long> inodes) {
          return fresh.namespaces(candidates, inodes);
        }
      };
      Converger converger = new Converger(sandbox.host(), new HostObserver(sandbox.host(), view));
      Goal goal = Goal.of(state(BASE));
      Proposal proposal = converger.propose(goal);
      assertTrue(proposal.plan().changes().stream().noneMatch(c -> c.object().kindLabel().equals("bridge")),
          "the view still shows the bridge: " + proposal.plan().changes());
      Outcome outcome = converger.apply(proposal, goal, step -> { });
      assertEquals(Optional.empty(), outcome.failure(), "made again from a fresh read, it succeeds");
      assertTrue(host.link(bridge).isPresent(), "the bridge is back");
    }
  }
}
