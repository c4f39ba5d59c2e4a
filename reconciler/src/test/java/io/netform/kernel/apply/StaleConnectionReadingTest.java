package io.netform.kernel.apply;

import static io.netform.kernel.apply.StaleConnectionFamiliesTest.V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netform.desired.Protocol;
import io.netform.kernel.ffi.Errno;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.model.PortForward;
import io.netform.net.ConnectionFilter;
import io.netform.net.IpAddress.Family;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import io.netform.plan.StaleConnections;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * How the clean-up reads the tracker: one filtered dump per filter the kernel is asked for, and
 * the family's whole table once instead where filters would cost more, cannot be trusted, or are
 * refused. {@link StaleConnectionFamiliesTest#V4}'s connection (to port 9001, DNATed to
 * 10.91.0.10:7001) is the stale one.
 */
class StaleConnectionReadingTest {

  static final IpAddress CONTAINER = V4.reply().source();

  /** What was asked of the tracker: a family ("V4") or a filter. */
  final List<Object> asked = new ArrayList<>();

  /** A tracker of V4 alone that notes each reading; {@code refusal}, unless 0, is its errno for a filter. */
  StaleConnectionCleanup.Tracker tracker(int refusal) {
    StaleConnectionCleanup.Tracker all = StaleConnectionFamiliesTest.reading(f -> f == Family.V4 ? List.of(V4) : List.of());
    return new StaleConnectionCleanup.Tracker() {
      @Override
      public List<TrackedConnection> all(Family family) {
        asked.add(family);
        return all.all(family);
      }

      @Override
      public List<TrackedConnection> selected(ConnectionFilter filter) {
        asked.add(filter);
        if (refusal != 0) {
          throw new NetlinkException(refusal, "reading the tracked connections a filter selects", null);
        }
        return all.selected(filter);
      }
    };
  }

  static PortForward forward(int hostPort) {
    return new PortForward(Family.V4, Protocol.UDP, Optional.empty(), hostPort, CONTAINER, 7001);
  }

  List<TrackedConnection> staleOf(StaleConnections stale, int refusal, int maxFilteredDumps) {
    return StaleConnectionCleanup.staleOf(stale.families(), stale.filters(), tracker(refusal), stale.matcher(Set.of()),
        maxFilteredDumps);
  }

  @Test
  void eachFilterIsOneDumpAndAConnectionTwoSelectIsFoundOnce() {
    StaleConnections stale = new StaleConnections(List.of(forward(9001)), Set.of(CONTAINER), List.of());
    assertEquals(List.of(V4), staleOf(stale, 0, StaleConnectionCleanup.MAX_FILTERED_DUMPS));
    assertEquals(List.copyOf(stale.filters()), asked, "five filters, five dumps, no full one");
  }

  @Test
  void pastTheLimitTheTableIsReadOnce() {
    List<PortForward> many = IntStream.rangeClosed(9001, 9001 + StaleConnectionCleanup.MAX_FILTERED_DUMPS)
        .mapToObj(StaleConnectionReadingTest::forward).toList();
    assertEquals(List.of(V4), staleOf(new StaleConnections(many, Set.of(), List.of()), 0,
        StaleConnectionCleanup.MAX_FILTERED_DUMPS));
    assertEquals(List.of(Family.V4), asked);
  }

  @Test
  void whereFiltersCannotBeTrustedTheTableIsReadOnce() {
    assertEquals(List.of(V4), staleOf(new StaleConnections(List.of(forward(9001)), Set.of(), List.of()), 0, 0));
    assertEquals(List.of(Family.V4), asked);
  }

  @Test
  void aRefusedFilterHasTheTableReadOnceInstead() {
    StaleConnections stale = new StaleConnections(List.of(forward(9001)), Set.of(CONTAINER), List.of());
    for (int refusal : List.of(Errno.EINVAL, 95 /* EOPNOTSUPP */)) {
      asked.clear();
      assertEquals(List.of(V4), staleOf(stale, refusal, StaleConnectionCleanup.MAX_FILTERED_DUMPS));
      assertEquals(List.of(stale.filters().iterator().next(), Family.V4), asked, "errno " + refusal);
    }
  }

  @Test
  void anotherFailureOfAFilteredDumpStops() {
    StaleConnections stale = new StaleConnections(List.of(forward(9001)), Set.of(), List.of());
    NetlinkException busy = assertThrows(NetlinkException.class,
        () -> staleOf(stale, Errno.ENOBUFS, StaleConnectionCleanup.MAX_FILTERED_DUMPS));
    assertEquals(Errno.ENOBUFS, busy.errno());
  }
}
