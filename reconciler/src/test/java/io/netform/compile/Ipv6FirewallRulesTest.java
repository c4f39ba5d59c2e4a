package io.netform.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.HostModel;
import io.netform.model.SysctlObject;
import io.netform.net.IpAddress.Family;
import io.netform.testing.RepoFiles;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Networks with an IPv6 subnet get Docker's rules in ip6tables too (dockerd --ip6tables). */
class Ipv6FirewallRulesTest {

  static final String DUAL = "networks:\n"
      + "  f: {enable_ipv6: true, bridge_name: br-f, ipam: {config: [{subnet: 10.80.0.0/24}, {subnet: \"fd00:80::/64\"}]}}\n"
      + "  b: {enable_ipv6: true, internal: true, bridge_name: br-b, ipam: {config: [{subnet: 10.81.0.0/24}, "
      + "{subnet: \"fd00:81::/64\"}]}}\n"
      + "  v4: {bridge_name: br-4, ipam: {config: [{subnet: 10.82.0.0/24}]}}\n"
      + "containers:\n  web: {networks: [f, b], ports: [\"9090:80\", \"[::]:9443:443\", \"0.0.0.0:8080:80\", "
      + "\"[2001:db8:18::2]:9444:443\"]}\n"
      + "  old: {networks: [v4], ports: [\"7070:70\"]}\n";

  private static Set<String> rules(HostModel m, Family family, String chain) {
    return m.objects().values().stream().filter(o -> o instanceof FirewallRule r && r.family() == family
        && r.chain().equals(chain)).map(o -> ((FirewallRule) o).spec()).collect(Collectors.toSet());
  }

  @Test
  void portsArePublishedPerFamilyOnTheContainersAddressOfThatFamily() {
    HostModel m = TargetCompilerTest.compile(DUAL);
    assertEquals(Set.of("-p tcp -m tcp --dport 9090 -j DNAT --to-destination [fd00:80::2]:80",
        "-p tcp -m tcp --dport 9443 -j DNAT --to-destination [fd00:80::2]:443",
        "-d 2001:db8:18::2/128 -p tcp -m tcp --dport 9444 -j DNAT --to-destination [fd00:80::2]:443"),
        rules(m, Family.V6, "NETFORM-DNAT"), "no address: both families; [::] and an IPv6 address: IPv6 only");
    assertEquals(Set.of("-p tcp -m tcp --dport 9090 -j DNAT --to-destination 10.80.0.2:80",
        "-p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.80.0.2:80",
        "-p tcp -m tcp --dport 7070 -j DNAT --to-destination 10.82.0.2:70"), rules(m, Family.V4, "NETFORM-DNAT"));
    Set<String> forward = rules(m, Family.V6, "NETFORM-FORWARD");
    assertTrue(forward.contains("-d fd00:80::2/128 ! -i br-f -o br-f -p tcp -m tcp --dport 80 -j ACCEPT"), forward::toString);
    assertTrue(rules(m, Family.V6, "NETFORM-POSTROUTING").contains(
        "-s fd00:80::2/128 -d fd00:80::2/128 -p tcp -m tcp --dport 443 -j MASQUERADE"), "hairpin");
  }

  @Test
  void isolationInternalNetworksAndMasqueradingInIp6tables() {
    HostModel m = TargetCompilerTest.compile(DUAL);
    Set<String> isolation = rules(m, Family.V6, "NETFORM-ISOLATION-1");
    assertTrue(isolation.contains("! -d fd00:81::/64 -i br-b -j DROP"), isolation::toString);
    assertTrue(isolation.contains("! -s fd00:81::/64 -o br-b -j DROP"), isolation::toString);
    assertTrue(isolation.contains("-i br-f ! -o br-f -m conntrack ! --ctstate DNAT -j NETFORM-ISOLATION-2"));
    assertTrue(rules(m, Family.V6, "NETFORM-ISOLATION-2").contains("-o br-f -j DROP"));
    assertEquals(Set.of("-s fd00:80::/64 ! -o br-f -j MASQUERADE",
        "-s fd00:80::2/128 -d fd00:80::2/128 -p tcp -m tcp --dport 80 -j MASQUERADE",
        "-s fd00:80::2/128 -d fd00:80::2/128 -p tcp -m tcp --dport 443 -j MASQUERADE"),
        rules(m, Family.V6, "NETFORM-POSTROUTING"), "no loopback masquerade: IPv6 has no route_localnet");
    assertTrue(rules(m, Family.V6, "FORWARD").contains("-j NETFORM-FORWARD"));
    assertEquals(Set.of("! -d ::1/128 -m addrtype --dst-type LOCAL -j NETFORM-DNAT"), rules(m, Family.V6, "OUTPUT"));
    assertTrue(rules(m, Family.V6, "NETFORM-FORWARD").stream().noneMatch(s -> s.contains("br-4")),
        "an IPv4-only bridge has no IPv6 rules");
    assertEquals(5, m.objects().values().stream().filter(o -> o instanceof FirewallChain c && c.family() == Family.V6).count());
    assertTrue(m.objects().values().stream().anyMatch(o -> o instanceof SysctlObject s
        && s.key().contains("net.ipv6.conf.all.forwarding")), "IPv6 is forwarded");
  }

  @Test
  void ipv4OnlyStatesHaveNoIp6tablesRules() {
    HostModel m = TargetCompilerTest.compileFile(RepoFiles.examples().resolve("09-tomcat-mysql-ports.yaml"));
    assertTrue(m.objects().values().stream().noneMatch(o -> (o instanceof FirewallRule r && r.family() == Family.V6)
        || (o instanceof FirewallChain c && c.family() == Family.V6)));
  }
}
