package io.netform.kernel.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import io.netform.kernel.Namespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.Owner;
import io.netform.net.IpAddress.Family;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class IptablesBackendTest {

  Namespaces ns;
  NetnsHandle host;
  IptablesBackend fw;

  @BeforeEach
  void setUp() throws Exception {
    ns = new Namespaces();
    host = ns.create("fw-host");
    fw = new IptablesBackend(host);
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  private String iptables(String... args) throws Exception {
    return run("iptables", args);
  }

  private String ip6tables(String... args) throws Exception {
    return run("ip6tables", args);
  }

  private String run(String program, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(program));
    cmd.addAll(List.of(args));
    Process p = host.start(new ProcessBuilder(cmd).redirectErrorStream(true));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void compiledIp6tablesRulesReadBackExactly() {
    CompiledRules m = CompiledRules.of("14-ipv6.yaml");
    assertTrue(m.rules().stream().anyMatch(r -> r.family() == Family.V6));
    fw.apply(m.creation());
    FirewallBackend.Observed seen = fw.observe();
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(seen.rules()), "every spec must be in ip6tables-save's own form");
    assertEquals(new HashSet<>(m.chains()), new HashSet<>(seen.chains()));
  }

  /**
   * iptables-nft's changes are announced, so the agent's view keeps the rules it read instead of
   * running both save tools at every observation; a family without any table prints nothing, which
   * must not make it think otherwise.
   */
  @Test
  void nftablesIptablesIsKnownToAnnounceChangesWithRulesOfOneFamilyOnly() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(fw.save().contains("(nf_tables)") || iptablesIsNft(),
        "this machine's iptables writes legacy rules");
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    fw.apply(m.creation());
    assertEquals("", new String(host.start(new ProcessBuilder("ip6tables-save")).getInputStream().readAllBytes()).strip(),
        "no IPv6 table here");
    fw.observe();
    assertTrue(fw.changesAreAnnounced());
  }

  private boolean iptablesIsNft() throws Exception {
    Process p = host.start(new ProcessBuilder("iptables", "--version"));
    return new String(p.getInputStream().readAllBytes()).contains("nf_tables");
  }

  @Test
  void compiledRulesReadBackExactly() {
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    fw.apply(m.creation());
    FirewallBackend.Observed seen = fw.observe();
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(seen.rules()), "every spec must be in iptables-save's own form");
    assertEquals(new HashSet<>(m.chains()), new HashSet<>(seen.chains()));
  }

  @Test
  void tiersOrderTheChainWhateverTheInsertionOrder() {
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    List<FirewallRule> all = m.rules();
    fw.apply(new FirewallBackend.ChangeSet(m.chains(), all.stream().filter(r -> r.tier() >= 3).toList(), List.of(), List.of()));
    fw.apply(new FirewallBackend.ChangeSet(List.of(), all.stream().filter(r -> r.tier() < 3).toList(), List.of(), List.of()));
    List<Integer> tiers = fw.observe().rules().stream().filter(r -> r.chain().equals("NETFORM-FORWARD"))
        .map(FirewallRule::tier).toList();
    List<Integer> sorted = tiers.stream().sorted().toList();
    assertEquals(sorted, tiers, "rules in NETFORM-FORWARD must be in tier order");
  }

  @Test
  void aBrokenChangeSetLeavesTheOldRulesInPlace() {
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    fw.apply(m.creation());
    Set<FirewallRule> before = new HashSet<>(fw.observe().rules());
    FirewallRule broken = new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-i x -j NO-SUCH-TARGET", 1, Owner.HOST);
    FirewallRule fine = new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-i y -j ACCEPT", 1, Owner.HOST);
    FirewallException e = assertThrows(FirewallException.class, () -> fw.apply(new FirewallBackend.ChangeSet(List.of(),
        List.of(fine, broken), List.of(m.rules().get(0)), List.of())));
    assertTrue(e.getMessage().contains("nothing was applied"), e.getMessage());
    assertEquals(before, new HashSet<>(fw.observe().rules()), "atomic: neither the delete nor the good insert happened");
  }

  @Test
  void foreignRulesAreNeverReportedOrTouched() throws Exception {
    iptables("-N", "DOCKER-USER");
    iptables("-A", "DOCKER-USER", "-j", "RETURN");
    iptables("-A", "FORWARD", "-j", "DOCKER-USER");
    iptables("-A", "FORWARD", "-i", "eth9", "-m", "comment", "--comment", "user rule", "-j", "ACCEPT");
    CompiledRules m = CompiledRules.of("09-tomcat-mysql-ports.yaml");
    fw.apply(m.creation());
    FirewallBackend.Observed seen = fw.observe();
    assertTrue(seen.rules().stream().allMatch(r -> m.rules().contains(r)), "only netform's rules are reported");
    assertTrue(seen.chains().stream().allMatch(c -> c.name().startsWith("NETFORM-")));
    fw.apply(m.removal());
    String after = iptables("-S");
    assertTrue(after.contains("-A FORWARD -j DOCKER-USER"), after);
    assertTrue(after.contains("-A FORWARD -i eth9 -m comment --comment \"user rule\" -j ACCEPT"), after);
    assertTrue(after.contains("-A DOCKER-USER -j RETURN"), after);
    assertTrue(!after.contains("NETFORM"), after);
  }

  @Test
  void applyingTheSameRulesAgainChangesNothing() {
    CompiledRules m = CompiledRules.of("05-internal-bridge.yaml");
    fw.apply(m.creation());
    String first = fw.save().replaceAll("(?m)^#.*$", "");
    Set<FirewallRule> seen = new HashSet<>(fw.observe().rules());
    List<FirewallRule> missing = m.rules().stream().filter(r -> !seen.contains(r)).toList();
    assertTrue(missing.isEmpty(), () -> "not read back: " + missing);
    fw.apply(new FirewallBackend.ChangeSet(List.of(), List.of(), List.of(), List.of()));
    assertEquals(first, fw.save().replaceAll("(?m)^#.*$", ""));
  }

  @Test
  void aForeignRuleLeftInANetformChainIsNeverFlushedWithIt() throws Exception {
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    fw.apply(m.creation());
    iptables("-A", "NETFORM-FORWARD", "-i", "eth9", "-j", "ACCEPT");
    FirewallException e = assertThrows(FirewallException.class,
        () -> fw.apply(m.removal()));
    assertTrue(e.getMessage().contains("nothing was applied"), e.getMessage());
    String after = iptables("-S");
    assertTrue(after.contains("-A NETFORM-FORWARD -i eth9 -j ACCEPT"), "the foreign rule stays:\n" + after);
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(fw.observe().rules()), "and so does everything else");
  }

  /**
   * netform's comment copied onto someone's rule does not make it netform's: its id is not the
   * rule's. Such a rule is never planned away (netform could not even name it to iptables-restore,
   * which made every apply fail), and netform's own rules are made and removed around it.
   */
  @Test
  void aRuleWithAForgedCommentIsSomeoneElses() throws Exception {
    iptables("-A", "INPUT", "-s", "10.7.7.7/32", "-m", "comment", "--comment", "netform:3333333333333333:0:host", "-j", "DROP");
    assertEquals(List.of(), fw.observe().rules(), "nothing of netform's on the host");
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    fw.apply(m.creation());
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(fw.observe().rules()));
    fw.apply(m.removal());
    assertEquals(List.of(), fw.observe().rules());
    assertTrue(iptables("-S").contains("-A INPUT -s 10.7.7.7/32 -m comment --comment \"netform:3333333333333333:0:host\" -j DROP"),
        "the forged rule stays:\n" + iptables("-S"));
  }

  /** A directory holding {@code name} as a shell script with {@code body}. */
  static Path tool(Path dir, String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  @Test
  void withoutIptablesSaveTheRulesCannotBeReadAndObservingSaysSo() throws Exception {
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    fw.apply(m.creation());
    Path empty = Files.createTempDirectory("netform-no-tools");
    IptablesBackend blind = new IptablesBackend(host, ToolPath.of(empty.toString()), Duration.ofSeconds(10));
    FirewallException e = assertThrows(FirewallException.class, blind::observe, "never 'no rules' when there are rules");
    assertTrue(e.getMessage().startsWith("iptables-save is not installed (not found in " + empty + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install -y iptables"), e.getMessage());
  }

  @Test
  void aHangingRestoreIsStoppedWithWhatItStartedAndReported() throws Exception {
    Path dir = Files.createTempDirectory("netform-hanging-tools");
    Path pid = dir.resolve("sleeper.pid");
    tool(dir, "iptables-save", "echo '# Generated by a stand-in'");
    // The sleep is a child of the script: stopping the script alone would leave it holding the output pipe.
    tool(dir, "iptables-restore", "sleep 30 & echo $! > " + pid + "; wait");
    IptablesBackend hanging = new IptablesBackend(host, ToolPath.of(dir.toString()), Duration.ofSeconds(1));
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    FirewallException e = assertThrows(FirewallException.class,
        () -> hanging.apply(m.creation()));
    assertTrue(e.getMessage().startsWith("iptables-restore did not finish within 1 s and was stopped (another program may "
        + "hold the xtables lock)"), e.getMessage());
    ProcessHandle sleeper = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElse(null);
    if (sleeper != null) {
      sleeper.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS); // killed: reaped by init in a moment
    }
  }

  /** One rule and chain of the same text in each family: two objects, each written by and read from its own tool. */
  @Test
  void eachFamilyIsWrittenWithItsOwnToolAndReadBack() throws Exception {
    List<FirewallChain> chains = new java.util.ArrayList<>();
    List<FirewallRule> rules = new java.util.ArrayList<>();
    for (Family f : Family.values()) {
      chains.add(new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST, f));
      rules.add(new FirewallRule(FirewallTable.NAT, "PREROUTING", "-m addrtype --dst-type LOCAL -j NETFORM-DNAT", 0,
          Owner.HOST, f));
    }
    rules.add(new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT",
        "-d 2001:db8::1/128 -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd00::2]:80", 0, Owner.container("web"),
        Family.V6));
    fw.apply(new FirewallBackend.ChangeSet(chains, rules, List.of(), List.of()));
    FirewallBackend.Observed seen = fw.observe();
    assertEquals(new HashSet<>(rules), new HashSet<>(seen.rules()));
    assertEquals(new HashSet<>(chains), new HashSet<>(seen.chains()));
    assertTrue(ip6tables("-t", "nat", "-S").contains("--to-destination [fd00::2]:80"));
    assertTrue(!iptables("-t", "nat", "-S").contains("fd00::2"), "nothing of IPv6 in iptables");
    fw.apply(new FirewallBackend.ChangeSet(List.of(), List.of(), rules.subList(1, 3), chains.subList(1, 2)));
    assertEquals(Set.of(rules.get(0)), new HashSet<>(fw.observe().rules()), "IPv6's removed, IPv4's copy kept");
  }

  /** Hosts without IPv6 networks need no ip6tables: without it, IPv4 works and IPv6 is refused before any change. */
  @Test
  void withoutIp6tablesIpv4IsReadAndIpv6IsRefusedBeforehand() throws Exception {
    Path dir = Files.createTempDirectory("netform-iptables-only");
    for (String t : List.of("iptables-save", "iptables-restore")) {
      Files.createSymbolicLink(dir.resolve(t), ToolPath.fromEnvironment().find(t).orElseThrow());
    }
    IptablesBackend v4only = new IptablesBackend(host, ToolPath.of(dir.toString()), Duration.ofSeconds(30));
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    v4only.checkAvailable();
    v4only.apply(m.creation());
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(v4only.observe().rules()));
    FirewallException e = assertThrows(FirewallException.class, () -> v4only.checkAvailable(Family.V6));
    assertTrue(e.getMessage().startsWith("ip6tables-save is not installed"), e.getMessage());
  }

  /**
   * Without nft, netform's nftables rules cannot be read, but its table can be seen through the
   * kernel: the iptables backend does not make a second set of rules beside it unseen.
   */
  @Test
  void withoutNftNetformsNftablesTableIsStillSeen() throws Exception {
    Path dir = Files.createTempDirectory("netform-iptables-only");
    for (String t : List.of("iptables-save", "iptables-restore", "ip6tables-save", "ip6tables-restore")) {
      Files.createSymbolicLink(dir.resolve(t), ToolPath.fromEnvironment().find(t).orElseThrow());
    }
    IptablesBackend withoutNft = new IptablesBackend(host, ToolPath.of(dir.toString()), Duration.ofSeconds(30));
    withoutNft.checkAlone(true, false); // nothing of nftables' yet: fine
    CompiledRules m = CompiledRules.of("08-icc-off.yaml");
    new NftablesBackend(host).apply(m.creation());
    IptablesBackend fresh = new IptablesBackend(host, ToolPath.of(dir.toString()), Duration.ofSeconds(30));
    FirewallException e = assertThrows(FirewallException.class, () -> fresh.checkAlone(true, false));
    assertTrue(e.getMessage().startsWith("nftables has netform's table ip netform, whose rules cannot be read here: nft "
        + "is not installed"), e.getMessage());
    new NftablesBackend(host).apply(m.removal());
    new IptablesBackend(host, ToolPath.of(dir.toString()), Duration.ofSeconds(30)).checkAlone(true, false);
  }

  /**
   * A search path whose iptables tools are those of one {@code variant} ({@code legacy},
   * {@code nft}), as on a host whose alternatives point there.
   */
  static ToolPath iptablesTools(String variant) throws Exception {
    Path dir = Files.createTempDirectory("netform-iptables-" + variant);
    for (String t : List.of("iptables-save", "iptables-restore", "ip6tables-save", "ip6tables-restore")) {
      Files.createSymbolicLink(dir.resolve(t), Path.of("/usr/sbin", t.replace("tables-", "tables-" + variant + "-")));
    }
    return new ToolPath(List.of(dir, Path.of("/usr/sbin"), Path.of("/usr/bin")));
  }

  /**
   * Each iptables sees only its own rules: netform's made with iptables-legacy are invisible to
   * iptables-nft's save and the other way round. Whichever is on PATH now, the other one's rules of
   * netform are found, and an operation that would make a second set (or remove nothing while they
   * stay) is refused, naming them and how to switch back.
   */
  @Test
  void netformsRulesMadeWithTheOtherIptablesAreSeen() throws Exception {
    assumeIptablesNftOnPath();
    CompiledRules m = CompiledRules.of("14-ipv6.yaml");
    IptablesBackend legacy = new IptablesBackend(host, iptablesTools("legacy"), Duration.ofSeconds(30));
    legacy.checkAlone(true, false);
    legacy.apply(m.creation());
    assertEquals(new HashSet<>(m.rules()), new HashSet<>(legacy.observe().rules()));
    assertEquals(List.of(), fw.observe().rules(), "iptables-nft does not see them");
    FirewallException e = assertThrows(FirewallException.class, () -> fw.checkAlone(true, false));
    assertTrue(e.getMessage().startsWith("iptables-legacy has netform's rules (chains NETFORM-*): this host's netform rules "
        + "were made with iptables-legacy. Keep using it, or remove them with it first ('netform destroy' with "
        + "iptables-legacy as iptables: update-alternatives --set iptables /usr/sbin/iptables-legacy and --set ip6tables "
        + "/usr/sbin/ip6tables-legacy), then use iptables-nft"), e.getMessage());
    e = assertThrows(FirewallException.class, () -> new IptablesBackend(host).checkAlone(false, false));
    assertTrue(e.getMessage().endsWith(", and iptables-nft holds none of netform's to remove: run the command with "
        + "iptables-legacy as iptables: update-alternatives --set iptables /usr/sbin/iptables-legacy and --set ip6tables "
        + "/usr/sbin/ip6tables-legacy"), e.getMessage());
    legacy.checkAlone(true, true); // the legacy one's own: nothing of iptables-nft's
    legacy.apply(m.removal());
    new IptablesBackend(host).checkAlone(true, false);

    fw.apply(m.creation()); // and the other way round
    IptablesBackend legacyNow = new IptablesBackend(host, iptablesTools("legacy"), Duration.ofSeconds(30));
    e = assertThrows(FirewallException.class, () -> legacyNow.checkAlone(true, false));
    assertTrue(e.getMessage().startsWith("iptables-nft has netform's rules (table ip filter, ip nat, chains NETFORM-*): "
        + "this host's netform rules were made with iptables-nft. Keep using it"), e.getMessage());
    fw.checkAlone(true, true);
  }

  /** Only the ip6tables of iptables-legacy held netform's rules: they are found too. */
  @Test
  void netformsIpv6RulesMadeWithTheOtherIptablesAreSeen() throws Exception {
    assumeIptablesNftOnPath();
    FirewallChain chain = new FirewallChain(FirewallTable.NAT, "NETFORM-DNAT", Owner.HOST, Family.V6);
    FirewallRule rule = new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT",
        "-d 2001:db8::1/128 -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd00::2]:80", 0, Owner.container("web"),
        Family.V6);
    new IptablesBackend(host, iptablesTools("legacy"), Duration.ofSeconds(30))
        .apply(new FirewallBackend.ChangeSet(List.of(chain), List.of(rule), List.of(), List.of()));
    FirewallException e = assertThrows(FirewallException.class, () -> fw.checkAlone(true, false));
    assertTrue(e.getMessage().startsWith("ip6tables-legacy has netform's rules (chains NETFORM-*)"), e.getMessage());
  }

  private void assumeIptablesNftOnPath() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(iptablesIsNft() && Files.isExecutable(Path.of("/usr/sbin/iptables-legacy-save")),
        "needs iptables-nft on PATH and iptables-legacy beside it");
  }
}
