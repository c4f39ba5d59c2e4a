package io.netform.net;

import java.util.Optional;

/**
 * Which tracked connections one dump asks the kernel's connection tracker for (ctnetlink's
 * CTA_FILTER, Linux 5.8+): those of {@code family}, of {@code protocol} unless it is 0, whose
 * original and reply tuples have every field given in {@code original} and {@code reply}. It
 * selects a superset of what is wanted; the caller still judges each connection it gets.
 */
public record ConnectionFilter(IpAddress.Family family, int protocol, Ends original, Ends reply) {

  public ConnectionFilter {
    if (protocol == 0 && (original.hasPort() || reply.hasPort())) {
      throw new IllegalArgumentException("a port means nothing without a protocol (the kernel refuses it)");
    }
  }

  /** The fields one tuple must have: an empty address and a port of 0 match anything. */
  public record Ends(Optional<IpAddress> source, int sourcePort, Optional<IpAddress> destination, int destinationPort) {

    public static final Ends ANY = new Ends(Optional.empty(), 0, Optional.empty(), 0);

    public static Ends from(IpAddress source, int port) {
      return new Ends(Optional.of(source), port, Optional.empty(), 0);
    }

    public static Ends to(Optional<IpAddress> destination, int port) {
      return new Ends(Optional.empty(), 0, destination, port);
    }

    public boolean isAny() {
      return equals(ANY);
    }

    Ends withoutAddresses() {
      return new Ends(Optional.empty(), sourcePort, Optional.empty(), destinationPort);
    }

    boolean hasPort() {
      return sourcePort != 0 || destinationPort != 0;
    }

    boolean selects(TrackedConnection.Tuple t) {
      return source.map(t.source()::equals).orElse(true) && (sourcePort == 0 || sourcePort == t.sourcePort())
          && destination.map(t.destination()::equals).orElse(true)
          && (destinationPort == 0 || destinationPort == t.destinationPort());
    }
  }

  /** The same filter, with no address in either tuple: a superset. */
  public ConnectionFilter withoutAddresses() {
    return new ConnectionFilter(family, protocol, original.withoutAddresses(), reply.withoutAddresses());
  }

  /** Whether it selects every connection of its family. */
  public boolean selectsAll() {
    return protocol == 0 && original.isAny() && reply.isAny();
  }

  /** Whether the kernel gives {@code c} for this filter. */
  public boolean selects(TrackedConnection c) {
    return c.family() == family && (protocol == 0 || protocol == c.protocol()) && original.selects(c.original())
        && reply.selects(c.reply());
  }
}
