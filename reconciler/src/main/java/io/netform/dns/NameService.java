package io.netform.dns;

import io.netform.kernel.KernelHost;
import io.netform.kernel.files.NameFileStore;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.model.Owner;
import io.netform.names.NameRecord;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DNS of a host, following what is applied without a restart: it watches the name
 * records in the state directory (written by every apply) and the namespace directory, and on any
 * change re-reads the records, swaps in a new {@link NameTable}, and opens or closes its sockets in
 * the namespaces that come, go or are replaced. A check every half minute catches whatever a watch
 * could miss (an overflow of its queue is an event too, and syncs at once). {@code netform dns} runs it alone; the agent runs it too.
 */
public final class NameService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NameService.class);
  /** Changes arriving together (an apply writes many records) are taken in one go after this pause. */
  private static final long SETTLE_MILLIS = 5;
  /**
   * A full check without a watch event, in case one was missed. Rare: reading every record and
   * every namespace's inode costs a 1,000-container host tens of milliseconds of the CPU that
   * answers queries.
   */
  private static final long RECHECK_MILLIS = 30_000;

  private final KernelHost host;
  private final Path records;
  private final NameFileStore store;
  private final DnsServer server;
  private final WatchService watch;
  private final Thread follower;
  private volatile boolean open = true;
  /** Namespaces (by container, with their inode) where binding failed. */
  private final Map<String, Long> unservable = new HashMap<>();

  private NameService(KernelHost host, DnsServer server, WatchService watch) {
    this.host = host;
    this.records = host.state().nameRecords();
    this.store = new NameFileStore(host.names(), records);
    this.server = server;
    this.watch = watch;
    this.follower = new Thread(this::follow, "netform-dns-follower");
    follower.setDaemon(true);
  }

  /** Starts serving what the host's records say now, and follows them. */
  public static NameService start(KernelHost host) throws IOException {
    DatagramChannel upstream = host.root().call(DatagramChannel::open); // forwards leave from the host's side
    DnsServer server = new DnsServer(upstream);
    WatchService watch = FileSystems.getDefault().newWatchService();
    NameService s = new NameService(host, server, watch);
    try {
      Files.createDirectories(s.records);
      s.records.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      if (Files.isDirectory(host.namespaces().dir())) {
        host.namespaces().dir().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
      }
      s.sync();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    s.follower.start();
    return s;
  }

  public DnsServer server() {
    return server;
  }

  private void follow() {
    while (open) {
      try {
        WatchKey key = watch.poll(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (key != null) {
          Thread.sleep(SETTLE_MILLIS);
          drain(key);
          for (WatchKey more; (more = watch.poll()) != null; ) {
            drain(more);
          }
        }
        sync();
      } catch (ClosedWatchServiceException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("name server: following the records failed ({}); trying again", e.toString());
      }
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  /** Reads the records, serves the table they make, and brings the sockets in line with it. */
  synchronized void sync() {
    List<NameRecord> all = readRecords();
    server.table(NameTable.of(all, store.resolvers().upstreams()));
    Map<String, Long> served = server.servedNamespaces();
    List<NamespaceSockets.Wanted> toOpen = new ArrayList<>();
    Map<String, Long> wanted = new HashMap<>();
    for (NameRecord r : all) {
      if (!r.serve()) {
        continue;
      }
      Path ns = host.namespaces().path(r.container());
      long inode = NamedNamespaces.inode(ns);
      if (inode == 0) {
        continue; // not mounted (yet, or any more)
      }
      wanted.put(r.container(), inode);
      boolean triedAlready = Long.valueOf(inode).equals(unservable.get(r.container()));
      if (!Long.valueOf(inode).equals(served.get(r.container())) && !triedAlready) {
        toOpen.add(new NamespaceSockets.Wanted(r.container(), ns));
      }
    }
    served.forEach((container, inode) -> {
      if (!inode.equals(wanted.get(container))) {
        server.stopServing(container); // destroyed, or replaced by a namespace of the same name
      }
    });
    List<NamespaceSockets.Bound> bound = NamespaceSockets.open(toOpen);
    bound.forEach(server::serve);
    // A namespace where the sockets could not be bound (another server there) is tried again only once it changes.
    toOpen.forEach(w -> unservable.put(w.container(), wanted.get(w.container())));
    bound.forEach(b -> unservable.remove(b.container()));
    unservable.keySet().retainAll(wanted.keySet());
  }

  /** The records netform wrote, each under its own container's mark (read through the name files' store and its cache). */
  private List<NameRecord> readRecords() {
    List<NameRecord> out = new ArrayList<>();
    for (String container : store.recordContainers()) {
      store.readRecord(container).owned().stream().filter(f -> f.owner().equals(Owner.container(container)))
          .forEach(f -> out.add(NameRecord.parse(container, f.content())));
    }
    return out;
  }

  @Override
  public void close() {
    open = false;
    try {
      watch.close();
    } catch (IOException ignored) {
      // nothing more to follow
    }
    follower.interrupt();
    try {
      follower.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
  }
}
