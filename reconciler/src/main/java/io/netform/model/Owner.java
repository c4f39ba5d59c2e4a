package io.netform.model;

/**
 * Which part of the desired state an object serves, e.g. {@code network:web} or
 * {@code container:db}. Recorded on the kernel object itself (interface alias, rule comment,
 * namespace marker) so that deletions can be grouped and attributed after the YAML is gone.
 */
public record Owner(Kind kind, String name) implements Comparable<Owner> {

  public enum Kind { HOST, NETWORK, CONTAINER }

  public static final Owner HOST = new Owner(Kind.HOST, "");

  public static Owner network(String name) {
    return new Owner(Kind.NETWORK, name);
  }

  public static Owner container(String name) {
    return new Owner(Kind.CONTAINER, name);
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  public static Owner parse(String text) {
    if (text.equals("host")) {
      return HOST;
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("owner must be host, network:NAME or container:NAME: " + text);
    }
    String kind = text.substring(0, colon);
    String name = text.substring(colon + 1);
    return switch (kind) {
      case "network" -> network(name);
      case "container" -> container(name);
      default -> throw new IllegalArgumentException("unknown owner kind: " + kind);
    };
  }

  @Override
  public int compareTo(Owner o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @com.fasterxml.jackson.annotation.JsonValue
  @Override
  public String toString() {
    return kind == Kind.HOST ? "host" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
  }
}
