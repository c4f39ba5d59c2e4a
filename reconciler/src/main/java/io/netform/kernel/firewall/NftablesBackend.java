package io.netform.kernel.firewall;

import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.IpAddress.Family;
import io.netform.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * nftables through {@code nft}, run inside the target namespace: netform's rules live in tables of
 * its own ({@code ip netform}, {@code ip6 netform}), which it alone changes, so nothing it does
 * can touch another program's rules (Docker's, firewalld's, the user's). Both families change in
 * one {@code nft -f} transaction. The rules are the iptables backend's, written in nft's words
 * ({@link NftSyntax}) and marked with the same comments.
 *
 * <p>A verdict in one table is not final for the others: a packet netform's table accepts still
 * passes every other table at that hook, so a host whose own firewall drops forwarded traffic
 * (iptables' FORWARD policy DROP, as Docker sets it) drops it for netform's networks too
 * (docs/firewall.md).
 */
public final class NftablesBackend implements FirewallBackend {

  static final String NFT = "nft";

  private final NetnsHandle namespace;
  private final ToolPath tools;
  private final Duration timeLimit;

  public NftablesBackend(NetnsHandle namespace) {
    this(namespace, ToolPath.fromEnvironment(), IptablesBackend.DEFAULT_TIME_LIMIT);
  }

  public NftablesBackend(NetnsHandle namespace, ToolPath tools, Duration timeLimit) {
    this.namespace = namespace;
    this.tools = tools;
    this.timeLimit = timeLimit;
  }

  @Override
  public Observed observe() {
    NftRuleset r = read();
    return new Observed(r.chains(), r.rules(), r.foreign());
  }

  /** nftables announces every change to its rules on its netlink group. */
  @Override
  public boolean changesAreAnnounced() {
    return true;
  }

  @Override
  public void checkAvailable(Family family) {
    tools.require(NFT);
  }

  private final OtherBackend iptables = new OtherBackend(FirewallKind.NFTABLES, FirewallKind.IPTABLES, this::iptablesRules);

  @Override
  public void checkAlone(boolean keepsRules, boolean holdsRules) {
    iptables.check(keepsRules, holdsRules);
  }

  /**
   * Where netform's iptables rules are: chains {@code NETFORM-*} holding a rule with netform's
   * comment, in {@code iptables-save} or {@code ip6tables-save}. Those tools are run only where such
   * rules could be (a chain of that name in iptables-nft's tables, or legacy tables in use), so on
   * most hosts this costs one listing of chain names.
   */
  private Optional<String> iptablesRules() {
    boolean suspect = items(run("list", "chains")).stream().map(i -> i.path("chain"))
        .anyMatch(c -> c.path("name").asString("").startsWith("NETFORM-")) || legacyTablesInUse();
    if (!suspect) {
      return Optional.empty();
    }
    for (Family f : Family.values()) {
      Optional<Path> save = tools.find(IptablesBackend.save(f));
      if (save.isPresent()) {
        TimedProcess.Result r = TimedProcess.run(namespace, save.get(), List.of(), null, timeLimit);
        boolean netforms = r.exitCode() == 0 && r.out().lines()
            .anyMatch(l -> l.startsWith("-A NETFORM-") && l.contains("--comment " + RuleComment.PREFIX)
                || l.startsWith("-A NETFORM-") && l.contains("--comment \"" + RuleComment.PREFIX));
        if (netforms) {
          return Optional.of(IptablesBackend.save(f).replace("-save", "") + " has netform's rules (chains NETFORM-*)");
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the namespace has iptables-legacy tables (whose rules nft cannot list); read by a thread inside it. */
  private boolean legacyTablesInUse() {
    return namespace.call(() -> Stream.of("/proc/thread-self/net/ip_tables_names", "/proc/thread-self/net/ip6_tables_names")
        .map(Path::of).anyMatch(f -> {
          try {
            return Files.exists(f) && !Files.readString(f).isBlank();
          } catch (java.io.IOException e) {
            return true; // cannot tell: look
          }
        }));
  }

  /** netform's tables, read: the families whose table exists, then each table. */
  private NftRuleset read() {
    List<String> tables = new ArrayList<>();
    List<JsonNode> existing = items(run("list", "tables")).stream().map(i -> i.path("table")).toList();
    for (Family f : Family.values()) {
      String family = NftSyntax.family(f);
      if (existing.stream().anyMatch(t -> t.path("family").asString("").equals(family)
          && t.path("name").asString("").equals(NftSyntax.TABLE))) {
        tables.add(run("list", "table", family, NftSyntax.TABLE));
      }
    }
    return NftRuleset.parse(tables);
  }

  private static List<JsonNode> items(String json) {
    try {
      List<JsonNode> out = new ArrayList<>();
      Json.MAPPER.readTree(json).path("nftables").forEach(out::add);
      return out;
    } catch (JacksonException e) {
      throw new FirewallException("nft printed what is not JSON: " + e.getOriginalMessage());
    }
  }

  /** {@code nft -j ARGS}, one JSON object per line as nft prints it, or an error saying what nft said. */
  private String run(String... args) {
    List<String> command = new ArrayList<>(List.of("-j"));
    command.addAll(List.of(args));
    TimedProcess.Result r = TimedProcess.run(namespace, tools.require(NFT), command, null, timeLimit);
    if (r.exitCode() != 0) {
      throw new FirewallException("nft could not read the firewall (nft " + String.join(" ", command) + "): "
          + r.err().strip());
    }
    return r.out().isBlank() ? "{\"nftables\": []}" : r.out();
  }

  /** All changes, both families, in one nft transaction: every change takes effect or none does. */
  @Override
  public void apply(ChangeSet changes) {
    if (changes.isEmpty()) {
      return;
    }
    String script = NftScript.of(changes, read());
    int rules = changes.createRules().size() + changes.deleteRules().size();
    Duration limit = timeLimit.plus(IptablesBackend.ALLOWANCE_PER_RULE.multipliedBy(rules));
    TimedProcess.Result r = TimedProcess.run(namespace, tools.require(NFT), List.of("-f", "-"), script, limit);
    if (r.exitCode() != 0) {
      throw new FirewallException("nft refused the change (nothing was applied): " + r.err().strip());
    }
  }
}
