package io.netform.ipam;

/** A container's attachment to one network. */
public record EndpointId(String container, String network) implements Comparable<EndpointId> {

  @Override
  public int compareTo(EndpointId o) {
    int c = container.compareTo(o.container);
    return c != 0 ? c : network.compareTo(o.network);
  }

  @Override
  public String toString() {
    return container + "@" + network;
  }
}
