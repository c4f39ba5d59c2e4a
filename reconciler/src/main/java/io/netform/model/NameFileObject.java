package io.netform.model;

import java.util.Map;

/**
 * A file netform writes for a container's names: its {@code resolv.conf} and {@code hosts} (in the
 * directory {@code ip netns exec} mounts over /etc, {@code /etc/netns/NAME}), or its name record
 * (in the state directory: what the embedded DNS serves, and how {@code show} reads the settings
 * back). The first line of each marks it as netform's; a file without the mark is never touched.
 * The content's comments carry no meaning, so only the other lines are compared.
 */
public record NameFileObject(String container, Kind file, String content, Owner owner) implements KernelObject {

  /** Which of a container's files. */
  public enum Kind {
    RESOLV_CONF("resolv.conf"), HOSTS("hosts"), RECORD("name record");

    public final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  @Override
  public String key() {
    return "file/" + container + "/" + file.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String kindLabel() {
    return "file";
  }

  @Override
  public String displayName() {
    return file.label + " of " + container;
  }

  @Override
  public Map<String, String> attributes() {
    return Map.of("content", meaning(content));
  }

  /** The first line names the owner (a comment, so no part of the content's meaning). */
  @Override
  public boolean marksOwner() {
    return true;
  }

  /** The lines that are not comments, trimmed, joined with "; ". */
  public static String meaning(String content) {
    StringBuilder sb = new StringBuilder();
    for (String line : content.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        if (sb.length() > 0) {
          sb.append("; ");
        }
        appendCollapsed(sb, l);
      }
    }
    return sb.toString();
  }

  /** {@code line} with each run of white space as one space (a regex per line costs a plan of thousands of files). */
  private static void appendCollapsed(StringBuilder sb, String line) {
    boolean space = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        space = true;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
  }

  /** Equal when they mean the same: a comment edited by hand is no drift. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NameFileObject f && f.container.equals(container) && f.file == file && f.owner.equals(owner)
        && (f.content.equals(content) || meaning(f.content).equals(meaning(content)));
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(container, file, owner, meaning(content));
  }

  /** After the namespace it serves, before the links. */
  @Override
  public int rank() {
    return 1;
  }
}
