package io.netform.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.model.ForeignNames;
import io.netform.model.ForeignObjects;
import io.netform.model.HostResolvers;
import io.netform.model.ObservedHost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot keeps what a plan needs of names: foreign name files and the host's resolvers. */
class SnapshotNamesTest {

  @TempDir
  Path dir;

  @Test
  void foreignNameFilesAndTheHostsResolversRoundTrip() throws IOException {
    ObservedHost example = SnapshotTest.exampleHost();
    ForeignObjects f = example.foreign();
    HostResolvers resolvers = HostResolvers.parse("nameserver 127.0.0.53\nsearch corp.example\noptions edns0 trust-ad\n",
        "nameserver 192.0.2.53\n");
    ObservedHost host = new ObservedHost(example.owned(), new ForeignObjects(f.hostLinkNames(), f.hostRoutes(),
        f.namespaces(), f.hostAddresses(), f.namespaceContents(), f.firewallRules(), f.namespaceDir(),
        new ForeignNames(Map.of("file/web/hosts", "/etc/netns/web/hosts"), resolvers)));
    Path file = dir.resolve("snap.json");
    Snapshot.write(host, file);
    ObservedHost read = Snapshot.read(file);
    assertEquals(host.foreign().names(), read.foreign().names());
    assertEquals(List.of("192.0.2.53"), read.foreign().names().resolvers().forContainers().stream()
        .map(Object::toString).toList(), "behind the local stub: systemd-resolved's servers");
    assertEquals(host, read);
    assertEquals(Set.of(), Set.copyOf(new ObservedHost(example.owned(), f).foreign().names().files().keySet()));
  }
}
