package io.netform.check;

import io.netform.desired.Expectation;
import io.netform.net.IpAddress;
import java.util.List;
import java.util.Optional;

/**
 * What checking one expectation on this host takes: the namespace to connect from ("" for the
 * host's own) and the addresses to try; or why it is not checked here.
 *
 * @param namespace the name netform knows the namespace by, as in its model
 * @param notHere why this host does not check it, empty when it does
 * @param elsewhere whether another host checks it (its container runs there); otherwise this host
 *     should and cannot (what it needs is not applied here), which fails the check
 */
public record Probe(Expectation expectation, String namespace, List<IpAddress> addresses, Optional<String> notHere,
    boolean elsewhere) {

  public Probe {
    addresses = List.copyOf(addresses);
  }

  /** Checked here, from {@code namespace} towards {@code addresses}. */
  static Probe here(Expectation e, String namespace, List<IpAddress> addresses) {
    return new Probe(e, namespace, addresses, Optional.empty(), false);
  }

  /** Checked by the host its container runs on. */
  static Probe onOtherHost(Expectation e, String why) {
    return new Probe(e, "", List.of(), Optional.of(why), true);
  }

  /** To be checked here, and what it needs is not here. */
  public static Probe missing(Expectation e, String why) {
    return new Probe(e, "", List.of(), Optional.of(why), false);
  }
}
