package io.netform.kernel.apply;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.netlink.Conntrack;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nfnetlink;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.ConnectionFilter;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import io.netform.plan.StaleConnections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the host's tracked connections that a plan left stale ({@link StaleConnections}), in
 * the host's namespace, where published ports are NATed. Runs once the firewall holds the new
 * rules: a packet arriving in between would otherwise make a new entry by the old ones. The
 * kernel picks the candidates ({@link StaleConnections#filters}, one filtered dump each), so a
 * busy host's table is not copied out; each candidate is still judged here.
 */
final class StaleConnectionCleanup {

  private static final Logger LOG = LoggerFactory.getLogger(StaleConnectionCleanup.class);
  /**
   * The kernel has no ctnetlink: no nfnetlink at all (the socket is refused), or no
   * nf_conntrack_netlink (nfnetlink refuses a request for a missing subsystem as invalid).
   */
  private static final Set<Integer> UNSUPPORTED = Set.of(Errno.EPROTONOSUPPORT, Errno.EINVAL);
  /** A kernel that cannot apply a dump's filter (one of its fields, or the filter at all). */
  private static final Set<Integer> FILTER_REFUSED = Set.of(Errno.EINVAL, Errno.EOPNOTSUPP);
  /**
   * Filtered dumps of one family past which a single full dump is read instead: each filtered
   * dump walks the kernel's whole table, so a destroy of hundreds of ports or containers is
   * cheaper read once.
   */
  static final int MAX_FILTERED_DUMPS = 64;

  /** How the tracker is read: every connection of a family, or those a filter selects. */
  interface Tracker {
    List<TrackedConnection> all(IpAddress.Family family);

    List<TrackedConnection> selected(ConnectionFilter filter);

    static Tracker of(Conntrack conntrack) {
      return new Tracker() {
        @Override
        public List<TrackedConnection> all(IpAddress.Family family) {
          return conntrack.connections(family);
        }

        @Override
        public List<TrackedConnection> selected(ConnectionFilter filter) {
          return conntrack.connections(filter);
        }
      };
    }
  }

  private StaleConnectionCleanup() {}

  /** Returns how many connections were deleted. */
  static int run(NetnsHandle host, StaleConnections stale) {
    return run(host, stale, UnaryOperator.identity());
  }

  /** As {@link #run(NetnsHandle, StaleConnections)}, reading the tracker through {@code observed}. */
  static int run(NetnsHandle host, StaleConnections stale, UnaryOperator<Tracker> observed) {
    if (stale.isEmpty()) {
      return 0;
    }
    NetlinkSocket socket;
    try {
      socket = host.call(Nfnetlink::open);
    } catch (NetlinkException e) {
      return unsupported(e);
    }
    try (socket) {
      Conntrack conntrack = new Conntrack(socket);
      Set<IpAddress> local = new HashSet<>();
      if (!stale.addedUdpForwards().isEmpty()) {
        host.rtnl().addresses().forEach(a -> local.add(a.address().address()));
      }
      int maxFilteredDumps = Conntrack.filtersReliably(System.getProperty("os.version")) ? MAX_FILTERED_DUMPS : 0;
      return conntrack.delete(staleOf(stale.families(), stale.filters(), observed.apply(Tracker.of(conntrack)),
          stale.matcher(local), maxFilteredDumps));
    }
  }

  /**
   * The stale connections of each family: read through {@code filters} as the kernel is asked
   * for them (at most {@code maxFilteredDumps} of a family, and none that would select all of it,
   * else the family's whole table once), each judged by
   * {@code isStale}, once however many filters selected it. A family whose tracker cannot be read
   * has its connections left to time out; the others' are still found.
   */
  static List<TrackedConnection> staleOf(Collection<IpAddress.Family> families, Collection<ConnectionFilter> filters,
      Tracker tracker, Predicate<TrackedConnection> isStale, int maxFilteredDumps) {
    Map<Entry, TrackedConnection> doomed = new LinkedHashMap<>();
    for (IpAddress.Family family : families) {
      List<ConnectionFilter> own = filters.stream().filter(f -> f.family() == family).toList();
      try {
        read(family, own, tracker, maxFilteredDumps).stream().filter(isStale)
            .forEach(c -> doomed.putIfAbsent(new Entry(c.id(), c.zone(), c.original()), c));
      } catch (NetlinkException e) {
        unsupported(e);
      }
    }
    return List.copyOf(doomed.values());
  }

  /** What names one tracked entry across dumps (its status may change between them). */
  private record Entry(long id, int zone, TrackedConnection.Tuple original) {}

  private static List<TrackedConnection> read(IpAddress.Family family, List<ConnectionFilter> filters, Tracker tracker,
      int maxFilteredDumps) {
    List<ConnectionFilter> asked = filters.stream().map(Conntrack::asked).distinct().toList();
    if (asked.size() > maxFilteredDumps || asked.stream().anyMatch(ConnectionFilter::selectsAll)) {
      return tracker.all(family);
    }
    List<TrackedConnection> out = new ArrayList<>();
    for (ConnectionFilter filter : asked) {
      try {
        out.addAll(tracker.selected(filter));
      } catch (NetlinkException e) {
        if (!FILTER_REFUSED.contains(e.errno())) {
          throw e;
        }
        LOG.debug("the kernel refuses filtered dumps of tracked connections ({}): reading every one", e.getMessage());
        return tracker.all(family);
      }
    }
    return out;
  }

  private static int unsupported(NetlinkException e) {
    if (!UNSUPPORTED.contains(e.errno())) {
      throw e;
    }
    LOG.warn("connections to the ports and addresses this apply removed are left to time out: the kernel's connection "
        + "tracker cannot be changed ({})", e.getMessage());
    return 0;
  }
}
