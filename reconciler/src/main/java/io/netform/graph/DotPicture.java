package io.netform.graph;

import io.netform.graph.Topology.Group;
import io.netform.graph.Topology.Link;
import io.netform.graph.Topology.Node;

/** A topology in Graphviz's DOT language: {@code dot -Tsvg} draws it. */
public final class DotPicture implements PictureWriter {

  private static final DotPicture WRITER = new DotPicture();

  private DotPicture() {}

  public static String render(Topology t) {
    return WRITER.draw(t);
  }

  @Override
  public String open() {
    return "graph netform {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n";
  }

  @Override
  public String openGroup(Group g) {
    return "subgraph cluster_" + g.id() + " {\n    label=" + quoted(g.label()) + ";";
  }

  @Override
  public String closeGroup() {
    return "}";
  }

  @Override
  public String node(Node n) {
    String shape = switch (n.kind()) {
      case NETWORK -> "hexagon";
      case INTERNAL_NETWORK -> "hexagon, style=dashed";
      case CONTAINER -> "box, style=rounded";
      case HOST -> "box";
      case WORLD -> "circle";
    };
    return n.id() + " [label=" + quoted(n.label()) + ", shape=" + shape + "];";
  }

  @Override
  public String link(Link l) {
    return l.from() + " -- " + l.to() + " [label=" + quoted(l.label()) + (l.dotted() ? ", style=dotted" : "") + "];";
  }

  @Override
  public String close(Topology t) {
    return "}\n";
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
