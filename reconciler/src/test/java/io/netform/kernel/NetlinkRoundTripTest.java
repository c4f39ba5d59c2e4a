package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class NetlinkRoundTripTest {

  Namespaces ns;
  NetnsHandle host;
  Rtnl r;

  @BeforeEach
  void setUp() throws Exception {
    ns = new Namespaces();
    host = ns.create("rt-host");
    r = host.rtnl();
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  private LinkInfo link(Rtnl rtnl, String name) {
    return rtnl.link(name).orElseThrow(() -> new AssertionError("no link " + name));
  }

  /** The agent's drift repair and a caller share a namespace's socket; neither may read the other's replies. */
  @Test
  void oneSocketServesSeveralThreadsAtOnce() throws Exception {
    r.run(r.createBridge(r.batch(), "nf-shared", 1500, Optional.empty(), Optional.empty(), true));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> workers = new java.util.ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int id = w;
        workers.add(pool.submit(() -> {
          int seen = 0;
          for (int i = 0; i < 300; i++) {
            if (id % 2 == 0) {
              seen += r.linkIndex("nf-shared").isPresent() ? 1 : 0; // a single-answer request
            } else {
              seen += r.links().stream().anyMatch(l -> l.name().equals("nf-shared")) ? 1 : 0; // a dump
            }
          }
          return seen;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : workers) {
        assertEquals(300, f.get(60, java.util.concurrent.TimeUnit.SECONDS), "every answer was the asker's own");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCreationRefusedForATakenNameNeverMarksTheInterfaceHoldingIt() {
    r.run(r.createBridge(r.batch(), "someones", 1500, Optional.empty(), Optional.empty(), true));
    Rtnl.Batch batch = r.createBridge(r.batch(), "nf-fresh", 1500, Optional.empty(), Optional.of("netform:v1 owner=host"), true);
    r.createBridge(batch, "someones", 1500, Optional.empty(), Optional.of("netform:v1 owner=host"), true);
    NetlinkException refused = org.junit.jupiter.api.Assertions.assertThrows(NetlinkException.class, () -> r.run(batch));
    assertEquals("EEXIST", refused.errnoName());
    assertEquals(Optional.empty(), link(r, "someones").alias(), "the taken name's interface keeps no alias of netform's");
    assertEquals(Optional.of("netform:v1 owner=host"), link(r, "nf-fresh").alias(), "the other creation went through, marked");
  }

  @Test
  void bridgeCreateDumpChangeDelete() {
    MacAddress mac = MacAddress.parse("02:00:00:00:00:10");
    r.run(r.createBridge(r.batch(), "nf-br0", 1400, Optional.of(mac), Optional.of("netform:v1 test"), true));
    LinkInfo br = link(r, "nf-br0");
    assertEquals("bridge", br.kind());
    assertEquals(1400, br.mtu());
    assertEquals(mac, br.mac().orElseThrow());
    assertTrue(br.up());
    assertEquals("netform:v1 test", br.alias().orElseThrow());
    r.run(r.setLink(r.batch(), br.index(), "bridge nf-br0", Optional.empty(), 1300, Optional.empty(), Optional.of(false), -1,
        Optional.of("changed")));
    LinkInfo changed = link(r, "nf-br0");
    assertEquals(1300, changed.mtu());
    assertFalse(changed.up());
    assertEquals("changed", changed.alias().orElseThrow());
    assertEquals(br.index(), changed.index(), "changed in place");
    r.run(r.deleteLink(r.batch(), br.index(), "bridge nf-br0"));
    assertTrue(r.link("nf-br0").isEmpty());
  }

  @Test
  void aBridgeMadeWithMulticastSnoopingOffReadsOffUntilItIsTurnedOn() {
    r.run(r.createBridge(r.batch(), "nf-snoop", 1500, Optional.empty(), Optional.empty(), true, false));
    assertFalse(link(r, "nf-snoop").multicastSnooping());
    assertTrue(ipDetails(host, "nf-snoop").contains("mcast_snooping 0"), ipDetails(host, "nf-snoop"));
    r.run(r.setMulticastSnooping(r.batch(), "nf-snoop", true));
    assertTrue(link(r, "nf-snoop").multicastSnooping());
    assertTrue(ipDetails(host, "nf-snoop").contains("mcast_snooping 1"), ipDetails(host, "nf-snoop"));
    r.run(r.createBridge(r.batch(), "nf-plain", 1500, Optional.empty(), Optional.empty(), true));
    assertTrue(link(r, "nf-plain").multicastSnooping(), "the kernel's default");
    assertTrue(link(r, "lo").multicastSnooping(), "a link that is no bridge has nothing to turn off");
  }

  /** {@code ip -d link show} of one link, as iproute2 prints it. */
  private static String ipDetails(NetnsHandle where, String link) {
    try {
      Process p = where.start(new ProcessBuilder("ip", "-d", "link", "show", "dev", link).redirectErrorStream(true));
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), out);
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void vethWithThePeerCreatedInsideAnotherNamespace() {
    NetnsHandle box = ns.create("rt-box");
    r.run(r.createBridge(r.batch(), "nf-br1", 1500, Optional.empty(), Optional.empty(), true));
    int bridge = link(r, "nf-br1").index();
    MacAddress peerMac = MacAddress.parse("02:42:0a:00:00:02");
    r.run(r.createVeth(r.batch(), "nfvtest", 1500, bridge, Optional.of("netform:v1 veth"), true, "eth0", box.fd(),
        Optional.of(peerMac)));
    LinkInfo hostSide = link(r, "nfvtest");
    assertEquals("veth", hostSide.kind());
    assertEquals(bridge, hostSide.master());
    LinkInfo peer = link(box.rtnl(), "eth0");
    assertEquals(peerMac, peer.mac().orElseThrow());
    assertTrue(r.link("eth0").isEmpty(), "the peer never appears in the host namespace");
    // Asked for at creation (see Rtnl.singleQueue): both ends with one queue each way.
    assertTrue(ipDetails(host, "nfvtest").contains("numtxqueues 1 numrxqueues 1"), ipDetails(host, "nfvtest"));
    assertTrue(ipDetails(box, "eth0").contains("numtxqueues 1 numrxqueues 1"), ipDetails(box, "eth0"));
    r.run(r.deleteLink(r.batch(), hostSide.index(), "veth"));
    assertTrue(box.rtnl().link("eth0").isEmpty(), "deleting one end deletes the pair");
  }

  @Test
  void aContainerVethIsMadeFromItsContainerEndUpInsideAndItsHostEndEnslavedMarkedAndUp() {
    NetnsHandle box = ns.create("rt-cbox");
    r.run(r.createBridge(r.batch(), "nf-br3", 1500, Optional.empty(), Optional.empty(), true));
    int bridge = link(r, "nf-br3").index();
    MacAddress peerMac = MacAddress.parse("02:42:0a:00:00:03");
    r.run(r.createContainerVeth(r.batch(), "nfvc", 1400, bridge, Optional.of("netform:v1 veth"), true, "eth0", box.fd(),
        Optional.of(peerMac)));
    LinkInfo hostSide = link(r, "nfvc");
    LinkInfo peer = link(box.rtnl(), "eth0");
    assertEquals(List.of(bridge, "netform:v1 veth", true, 1400), List.of(hostSide.master(), hostSide.alias().orElseThrow(),
        hostSide.up(), hostSide.mtu()));
    assertEquals(List.of(peerMac, true, 1400), List.of(peer.mac().orElseThrow(), peer.up(), peer.mtu()));
    assertTrue(r.link("eth0").isEmpty(), "the container end never appears in the host namespace");
    assertTrue(ipDetails(host, "nfvc").contains("numtxqueues 1 numrxqueues 1"), ipDetails(host, "nfvc"));
    assertTrue(ipDetails(box, "eth0").contains("numtxqueues 1 numrxqueues 1"), ipDetails(box, "eth0"));
    assertTrue(ipDetails(box, "eth0").contains("LOWER_UP"), "both ends up: the carrier is on " + ipDetails(box, "eth0"));
    // A host name someone else holds: the creation is refused and their interface is neither marked nor enslaved.
    r.run(r.createBridge(r.batch(), "someones-c", 1500, Optional.empty(), Optional.empty(), false));
    NetnsHandle box2 = ns.create("rt-cbox2");
    assertThrows(NetlinkException.class, () -> r.run(r.createContainerVeth(r.batch(), "someones-c", 1500, bridge,
        Optional.of("netform:v1 veth"), true, "eth0", box2.fd(), Optional.empty())));
    LinkInfo theirs = link(r, "someones-c");
    assertEquals(List.of(0, Optional.empty(), false), List.of(theirs.master(), theirs.alias(), theirs.up()));
    assertTrue(box2.rtnl().link("eth0").isEmpty(), "no half pair left in the namespace");
  }

  @Test
  void macvlanOnAVethParentMovedIntoANamespace() {
    NetnsHandle box = ns.create("rt-mv");
    r.run(r.createVeth(r.batch(), "uplink0", 1500, 0, Optional.empty(), true, "uplink1", -1, Optional.empty()));
    int parent = link(r, "uplink0").index();
    MacAddress mac = MacAddress.parse("02:42:ac:10:0a:02");
    r.run(r.createMacvlan(r.batch(), "eth0", parent, 1500, Optional.of(mac), box.fd(), Optional.empty()));
    LinkInfo mv = link(box.rtnl(), "eth0");
    assertEquals("macvlan", mv.kind());
    assertEquals(mac, mv.mac().orElseThrow());
  }

  @Test
  void vxlanAndItsForwardingDatabase() {
    r.run(r.createVeth(r.batch(), "under0", 1500, 0, Optional.empty(), true, "under1", -1, Optional.empty()));
    r.run(r.addAddress(r.batch(), link(r, "under0").index(), "under0", Cidr.parse("192.0.2.1/24")));
    r.run(r.createVxlan(r.batch(), "nfvx42", 42, Optional.of(IpAddress.parse("192.0.2.1")), link(r, "under0").index(), 4789,
        1450, Optional.empty()));
    LinkInfo vx = link(r, "nfvx42");
    assertEquals("vxlan", vx.kind());
    assertEquals(1450, vx.mtu());
    MacAddress remoteMac = MacAddress.parse("02:42:0a:00:00:09");
    r.run(r.addFdb(r.batch(), vx.index(), remoteMac, Optional.of(IpAddress.parse("192.0.2.2"))));
    assertTrue(r.neighbours(Nl.AF_BRIDGE).stream().anyMatch(n -> n.linkIndex() == vx.index()
        && n.lladdr().equals(Optional.of(remoteMac)) && n.destination().equals(Optional.of(IpAddress.parse("192.0.2.2")))));
    r.run(r.deleteFdb(r.batch(), vx.index(), remoteMac, Optional.of(IpAddress.parse("192.0.2.2"))));
    assertTrue(r.neighbours(Nl.AF_BRIDGE).stream().noneMatch(n -> n.lladdr().equals(Optional.of(remoteMac))));
  }

  @Test
  void addressesAndRoutesOfBothFamilies() {
    r.run(r.createBridge(r.batch(), "nf-br2", 1500, Optional.empty(), Optional.empty(), true));
    int br = link(r, "nf-br2").index();
    r.run(r.addAddress(r.addAddress(r.batch(), br, "nf-br2", Cidr.parse("10.7.0.1/24")), br, "nf-br2",
        Cidr.parse("fd00:7::1/64")));
    assertTrue(r.addresses().stream().anyMatch(a -> a.linkIndex() == br && a.address().equals(Cidr.parse("10.7.0.1/24"))));
    assertTrue(r.addresses().stream().anyMatch(a -> a.linkIndex() == br && a.address().equals(Cidr.parse("fd00:7::1/64"))));
    Cidr any = Cidr.parse("0.0.0.0/0");
    r.run(r.replaceRoute(r.batch(), any, Optional.of(IpAddress.parse("10.7.0.254")), br, Nl.RTPROT_STATIC));
    assertTrue(r.routes().stream().anyMatch(x -> x.destination().equals(any)
        && x.gateway().equals(Optional.of(IpAddress.parse("10.7.0.254"))) && x.outputIndex() == br));
    r.run(r.replaceRoute(r.batch(), any, Optional.of(IpAddress.parse("10.7.0.253")), br, Nl.RTPROT_STATIC));
    assertEquals(1, r.routes().stream().filter(x -> x.destination().equals(any)).count(), "replaced in place");
    r.run(r.deleteRoute(r.batch(), any, Optional.empty(), br));
    assertTrue(r.routes().stream().noneMatch(x -> x.destination().equals(any)));
    r.run(r.deleteAddress(r.batch(), br, "nf-br2", Cidr.parse("10.7.0.1/24")));
    assertTrue(r.addresses().stream().noneMatch(a -> a.address().equals(Cidr.parse("10.7.0.1/24"))));
  }

  @Test
  void routesLeaveOutIpv6LinkLocalOnesAndKeepTheOthersOfBothFamilies() throws Exception {
    r.run(r.createVeth(r.batch(), "ll-a", 1500, 0, Optional.empty(), true, "ll-b", -1, Optional.empty()));
    r.run(r.setLinkByName(r.batch(), "ll-b", Optional.of(true), 0, Optional.empty(), Optional.empty()));
    int a = link(r, "ll-a").index();
    r.run(r.addAddress(r.addAddress(r.batch(), a, "ll-a", Cidr.parse("10.8.0.1/24")), a, "ll-a",
        Cidr.parse("fd00:8::1/64")));
    String kernels = "";
    for (int i = 0; i < 50 && !kernels.contains("fe80::/64"); i++) { // the link-local route follows the carrier
      Thread.sleep(20);
      Process p = host.start(new ProcessBuilder("ip", "-6", "route", "show", "table", "main").redirectErrorStream(true));
      kernels = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
    }
    assertTrue(kernels.contains("fe80::/64 dev ll-a"), "the kernel has its link-local route: " + kernels);
    List<Cidr> read = r.routes().stream().filter(x -> x.outputIndex() == a).map(x -> x.destination()).toList();
    assertTrue(read.contains(Cidr.parse("10.8.0.0/24")) && read.contains(Cidr.parse("fd00:8::/64")), read::toString);
    assertTrue(read.stream().noneMatch(c -> c.toString().startsWith("fe80:")), read::toString);
  }

  @Test
  void movingALinkToAnotherNamespace() {
    NetnsHandle other = ns.create("rt-move");
    r.run(r.createVeth(r.batch(), "mv-a", 1500, 0, Optional.empty(), false, "mv-b", -1, Optional.empty()));
    r.run(r.moveLink(r.batch(), link(r, "mv-b").index(), "mv-b", other.fd()));
    assertTrue(r.link("mv-b").isEmpty());
    assertTrue(other.rtnl().link("mv-b").isPresent());
  }

  @Test
  void kernelErrorsCarryTheErrnoNameAndWhatWasBeingDone() {
    r.run(r.createBridge(r.batch(), "nf-dup", 1500, Optional.empty(), Optional.empty(), false));
    NetlinkException exists = assertThrows(NetlinkException.class,
        () -> r.run(r.createBridge(r.batch(), "nf-dup", 1500, Optional.empty(), Optional.empty(), false)));
    assertEquals("EEXIST", exists.errnoName());
    assertTrue(exists.getMessage().startsWith("EEXIST creating bridge nf-dup: File exists"), exists.getMessage());
    NetlinkException missing = assertThrows(NetlinkException.class, () -> r.run(r.deleteLink(r.batch(), 99999, "link 99999")));
    assertEquals("ENODEV", missing.errnoName());
    assertTrue(missing.getMessage().startsWith("ENODEV deleting link 99999: No such device"), missing.getMessage());
  }

  /**
   * EPERM through netform's own client: a thread drops CAP_NET_ADMIN (capabilities are per
   * thread) and opens a socket; netlink checks the credentials the socket was opened with.
   */
  @Test
  void permissionErrorsAreNamed() throws Exception {
    NetlinkException e = host.call(() -> {
      java.util.concurrent.atomic.AtomicReference<NetlinkException> caught = new java.util.concurrent.atomic.AtomicReference<>();
      Thread t = new Thread(() -> {
        io.netform.kernel.ffi.LibC libc = io.netform.kernel.ffi.LibC.get();
        int[] header = {io.netform.kernel.ffi.LibC.CAPABILITY_VERSION_3, 0};
        int[] caps = new int[6];
        assertEquals(0, libc.capget(header, caps));
        caps[0] &= ~(1 << io.netform.kernel.ffi.LibC.CAP_NET_ADMIN); // effective set, low word
        assertEquals(0, libc.capset(header, caps));
        try (io.netform.kernel.netlink.NetlinkSocket s = io.netform.kernel.netlink.NetlinkSocket.open()) {
          Rtnl weak = new Rtnl(s);
          weak.run(weak.createBridge(weak.batch(), "nf-eperm", 1500, Optional.empty(), Optional.empty(), false));
        } catch (NetlinkException refused) {
          caught.set(refused);
        }
      });
      t.start(); // a new thread inherits the namespace of the handle's thread
      t.join();
      return caught.get();
    });
    assertTrue(e != null, "creating a link without CAP_NET_ADMIN must fail");
    assertEquals("EPERM", e.errnoName());
    assertTrue(e.getMessage().startsWith("EPERM creating bridge nf-eperm: Operation not permitted"), e.getMessage());
    assertTrue(r.link("nf-eperm").isEmpty());
  }

  @Test
  void aBatchRunsEveryRequestAndReportsTheFirstFailure() {
    Rtnl.Batch b = r.batch();
    r.createBridge(b, "nf-b1", 1500, Optional.empty(), Optional.empty(), false);
    r.createBridge(b, "nf-b1", 1500, Optional.empty(), Optional.empty(), false);
    r.createBridge(b, "nf-b2", 1500, Optional.empty(), Optional.empty(), false);
    NetlinkException e = assertThrows(NetlinkException.class, () -> r.run(b));
    assertEquals("EEXIST", e.errnoName());
    assertTrue(r.link("nf-b2").isPresent(), "requests after a failed one still ran");
  }

  @Test
  void sysctlsAreReadAndWrittenInTheRightNamespace() {
    NetnsHandle other = ns.create("rt-sysctl");
    host.writeSysctl("net.ipv4.ip_forward", "1");
    assertEquals("1", host.readSysctl("net.ipv4.ip_forward"));
    assertEquals("0", other.readSysctl("net.ipv4.ip_forward"), "a fresh namespace starts with forwarding off");
  }
}
