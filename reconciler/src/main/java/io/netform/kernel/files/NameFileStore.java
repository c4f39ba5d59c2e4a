package io.netform.kernel.files;

import io.netform.kernel.ffi.EntryStat;
import io.netform.model.ForeignNames;
import io.netform.model.HostResolvers;
import io.netform.model.NameFileObject.Kind;
import io.netform.model.NameFileObject;
import io.netform.model.Owner;
import io.netform.names.FileMark;
import io.netform.util.IoReasons;
import io.netform.util.Slices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Reads and writes the name files of a host: a container's resolv.conf and hosts under
 * {@link NamePlaces#etcNetns()}, its name record in the state directory. Only files that carry
 * netform's mark are ever rewritten or deleted; links are never followed.
 */
public final class NameFileStore {

  private static final LinkOption NO_FOLLOW = LinkOption.NOFOLLOW_LINKS;
  /** Processes of any user inside a container read its resolv.conf and hosts. */
  private static final String READABLE = "rw-r--r--";
  private static final String PRIVATE = "rw-------";
  private static final int WRITERS = 4;
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final Path etcNetns;
  private final Path records;
  private final NamePlaces places;

  /** {@code records}: the state directory's {@code names} directory. */
  public NameFileStore(NamePlaces places, Path records) {
    this.places = places;
    this.etcNetns = places.etcNetns();
    this.records = records;
  }

  public Path path(NameFileObject.Kind kind, String container) {
    return switch (kind) {
      case RECORD -> records.resolve(container);
      case RESOLV_CONF -> etcNetns.resolve(container).resolve("resolv.conf");
      case HOSTS -> etcNetns.resolve(container).resolve("hosts");
    };
  }

  /** The owned files, and the foreign ones in their places with the host's resolvers. */
  public record Observed(List<NameFileObject> owned, ForeignNames foreign) {}

  public Observed observe() {
    List<Read> etc = etcContainers().stream().map(this::readEtc).toList();
    List<Read> recorded = recordContainers().stream().map(this::readRecord).toList();
    return assemble(etc, recorded);
  }

  /**
   * One container's files in one place: those carrying netform's mark, the others (key → path), and
   * what its place is if it is none netform may write in.
   */
  public record Read(List<NameFileObject> owned, Map<String, String> foreign, Optional<ForeignNames.Unusable> unusable) {

    Read(List<NameFileObject> owned, Map<String, String> foreign) {
      this(owned, foreign, Optional.empty());
    }
  }

  /** The containers' reads put together as {@link #observe} does, with the host's resolvers as they are now. */
  public Observed assemble(Collection<Read> etc, Collection<Read> recorded) {
    List<NameFileObject> owned = new ArrayList<>();
    Map<String, String> foreign = new HashMap<>();
    Map<String, ForeignNames.Unusable> unusable = new HashMap<>();
    for (Collection<Read> reads : List.of(etc, recorded)) {
      for (Read r : reads) {
        owned.addAll(r.owned());
        foreign.putAll(r.foreign());
        r.unusable().ifPresent(u -> unusable.put(u.container(), u));
      }
    }
    return new Observed(owned, new ForeignNames(foreign, resolvers(), unusable));
  }

  /** The directory of containers' resolv.conf and hosts files (one directory per container). */
  public Path etcNetns() {
    return etcNetns;
  }

  /** The directory of the name records. */
  public Path records() {
    return records;
  }

  /** The names of the containers' directories in {@link #etcNetns()}, sorted. */
  public List<String> etcContainers() {
    return entries(etcNetns);
  }

  /** The containers that have a name record, sorted (a write's temporary file is none). */
  public List<String> recordContainers() {
    return entries(records).stream().filter(c -> !isTemporary(c)).toList();
  }

  /** Whether {@code name} is a file a write is still making (see {@link #create}). */
  public static boolean isTemporary(String name) {
    return name.startsWith(".");
  }

  /**
   * A container's resolv.conf and hosts. An entry by its name that is no directory (a file, a
   * link), or a directory another user owns or may write into (who could put a file or a link
   * there between netform's read and its write), is someone else's: both files count as foreign
   * there, so nothing is ever written through it or in it.
   */
  public Read readEtc(String container) {
    Read r = new Read(new ArrayList<>(), new HashMap<>());
    Path entry = etcNetns.resolve(container);
    Optional<EntryStat> stat = statOf(entry);
    boolean directory = stat.filter(EntryStat::isDirectory).filter(s -> s.trustedBy(USER)).isPresent();
    boolean someoneElses = !directory && stat.isPresent();
    for (Kind kind : List.of(Kind.RESOLV_CONF, Kind.HOSTS)) {
      if (directory) {
        read(kind, container, r.owned(), r.foreign());
      } else if (someoneElses) {
        r.foreign().put(new NameFileObject(container, kind, "", Owner.container(container)).key(), entry.toString());
      }
    }
    return someoneElses ? new Read(r.owned(), r.foreign(), Optional.of(unusable(container, entry, stat.get()))) : r;
  }

  /**
   * What a container's entry netform may not write in is, the command that makes it a place it may
   * (or takes it away), and netform's files in it (read without following links, never changed).
   */
  private ForeignNames.Unusable unusable(String container, Path entry, EntryStat s) {
    String p = entry.toString();
    if (!s.isDirectory()) {
      String what = s.isLink() ? "a symbolic link to " + linkTarget(entry)
          : s.isRegularFile() ? "a file" : "a special file";
      return new ForeignNames.Unusable(container, p, what, false, "mv " + p + " " + p + ".orig", List.of());
    }
    boolean anotherUsers = s.uid() != 0 && s.uid() != USER;
    String writable = s.writableBy().isEmpty() ? "" : "writable by " + s.writableBy();
    String what = "a directory " + (anotherUsers ? "owned by uid " + s.uid() + (writable.isEmpty() ? "" : " and ") : "")
        + writable + " (mode " + s.octal() + ")";
    String chmod = writable.isEmpty() ? "" : "chmod go-w " + p;
    String fix = anotherUsers ? "chown " + EntryStat.ownerSpec(USER) + " " + p
        + (chmod.isEmpty() ? "" : " && " + chmod) : chmod;
    List<String> marked = new ArrayList<>();
    for (Kind kind : List.of(Kind.RESOLV_CONF, Kind.HOSTS)) {
      ReadTexts.of(path(kind, container)).flatMap(FileMark::owner).filter(Owner.container(container)::equals)
          .ifPresent(o -> marked.add(kind.label));
    }
    return new ForeignNames.Unusable(container, p, what, true, fix, marked);
  }

  private static String linkTarget(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "somewhere unknown (" + IoReasons.describe(e) + ")";
    }
  }

  /** This process's effective uid, who besides root may own a container's directory. */
  private static final int USER = EntryStat.effectiveUser();

  private static Optional<EntryStat> statOf(Path entry) {
    try {
      return EntryStat.ofEntry(entry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + entry + ": " + IoReasons.describe(e), e);
    }
  }

  /** A container's name record. */
  public Read readRecord(String container) {
    Read r = new Read(new ArrayList<>(), new HashMap<>());
    read(Kind.RECORD, container, r.owned(), r.foreign());
    return r;
  }

  private void read(Kind kind, String container, List<NameFileObject> owned, Map<String, String> foreign) {
    Path file = path(kind, container);
    Optional<String> text = ReadTexts.of(file);
    if (text.isEmpty()) {
      return;
    }
    Optional<Owner> owner = FileMark.owner(text.get());
    NameFileObject probe = new NameFileObject(container, kind, text.get(), owner.orElse(Owner.container(container)));
    if (owner.isPresent()) {
      owned.add(probe);
    } else {
      foreign.put(probe.key(), file.toString());
    }
  }

  private static List<String> entries(Path dir) {
    if (!Files.isDirectory(dir, NO_FOLLOW)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + IoReasons.describe(e), e);
    }
  }

  /** The host's resolvers, as its resolv.conf (and systemd-resolved's) say now. */
  public HostResolvers resolvers() {
    return HostResolvers.parse(ReadTexts.hostFile(places.hostResolvConf()), ReadTexts.hostFile(places.resolvedConf()));
  }

  /**
   * Writes every file of {@code all} as {@link #write} does, on a few threads: each file is a few
   * metadata operations of the file system (a directory, a create, a rename), which wait on it
   * rather than on a core. The first failure is thrown once the writers have stopped.
   */
  public void writeAll(List<NameFileObject> all) {
    // A container's directory holds two files, and every record the same directory: each is made
    // once (making one that exists costs the JDK an exception with its stack trace).
    Set<Path> directories = ConcurrentHashMap.newKeySet();
    if (all.size() < 2 * WRITERS) {
      all.forEach(f -> write(f, directories));
      return;
    }
    Slices.map(all, WRITERS, "netform-name-files", slice -> {
      slice.forEach(f -> write(f, directories));
      return List.of();
    });
  }

  /**
   * Writes a file; one that exists is rewritten in place, since {@code ip netns exec} binds the
   * file itself over /etc and processes started before would not see a renamed one. A file
   * without netform's mark is refused (the plan refuses it first; this is the last guard).
   */
  public void write(NameFileObject f) {
    write(f, new HashSet<>());
  }

  /** {@code directories}: those this run of writes has made or found already. */
  private void write(NameFileObject f, Set<Path> directories) {
    Path file = path(f.file(), f.container());
    try {
      Optional<String> existing = ReadTexts.fresh(file);
      if (existing.isPresent() && FileMark.owner(existing.get()).isEmpty()) {
        throw new IllegalStateException(file + " exists and netform did not write it; nothing was written there");
      }
      if (existing.isPresent()) {
        rewrite(file, f.content());
        return;
      }
      if (!directories.contains(file.getParent())) {
        Files.createDirectories(file.getParent());
        directories.add(file.getParent());
      }
      create(file, f.content(), f.file() == Kind.RECORD ? PRIVATE : READABLE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + IoReasons.describe(e), e);
    }
  }

  /**
   * A new file, whole or not at all (a temporary file renamed into place). Not synced to disk:
   * every file here is made again from the desired state by the next apply, and a thousand syncs
   * would double the time a large apply takes.
   */
  private static void create(Path file, String content, String permissions) throws IOException {
    // One open per file (CREATE_NEW under a random name), not a temporary file
    // opened again to write it: a thousand containers' files are most of a cold apply's time.
    Path tmp = null;
    try {
      FileChannel ch = null;
      while (ch == null) {
        tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        try {
          ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NO_FOLLOW);
        } catch (FileAlreadyExistsException taken) {
          tmp = null; // someone else's file by that name: never touched; another name
        }
      }
      try (FileChannel open = ch) {
        ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          open.write(buf);
        }
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void rewrite(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, NO_FOLLOW)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf, bytes.length - buf.remaining());
      }
      ch.truncate(bytes.length);
    }
  }

  /** Deletes a file if it still carries netform's mark, then its container's directory if that is empty. */
  public void delete(NameFileObject f) {
    Path file = path(f.file(), f.container());
    try {
      Optional<String> existing = ReadTexts.fresh(file);
      if (existing.isEmpty() || FileMark.owner(existing.get()).isEmpty()) {
        return; // gone already, or someone else's by now
      }
      Files.deleteIfExists(file);
      if (f.file() != Kind.RECORD) {
        try {
          Files.deleteIfExists(file.getParent());
        } catch (DirectoryNotEmptyException e) {
          // other files of the container's (someone else's, or its other name file): the directory stays
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + IoReasons.describe(e), e);
    }
  }
}
