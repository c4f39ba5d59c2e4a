package io.netform.kernel.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NameFileStoreTest {

  @TempDir
  Path dir;

  /** systemd-resolved and resolvconf make /etc/resolv.conf a link: the host's resolvers are read through it. */
  @Test
  void theHostsResolvConfIsReadThroughALink() throws Exception {
    Path real = Files.writeString(dir.resolve("stub-resolv.conf"), "nameserver 127.0.0.53\nsearch corp.example\n");
    Path link = Files.createSymbolicLink(dir.resolve("resolv.conf"), real);
    NameFileStore store = new NameFileStore(new NamePlaces(dir.resolve("etc-netns"), link, dir.resolve("none")),
        dir.resolve("names"));
    assertEquals(List.of(IpAddress.parse("127.0.0.53")), store.resolvers().nameservers());
    assertEquals(List.of("corp.example"), store.resolvers().search());
  }
}
