package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Protocol;
import io.netform.model.PortForward;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection.Tuple;
import io.netform.net.TrackedConnection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The kernel's filtered dumps miss nothing: every connection {@link StaleConnections#matcher}
 * finds stale is selected by one of {@link StaleConnections#filters}. Addresses, ports,
 * protocols and NAT status come from small pools, so that connections often are stale.
 */
class StaleConnectionFiltersProperties {

  static final IpAddress HOST = IpAddress.parse("198.18.0.2");
  static final List<IpAddress> ADDRESSES = List.of(HOST, IpAddress.parse("198.18.0.1"), IpAddress.parse("10.91.0.10"),
      IpAddress.parse("10.91.0.11"));
  static final List<Integer> PORTS = List.of(6000, 7001, 7002, 9001, 9002);
  static final Set<IpAddress> LOCAL = Set.of(HOST);

  @Property(tries = 2000)
  void everyStaleConnectionIsSelectedByAFilter(@ForAll("stale") StaleConnections stale,
      @ForAll("connections") TrackedConnection c) {
    if (stale.matcher(LOCAL).test(c)) {
      assertTrue(stale.filters().stream().anyMatch(f -> f.selects(c)), c + " is stale but no filter selects it");
    }
  }

  @Provide
  Arbitrary<StaleConnections> stale() {
    Arbitrary<PortForward> forwards = Combinators.combine(Arbitraries.of(Protocol.UDP, Protocol.TCP),
        Arbitraries.of(Optional.<IpAddress>empty(), Optional.of(HOST)), Arbitraries.of(9001, 9002),
        Arbitraries.of(ADDRESSES.subList(2, 4)), Arbitraries.of(7001, 7002))
        .as((protocol, host, hostPort, container, port) -> new PortForward(IpAddress.Family.V4, protocol, host, hostPort,
            container, port));
    Arbitrary<PortForward> udp = forwards.filter(f -> f.protocol() == Protocol.UDP);
    return Combinators.combine(forwards.list().ofMaxSize(3), Arbitraries.of(ADDRESSES).set().ofMaxSize(2),
        udp.list().ofMaxSize(2)).as(StaleConnections::new);
  }

  @Provide
  Arbitrary<TrackedConnection> connections() {
    Arbitrary<Tuple> tuples = Combinators.combine(Arbitraries.of(ADDRESSES), Arbitraries.of(PORTS),
        Arbitraries.of(ADDRESSES), Arbitraries.of(PORTS)).as(Tuple::new);
    Arbitrary<Integer> status = Arbitraries.of(0, TrackedConnection.SOURCE_NAT, TrackedConnection.DESTINATION_NAT,
        TrackedConnection.SOURCE_NAT | TrackedConnection.DESTINATION_NAT);
    return Combinators.combine(Arbitraries.of(TrackedConnection.UDP, TrackedConnection.TCP), tuples, tuples, status)
        .as((protocol, original, reply, s) -> new TrackedConnection(protocol, original, reply, s, 1, 0));
  }
}
