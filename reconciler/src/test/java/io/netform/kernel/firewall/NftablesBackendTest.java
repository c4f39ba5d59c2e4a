package io.netform.kernel.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.ForeignRule;
import io.netform.model.Owner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The nftables backend against the real nft and kernel, in a namespace of its own. */
@KernelTest
class NftablesBackendTest {

  Namespaces ns;
  NetnsHandle host;
  NftablesBackend fw;

  @BeforeEach
  void setUp() throws Exception {
    ns = new Namespaces();
    host = ns.create("nft-host");
    fw = new NftablesBackend(host);
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  private String run(String... command) throws Exception {
    Process p = host.start(new ProcessBuilder(command).redirectErrorStream(true));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  private void create(CompiledRules m) {
    fw.apply(m.creation());
  }

  @Test
  void everyRuleOfBothFamiliesReadsBackAsItselfAndTheTablesGoWithTheLast() throws Exception {
    for (String example : List.of("09-tomcat-mysql-ports.yaml", "14-ipv6.yaml", "08-icc-off.yaml")) {
      CompiledRules m = CompiledRules.of(example);
      create(m);
      FirewallBackend.Observed seen = fw.observe();
      assertEquals(new HashSet<>(m.rules()), new HashSet<>(seen.rules()), example);
      assertEquals(new HashSet<>(m.chains()), new HashSet<>(seen.chains()), example);
      assertEquals(List.of(), seen.foreign());
      fw.apply(m.removal());
      assertEquals("", run("nft", "list", "tables").strip(), example + ": nothing of netform's is left");
    }
  }

  @Test
  void theRulesAreWhereIptablesWouldHookThem() throws Exception {
    create(CompiledRules.of("09-tomcat-mysql-ports.yaml"));
    String listed = run("nft", "list", "table", "ip", "netform");
    for (String expected : List.of("chain filter-FORWARD {\n\t\ttype filter hook forward priority filter; policy accept;",
        "chain nat-PREROUTING {\n\t\ttype nat hook prerouting priority dstnat; policy accept;",
        "chain nat-OUTPUT {\n\t\ttype nat hook output priority -100; policy accept;",
        "chain nat-POSTROUTING {\n\t\ttype nat hook postrouting priority srcnat; policy accept;",
        "chain raw-PREROUTING {\n\t\ttype filter hook prerouting priority raw; policy accept;",
        "fib daddr type local counter packets 0 bytes 0 jump nat-NETFORM-DNAT comment \"netform:")) {
      assertTrue(listed.contains(expected), expected + " in\n" + listed);
    }
  }

  @Test
  void tiersOrderTheChainAndAddingARuleMovesNoOther() throws Exception {
    List<FirewallRule> all = CompiledRules.of("08-icc-off.yaml").rules();
    List<FirewallChain> chains = CompiledRules.of("08-icc-off.yaml").chains();
    fw.apply(new FirewallBackend.ChangeSet(chains, all.stream().filter(r -> r.tier() >= 3).toList(), List.of(), List.of()));
    String handlesBefore = handles();
    fw.apply(new FirewallBackend.ChangeSet(List.of(), all.stream().filter(r -> r.tier() < 3).toList(), List.of(), List.of()));
    List<Integer> tiers = fw.observe().rules().stream().filter(r -> r.chain().equals("NETFORM-FORWARD"))
        .map(FirewallRule::tier).toList();
    assertEquals(tiers.stream().sorted().toList(), tiers, "rules in NETFORM-FORWARD in tier order");
    assertTrue(tiers.contains(1) && tiers.contains(3), tiers.toString());
    List<String> after = List.of(handles().split("\n"));
    for (String h : handlesBefore.split("\n")) {
      assertTrue(after.contains(h), "the rule with " + h + " is still there, not replaced");
    }
  }

  /** The handles of the rules in netform's tables, one per line. */
  private String handles() throws Exception {
    return String.join("\n", run("nft", "-a", "list", "ruleset").lines().filter(l -> l.contains("comment \"netform:"))
        .map(l -> l.substring(l.lastIndexOf("# handle"))).toList());
  }

  @Test
  void aBrokenChangeSetChangesNothingInEitherFamily() throws Exception {
    CompiledRules m = CompiledRules.of("14-ipv6.yaml");
    create(m);
    String before = run("nft", "list", "ruleset");
    FirewallRule fine = new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-i y -j ACCEPT", 1, Owner.HOST);
    FirewallRule broken = new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-i x -j NETFORM-NO-SUCH-CHAIN", 1,
        Owner.HOST, io.netform.net.IpAddress.Family.V6);
    FirewallException e = assertThrows(FirewallException.class, () -> fw.apply(new FirewallBackend.ChangeSet(List.of(),
        List.of(fine, broken), List.of(m.rules().get(0)), List.of())));
    assertTrue(e.getMessage().startsWith("nft refused the change (nothing was applied)"), e.getMessage());
    assertEquals(before, run("nft", "list", "ruleset"), "one transaction: neither the IPv4 insert nor the delete happened");
  }

  /**
   * A rule someone changed under netform's comment is not the one netform made, and, as in
   * iptables, not netform's: it is foreign (kept, and reported in netform's chain), and netform
   * makes its own rule again beside it.
   */
  @Test
  void aRuleSomeoneChangedUnderItsCommentIsForeignAndNetformsIsMadeAgain() throws Exception {
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    create(m);
    FirewallRule masquerade = m.rules().stream().filter(r -> r.spec().endsWith("-j MASQUERADE") && r.spec().contains("! -o"))
        .findFirst().orElseThrow();
    String line = run("nft", "-a", "list", "chain", "ip", "netform", "nat-NETFORM-POSTROUTING").lines()
        .filter(l -> l.contains(masquerade.id())).findFirst().orElseThrow();
    String handle = line.substring(line.lastIndexOf(' ') + 1);
    run("nft", "replace", "rule", "ip", "netform", "nat-NETFORM-POSTROUTING", "handle", handle, "ip", "saddr", "10.99.0.0/16",
        "meta", "mark", "7", "masquerade", "comment", "\"" + RuleComment.of(masquerade) + "\"");
    FirewallBackend.Observed seen = fw.observe();
    assertFalse(seen.rules().contains(masquerade), "the changed rule is not the one netform made");
    assertTrue(seen.rules().stream().noneMatch(r -> r.spec().contains("10.99.0.0/16")), "nor any rule of netform's");
    ForeignRule changed = seen.foreign().stream().filter(r -> r.spec().contains("10.99.0.0/16")).findFirst().orElseThrow();
    assertEquals(List.of("NETFORM-POSTROUTING", handle), List.of(changed.chain(), String.valueOf(changed.nftHandle())));
    fw.apply(new FirewallBackend.ChangeSet(List.of(), List.of(masquerade), List.of(), List.of()));
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(fw.observe().rules()));
    assertTrue(run("nft", "list", "chain", "ip", "netform", "nat-NETFORM-POSTROUTING").contains("10.99.0.0/16"),
        "the changed one stays");
  }

  /**
   * The comment of one of netform's rules copied onto someone's rule in netform's own table does
   * not make it netform's (its id is not that rule's): it is foreign, kept when netform's rules
   * go, and the chain holding it stays.
   */
  @Test
  void aRuleWithAForgedCommentInNetformsTableIsSomeoneElses() throws Exception {
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    create(m);
    FirewallRule copied = m.rules().stream().filter(r -> r.chain().equals("NETFORM-FORWARD")).findFirst().orElseThrow();
    run("nft", "add", "rule", "ip", "netform", "filter-NETFORM-FORWARD", "iifname", "eth9", "accept", "comment",
        "\"" + RuleComment.of(copied) + "\"");
    FirewallBackend.Observed seen = fw.observe();
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(seen.rules()), "only netform's own rules are netform's");
    assertEquals(List.of("-i eth9 -j ACCEPT"), seen.foreign().stream().map(ForeignRule::spec).toList());
    List<FirewallRule> forward = m.rules().stream().filter(r -> r.chain().equals("NETFORM-FORWARD")).toList();
    fw.apply(new FirewallBackend.ChangeSet(List.of(), List.of(), forward, List.of()));
    assertTrue(run("nft", "list", "chain", "ip", "netform", "filter-NETFORM-FORWARD").contains("iifname \"eth9\" accept"),
        "the forged rule stays");
    assertEquals(List.of(), fw.observe().rules().stream().filter(r -> r.chain().equals("NETFORM-FORWARD")).toList());
  }

  @Test
  void aForeignRuleInNetformsTableIsReportedWithHowToDeleteItAndKept() throws Exception {
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    create(m);
    run("nft", "add", "rule", "ip", "netform", "filter-NETFORM-FORWARD", "iifname", "eth9", "accept");
    List<ForeignRule> foreign = fw.observe().foreign();
    assertEquals(1, foreign.size(), foreign.toString());
    ForeignRule f = foreign.get(0);
    assertEquals(List.of(FirewallTable.FILTER, "NETFORM-FORWARD", "-i eth9 -j ACCEPT"), List.of(f.table(), f.chain(), f.spec()));
    assertTrue(f.deleteCommand().startsWith("nft delete rule ip netform filter-NETFORM-FORWARD handle "), f.deleteCommand());
    // netform's rules go, the foreign one stays; the chain holding it cannot go, and nft refuses the whole change.
    List<FirewallRule> forward = m.rules().stream().filter(r -> r.chain().equals("NETFORM-FORWARD")).toList();
    fw.apply(new FirewallBackend.ChangeSet(List.of(), List.of(), forward, List.of()));
    assertTrue(run("nft", "list", "chain", "ip", "netform", "filter-NETFORM-FORWARD").contains("iifname \"eth9\" accept"));
    FirewallChain chain = m.chains().stream().filter(c -> c.name().equals("NETFORM-FORWARD")).findFirst().orElseThrow();
    assertThrows(FirewallException.class, () -> fw.apply(new FirewallBackend.ChangeSet(List.of(), List.of(), List.of(),
        List.of(chain))));
    run("sh", "-c", f.deleteCommand());
    assertEquals(List.of(), fw.observe().foreign(), "the command netform gives deletes exactly it");
  }

  @Test
  void otherTablesAreNeverRead() throws Exception {
    run("nft", "add", "table", "inet", "filter");
    run("nft", "add", "chain", "inet", "filter", "input", "{ type filter hook input priority 0; policy accept; }");
    run("nft", "add", "rule", "inet", "filter", "input", "tcp", "dport", "22", "accept", "comment", "\"netform:x:0:host\"");
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    create(m);
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(fw.observe().rules()), "a netform comment elsewhere is not netform's");
    fw.apply(m.removal());
    assertEquals("table inet filter", run("nft", "list", "tables").strip());
  }

  @Test
  void iptablesRulesOfNetformAndNftablesTablesOfNetformExcludeEachOtherButEitherCanBeRemoved() throws Exception {
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    IptablesBackend iptables = new IptablesBackend(host);
    iptables.apply(m.creation());
    FirewallException e = assertThrows(FirewallException.class, () -> fw.checkAlone(true, false));
    assertTrue(e.getMessage().contains("made with --firewall-backend iptables. Keep using it, or remove them with it first ('netform destroy --firewall-backend iptables'), then use nftables"), e.getMessage());
    // A destroy (or rollback) with the wrong backend would remove none of netform's rules and say complete.
    e = assertThrows(FirewallException.class, () -> fw.checkAlone(false, false));
    assertTrue(e.getMessage().endsWith("and nftables holds none of netform's to remove: run the command with "
        + "--firewall-backend iptables"), e.getMessage());
    create(m); // as a host handled before these checks could have both
    e = assertThrows(FirewallException.class, () -> iptables.checkAlone(true, true));
    assertTrue(e.getMessage().startsWith("nftables has netform's rules (table ip netform)"), e.getMessage());
    // With both, each backend may remove its own.
    fw.checkAlone(false, true);
    iptables.checkAlone(false, true);
    iptables.apply(m.removal());
    fw.apply(m.removal());
    assertEquals("", run("nft", "list", "tables").strip().replaceAll("table ip (filter|nat|raw)\\s*", ""));
  }

  /**
   * netform's iptables rules are found whichever iptables made them: iptables-legacy's (which nft
   * cannot list, and iptables-nft's save does not show) and iptables-nft's (which iptables-legacy's
   * save does not show, where PATH's iptables is the legacy one).
   */
  @Test
  void netformsIptablesRulesOfEitherIptablesAreSeen() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables-legacy-save")),
        "needs iptables-legacy");
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    ToolPath legacyPath = IptablesBackendTest.iptablesTools("legacy");
    IptablesBackend legacy = new IptablesBackend(host, legacyPath, Duration.ofSeconds(30));
    legacy.apply(m.creation());
    FirewallException e = assertThrows(FirewallException.class, () -> fw.checkAlone(true, false));
    assertTrue(e.getMessage().startsWith("iptables-legacy has netform's rules (chains NETFORM-*): this host's netform rules "
        + "were made with --firewall-backend iptables"), e.getMessage());
    legacy.apply(m.removal());
    new NftablesBackend(host).checkAlone(true, false);

    new IptablesBackend(host, IptablesBackendTest.iptablesTools("nft"), Duration.ofSeconds(30)).apply(m.creation());
    assertTrue(run("iptables-nft-save").contains("-A NETFORM-FORWARD"), "made with iptables-nft");
    NftablesBackend legacyOnPath = new NftablesBackend(host, legacyPath, Duration.ofSeconds(30));
    e = assertThrows(FirewallException.class, () -> legacyOnPath.checkAlone(true, false));
    assertTrue(e.getMessage().startsWith("iptables-nft has netform's rules (table ip filter, ip nat, chains NETFORM-*)"),
        e.getMessage());
  }

  @Test
  void aChainNamedLikeNetformsWithoutItsRulesIsNoReasonToRefuse() throws Exception {
    run("iptables", "-N", "NETFORM-SOMEONE");
    run("iptables", "-A", "NETFORM-SOMEONE", "-j", "ACCEPT");
    fw.checkAlone(true, false);
    run("nft", "add", "table", "ip", "netform");
    run("nft", "add", "chain", "ip", "netform", "mine");
    new IptablesBackend(host).checkAlone(true, false);
  }

  @Test
  void aBaseChainSomeoneChangedIsMadeAgainWithNetformsRules() throws Exception {
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    create(m);
    run("nft", "flush", "chain", "ip", "netform", "filter-FORWARD");
    run("nft", "delete", "chain", "ip", "netform", "filter-FORWARD");
    run("nft", "add", "chain", "ip", "netform", "filter-FORWARD", "{ type filter hook forward priority 10; policy drop; }");
    run("nft", "add", "rule", "ip", "netform", "filter-FORWARD", "jump", "filter-NETFORM-FORWARD", "comment",
        "\"" + RuleComment.of(m.rules().stream().filter(r -> r.chain().equals("FORWARD")).findFirst().orElseThrow()) + "\"");
    List<FirewallRule> seen = fw.observe().rules();
    List<FirewallRule> missing = m.rules().stream().filter(r -> !seen.contains(r)).toList();
    assertEquals(List.of("FORWARD"), missing.stream().map(FirewallRule::chain).toList(), "its jump is not read as in force");
    fw.apply(new FirewallBackend.ChangeSet(List.of(), missing, List.of(), List.of()));
    assertTrue(run("nft", "list", "chain", "ip", "netform", "filter-FORWARD")
        .contains("type filter hook forward priority filter; policy accept;"));
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(fw.observe().rules()));
  }

  @Test
  void whatElseIsInNetformsTableKeepsItAndAGotoIsSeenAsNeedingItsChain() throws Exception {
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    create(m);
    run("nft", "add", "set", "ip", "netform", "allowed", "{ type ipv4_addr; }");
    run("nft", "add", "rule", "ip", "netform", "filter-FORWARD", "iifname", "eth7", "goto", "filter-NETFORM-FORWARD");
    List<ForeignRule> foreign = fw.observe().foreign();
    assertEquals(List.of(java.util.Optional.of("NETFORM-FORWARD")), foreign.stream().map(ForeignRule::target).toList());
    fw.apply(new FirewallBackend.ChangeSet(List.of(), List.of(), m.rules(), List.of()));
    assertTrue(run("nft", "list", "table", "ip", "netform").contains("set allowed"), "someone's set is kept, and its table");
  }

  @Test
  void withoutNftTheErrorSaysWhatToInstall() {
    NftablesBackend none = new NftablesBackend(host, new ToolPath(List.of(Path.of("/nonexistent"))), Duration.ofSeconds(5));
    FirewallException e = assertThrows(FirewallException.class, none::observe);
    assertTrue(e.getMessage().contains("nft is not installed") && e.getMessage().contains("apt-get install -y nftables"),
        e.getMessage());
  }

  @Test
  void eachKindOpensItsBackendAndNftablesAnnouncesItsChanges() {
    assertTrue(FirewallKind.NFTABLES.open(host) instanceof NftablesBackend);
    assertTrue(FirewallKind.IPTABLES.open(host) instanceof IptablesBackend);
    assertTrue(fw.changesAreAnnounced(), "every nftables change is announced, so the agent may keep what it read");
  }
}
