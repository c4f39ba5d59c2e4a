package io.netform.kernel.netns;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.FileStat;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.ffi.MountTable;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Rtnl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Named network namespaces the way iproute2 keeps them: a bind mount of the namespace on a file
 * in a directory ({@code /run/netns} by default), so {@code ip netns exec NAME} keeps working.
 * The directory is configurable; the sandbox keeps its own.
 */
public final class NamedNamespaces {

  public static final Path DEFAULT_DIR = Path.of("/run/netns");

  private final Path dir;
  private volatile boolean prepared;

  public NamedNamespaces(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path path(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a namespace name: " + name);
    }
    return dir.resolve(name);
  }

  public boolean exists(String name) {
    return isMounted(path(name));
  }

  /** Creates a new, empty network namespace named {@code name} (loopback down, as the kernel makes it). */
  public Path create(String name) {
    return createAll(List.of(name)).get(0);
  }

  /**
   * Creates several namespaces on a few throwaway threads: each unshares into a fresh namespace
   * and bind-mounts it, again and again (unshare moves only the calling thread, and each mount
   * keeps its namespace alive), so no thread is started per namespace.
   */
  public List<Path> createAll(List<String> names) {
    return createAll(names, Map.of());
  }

  /**
   * As {@link #createAll(List)}, and each namespace named in {@code loopbackAliases} gets its
   * loopback up with that alias before it is mounted: a namespace appears in the directory
   * already marked, so no crash can leave one of netform's there unmarked (and no unmarked one is
   * ever taken for netform's).
   */
  public List<Path> createAll(List<String> names, Map<String, String> loopbackAliases) {
    prepareDirectory();
    List<Path> files = new ArrayList<>();
    List<FileStat> made = new ArrayList<>(); // each file as created: only these are ever mounted on or removed
    for (String name : names) {
      Path file = path(name);
      try {
        made.add(createFile(name, file));
      } catch (RuntimeException e) {
        removeUnmounted(files, made);
        throw e;
      }
      files.add(file);
    }
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    // Creating a network namespace is mostly the kernel's per-namespace set-up, which runs in
    // parallel: one throwaway thread per core, each taking every k-th name.
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), files.size() / 64 + 1));
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int first = w;
      Thread t = new Thread(() -> {
        LibC libc = LibC.get();
        for (int i = first; i < files.size() && failure.get() == null; i += threads) {
          String name = names.get(i);
          if (libc.unshare(LibC.CLONE_NEWNET) != 0) {
            failure.compareAndSet(null, new SyscallException("creating namespace " + name, LibC.errno()));
          } else if (!markLoopback(name, loopbackAliases.get(name), failure)) {
            break;
          } else {
            mountOn(name, files.get(i), made.get(i), failure);
          }
        }
      }, "netns-create");
      t.start();
      workers.add(t);
    }
    try {
      for (Thread t : workers) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating namespaces", e);
    }
    if (failure.get() != null) {
      removeUnmounted(files, made);
      throw failure.get();
    }
    return files;
  }

  /**
   * A new empty file for a namespace's mount. O_EXCL: whatever is already at the path (a file, a
   * directory, a link, someone's namespace) is someone else's and is never taken over; O_NOFOLLOW:
   * a link there is not followed either.
   */
  private static FileStat createFile(String name, Path file) {
    LibC libc = LibC.get();
    int fd = libc.openat(LibC.AT_FDCWD, file.toString(),
        LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
    if (fd < 0) {
      int errno = LibC.errno();
      throw new SyscallException("creating namespace " + name + (errno == Errno.EEXIST
          ? " (" + file + " is there already and is not a namespace netform made; netform leaves it alone: move it away "
              + "or rename the container (or the overlay network) it is for)" : " file " + file), errno);
    }
    try {
      return FileStat.ofDescriptor(fd, file.toString());
    } finally {
      libc.close(fd);
    }
  }

  /**
   * Mounts the calling thread's namespace on the file {@link #createFile} made, reached through a
   * descriptor of that very file: a link or another file put in its place meanwhile is never
   * mounted on.
   */
  private static void mountOn(String name, Path file, FileStat made, AtomicReference<RuntimeException> failure) {
    LibC libc = LibC.get();
    int fd = libc.openat(LibC.AT_FDCWD, file.toString(), LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
    if (fd < 0) {
      failure.compareAndSet(null, new SyscallException("mounting namespace " + name + " on " + file, LibC.errno()));
      return;
    }
    try {
      if (!FileStat.ofDescriptor(fd, file.toString()).equals(made)) {
        failure.compareAndSet(null, new IllegalStateException("mounting namespace " + name + ": " + file
            + " was replaced after netform created it; nothing was mounted on it"));
      } else if (libc.mount("/proc/thread-self/ns/net", "/proc/thread-self/fd/" + fd, "none", LibC.MS_BIND, null) != 0) {
        failure.compareAndSet(null, new SyscallException("mounting namespace " + name + " on " + file, LibC.errno()));
      }
    } finally {
      libc.close(fd);
    }
  }

  /** After a failure: the files this call created and did not mount go; nothing else in the directory is touched. */
  private static void removeUnmounted(List<Path> files, List<FileStat> made) {
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      try {
        if (FileStat.ofEntry(f.toString()).equals(Optional.of(made.get(i)))) { // a mount there would show its own inode
          Files.deleteIfExists(f);
        }
      } catch (IOException | RuntimeException ignored) {
        // the creation error is the one to report
      }
    }
  }

  /**
   * Brings up loopback with {@code alias} in the calling thread's (new) namespace, whose
   * interfaces are then made with IPv6 off (netform turns it on where a network has IPv6); false on
   * failure. Namespaces without an alias (the sandbox's host and world) keep the kernel's default.
   */
  private static boolean markLoopback(String name, String alias, AtomicReference<RuntimeException> failure) {
    if (alias == null) {
      return true;
    }
    try (NetlinkSocket socket = NetlinkSocket.open()) {
      InterfaceIpv6.offForNewInterfaces();
      Rtnl r = new Rtnl(socket);
      r.run(r.setLinkByName(r.batch(), "lo", Optional.of(true), 0, Optional.empty(), Optional.of(alias)));
      return true;
    } catch (RuntimeException e) {
      failure.compareAndSet(null, new IllegalStateException("marking namespace " + name + ": " + e.getMessage(), e));
      return false;
    }
  }

  /**
   * Unmounts a namespace and removes the empty file it was mounted on; the namespace dies with its
   * last user. Only a namespace mount is touched: anything else at the path (a file, a directory,
   * a link, nothing) is not netform's and is left as it is, and a link is never followed.
   */
  public void delete(String name) {
    Path file = path(name);
    if (!isMounted(file)) {
      return;
    }
    if (LibC.get().umount2(file.toString(), LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW) != 0) {
      int errno = LibC.errno();
      if (errno != Errno.EINVAL && errno != Errno.ENOENT) {
        throw new SyscallException("unmounting namespace " + name, errno);
      }
    }
    try {
      BasicFileAttributes under = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (under.isRegularFile() && under.size() == 0 && !isMounted(file)) { // what createFile made, not someone's data
        Files.delete(file);
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      // removed meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("removing " + file + ": " + e.getMessage(), e);
    }
  }

  /** Undoes {@link #prepareDirectory}'s bind mount of the directory onto itself (for throwaway directories). */
  public void unmountDirectory() {
    if (LibC.get().umount2(dir.toString(), LibC.MNT_DETACH) != 0) {
      int errno = LibC.errno();
      if (errno != Errno.EINVAL && errno != Errno.ENOENT) {
        throw new SyscallException("unmounting " + dir, errno);
      }
    }
  }

  /**
   * What else is in the directory, by name: every entry that is not a namespace mount (a file, a
   * directory, a symbolic link), each said as what it is. netform makes a namespace only where
   * nothing is, so each is a name it must not use.
   */
  public Map<String, String> others() {
    Map<String, Long> mounted = mounted();
    Map<String, String> out = new java.util.TreeMap<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (!mounted.containsKey(name) && !isMounted(p)) {
          describe(p).ifPresent(what -> out.put(name, what));
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** "a directory", "a symbolic link to X", "a file of N bytes"…; empty if it is gone. */
  private static Optional<String> describe(Path p) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException gone) {
      return Optional.empty();
    }
    if (a.isSymbolicLink()) {
      return Optional.of("a symbolic link to " + Files.readSymbolicLink(p));
    }
    if (a.isDirectory()) {
      return Optional.of("a directory");
    }
    if (a.isRegularFile()) {
      return Optional.of(a.size() == 0 ? "an empty file" : "a file of " + a.size() + " bytes");
    }
    return Optional.of("a special file");
  }

  /** Names of the namespaces in the directory (files that are namespace mounts). */
  public List<String> list() {
    return new ArrayList<>(mounted().keySet());
  }

  /**
   * The namespaces in the directory, sorted by name, each with its namespace's inode (what
   * identifies it while it lives), read in the same look at each file that tells it is a mount.
   */
  public Map<String, Long> mounted() {
    long generation = MountTable.generation(); // before the scan: a change during it shows at the next look
    synchronized (this) {
      if (lastScan == null || generation != scannedAt) {
        lastScan = java.util.Collections.unmodifiableMap(scan());
        scannedAt = generation;
      }
      return lastScan;
    }
  }

  /**
   * The last scan, kept while the mount table stays as it was: a namespace appears in the
   * directory and leaves it only by a mount and an unmount, and looking at a thousand files cost
   * an observation of the agent's view about 5 ms.
   */
  private Map<String, Long> lastScan;
  private long scannedAt;

  private Map<String, Long> scan() {
    Map<String, Long> out = new java.util.TreeMap<>();
    Optional<FileStat> directory = FileStat.of(dir.toString());
    if (directory.isEmpty()) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      long dirDevice = directory.get().device(); // once, not once per file
      for (Path p : s) {
        long inode = namespaceInode(p, dirDevice);
        if (inode != 0) {
          out.put(p.getFileName().toString(), inode);
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** iproute2's dance: the directory must be a shared mount point so namespace mounts propagate. */
  private void prepareDirectory() {
    if (prepared) {
      return;
    }
    prepared = true;
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    } catch (IOException e) {
      throw new UncheckedIOException("creating " + dir + ": " + e.getMessage(), e);
    }
    LibC libc = LibC.get();
    if (libc.mount("", dir.toString(), "none", LibC.MS_SHARED | LibC.MS_REC, null) == 0) {
      return;
    }
    if (libc.mount(dir.toString(), dir.toString(), "none", LibC.MS_BIND | LibC.MS_REC, null) != 0) {
      throw new SyscallException("bind-mounting " + dir, LibC.errno());
    }
    if (libc.mount("", dir.toString(), "none", LibC.MS_SHARED | LibC.MS_REC, null) != 0) {
      throw new SyscallException("making " + dir + " a shared mount", LibC.errno());
    }
  }

  /**
   * A namespace file is a bind mount of an nsfs inode; a plain file is not, and neither is a link
   * (never followed: one to a namespace elsewhere is not a namespace in this directory).
   */
  static boolean isMounted(Path file) {
    Path parent = file.getParent();
    try {
      Optional<FileStat> directory = parent == null ? Optional.empty() : FileStat.of(parent.toString());
      return directory.map(d -> namespaceInode(file, d.device())).orElse(0L) != 0;
    } catch (SyscallException e) {
      return false;
    }
  }

  /**
   * The inode of the namespace at {@code file} (a mount in a namespace directory, or a
   * {@code /proc/PID/ns/net}); 0 if there is none (a plain file, or nothing) or it may not be
   * looked at (another process's namespace without the right to trace it).
   */
  public static long inode(Path file) {
    Path parent = file.getParent();
    try {
      Optional<FileStat> directory = parent == null ? Optional.empty() : FileStat.of(parent.toString());
      return directory.flatMap(d -> FileStat.of(file.toString()).filter(f -> f.regularFile() && f.device() != d.device()))
          .map(FileStat::inode).orElse(0L);
    } catch (SyscallException e) {
      return 0;
    }
  }

  /** As {@link #inode(Path)}, of an entry of the directory (a link is not followed), with the directory's device known. */
  private static long namespaceInode(Path file, long dirDevice) {
    return FileStat.ofEntry(file.toString()).filter(f -> f.regularFile() && f.device() != dirDevice).map(FileStat::inode)
        .orElse(0L);
  }
}
