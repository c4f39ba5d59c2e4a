package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.net.ConnectionFilter;
import io.netform.net.IpAddress.Family;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import io.netform.plan.StaleConnections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A family whose connection tracker the kernel will not dump (EINVAL: no ctnetlink for it) loses
 * only its own clean-up: the other family's stale connections are still found, whichever family
 * comes first. (The kernel here answers both, so the refusal is given by the reader.)
 */
class StaleConnectionFamiliesTest {

  static final TrackedConnection V4 = udp("192.0.2.1", "198.51.100.1", "10.91.0.10");
  static final TrackedConnection V6 = udp("2001:db8::1", "2001:db8::2", "fd00:91::10");

  /** A client's UDP connection to a host's published port 9001, DNATed to a container's 7001. */
  static TrackedConnection udp(String client, String host, String container) {
    TrackedConnection.Tuple original = new TrackedConnection.Tuple(IpAddress.parse(client), 6000, IpAddress.parse(host), 9001);
    TrackedConnection.Tuple reply = new TrackedConnection.Tuple(IpAddress.parse(container), 7001, IpAddress.parse(client), 6000);
    return new TrackedConnection(TrackedConnection.UDP, original, reply, TrackedConnection.DESTINATION_NAT, 1, 0);
  }

  /** A removed address of each family: filters for both. */
  static final Set<ConnectionFilter> FILTERS = new StaleConnections(List.of(), Set.of(V4.reply().source(),
      V6.reply().source()), List.of()).filters();

  /** A tracker whose every way of reading is {@code all}'s, with the filter applied here. */
  static StaleConnectionCleanup.Tracker reading(Function<Family, List<TrackedConnection>> all) {
    return new StaleConnectionCleanup.Tracker() {
      @Override
      public List<TrackedConnection> all(Family family) {
        return all.apply(family);
      }

      @Override
      public List<TrackedConnection> selected(ConnectionFilter filter) {
        return all.apply(filter.family()).stream().filter(filter::selects).toList();
      }
    };
  }

  @Test
  void oneFamilyRefusedLeavesTheOthersStaleConnectionsFound() {
    Map<Family, List<TrackedConnection>> tracked = Map.of(Family.V4, List.of(V4), Family.V6, List.of(V6));
    for (Family refused : Family.values()) {
      for (List<Family> order : List.of(List.of(Family.V4, Family.V6), List.of(Family.V6, Family.V4))) {
        List<TrackedConnection> found = StaleConnectionCleanup.staleOf(order, FILTERS, reading(f -> {
          if (f == refused) {
            throw new NetlinkException(Errno.EINVAL, "reading the tracked connections", null);
          }
          return tracked.get(f);
        }), c -> true, StaleConnectionCleanup.MAX_FILTERED_DUMPS);
        assertEquals(tracked.get(refused == Family.V4 ? Family.V6 : Family.V4), found, refused + " refused, order " + order);
      }
    }
  }

  @Test
  void anotherFailureIsNoUnsupportedKernelAndStops() {
    NetlinkException busy = new NetlinkException(Errno.ENOBUFS, "reading the tracked connections", null);
    assertEquals(busy, assertThrows(NetlinkException.class, () -> StaleConnectionCleanup.staleOf(List.of(Family.V4),
        FILTERS, reading(f -> {
          throw busy;
        }), c -> true, StaleConnectionCleanup.MAX_FILTERED_DUMPS)));
  }
}
