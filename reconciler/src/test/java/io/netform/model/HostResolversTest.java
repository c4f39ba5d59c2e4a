package io.netform.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which name servers a container without the embedded DNS gets, and where the embedded DNS forwards: Docker's rules. */
class HostResolversTest {

  private static List<String> text(List<IpAddress> ips) {
    return ips.stream().map(IpAddress::toString).toList();
  }

  @Test
  void loopbackServersAreLeftOutOfContainersButForwardedToFromTheHost() {
    HostResolvers r = HostResolvers.parse("nameserver 127.0.0.1\nnameserver 192.0.2.53\nnameserver ::1\n", "");
    assertEquals(List.of("192.0.2.53"), text(r.forContainers()));
    assertEquals(List.of("127.0.0.1", "192.0.2.53", "::1"), text(r.upstreams()));
  }

  @Test
  void aLocalStubOnlyMeansTheServersBehindItThenGooglesAsDockerFallsBack() {
    HostResolvers resolved = HostResolvers.parse("nameserver 127.0.0.53\noptions edns0\n", "nameserver 192.0.2.9\n");
    assertEquals(List.of("192.0.2.9"), text(resolved.forContainers()));
    assertEquals(List.of("127.0.0.53"), text(resolved.upstreams()));
    assertEquals(List.of("edns0"), resolved.options());
    HostResolvers stubOnly = HostResolvers.parse("nameserver 127.0.0.53\n", "");
    assertEquals(List.of("8.8.8.8", "8.8.4.4"), text(stubOnly.forContainers()));
    assertEquals(List.of("8.8.8.8", "8.8.4.4"), text(HostResolvers.parse("", "").upstreams()));
  }

  @Test
  void theLastSearchLineCountsAsInGlibc() {
    assertEquals(List.of("b.example", "c.example"),
        HostResolvers.parse("search a.example\ndomain x\nsearch b.example c.example\n", "").search());
  }
}
