package io.netform.kernel.observe;

import io.netform.kernel.files.NameFileStore;
import io.netform.kernel.files.NameFileWatch;
import io.netform.kernel.firewall.FirewallBackend;
import io.netform.kernel.netlink.AddressInfo;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Message;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.RouteInfo;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A view of the host's links, addresses and routes, in its own namespace and in the container
 * namespaces, kept current by netlink events instead of re-read in full: a socket listening to
 * every namespace that has an id here says which namespaces changed since the last read, and only
 * those are read again. The kernel reports another namespace's events only by its id here, so a
 * namespace without one is read afresh every time (netform gives its own namespaces an id when it
 * creates them, and never gives one to a foreign namespace). Lost events (a socket overrun) mean a
 * full re-read.
 *
 * <p>A namespace's cached view is trusted only while its file still holds the same namespace
 * (same inode), so a namespace deleted and re-created under one name is read again.
 */
public final class EventDrivenReads implements KernelReads, AutoCloseable {

  private final NetnsHandle root;
  private final NetlinkSocket events;
  // The host's own links and addresses, updated from the events' contents (each carries the
  // object's whole state); its routes, dumped again after any host event, because IPv4 removes
  // routes of a link going down without a notification.
  private Map<Integer, LinkInfo> hostLinks;
  private Set<AddressInfo> hostAddresses;
  private List<RouteInfo> hostRoutes;
  private boolean hostUnknown = true;
  private boolean hostRoutesStale = true;
  private final Map<String, Cached> cache = new HashMap<>();
  private final Set<Integer> changedIds = new HashSet<>();
  private boolean everythingChanged;
  private int lastRead;

  private record Cached(Path path, long inode, int nsid, NamespaceView view) {}

  private final Optional<NetlinkSocket> firewallEvents; // none: the firewall is read afresh every time
  private FirewallBackend.Observed firewall;
  private final Object nameFilesLock = new Object();
  private NameFileWatch nameFiles; // made at the first read of the name files

  public EventDrivenReads(NetnsHandle root) {
    this.root = root;
    this.events = root.call(() -> NetlinkSocket.subscribeRouteChanges(0));
    this.firewallEvents = root.call(() -> NetlinkSocket.subscribeFirewallChanges(0));
  }

  /**
   * Kept while the backend's changes are announced (iptables-nft) and no announcement came since
   * it was read; read afresh otherwise (iptables-legacy announces nothing).
   */
  @Override
  public synchronized FirewallBackend.Observed firewall(FirewallBackend backend) {
    boolean changed = firewallEvents.map(EventDrivenReads::anyQueued).orElse(true);
    if (firewall == null || changed || !backend.changesAreAnnounced()) {
      firewall = backend.observe();
    }
    return firewall;
  }

  /**
   * Kept current by inotify ({@link NameFileWatch}), on a lock of its own: the observer reads the
   * name files while it reads the kernel through this view.
   */
  @Override
  public NameFileStore.Observed nameFiles(NameFileStore store) {
    synchronized (nameFilesLock) {
      if (nameFiles == null || !nameFiles.covers(store)) {
        if (nameFiles != null) {
          nameFiles.close();
        }
        nameFiles = NameFileWatch.open(store).orElse(null);
      }
      return nameFiles == null ? store.observe() : nameFiles.observe();
    }
  }

  @Override
  public synchronized HostReads host() {
    drain();
    Rtnl rtnl = root.rtnl();
    if (hostUnknown || everythingChanged) {
      HostReads fresh = HostReads.read(rtnl);
      hostLinks = new LinkedHashMap<>();
      fresh.links().forEach(l -> hostLinks.put(l.index(), l));
      hostAddresses = new LinkedHashSet<>(fresh.addresses());
      hostRoutes = fresh.routes();
      hostUnknown = false;
      hostRoutesStale = false;
    } else if (hostRoutesStale) {
      hostRoutes = rtnl.routes();
      hostRoutesStale = false;
    }
    return new HostReads(List.copyOf(hostLinks.values()), List.copyOf(hostAddresses), hostRoutes);
  }

  /** One message of an event in the host's own namespace. */
  private void applyToHost(Message m) {
    hostRoutesStale = true;
    if (hostUnknown) {
      return; // the next read is a full one anyway
    }
    switch (m.type()) {
      case Nl.RTM_NEWLINK -> Rtnl.parseLink(m).ifPresent(l -> hostLinks.put(l.index(), l));
      case Nl.RTM_DELLINK -> Rtnl.parseLink(m).ifPresent(l -> {
        hostLinks.remove(l.index());
        hostAddresses.removeIf(a -> a.linkIndex() == l.index());
      });
      case Nl.RTM_NEWADDR -> Rtnl.parseAddress(m).ifPresent(hostAddresses::add);
      case Nl.RTM_DELADDR -> Rtnl.parseAddress(m).ifPresent(hostAddresses::remove);
      case Nl.RTM_NEWROUTE, Nl.RTM_DELROUTE -> { } // routes are dumped again
      default -> hostUnknown = true; // anything unexpected: read everything again
    }
  }

  @Override
  public synchronized List<NamespaceView> namespaces(Map<String, Path> candidates, Map<String, Long> known) {
    drain();
    if (everythingChanged) {
      cache.clear();
      everythingChanged = false;
    }
    cache.keySet().retainAll(candidates.keySet());
    List<NamespaceView> out = new ArrayList<>();
    Map<String, Path> toRead = new LinkedHashMap<>();
    Map<String, Long> inodes = new HashMap<>();
    candidates.forEach((name, path) -> {
      Long inode = known.containsKey(name) ? known.get(name) : inodeOrNull(path);
      Cached c = cache.get(name);
      if (c != null && inode != null && c.path().equals(path) && c.inode() == inode && !changedIds.contains(c.nsid())) {
        out.add(c.view());
      } else {
        cache.remove(name);
        if (inode != null) {
          toRead.put(name, path);
          inodes.put(name, inode);
        }
      }
    });
    changedIds.clear();
    // The id before the read, so that a change made while it is being read shows up at the next
    // drain; a namespace that gets its id only later is simply read again then.
    Rtnl rtnl = root.rtnl();
    Map<String, Integer> ids = new HashMap<>();
    toRead.forEach((name, path) -> ids.put(name, namespaceId(rtnl, path)));
    lastRead = toRead.size();
    for (NamespaceView v : NamespaceWalker.read(toRead)) {
      out.add(v);
      int nsid = ids.getOrDefault(v.name(), -1);
      if (nsid >= 0) {
        cache.put(v.name(), new Cached(v.path(), inodes.get(v.name()), nsid, v));
      }
    }
    return out;
  }

  /** How many namespaces the last {@link #namespaces} call had to read from the kernel (the rest came from the view). */
  public synchronized int lastRead() {
    return lastRead;
  }

  /** Takes every queued event of {@code socket}; true if there was one. */
  private static boolean anyQueued(NetlinkSocket socket) {
    boolean any = false;
    while (socket.pollEvent() != NetlinkSocket.NO_EVENT) {
      any = true;
    }
    return any;
  }

  /** Takes every queued event and notes where it came from. */
  private void drain() {
    for (int origin = events.pollEvent(this::applyToHost); origin != NetlinkSocket.NO_EVENT;
         origin = events.pollEvent(this::applyToHost)) {
      if (origin == NetlinkSocket.EVENTS_LOST) {
        everythingChanged = true;
      } else if (origin != NetlinkSocket.THIS_NAMESPACE && origin != NetlinkSocket.ONLY_NOISE) {
        changedIds.add(origin);
      }
    }
  }

  private static int namespaceId(Rtnl rtnl, Path path) {
    try {
      return rtnl.currentNamespaceId(path);
    } catch (RuntimeException e) {
      return -1; // not cached, so read afresh every time: slower, never wrong
    }
  }

  private static Long inodeOrNull(Path path) {
    long inode = NamedNamespaces.inode(path);
    return inode == 0 ? null : inode;
  }

  @Override
  public void close() {
    synchronized (nameFilesLock) {
      if (nameFiles != null) {
        nameFiles.close();
      }
    }
    events.close();
    firewallEvents.ifPresent(NetlinkSocket::close);
  }
}
