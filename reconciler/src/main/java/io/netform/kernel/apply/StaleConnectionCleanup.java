package io.netform.kernel.apply;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.netlink.Conntrack;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nfnetlink;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import io.netform.plan.StaleConnections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the host's tracked connections that a plan left stale ({@link StaleConnections}), in
 * the host's namespace, where published ports are NATed. Runs once the firewall holds the new
 * rules: a packet arriving in between would otherwise make a new entry by the old ones.
 */
final class StaleConnectionCleanup {

  private static final Logger LOG = LoggerFactory.getLogger(StaleConnectionCleanup.class);
  /**
   * The kernel has no ctnetlink: no nfnetlink at all (the socket is refused), or no
   * nf_conntrack_netlink (nfnetlink refuses a request for a missing subsystem as invalid).
   */
  private static final Set<Integer> UNSUPPORTED = Set.of(93 /* EPROTONOSUPPORT */, Errno.EINVAL);

  private StaleConnectionCleanup() {}

  /** Returns how many connections were deleted. */
  static int run(NetnsHandle host, StaleConnections stale) {
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
      return conntrack.delete(staleOf(stale.families(), conntrack::connections, stale.matcher(local)));
    }
  }

  /**
   * The stale connections of each family, as {@code read} gives that family's. A family whose
   * tracker cannot be read has its connections left to time out; the others' are still found.
   */
  static List<TrackedConnection> staleOf(Collection<IpAddress.Family> families,
      Function<IpAddress.Family, List<TrackedConnection>> read, Predicate<TrackedConnection> isStale) {
    List<TrackedConnection> doomed = new ArrayList<>();
    for (IpAddress.Family family : families) {
      try {
        read.apply(family).stream().filter(isStale).forEach(doomed::add);
      } catch (NetlinkException e) {
        unsupported(e);
      }
    }
    return doomed;
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
