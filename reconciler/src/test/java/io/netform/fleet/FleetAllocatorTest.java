package io.netform.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.OverlayLock;
import io.netform.desired.OverlayLock.LockedEndpoint;
import io.netform.desired.OverlayLock.LockedNetwork;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import io.netform.validate.DesiredStateCheck;
import org.junit.jupiter.api.Test;

/** The overlay allocation Docker 20.10 makes, measured (docs: reference-behaviour), computed from the files alone. */
class FleetAllocatorTest {

  static final String HOSTS = """
      hosts:
        docker2: {address: 10.10.10.102}
        docker3: {address: 192.168.50.101}
      """;

  static OverlayLock allocate(String yaml) {
    DesiredStateCheck.Checked checked = DesiredStateCheck.runText("t.yaml", yaml);
    assertTrue(checked.valid(), checked.diagnostics()::toString);
    FleetAllocator.Result r = FleetAllocator.allocate(checked.state());
    assertEquals(java.util.List.of(), r.problems());
    return r.allocation();
  }

  @Test
  void theFirstOverlayGetsTheFirst24Of10_8AndVni256AndAddressesGoInOrderAcrossHosts() {
    OverlayLock a = allocate(HOSTS + """
        networks:
          demo: {driver: overlay}
        containers:
          web1: {host: docker2, networks: [demo]}
          web2: {host: docker3, networks: [demo]}
          web3: {host: docker2, networks: [demo]}
        """);
    LockedNetwork demo = a.networks().get("demo");
    assertEquals(Cidr.parse("10.0.0.0/24"), demo.subnet());
    assertEquals(IpAddress.parse("10.0.0.1"), demo.gateway());
    assertEquals(256, demo.vni());
    assertEquals(endpoint("10.0.0.2"), demo.endpoints().get("web1"));
    assertEquals(endpoint("10.0.0.3"), demo.endpoints().get("web2"), "the next address, on the other host");
    assertEquals(endpoint("10.0.0.4"), demo.endpoints().get("web3"));
  }

  @Test
  void theSeedsNetworkWithRangeAuxAddressAndAStaticAddress() {
    OverlayLock a = allocate(HOSTS + """
        networks:
          myoverlay:
            driver: overlay
            ipam:
              config:
                - {subnet: 172.16.16.0/24, ip_range: 172.16.16.128/25, aux_addresses: {ip2: 172.16.16.2}}
        containers:
          web1: {host: docker2, networks: [myoverlay]}
          web2: {host: docker3, networks: [myoverlay]}
          web2-2: {host: docker3, networks: {myoverlay: {ipv4_address: 172.16.16.129}}}
        """);
    LockedNetwork n = a.networks().get("myoverlay");
    assertEquals(IpAddress.parse("172.16.16.1"), n.gateway());
    // The gateway is the subnet's first address (newer Docker; 20.10 took the range's first, .128, so its web1 got .129).
    assertEquals(endpoint("172.16.16.128"), n.endpoints().get("web1"));
    assertEquals(endpoint("172.16.16.130"), n.endpoints().get("web2"), "the static .129 is reserved first");
    assertEquals(endpoint("172.16.16.129"), n.endpoints().get("web2-2"));
  }

  @Test
  void givenVxlanIdsAreKeptAndTheOthersSkipThem() {
    OverlayLock a = allocate(HOSTS + """
        networks:
          a: {driver: overlay}
          b: {driver: overlay, driver_opts: {com.docker.network.driver.overlay.vxlanid_list: "256"}}
          c: {driver: overlay}
        """);
    assertEquals(257, a.networks().get("a").vni());
    assertEquals(256, a.networks().get("b").vni());
    assertEquals(258, a.networks().get("c").vni());
  }

  @Test
  void defaultSubnetsSkipConfiguredSubnetsAndTheHostsUnderlayAddresses() {
    OverlayLock a = allocate("""
        hosts:
          a: {address: 10.0.1.7}
        networks:
          local: {ipam: {config: [{subnet: 10.0.0.0/24}]}}
          o1: {driver: overlay}
          o2: {driver: overlay}
        """);
    assertEquals(Cidr.parse("10.0.2.0/24"), a.networks().get("o1").subnet());
    assertEquals(Cidr.parse("10.0.3.0/24"), a.networks().get("o2").subnet());
  }

  private static LockedEndpoint endpoint(String ip) {
    IpAddress a = IpAddress.parse(ip);
    return new LockedEndpoint(a, MacAddress.dockerStyle(a));
  }
}
