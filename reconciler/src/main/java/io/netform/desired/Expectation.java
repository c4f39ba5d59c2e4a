package io.netform.desired;

import io.netform.diagnostics.Location;
import io.netform.net.IpAddress;
import java.util.Optional;

/**
 * A connectivity assertion ({@code expect:}): whether a TCP connection from one container's
 * network namespace to a container or an address on a port gets through the network. An answer
 * of any kind (connected, or refused because nothing listens) means the path is open; silence (a
 * firewall drops it) or "no route" means it is not. Checked by {@code netform check} and after an
 * apply in a sandbox.
 *
 * @param to a container's name, or an IP address
 * @param at where the entry was written (its file, line and column), for what is said of it
 */
public record Expectation(String from, String to, int port, boolean reachable, Location at, Location fromAt, Location toAt) {

  /** {@code to} when it is an address rather than a container's name. */
  public Optional<IpAddress> toAddress() {
    return IpAddress.tryParse(to);
  }

  /** "web -> db:3306" (an IPv6 address in brackets). */
  public String describe() {
    return from + " -> " + (toAddress().filter(ip -> !ip.isV4()).isPresent() ? "[" + to + "]" : to) + ":" + port;
  }
}
