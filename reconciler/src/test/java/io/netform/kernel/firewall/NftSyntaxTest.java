package io.netform.kernel.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.Owner;
import io.netform.net.IpAddress.Family;
import io.netform.util.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** iptables text to nft statements and back, without nft (NftablesBackendTest reads them back from the real one). */
class NftSyntaxTest {

  private static FirewallRule rule(FirewallTable table, String chain, String spec, Family family) {
    return new FirewallRule(table, chain, spec, 0, Owner.HOST, family);
  }

  @Test
  void everyFormNetformWritesHasItsStatement() {
    assertEquals("ip daddr 172.17.0.2 iifname != \"br-a\" oifname \"br-a\" tcp dport 80 counter accept",
        NftSyntax.statement(rule(FirewallTable.FILTER, "NETFORM-FORWARD", "-d 172.17.0.2/32 ! -i br-a -o br-a -p tcp -m tcp "
            + "--dport 80 -j ACCEPT", Family.V4)));
    assertEquals("iifname \"br-a\" oifname != \"br-a\" ct status & dnat == 0 counter jump filter-NETFORM-ISOLATION-2",
        NftSyntax.statement(rule(FirewallTable.FILTER, "NETFORM-ISOLATION-1", "-i br-a ! -o br-a -m conntrack ! --ctstate DNAT "
            + "-j NETFORM-ISOLATION-2", Family.V4)));
    assertEquals("oifname \"br-a\" ct state established,related counter accept", NftSyntax.statement(rule(FirewallTable.FILTER,
        "NETFORM-FORWARD", "-o br-a -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", Family.V4)));
    assertEquals("ip6 daddr != ::1 fib daddr type local counter jump nat-NETFORM-DNAT", NftSyntax.statement(rule(
        FirewallTable.NAT, "OUTPUT", "! -d ::1/128 -m addrtype --dst-type LOCAL -j NETFORM-DNAT", Family.V6)));
    assertEquals("udp dport 8053 counter dnat to [2001:db8::2]:53", NftSyntax.statement(rule(FirewallTable.NAT, "NETFORM-DNAT",
        "-p udp -m udp --dport 8053 -j DNAT --to-destination [2001:db8::2]:53", Family.V6)));
    assertEquals("ip saddr 172.17.0.0/16 oifname != \"docker0\" counter masquerade", NftSyntax.statement(rule(
        FirewallTable.NAT, "NETFORM-POSTROUTING", "-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", Family.V4)));
    assertEquals("ip saddr 10.0.0.2 iifname \"b\" oifname != \"b\" sctp sport 9 ct state established,related counter accept",
        NftSyntax.statement(rule(FirewallTable.FILTER, "NETFORM-FORWARD", "-s 10.0.0.2/32 -i b ! -o b -p sctp -m sctp "
            + "--sport 9 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", Family.V4)));
  }

  @Test
  void anythingElseIsRefusedNotGuessed() {
    for (String spec : new String[] {"-j LOG", "-m state --state NEW -j ACCEPT", "! -p tcp -j ACCEPT", "-i a -j DOCKER",
        "-p tcp --dport 80 -j ACCEPT", "-m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP", "-x -j ACCEPT", "-s", "-i a !"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> NftSyntax.statement(rule(FirewallTable.FILTER, "NETFORM-FORWARD", spec, Family.V4)), spec);
      assertTrue(e.getMessage().startsWith("the nftables backend cannot write this rule"), e.getMessage());
    }
  }

  @Test
  void nftsJsonReadsBackAsTheIptablesText() throws Exception {
    String expr = "[{\"match\": {\"op\": \"!=\", \"left\": {\"payload\": {\"protocol\": \"ip6\", \"field\": \"daddr\"}}, "
        + "\"right\": \"::1\"}}, {\"match\": {\"op\": \"==\", \"left\": {\"fib\": {\"result\": \"type\", \"flags\": [\"daddr\"]}}, "
        + "\"right\": \"local\"}}, {\"counter\": {\"packets\": 3, \"bytes\": 180}}, {\"jump\": {\"target\": \"nat-NETFORM-DNAT\"}}]";
    assertEquals(Optional.of("! -d ::1/128 -m addrtype --dst-type LOCAL -j NETFORM-DNAT"),
        NftSyntax.spec(Json.MAPPER.readTree(expr), FirewallTable.NAT, Family.V6));
    String isolation = "[{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"iifname\"}}, \"right\": \"b\"}}, "
        + "{\"match\": {\"op\": \"!\", \"left\": {\"ct\": {\"key\": \"status\"}}, \"right\": \"dnat\"}}, {\"drop\": null}]";
    assertEquals(Optional.of("-i b -m conntrack ! --ctstate DNAT -j DROP"),
        NftSyntax.spec(Json.MAPPER.readTree(isolation), FirewallTable.FILTER, Family.V4));
  }

  /** The flag's negation as nft 1.0 lists it ("!") and as one that keeps the bitwise form prints it. */
  @Test
  void notDnatReadsBackInEitherForm() throws Exception {
    String bitwise = "[{\"match\": {\"op\": \"==\", \"left\": {\"&\": [{\"ct\": {\"key\": \"status\"}}, \"dnat\"]}, "
        + "\"right\": 0}}, {\"drop\": null}]";
    assertEquals(Optional.of("-m conntrack ! --ctstate DNAT -j DROP"),
        NftSyntax.spec(Json.MAPPER.readTree(bitwise), FirewallTable.FILTER, Family.V4));
    assertEquals(Optional.of("-m conntrack --ctstate DNAT -j DROP"),
        NftSyntax.spec(Json.MAPPER.readTree(bitwise.replace("\"==\"", "\"!=\"")), FirewallTable.FILTER, Family.V4));
  }

  @Test
  void whatNetformDoesNotWriteReadsAsNothing() throws Exception {
    for (String expr : new String[] {
        // "!=" on a flag compares every bit: not netform's "not DNAT"
        "[{\"match\": {\"op\": \"!=\", \"left\": {\"ct\": {\"key\": \"status\"}}, \"right\": \"dnat\"}}]",
        // a jump to a chain of another iptables table, or to a chain netform never makes
        "[{\"jump\": {\"target\": \"nat-NETFORM-DNAT\"}}]",
        "[{\"jump\": {\"target\": \"filter-DOCKER\"}}]",
        // an address of the other family, a mark, a log statement
        "[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip6\", \"field\": \"saddr\"}}, \"right\": \"::2\"}}]",
        "[{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"mark\"}}, \"right\": 7}}]",
        "[{\"log\": null}]", "{}"}) {
      assertEquals(Optional.empty(), NftSyntax.spec(Json.MAPPER.readTree(expr), FirewallTable.FILTER, Family.V4), expr);
    }
  }

  @Test
  void chainsAreNamedByTableAndHookedAsIptablesHooksThem() {
    assertEquals("filter-NETFORM-FORWARD", NftSyntax.chain(FirewallTable.FILTER, "NETFORM-FORWARD"));
    assertEquals(Optional.of(new NftSyntax.TableChain(FirewallTable.NAT, "NETFORM-DNAT")), NftSyntax.tableChain("nat-NETFORM-DNAT"));
    assertEquals(Optional.empty(), NftSyntax.tableChain("mangle-PREROUTING"));
    assertEquals(Optional.of("{ type filter hook input priority filter; policy accept; }"),
        NftSyntax.baseChain(FirewallTable.FILTER, "INPUT").map(NftSyntax.BaseChain::declaration));
    assertEquals(Optional.empty(), NftSyntax.baseChain(FirewallTable.FILTER, "NETFORM-FORWARD"));
  }
}
