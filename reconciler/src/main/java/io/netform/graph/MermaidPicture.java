package io.netform.graph;

import io.netform.graph.Topology.Group;
import io.netform.graph.Topology.Link;
import io.netform.graph.Topology.Node;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A topology as a Mermaid flowchart, which GitHub and GitLab draw in Markdown. */
public final class MermaidPicture implements PictureWriter {

  private static final MermaidPicture WRITER = new MermaidPicture();

  private MermaidPicture() {}

  public static String render(Topology t) {
    return WRITER.draw(t);
  }

  @Override
  public String open() {
    return "flowchart LR\n";
  }

  @Override
  public String openGroup(Group g) {
    return "subgraph " + g.id() + "[\"" + text(g.label()) + "\"]";
  }

  @Override
  public String closeGroup() {
    return "end";
  }

  @Override
  public String node(Node n) {
    String label = "\"" + text(n.label()) + "\"";
    return n.id() + switch (n.kind()) {
      case NETWORK, INTERNAL_NETWORK -> "{{" + label + "}}";
      case CONTAINER -> "(" + label + ")";
      case HOST -> "[" + label + "]";
      case WORLD -> "((" + label + "))";
    };
  }

  @Override
  public String link(Link l) {
    return l.from() + (l.dotted() ? " -.-" : " ---") + (l.label().isEmpty() ? " " : "|\"" + text(l.label()) + "\"| ")
        + l.to();
  }

  /** Internal networks drawn dashed. */
  @Override
  public String close(Topology t) {
    return "  classDef internal stroke-dasharray: 5 5\n" + Stream.concat(t.groups().stream().flatMap(g -> g.nodes().stream()),
        t.shared().stream()).filter(n -> n.kind() == Topology.Kind.INTERNAL_NETWORK)
        .map(n -> "  class " + n.id() + " internal\n").collect(Collectors.joining());
  }

  /** Mermaid's escape for a quote inside a quoted label. */
  private static String text(String s) {
    return s.replace("\"", "#quot;");
  }
}
