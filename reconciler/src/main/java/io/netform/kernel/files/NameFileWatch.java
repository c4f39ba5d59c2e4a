package io.netform.kernel.files;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A host's name files as last read, kept current by inotify instead of read in full at every
 * observation: an agent's host holds three files per container, and stat-ing thousands of them
 * took most of the time of a reconcile that changes one container.
 *
 * <p>As exact as a fresh read: the kernel queues an event as a change is made, and every {@link
 * #observe} takes the queue first, so a change made before it is always seen. A directory is
 * watched before it is listed, so nothing made meanwhile is missed. What cannot be watched (a
 * directory that does not exist yet, a container's entry that is no directory, the watch limit
 * reached) is read afresh at every observation; lost events (a queue overrun) mean a full re-read.
 */
public final class NameFileWatch implements AutoCloseable {

  private static final int EVENTS = LibC.IN_CREATE | LibC.IN_DELETE | LibC.IN_MOVED_FROM | LibC.IN_MOVED_TO
      | LibC.IN_MODIFY | LibC.IN_ATTRIB | LibC.IN_DELETE_SELF | LibC.IN_MOVE_SELF | LibC.IN_ONLYDIR | LibC.IN_DONT_FOLLOW;
  private static final int EVENT_HEADER = 16; // struct inotify_event: wd, mask, cookie, len; then the name

  private final NameFileStore store;
  private final int fd;
  private final byte[] buffer = new byte[64 << 10];
  private final Map<Integer, String> containerOfWatch = new HashMap<>();
  private int etcWatch = -1;
  private int recordsWatch = -1;
  private final TreeMap<String, NameFileStore.Read> etc = new TreeMap<>();
  private final TreeMap<String, NameFileStore.Read> recorded = new TreeMap<>();
  private final Set<String> changedEtc = new HashSet<>();
  private final Set<String> changedRecords = new HashSet<>();
  private final Set<String> unwatched = new HashSet<>();
  private boolean everything = true;
  private int lastRead;

  private NameFileWatch(NameFileStore store, int fd) {
    this.store = store;
    this.fd = fd;
  }

  /** A watch over {@code store}'s directories; empty where inotify is unavailable (e.g. its instance limit). */
  public static Optional<NameFileWatch> open(NameFileStore store) {
    int fd = LibC.get().inotify_init1(LibC.IN_NONBLOCK | LibC.IN_CLOEXEC);
    return fd < 0 ? Optional.empty() : Optional.of(new NameFileWatch(store, fd));
  }

  /** Whether this watch reads the same places as {@code other}. */
  public boolean covers(NameFileStore other) {
    return store.etcNetns().equals(other.etcNetns()) && store.records().equals(other.records());
  }

  /** The files as a fresh {@link NameFileStore#observe} would read them now. */
  public synchronized NameFileStore.Observed observe() {
    drain();
    lastRead = 0;
    if (everything) {
      readEverything();
    } else {
      changedEtc.addAll(unwatched);
      changedEtc.forEach(this::readEtc);
      changedRecords.forEach(this::readRecord);
    }
    changedEtc.clear();
    changedRecords.clear();
    return store.assemble(etc.values(), recorded.values());
  }

  /** How many containers' files the last {@link #observe} read from the file system (for tests). */
  public synchronized int lastRead() {
    return lastRead;
  }

  private void readEverything() {
    etc.clear();
    recorded.clear();
    unwatched.clear();
    etcWatch = watch(store.etcNetns(), "");
    recordsWatch = watch(store.records(), "");
    everything = etcWatch < 0 || recordsWatch < 0; // not there yet: listed afresh until it is
    store.etcContainers().forEach(this::readEtc);
    store.recordContainers().forEach(this::readRecord);
  }

  private void readEtc(String container) {
    Path dir = store.etcNetns().resolve(container);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      etc.remove(container);
      unwatched.remove(container);
      return;
    }
    if (watch(dir, container) < 0) {
      unwatched.add(container);
    } else {
      unwatched.remove(container);
    }
    etc.put(container, store.readEtc(container));
    lastRead++;
  }

  private void readRecord(String container) {
    if (Files.exists(store.records().resolve(container), LinkOption.NOFOLLOW_LINKS)) {
      recorded.put(container, store.readRecord(container));
      lastRead++;
    } else {
      recorded.remove(container);
    }
  }

  /** Watches {@code dir} (its entries' changes) for {@code container} ("" for a top directory); -1 if it cannot be. */
  private int watch(Path dir, String container) {
    int wd = LibC.get().inotify_add_watch(fd, dir.toString(), EVENTS);
    if (wd >= 0) {
      containerOfWatch.put(wd, container);
    }
    return wd;
  }

  /** Takes every queued event and notes what it changed. */
  private void drain() {
    LibC libc = LibC.get();
    while (true) {
      long n = libc.read(fd, buffer, buffer.length);
      if (n < 0) {
        int e = LibC.errno();
        if (e == Errno.EAGAIN || e == Errno.EINTR) {
          return;
        }
        everything = true; // cannot tell what changed: read it all
        return;
      }
      for (int at = 0; at + EVENT_HEADER <= n; ) {
        int wd = le32(at);
        int mask = le32(at + 4);
        int nameLength = le32(at + 12);
        String name = name(at + EVENT_HEADER, nameLength);
        at += EVENT_HEADER + nameLength;
        noteEvent(wd, mask, name);
      }
    }
  }

  private void noteEvent(int wd, int mask, String name) {
    if ((mask & LibC.IN_Q_OVERFLOW) != 0) {
      everything = true;
      return;
    }
    boolean top = wd == etcWatch || wd == recordsWatch;
    if ((mask & (LibC.IN_IGNORED | LibC.IN_DELETE_SELF | LibC.IN_MOVE_SELF)) != 0) {
      if (top) {
        everything = true; // a whole directory replaced or gone
      }
      if ((mask & LibC.IN_IGNORED) != 0) {
        containerOfWatch.remove(wd);
      }
      return;
    }
    if (wd == etcWatch) {
      changedEtc.add(name);
    } else if (wd == recordsWatch) {
      if (!NameFileStore.isTemporary(name)) {
        changedRecords.add(name);
      }
    } else {
      String container = containerOfWatch.get(wd);
      if (container != null) {
        changedEtc.add(container);
      }
    }
  }

  private int le32(int at) {
    return (buffer[at] & 0xff) | (buffer[at + 1] & 0xff) << 8 | (buffer[at + 2] & 0xff) << 16 | (buffer[at + 3] & 0xff) << 24;
  }

  /** The event's file name: NUL-padded to its length. */
  private String name(int from, int length) {
    int end = from;
    while (end < from + length && buffer[end] != 0) {
      end++;
    }
    return new String(buffer, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    LibC.get().close(fd);
  }
}
