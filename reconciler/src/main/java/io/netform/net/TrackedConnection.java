package io.netform.net;

/**
 * One connection the kernel's connection tracker holds: the tuple of its first packet
 * ({@code original}) and the tuple its answers carry ({@code reply}), which differ where NAT
 * rewrote the connection. Ports are 0 for a protocol without them. {@code id} and {@code zone}
 * are the kernel's, so that exactly this entry can be deleted.
 */
public record TrackedConnection(int protocol, Tuple original, Tuple reply, int status, long id, int zone) {

  public static final int TCP = 6;
  public static final int UDP = 17;
  /** Status bits (linux/netfilter/nf_conntrack_common.h): the source, the destination was rewritten. */
  public static final int SOURCE_NAT = 1 << 4;
  public static final int DESTINATION_NAT = 1 << 5;

  /** One direction of a connection: from source to destination. */
  public record Tuple(IpAddress source, int sourcePort, IpAddress destination, int destinationPort) {}

  public IpAddress.Family family() {
    return original.source().family();
  }

  public boolean destinationRewritten() {
    return (status & DESTINATION_NAT) != 0;
  }

  public boolean rewritten() {
    return (status & (SOURCE_NAT | DESTINATION_NAT)) != 0;
  }
}
