package io.netform.graph;

import io.netform.graph.Topology.Group;
import io.netform.graph.Topology.Link;
import io.netform.graph.Topology.Node;

/**
 * One picture language: how it opens and closes, a host's box, a node and a link. {@link #draw}
 * walks the topology once in the same order for every language.
 */
interface PictureWriter {

  String open();

  /** The line opening a host's box (a subgraph). */
  String openGroup(Group g);

  String closeGroup();

  /** A node's line, without indentation. */
  String node(Node n);

  /** A link's line, without indentation. */
  String link(Link l);

  /** Whatever follows the links, and the end. */
  String close(Topology t);

  default String draw(Topology t) {
    StringBuilder sb = new StringBuilder(open());
    for (Group g : t.groups()) {
      boolean boxed = !g.host().isEmpty();
      if (boxed) {
        sb.append("  ").append(openGroup(g)).append('\n');
      }
      for (Node n : g.nodes()) {
        sb.append(boxed ? "    " : "  ").append(node(n)).append('\n');
      }
      if (boxed) {
        sb.append("  ").append(closeGroup()).append('\n');
      }
    }
    t.shared().forEach(n -> sb.append("  ").append(node(n)).append('\n'));
    t.links().forEach(l -> sb.append("  ").append(link(l)).append('\n'));
    return sb.append(close(t)).toString();
  }
}
