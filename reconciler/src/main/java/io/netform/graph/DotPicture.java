package io.netform.graph;

import io.netform.graph.Topology.Group;
import io.netform.graph.Topology.Link;
import io.netform.graph.Topology.Node;

/** A topology in Graphviz's DOT language: {@code dot -Tsvg} draws it. */
public final class DotPicture {

  private DotPicture() {}

  public static String render(Topology t) {
    StringBuilder sb = new StringBuilder("graph netform {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n");
    for (Group g : t.groups()) {
      String indent = "  ";
      if (!g.host().isEmpty()) {
        sb.append("  subgraph cluster_").append(g.id()).append(" {\n    label=")
            .append(quoted(g.label())).append(";\n");
        indent = "    ";
      }
      for (Node n : g.nodes()) {
        sb.append(indent).append(node(n)).append('\n');
      }
      if (!g.host().isEmpty()) {
        sb.append("  }\n");
      }
    }
    t.shared().forEach(n -> sb.append("  ").append(node(n)).append('\n'));
    for (Link l : t.links()) {
      sb.append("  ").append(l.from()).append(" -- ").append(l.to()).append(" [label=").append(quoted(l.label()))
          .append(l.dotted() ? ", style=dotted" : "").append("];\n");
    }
    return sb.append("}\n").toString();
  }

  private static String node(Node n) {
    String shape = switch (n.kind()) {
      case NETWORK -> "hexagon";
      case INTERNAL_NETWORK -> "hexagon, style=dashed";
      case CONTAINER -> "box, style=rounded";
      case HOST -> "box";
      case WORLD -> "circle";
    };
    return n.id() + " [label=" + quoted(n.label()) + ", shape=" + shape + "];";
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
