package io.netform.desired;

/** How a container gets its network namespace. */
public sealed interface NetworkMode {

  /** Its own namespace, wired to the networks in {@link Container#attachments()}. */
  record Own() implements NetworkMode {}

  /** Its own namespace with loopback only. */
  record None() implements NetworkMode {}

  /** The host's namespace: no interfaces of its own. */
  record Host() implements NetworkMode {}

  /** Another container's namespace ({@code container:NAME}). */
  record JoinContainer(String container) implements NetworkMode {}

  NetworkMode OWN = new Own();
  NetworkMode NONE = new None();
  NetworkMode HOST = new Host();

  default String text() {
    if (this instanceof JoinContainer j) {
      return "container:" + j.container();
    }
    if (this instanceof None) {
      return "none";
    }
    return this instanceof Host ? "host" : "bridge";
  }
}
