package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.DesiredState;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.kernel.netlink.Rtnl;
import io.netform.net.Cidr;
import java.util.Optional;
import io.netform.kernel.KernelTest;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.sandbox.Sandbox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.ObservedHost;
import io.netform.testing.Hosts;
import io.netform.testing.RepoFiles;

/** Each example applied to a sandbox through netlink and iptables, re-planned empty, then destroyed. */
@KernelTest
class ApplyExamplesTest {

  static Path sandboxRoot() throws IOException {
    return Files.createTempDirectory("netform-sandboxes");
  }


  @TestFactory
  Stream<DynamicTest> everyExampleAppliesConvergesAndDestroysCleanly() throws IOException {
    return everyExample(FirewallKind.IPTABLES);
  }

  /** The same with the nftables backend: every rule netform writes reads back as itself, and the tables go with the last. */
  @TestFactory
  Stream<DynamicTest> everyExampleAppliesConvergesAndDestroysCleanlyWithNftables() throws IOException {
    return everyExample(FirewallKind.NFTABLES);
  }

  private Stream<DynamicTest> everyExample(FirewallKind firewall) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(RepoFiles.examples())) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    Path root = sandboxRoot();
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      DesiredState desired = Hosts.examples(file);
      try (Sandbox sandbox = Sandbox.create(root, firewall)) {
        List<String> existing = makeExternalBridges(sandbox, desired);
        Hosts.converge(sandbox.host(), desired);
        assertTrue(Hosts.inSync(sandbox.host(), desired), file + " did not converge");
        Hosts.converge(sandbox.host(), DesiredState.empty());
        ObservedHost destroyed = new HostObserver(sandbox.host()).observe();
        assertEquals(List.of(), List.copyOf(destroyed.owned().objects().keySet()), file + ": something of netform's is left");
        assertTrue(sandbox.host().namespaces().list().isEmpty(), "no namespace left");
        assertEquals(existing, makeExternalBridges(sandbox, DesiredState.empty()), "the external bridges are as they were");
        if (firewall == FirewallKind.NFTABLES) {
          assertEquals("", io.netform.testing.SandboxContents.run(sandbox, "nft", "list", "tables").strip(), "netform's tables are gone");
        }
      }
    }));
  }

  @Test
  void containersReachEachOtherAndTheWorld() throws Exception {
    try (Sandbox sandbox = Sandbox.create(sandboxRoot())) {
      Hosts.converge(sandbox.host(), Hosts.example("09-tomcat-mysql-ports.yaml"));
      try (NetnsHandle tomcat = NetnsHandle.open("tomcat1", sandbox.host().namespaces().path("tomcat1"));
           NetnsHandle mysql = NetnsHandle.open("mysql1", sandbox.host().namespaces().path("mysql1"))) {
        ServerSocket db = mysql.call(() -> new ServerSocket(3306));
        assertTrue(tomcat.call(() -> connects("10.20.0.3", 3306)), "tomcat1 reaches mysql1 on the same bridge");
        ServerSocket world = sandbox.world().call(() -> new ServerSocket(8000));
        assertTrue(tomcat.call(() -> connects(Sandbox.WORLD_ADDRESS.toString(), 8000)), "tomcat1 reaches the world");
        assertTrue(sandbox.world().call(() -> connects(Sandbox.HOST_ADDRESS.toString(), 3306)),
            "the world reaches mysql1 through the published port");
        db.close();
        world.close();
      }
    }
  }

  /**
   * The bridges an example's external networks name, made as their owner (Docker, the host's own
   * configuration) would have: up, with the gateway address. Returns every bridge of the host with
   * its addresses, to compare after netform is done.
   */
  static List<String> makeExternalBridges(Sandbox sandbox, DesiredState desired) {
    Rtnl host = sandbox.host().root().rtnl();
    for (Network n : desired.networks().values()) {
      if (n.external()) {
        host.run(host.createBridge(host.batch(), n.externalBridge(), n.mtu(), Optional.empty(), Optional.empty(), true));
        IpamPool pool = n.pools().get(0);
        Cidr gateway = pool.subnet().withAddress(pool.gateway().orElse(pool.subnet().network().first().plus(1)));
        host.run(host.addAddress(host.batch(), host.linkIndex(n.externalBridge()).orElseThrow(), n.externalBridge(), gateway));
      }
    }
    return host.links().stream().filter(l -> l.kind().equals("bridge")).map(l -> l.name() + " " + l.mtu() + " "
        + host.addresses().stream().filter(a -> a.linkIndex() == l.index() && a.address().address().isV4())
            .map(a -> a.address().toString()).sorted().toList()).sorted().toList();
  }

  static boolean connects(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
