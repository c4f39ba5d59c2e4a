package io.netform.kernel.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.model.NameFileObject;
import io.netform.model.NameFileObject.Kind;
import io.netform.model.Owner;
import io.netform.names.FileMark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watched name files must always read as a fresh read does, after every kind of change made
 * by netform or by hand, while reading again only the containers that changed.
 */
class NameFileWatchTest {

  @TempDir
  Path dir;
  NameFileStore store;
  NameFileWatch watch;

  @BeforeEach
  void setUp() throws IOException {
    Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    store = new NameFileStore(new NamePlaces(dir.resolve("etc-netns"), resolvConf, dir.resolve("none")), dir.resolve("names"));
    watch = NameFileWatch.open(store).orElseThrow();
  }

  @AfterEach
  void tearDown() {
    watch.close();
  }

  private static List<NameFileObject> files(String container) {
    Owner owner = Owner.container(container);
    return List.of(new NameFileObject(container, Kind.RESOLV_CONF, FileMark.file(owner, "nameserver 127.0.0.11\n"), owner),
        new NameFileObject(container, Kind.HOSTS, FileMark.file(owner, "127.0.0.1\tlocalhost\n"), owner),
        new NameFileObject(container, Kind.RECORD, FileMark.file(owner, "{}\n"), owner));
  }

  private void assertFresh(String when) {
    assertEquals(store.observe(), watch.observe(), when);
  }

  @Test
  void beforeAnythingIsWrittenAndAfterEveryChangeItReadsAsAFreshRead() throws Exception {
    assertFresh("nothing written yet (the directories do not exist)");
    List<NameFileObject> all = new ArrayList<>();
    for (String c : List.of("a", "b", "c")) {
      all.addAll(files(c));
    }
    store.writeAll(all);
    assertFresh("three containers written");
    assertFresh("again");
    assertEquals(0, watch.lastRead(), "nothing changed, nothing read");

    Path aHosts = store.path(Kind.HOSTS, "a");
    Files.writeString(aHosts, "10.0.0.9\tintruder\n", StandardOpenOption.APPEND);
    assertFresh("a line appended to a's hosts by hand");
    assertEquals(1, watch.lastRead(), "only a read again");

    Files.delete(store.path(Kind.RESOLV_CONF, "b"));
    assertFresh("b's resolv.conf deleted");
    store.write(files("b").get(0));
    assertFresh("b's resolv.conf written again");

    store.writeAll(files("d"));
    assertFresh("a new container");
    assertEquals(2, watch.lastRead(), "its directory and its record read");
    Files.writeString(store.path(Kind.HOSTS, "d"), "someone else's\n"); // no mark: foreign
    assertFresh("a file without netform's mark in d");

    Files.delete(store.path(Kind.RECORD, "c"));
    assertFresh("c's record deleted");
    deleteTree(store.etcNetns().resolve("c"));
    assertFresh("c's directory deleted");

    Files.writeString(store.etcNetns().resolve("stray"), "a file where a directory belongs\n");
    assertFresh("a file among the containers' directories");
    Files.delete(store.etcNetns().resolve("stray"));

    deleteTree(store.etcNetns());
    assertFresh("the whole directory deleted");
    store.writeAll(files("e"));
    assertFresh("made again, with another container");
    Files.writeString(store.path(Kind.RESOLV_CONF, "e"), "nameserver 192.0.2.1\n");
    assertFresh("a file in the directory made again, edited");
  }

  @Test
  void aContainersFilesWrittenRightAfterItsDirectoryIsMadeAreSeen() throws Exception {
    assertFresh("empty");
    Files.createDirectories(store.etcNetns());
    Files.createDirectories(store.records());
    assertFresh("the directories made");
    // The directory is watched only once an observation learns of it: files written in between are read then.
    for (int i = 0; i < 50; i++) {
      store.writeAll(files("n" + i));
    }
    assertFresh("fifty containers written at once");
    for (int i = 0; i < 50; i += 7) {
      Files.writeString(store.path(Kind.HOSTS, "n" + i), "edited\n");
    }
    assertFresh("some of them edited");
    assertTrue(watch.lastRead() <= 8, "only the edited ones read: " + watch.lastRead());
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
