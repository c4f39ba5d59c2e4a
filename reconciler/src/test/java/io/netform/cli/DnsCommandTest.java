package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.testing.ChildNetform;
import io.netform.testing.Conditions;
import io.netform.testing.Dns;
import io.netform.testing.Hosts;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** `netform dns`: the embedded DNS alone, for a host applied by hand; it follows applies and stops on SIGTERM. */
@KernelTest
class DnsCommandTest {

  private static final String NET = """
      version: 1
      networks:
        net: {ipam: {config: [{subnet: 10.82.0.0/24}]}}
      containers:
        a: {networks: [net]}
        b: {networks: [net]}
      """;

  private static Dns.Lookup ask(NetnsHandle ns, String name) {
    return ns.call(() -> Dns.ask(name, Type.A, new InetSocketAddress("127.0.0.11", 53), 500));
  }

  @Test
  void servesWhatIsAppliedFollowsTheNextApplyAndStopsOnSigterm() throws Exception {
    try (Sandbox sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"))) {
      Hosts.converge(sandbox.host(), Hosts.desired(NET));
      Path log = Files.createTempFile("netform-dns", ".log");
      Process dns = ChildNetform.start(sandbox, log, "dns");
      try (NetnsHandle b = NetnsHandle.open("b", sandbox.host().namespaces().path("b"))) {
        assertTrue(Conditions.within(Duration.ofSeconds(60), () -> ask(b, "a").resolved() || !dns.isAlive()),
            "serving");
        assertTrue(ask(b, "a").resolved(), Files.readString(log));
        Hosts.converge(sandbox.host(), Hosts.desired(NET + "  c: {networks: [net]}\n"));
        assertTrue(Conditions.within(Duration.ofSeconds(5), () -> ask(b, "c").resolved()), "a container applied later");

        dns.destroy(); // SIGTERM, as systemctl stop sends
        assertTrue(dns.waitFor(30, TimeUnit.SECONDS), "it stops");
        assertEquals(143, dns.exitValue(), Files.readString(log));
        assertEquals("TIMEOUT", ask(b, "a").rcode(), "its sockets are gone with it");
        assertTrue(Files.readString(log).contains("netform dns: serving names from " + sandbox.host().state().nameRecords()),
            Files.readString(log));
      } finally {
        dns.destroyForcibly();
        Files.deleteIfExists(log);
      }
    }
  }
}
