package io.netform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.kernel.sandbox.SandboxFleet;
import io.netform.testing.Dns;
import io.netform.testing.FakeUpstream;
import io.netform.testing.Hosts;
import io.netform.testing.Traffic;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded DNS on an overlay network across two sandbox hosts: a container on one host
 * resolves a container of the overlay on the other host (its name, alias and NAME.NETWORK) to its
 * overlay address, as Docker does; a container of the same host not on the overlay does not.
 */
@KernelTest
class OverlayNamesTest {

  static final int PORT = 7100;
  static final String FLEET = """
      hosts:
        docker2: {address: 10.10.10.102}
        docker3: {address: 192.168.50.101}
      networks:
        demo: {driver: overlay}
        plain: {ipam: {config: [{subnet: 10.30.0.0/24}]}}
      containers:
        web1: {host: docker2, networks: [demo]}
        web2: {host: docker3, networks: {demo: {aliases: [api]}}}
        other: {host: docker2, networks: [plain]}
        web3: {host: docker2, networks: [demo]}
      """;
  static final String WEB2 = "10.0.0.3";

  SandboxFleet fleet;
  NameService names;
  FakeUpstream upstream;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    fleet = Hosts.wiredFleet(Hosts.desired(FLEET));
    // Names not served go upstream: an answer (NXDOMAIN) rather than a timeout.
    upstream = new FakeUpstream(fleet.host("docker2").world(), Sandbox.WORLD_ADDRESS.toString(), Map.of());
    names = NameService.start(fleet.host("docker2").host());
    names.sync();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    names.close();
    upstream.close();
    fleet.close();
  }

  NetnsHandle ns(String host, String container) {
    NetnsHandle h = NetnsHandle.open(container, fleet.host(host).host().namespaces().path(container));
    open.add(h);
    return h;
  }

  @Test
  void aContainerResolvesOneOnAnotherHostOfItsOverlayAndOthersDoNot() throws Exception {
    String conf = Files.readString(fleet.host("docker2").host().names().etcNetns().resolve("web1").resolve("resolv.conf"));
    assertTrue(conf.contains("nameserver 127.0.0.11"), conf);
    NetnsHandle web1 = ns("docker2", "web1");
    for (String name : List.of("web2", "api", "web2.demo")) {
      assertEquals(List.of(WEB2), Dns.a(web1, name).addresses(), "web1 on docker2 resolves " + name + " on docker3");
    }
    // web3, the second local container on the overlay, whose record does not list the remote
    // containers (web1's does, once for the host), resolves them as well.
    assertEquals(List.of(WEB2), Dns.a(ns("docker2", "web3"), "web2").addresses(), "web3 on docker2 resolves web2");
    Path records = fleet.host("docker2").host().state().nameRecords();
    assertTrue(Files.readString(records.resolve("web1")).contains("remote demo web2 "), "web1's record carries web2");
    assertFalse(Files.readString(records.resolve("web3")).contains("remote "), "web3's does not: once per host");
    ServerSocket web2 = ns("docker3", "web2").call(() -> new ServerSocket(PORT));
    open.add(web2);
    assertTrue(Traffic.connects(web1, Dns.a(web1, "api").addresses().get(0), PORT, 3000), "and reaches it there");
    Dns.Lookup fromOther = Dns.a(ns("docker2", "other"), "web2");
    assertEquals("NXDOMAIN", fromOther.rcode(), "a container not on the overlay does not: " + fromOther);
  }
}
