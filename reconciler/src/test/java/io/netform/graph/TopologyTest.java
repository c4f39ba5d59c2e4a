package io.netform.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The topology picture: what it shows of a desired state, and that every format's output is well formed. */
class TopologyTest {

  @Test
  void aSingleHostShowsNetworksContainersWithTheirAddressesAndTheWayOut() {
    String mermaid = MermaidPicture.render(Topology.of(Hosts.example("03-test-net1-test-net2.yaml")));
    assertTrue(mermaid.startsWith("flowchart LR\n"), mermaid);
    assertTrue(mermaid.contains("  n_test_net2_2{{\"test_net2 bridge 173.20.0.0/16\"}}\n"), mermaid);
    assertTrue(mermaid.contains("  c_net2_box_4(\"net2-box\")\n"), mermaid);
    assertTrue(mermaid.contains("  c_net2_box_4 ---|\"173.20.0.4\"| n_test_net2_2\n"), mermaid);
    assertTrue(mermaid.contains("  c_both_box_5 ---|\"173.20.0.2\"| n_test_net2_2\n"), mermaid);
    assertTrue(mermaid.contains("  n_test_net1_1 ---|\"masquerade\"| world\n"), mermaid);
  }

  @Test
  void aFleetIsDrawnByHostWithItsOverlaysAcrossThem() {
    Topology t = Topology.of(Hosts.examples(RepoFiles.examples().resolve("multi-host")));
    assertEquals(List.of("docker2", "docker3"), t.groups().stream().map(Topology.Group::host).toList());
    assertTrue(t.shared().stream().anyMatch(n -> n.label().equals("myoverlay overlay 172.16.16.0/24")), t.shared()::toString);
    String mermaid = MermaidPicture.render(t);
    assertTrue(mermaid.matches("(?s).*\n  subgraph h_docker2_\\d+\\[\"docker2 10\\.10\\.10\\.102\"\\]\n.*"), mermaid);
    assertTrue(mermaid.matches("(?s).*\n  c_web2_\\d+ ---\\|\"172\\.16\\.16\\.129\"\\| n_myoverlay_\\d+\n.*"), mermaid);
    assertTrue(mermaid.matches("(?s).*\n  class n_myinternaloverlay_\\d+ internal\n.*"), mermaid);
    assertTrue(!mermaid.matches("(?s).*c_db_\\d+ ---\\|\"172\\.17.*"), "db, on an internal overlay alone, has no way out: " + mermaid);
  }

  @Test
  void sharedAndHostNamespacesAreDottedLinks() {
    DesiredState s = Hosts.desired("""
        networks: {app: {}}
        containers:
          web.1: {networks: [app]}
          sidecar: {network_mode: "container:web.1"}
          probe: {network_mode: host}
        """);
    String dot = DotPicture.render(Topology.of(s));
    assertTrue(dot.contains("  c_sidecar_3 -- c_web_1_2 [label=\"shares its namespace\", style=dotted];\n"), dot);
    assertTrue(dot.contains("  c_probe_4 -- host_namespace_5 [label=\"host's namespace\", style=dotted];\n"), dot);
    assertTrue(dot.contains("  host_namespace_5 [label=\"host namespace\", shape=box];\n"), dot);
  }

  /** Every link joins two drawn nodes, and no id is drawn twice, in every example and both formats. */
  @Test
  void everyExampleDrawsAWellFormedPicture() throws IOException {
    try (Stream<Path> files = Files.list(RepoFiles.examples())) {
      List<Path> inputs = files.filter(p -> p.toString().endsWith(".yaml") || p.getFileName().toString().equals("multi-host"))
          .toList();
      for (Path input : inputs) {
        Topology t = Topology.of(Files.isDirectory(input) ? Hosts.examples(input) : Hosts.example(input.getFileName().toString()));
        Set<String> ids = new HashSet<>();
        Stream.concat(t.groups().stream().flatMap(g -> g.nodes().stream()), t.shared().stream())
            .forEach(n -> assertTrue(ids.add(n.id()), input + ": " + n.id() + " drawn twice"));
        t.links().forEach(l -> assertTrue(ids.contains(l.from()) && ids.contains(l.to()), input + ": " + l));
        ids.forEach(id -> assertTrue(id.matches("[A-Za-z0-9_]+"), input + ": " + id));
        String dot = DotPicture.render(t);
        assertEquals(dot.chars().filter(c -> c == '{').count(), dot.chars().filter(c -> c == '}').count(), input + dot);
      }
    }
  }

  @Test
  void theDocsShowWhatTheCommandDrawsNow() throws IOException {
    String docs = Files.readString(RepoFiles.root().resolve("docs").resolve("graph.md"));
    for (Topology t : List.of(Topology.of(Hosts.example("03-test-net1-test-net2.yaml")),
        Topology.of(Hosts.examples(RepoFiles.examples().resolve("multi-host"))))) {
      String drawn = MermaidPicture.render(t);
      assertTrue(docs.contains("```mermaid\n" + drawn + "```"), "docs/graph.md shows an older picture; run netform "
          + "graph on its examples and put them there:\n" + drawn);
    }
  }

  @Test
  void hostsWhoseNamesReadAlikeAreDrawnApart() {
    Topology t = Topology.of(Hosts.desired("""
        hosts:
          a.b: {address: 10.0.0.1}
          a-b: {address: 10.0.0.2}
        networks: {ov: {driver: overlay}}
        containers:
          x: {host: a.b, networks: [ov]}
          y: {host: a-b, networks: [ov]}
        """));
    assertEquals(2, t.groups().stream().map(Topology.Group::id).distinct().count(), t.groups()::toString);
    String dot = DotPicture.render(t);
    assertEquals(2, dot.lines().filter(l -> l.startsWith("  subgraph cluster_")).distinct().count(), dot);
  }

  @Test
  void onlyWhatNetformWiresIsDrawn() {
    String mermaid = MermaidPicture.render(Topology.of(Hosts.example("13-compose-vocabulary.yaml")));
    assertTrue(mermaid.contains("external\"}}"), mermaid);
    assertTrue(!mermaid.matches("(?s).*n_br_compose_\\d+ ---\\|\"masquerade\"\\| world.*"),
        "netform does not masquerade an external network: " + mermaid);
    assertTrue(mermaid.contains("ports 8090:80/tcp 443/tcp 9000/udp"), "ports netform chooses too: " + mermaid);
    String unpublished = MermaidPicture.render(Topology.of(Hosts.desired("""
        networks: {back: {internal: true}}
        containers:
          c: {networks: [back], ports: ["8081:80"]}
          d: {network_mode: host, ports: ["8082:80"]}
        """)));
    assertTrue(!unpublished.contains("ports"), "neither publishes a port: " + unpublished);
  }

  /** A joined container's ports are published on the namespace at the end of its joins, and drawn as such. */
  @Test
  void portsOfAJoinedContainerAreDrawnWhereTheNamespaceItJoinsPublishes() {
    String yaml = """
        networks: {front: {}}
        containers:
          a: {networks: [front]}
          b: {network_mode: "container:a"}
          c: {network_mode: "container:b", ports: ["8083:80"]}
        """;
    String mermaid = MermaidPicture.render(Topology.of(Hosts.desired(yaml)));
    assertTrue(mermaid.contains("c ports 8083:80/tcp"), mermaid);
    String internal = MermaidPicture.render(Topology.of(Hosts.desired(yaml.replace("front: {}", "front: {internal: true}"))));
    assertTrue(!internal.contains("ports"), "a's only network is internal: nothing published: " + internal);
  }
}
