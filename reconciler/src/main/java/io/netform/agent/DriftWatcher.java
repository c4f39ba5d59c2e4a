package io.netform.agent;

import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netns.NetnsHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the host for out-of-band changes (links, addresses, routes; in container namespaces too
 * once they have an id here; firewall rules where iptables writes nftables rules) and asks for
 * one reconcile per burst: events within the debounce window after the first one are folded into it. netform's own changes cause one extra, empty
 * reconcile, which is how the loop settles.
 */
public final class DriftWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DriftWatcher.class);

  private final NetlinkSocket socket;
  private final Optional<NetlinkSocket> firewallSocket;
  private final Runnable repair;
  private final long debounceMillis;
  private final List<Thread> readers = new ArrayList<>();
  private final ScheduledThreadPoolExecutor debouncer = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "netform-drift-repair");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean running = true;

  /**
   * Returns subscribed: the sockets are bound to their groups before it returns, so every change
   * made after it is seen (the kernel queues the event until the reader takes it); no wait needed.
   */
  public DriftWatcher(NetnsHandle host, Runnable repair, long debounceMillis) {
    this.repair = repair;
    this.debounceMillis = debounceMillis;
    debouncer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.socket = host.call(() -> NetlinkSocket.subscribeRouteChanges(500));
    // Firewall rules changed behind netform's back (a reload flushing its chains) are announced
    // when iptables writes nftables rules; with iptables-legacy the periodic resync finds them.
    this.firewallSocket = host.call(() -> NetlinkSocket.subscribeFirewallChanges(500));
    readers.add(reader(socket, "netform-netlink-events"));
    firewallSocket.ifPresent(f -> readers.add(reader(f, "netform-firewall-events")));
  }

  private Thread reader(NetlinkSocket events, String name) {
    Thread t = new Thread(() -> {
      while (running) {
        try {
          if (events.awaitEvents() > 0 && pending.compareAndSet(false, true)) {
            debouncer.schedule(() -> {
              pending.set(false);
              try {
                repair.run();
              } catch (RuntimeException e) {
                LOG.error("drift repair failed: {}", e.getMessage());
              }
            }, debounceMillis, TimeUnit.MILLISECONDS);
          }
        } catch (RuntimeException e) {
          if (running) {
            LOG.error("netlink event watch failed: {}", e.getMessage());
          }
          return;
        }
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void close() {
    running = false;
    try {
      for (Thread t : readers) {
        t.join(2000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
    firewallSocket.ifPresent(NetlinkSocket::close);
    // A repair in progress finishes (an apply cut short is safe, but a finished one is simpler to
    // reason about); one merely scheduled is dropped.
    debouncer.shutdown();
    try {
      if (!debouncer.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("a drift repair was still running at shutdown; abandoning it");
        debouncer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
