package io.netform.compile;

import io.netform.desired.Network;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.KernelObject;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The iptables rules that give bridge networks Docker's behaviour, in netform's own chains:
 *
 * <pre>
 * filter FORWARD             -j NETFORM-FORWARD
 * NETFORM-FORWARD            -j NETFORM-ISOLATION-1
 *                            per bridge B:  -o B ctstate RELATED,ESTABLISHED ACCEPT
 *                                           published ports: -d CIP ! -i B -o B -p P --dport C ACCEPT
 *                                           no ICC: -i B -o B ctstate DNAT ACCEPT (neighbours through the host)
 *                                           ICC: -i B -o B ACCEPT (icc) | DROP (no icc)
 *                                           not internal: -i B ! -o B ACCEPT
 * NETFORM-ISOLATION-1        internal B: ! -d S -i B DROP, ! -s S -o B DROP
 *                            per bridge B: -i B ! -o B ! ctstate DNAT -j NETFORM-ISOLATION-2
 * NETFORM-ISOLATION-2        per bridge B: -o B DROP
 * raw PREROUTING             not internal B: -d 127.0.0.0/8 -i B DROP (route_localnet lets nothing in)
 * nat PREROUTING             -m addrtype --dst-type LOCAL -j NETFORM-DNAT
 * nat OUTPUT                 -m addrtype --dst-type LOCAL -j NETFORM-DNAT
 * nat POSTROUTING            -j NETFORM-POSTROUTING
 * NETFORM-POSTROUTING        masquerade, not internal: -s S ! -o B MASQUERADE
 *                            not internal: -s 127.0.0.0/8 -o B MASQUERADE (the host's loopback connections)
 *                            per published port: -s CIP -d CIP -p P --dport C MASQUERADE (hairpin)
 * NETFORM-DNAT               per published port: [-d HOSTIP] -p P --dport H DNAT CIP:C
 * </pre>
 *
 * Isolation is Docker's two-stage scheme: O(networks) rules, not one per pair. A published port
 * is reached through a host address from everywhere, as Docker's userland proxy allows, but in
 * the kernel: the DNAT applies to the host's own connections (nat OUTPUT, 127.0.0.1 included,
 * with the bridge's route_localnet) and to containers' (no {@code ! -i B}), and a connection
 * whose destination the DNAT rewrote passes the isolation between networks; any other
 * connection between networks is still dropped. Specs are written exactly as
 * {@code iptables-save} prints them back, so an observed host diffs cleanly. The backend adds
 * the ownership comment.
 *
 * <p>Bridges with an IPv6 subnet get the same chains and rules in ip6tables, as Docker's do with
 * ip6tables enabled, for their IPv6 subnets and addresses, except that IPv6 has no
 * route_localnet: the host's own connections to {@code [::1]:PORT} are not forwarded (nat OUTPUT
 * jumps only for {@code ! -d ::1/128}, as Docker's) and there are no loopback rules.
 */
final class FirewallRules {

  private static final String LOOPBACK = "127.0.0.0/8";

  private final IpAddress.Family family;
  private final List<KernelObject> out = new ArrayList<>();
  private final java.util.Set<String> written = new java.util.HashSet<>();

  private FirewallRules(IpAddress.Family family) {
    this.family = family;
  }

  /**
   * A bridge network as the firewall sees it. An external network's bridge is someone else's:
   * netform writes no rule of the bridge's own (isolation, masquerade, ICC), only the rules of the
   * ports its containers publish through it, which belong to those containers.
   */
  record BridgeNet(Network network, String bridge, List<Cidr> subnets) {

    boolean external() {
      return network.external();
    }

    List<Cidr> subnets(IpAddress.Family family) {
      return subnets.stream().filter(s -> s.address().family() == family).toList();
    }
  }

  /**
   * A published port of {@code container}, resolved to the namespace it reaches ({@code container}
   * itself, or the container it joined), that namespace's gateway bridge and address there: an
   * IPv4 address (iptables) or an IPv6 one (ip6tables).
   */
  record Published(String container, String namespace, BridgeNet via, IpAddress containerIp, PortMapping port) {}

  /**
   * iptables' rules for every bridge netform manages, and ip6tables' for those with an IPv6
   * subnet; and the rules of every published port, also of ports published through an external
   * network's bridge.
   */
  static List<KernelObject> build(List<BridgeNet> managed, List<Published> ports) {
    List<KernelObject> out = new ArrayList<>(build(IpAddress.Family.V4, managed, ports));
    List<BridgeNet> v6 = managed.stream().filter(b -> !b.subnets(IpAddress.Family.V6).isEmpty()).toList();
    out.addAll(build(IpAddress.Family.V6, v6, ports));
    return out;
  }

  private static List<KernelObject> build(IpAddress.Family family, List<BridgeNet> bridges, List<Published> allPorts) {
    FirewallRules r = new FirewallRules(family);
    List<Published> ports = allPorts.stream().filter(p -> p.containerIp().family() == family).toList();
    if (bridges.isEmpty() && ports.isEmpty()) {
      return r.out;
    }
    r.chains();
    r.jumps();
    for (BridgeNet b : bridges) {
      r.forward(b);
    }
    for (BridgeNet b : bridges) {
      r.isolation(b);
    }
    for (BridgeNet b : bridges) {
      r.masquerade(b);
      if (family == IpAddress.Family.V4) {
        r.loopback(b);
      }
    }
    for (Published p : ports) {
      r.publish(p);
    }
    return r.out;
  }

  private void chains() {
    for (String chain : List.of(Chains.FORWARD, Chains.ISOLATION_1, Chains.ISOLATION_2)) {
      out.add(new FirewallChain(FirewallTable.FILTER, chain, Owner.HOST, family));
    }
    for (String chain : List.of(Chains.POSTROUTING, Chains.DNAT)) {
      out.add(new FirewallChain(FirewallTable.NAT, chain, Owner.HOST, family));
    }
  }

  private void jumps() {
    rule(FirewallTable.FILTER, "FORWARD", "-j " + Chains.FORWARD, Owner.HOST, Tier.ANY);
    rule(FirewallTable.FILTER, Chains.FORWARD, "-j " + Chains.ISOLATION_1, Owner.HOST, Tier.ISOLATION);
    rule(FirewallTable.NAT, "PREROUTING", "-m addrtype --dst-type LOCAL -j " + Chains.DNAT, Owner.HOST, Tier.ANY);
    // IPv6 has no route_localnet: a connection to ::1 could not leave for a bridge (Docker's rule too).
    String notLoopback = family == IpAddress.Family.V6 ? "! -d ::1/128 " : "";
    rule(FirewallTable.NAT, "OUTPUT", notLoopback + "-m addrtype --dst-type LOCAL -j " + Chains.DNAT, Owner.HOST, Tier.ANY);
    rule(FirewallTable.NAT, "POSTROUTING", "-j " + Chains.POSTROUTING, Owner.HOST, Tier.ANY);
  }

  private void forward(BridgeNet b) {
    Owner owner = Owner.network(b.network().name());
    String br = b.bridge();
    rule(FirewallTable.FILTER, Chains.FORWARD, "-o " + br + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", owner,
        Tier.ESTABLISHED);
    if (!b.network().icc()) {
      // Without ICC, members still reach each other's published ports through a host address.
      rule(FirewallTable.FILTER, Chains.FORWARD, "-i " + br + " -o " + br + " -m conntrack --ctstate DNAT -j ACCEPT", owner,
          Tier.PUBLISHED);
    }
    rule(FirewallTable.FILTER, Chains.FORWARD, "-i " + br + " -o " + br + " -j " + (b.network().icc() ? "ACCEPT" : "DROP"),
        owner, Tier.ICC);
    if (!b.network().internal()) {
      rule(FirewallTable.FILTER, Chains.FORWARD, "-i " + br + " ! -o " + br + " -j ACCEPT", owner, Tier.EGRESS);
    }
  }

  private void isolation(BridgeNet b) {
    Owner owner = Owner.network(b.network().name());
    String br = b.bridge();
    if (b.network().internal()) {
      for (Cidr s : b.subnets(family)) {
        rule(FirewallTable.FILTER, Chains.ISOLATION_1, "! -d " + s + " -i " + br + " -j DROP", owner, Tier.ANY);
        rule(FirewallTable.FILTER, Chains.ISOLATION_1, "! -s " + s + " -o " + br + " -j DROP", owner, Tier.ANY);
      }
    }
    // A connection the DNAT rewrote goes to a published port (the forward rules admit those alone): not isolated.
    rule(FirewallTable.FILTER, Chains.ISOLATION_1, "-i " + br + " ! -o " + br + " -m conntrack ! --ctstate DNAT -j "
        + Chains.ISOLATION_2, owner, Tier.ANY);
    // A packet without a connection (invalid, untracked) is isolated too. iptables' "! --ctstate DNAT"
    // takes it in already; nftables' "ct status" has nothing to look at and would let it through to
    // the egress accept, so it is said once more, for both backends alike.
    rule(FirewallTable.FILTER, Chains.ISOLATION_1, "-i " + br + " ! -o " + br + " -m conntrack --ctstate INVALID,UNTRACKED -j "
        + Chains.ISOLATION_2, owner, Tier.ANY);
    rule(FirewallTable.FILTER, Chains.ISOLATION_2, "-o " + br + " -j DROP", owner, Tier.ANY);
  }

  private void masquerade(BridgeNet b) {
    if (b.network().internal() || !b.network().masquerade()) {
      return;
    }
    for (Cidr s : b.subnets(family)) {
      rule(FirewallTable.NAT, Chains.POSTROUTING, "-s " + s + " ! -o " + b.bridge() + " -j MASQUERADE",
          Owner.network(b.network().name()), Tier.ANY);
    }
  }

  /**
   * The host's connections to 127.0.0.1:PORT reach the bridge from a loopback address, which the
   * container could not answer: they leave with the bridge's address. route_localnet, which lets
   * them out, would also let members send to the host's loopback services: that is dropped.
   */
  private void loopback(BridgeNet b) {
    if (b.network().internal()) {
      return;
    }
    Owner owner = Owner.network(b.network().name());
    rule(FirewallTable.NAT, Chains.POSTROUTING, "-s " + LOOPBACK + " -o " + b.bridge() + " -j MASQUERADE", owner, Tier.ANY);
    rule(FirewallTable.RAW, "PREROUTING", "-d " + LOOPBACK + " -i " + b.bridge() + " -j DROP", owner, Tier.ANY);
  }

  private void publish(Published p) {
    Owner owner = Owner.container(p.container());
    PortMapping port = p.port();
    String br = p.via().bridge();
    if (p.via().external() && port.hostIp().filter(IpAddress::isLoopback).isPresent()) {
      return; // not reachable through a bridge whose route_localnet is its owner's: a warning says so
    }
    rule(FirewallTable.FILTER, Chains.FORWARD, "-d " + host(p.containerIp()) + " ! -i " + br + " -o " + br + " "
        + match(port.protocol(), port.containerPort()) + " -j ACCEPT", owner, Tier.PUBLISHED);
    if (p.via().external()) {
      // The answers: on its own bridges netform accepts them per bridge (ESTABLISHED, egress); here, per port.
      rule(FirewallTable.FILTER, Chains.FORWARD, "-s " + host(p.containerIp()) + " -i " + br + " ! -o " + br + " -p "
          + port.protocol().text() + " -m " + port.protocol().text() + " --sport " + port.containerPort()
          + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", owner, Tier.PUBLISHED);
    }
    // The unspecified address (0.0.0.0, ::) means every address of its family, as no address does.
    Optional<IpAddress> hostIp = port.hostIp().or(() -> p.via().network().hostBindingIpv4())
        .filter(ip -> ip.family() == family && !ip.isUnspecified());
    // Loopback connections could reach an external bridge only with its route_localnet, its owner's setting.
    boolean loopbackUnreachable = p.via().external() && family == IpAddress.Family.V4 && hostIp.isEmpty();
    String dest = hostIp.map(ip -> "-d " + host(ip) + " ").orElse(loopbackUnreachable ? "! -d " + LOOPBACK + " " : "");
    String to = family == IpAddress.Family.V6 ? "[" + p.containerIp() + "]" : p.containerIp().toString();
    rule(FirewallTable.NAT, Chains.DNAT, dest + match(port.protocol(), port.hostPort())
        + " -j DNAT --to-destination " + to + ":" + port.containerPort(), owner, Tier.ANY);
    rule(FirewallTable.NAT, Chains.POSTROUTING, "-s " + host(p.containerIp()) + " -d " + host(p.containerIp()) + " "
        + match(port.protocol(), port.containerPort()) + " -j MASQUERADE", owner, Tier.ANY);
  }

  /** Tiers: lower comes first in a chain; within a tier order does not matter. */
  static final class Tier {
    static final int ANY = 0;
    static final int ISOLATION = 0;
    static final int ESTABLISHED = 1;
    static final int PUBLISHED = 2;
    static final int ICC = 3;
    static final int EGRESS = 4;

    private Tier() {}
  }

  /** One address as iptables-save prints a match on it: {@code /32} or {@code /128}. */
  private static String host(IpAddress ip) {
    return ip + (ip.isV4() ? "/32" : "/128");
  }

  private static String match(Protocol protocol, int port) {
    String p = protocol.text();
    return "-p " + p + " -m " + p + " --dport " + port;
  }

  private void rule(FirewallTable table, String chain, String spec, Owner owner, int tier) {
    if (!written.add(table.text() + "/" + chain + "\0" + spec)) {
      return; // e.g. two host ports forwarded to one container port need one ACCEPT and one hairpin rule
    }
    out.add(new FirewallRule(table, chain, spec, tier, owner, family));
  }
}
