package io.netform.graph;

import io.netform.graph.Topology.Group;
import io.netform.graph.Topology.Link;
import io.netform.graph.Topology.Node;

/** A topology as a Mermaid flowchart, which GitHub and GitLab draw in Markdown. */
public final class MermaidPicture {

  private MermaidPicture() {}

  public static String render(Topology t) {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    for (Group g : t.groups()) {
      String indent = "  ";
      if (!g.host().isEmpty()) {
        sb.append("  subgraph ").append(g.id()).append("[\"").append(text(g.label())).append("\"]\n");
        indent = "    ";
      }
      for (Node n : g.nodes()) {
        sb.append(indent).append(node(n)).append('\n');
      }
      if (!g.host().isEmpty()) {
        sb.append("  end\n");
      }
    }
    t.shared().forEach(n -> sb.append("  ").append(node(n)).append('\n'));
    for (Link l : t.links()) {
      String arrow = l.dotted() ? " -.-" : " ---";
      sb.append("  ").append(l.from()).append(arrow)
          .append(l.label().isEmpty() ? " " : "|\"" + text(l.label()) + "\"| ").append(l.to()).append('\n');
    }
    sb.append("  classDef internal stroke-dasharray: 5 5\n");
    t.groups().stream().flatMap(g -> g.nodes().stream()).filter(n -> n.kind() == Topology.Kind.INTERNAL_NETWORK)
        .forEach(n -> sb.append("  class ").append(n.id()).append(" internal\n"));
    t.shared().stream().filter(n -> n.kind() == Topology.Kind.INTERNAL_NETWORK)
        .forEach(n -> sb.append("  class ").append(n.id()).append(" internal\n"));
    return sb.toString();
  }

  private static String node(Node n) {
    String label = "\"" + text(n.label()) + "\"";
    return n.id() + switch (n.kind()) {
      case NETWORK, INTERNAL_NETWORK -> "{{" + label + "}}";
      case CONTAINER -> "(" + label + ")";
      case HOST -> "[" + label + "]";
      case WORLD -> "((" + label + "))";
    };
  }

  /** Mermaid's escape for a quote inside a quoted label. */
  private static String text(String s) {
    return s.replace("\"", "#quot;");
  }
}
