package io.netform.kernel.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.firewall.IptablesSave.Slot;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.Owner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The restore input: what each line does, and that none of them costs a walk it does not need. */
class RestoreScriptTest {

  static final FirewallChain DNAT = new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST);

  static FirewallRule dnat(int port) {
    return new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT", "-p tcp -m tcp --dport " + port
        + " -j DNAT --to-destination 10.0.0.2:" + port, 0, Owner.container("c"));
  }

  static FirewallRule forward(String spec, int tier) {
    return new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", spec, tier, Owner.network("n"));
  }

  static Slot slot(FirewallRule r) {
    return new Slot(Optional.of(r.spec()), r.tier());
  }

  static List<String> lines(String script, String prefix) {
    return script.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void aNewChainIsFilledByAppendingNeverByInsertingAtAPosition() {
    List<FirewallRule> rules = IntStream.rangeClosed(1, 1000).mapToObj(RestoreScriptTest::dnat).toList();
    String script = RestoreScript.of(new FirewallBackend.ChangeSet(List.of(DNAT), rules, List.of(), List.of()), Map.of());
    assertEquals(1000, lines(script, "-A NETFORM-DNAT ").size(), script.substring(0, 300));
    assertTrue(lines(script, "-I ").isEmpty(), "no -I N: iptables walks to position N for each");
  }

  @Test
  void rulesAreDeletedInTheOrderTheChainHoldsThem() {
    List<FirewallRule> inChain = IntStream.rangeClosed(1, 50).mapToObj(RestoreScriptTest::dnat).toList();
    List<FirewallRule> shuffled = new ArrayList<>(inChain);
    java.util.Collections.shuffle(shuffled, new java.util.Random(13));
    Map<String, List<Slot>> current = Map.of("nat/NETFORM-DNAT", inChain.stream().map(RestoreScriptTest::slot).toList());
    String script = RestoreScript.of(new FirewallBackend.ChangeSet(List.of(), List.of(), shuffled, List.of(DNAT)), current);
    assertEquals(inChain.stream().map(r -> "-D NETFORM-DNAT " + RestoreScript.withComment(r)).toList(),
        lines(script, "-D "), "iptables compares from the head of the chain: in order, the first rule matches");
  }

  @Test
  void aChainIsDeletedWithoutBeingFlushed() {
    String script = RestoreScript.of(new FirewallBackend.ChangeSet(List.of(), List.of(), List.of(dnat(80)), List.of(DNAT)),
        Map.of("nat/NETFORM-DNAT", List.of(slot(dnat(80)), Slot.foreign())));
    assertTrue(lines(script, "-F").isEmpty(), "a flush would remove the foreign rule too:\n" + script);
    assertEquals(List.of("-X NETFORM-DNAT"), lines(script, "-X"));
  }

  @Test
  void aRuleGoesBeforeTheFirstRuleOfAHigherTierAndAfterTheRest() {
    FirewallRule established = forward("-o b -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", 1);
    FirewallRule icc = forward("-i b -o b -j ACCEPT", 3);
    FirewallRule egress = forward("-i b ! -o b -j ACCEPT", 4);
    FirewallRule published = forward("-d 10.0.0.2/32 ! -i b -o b -p tcp -m tcp --dport 80 -j ACCEPT", 2);
    FirewallRule published2 = forward("-d 10.0.0.3/32 ! -i b -o b -p tcp -m tcp --dport 80 -j ACCEPT", 2);
    FirewallRule last = forward("-i c ! -o c -j ACCEPT", 4);
    Map<String, List<Slot>> current = new HashMap<>();
    current.put("filter/NETFORM-FORWARD", List.of(slot(established), slot(icc), slot(egress)));
    String script = RestoreScript.of(new FirewallBackend.ChangeSet(List.of(), List.of(last, published2, published),
        List.of(), List.of()), current);
    List<String> inserts = script.lines().filter(l -> l.startsWith("-I ") || l.startsWith("-A ")).toList();
    assertEquals(List.of("-I NETFORM-FORWARD 2 " + RestoreScript.withComment(published2),
        "-I NETFORM-FORWARD 3 " + RestoreScript.withComment(published),
        "-A NETFORM-FORWARD " + RestoreScript.withComment(last)), inserts);
  }

  @Test
  void aForeignRuleInANetformChainStaysLastAndJumpsGoFirstInBuiltInChains() {
    FirewallRule jump = new FirewallRule(FirewallTable.FILTER, "FORWARD", "-j NETFORM-FORWARD", 0, Owner.HOST);
    FirewallRule mine = forward("-i b ! -o b -j ACCEPT", 4);
    Map<String, List<Slot>> current = Map.of("filter/NETFORM-FORWARD", List.of(Slot.foreign()),
        "filter/FORWARD", List.of(Slot.foreign(), Slot.foreign()));
    String script = RestoreScript.of(new FirewallBackend.ChangeSet(List.of(), List.of(mine, jump), List.of(), List.of()),
        current);
    assertEquals(List.of("-I FORWARD 1 " + RestoreScript.withComment(jump),
        "-I NETFORM-FORWARD 1 " + RestoreScript.withComment(mine)), lines(script, "-I "));
  }
}
