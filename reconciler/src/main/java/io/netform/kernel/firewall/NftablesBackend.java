package io.netform.kernel.firewall;

import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nfnetlink;
import io.netform.kernel.netlink.NftTables;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.IpAddress.Family;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  private final OtherBackend iptables = new OtherBackend(this::iptablesRules);

  @Override
  public void checkAlone(boolean keepsRules, boolean holdsRules) {
    iptables.check(keepsRules, holdsRules);
  }

  /**
   * Where netform's iptables rules are, made with either iptables ({@link IptablesVariant}):
   * iptables-nft's are read through nf_tables' netlink, iptables-legacy's with its save tool only
   * where legacy tables are in use, so on most hosts this starts no process.
   */
  private Optional<OtherBackend.Found> iptablesRules() {
    for (Family f : Family.values()) {
      for (IptablesVariant variant : IptablesVariant.values()) {
        Optional<String> where = variant.netformRules(namespace, f, tools, timeLimit);
        if (where.isPresent()) {
          return Optional.of(OtherBackend.Found.backend(where.get(), FirewallKind.NFTABLES, FirewallKind.IPTABLES));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * netform's tables, read: the families whose table exists (listed through netlink, as every
   * observation asks it: no process for that), then each table with nft, whose JSON gives the rules.
   */
  private NftRuleset read() {
    Path nft = tools.require(NFT);
    List<NftTables.Table> existing;
    try (NetlinkSocket socket = namespace.call(Nfnetlink::open)) {
      existing = NftTables.list(socket);
    } catch (NetlinkException e) {
      throw new FirewallException("nftables could not be read (is nf_tables in this kernel?): " + e.getMessage());
    }
    List<String> tables = new ArrayList<>();
    for (Family f : Family.values()) {
      int family = f == Family.V6 ? NftTables.IP6 : NftTables.IP;
      if (existing.contains(new NftTables.Table(family, NftSyntax.TABLE))) {
        tables.add(run(nft, "list", "table", NftSyntax.family(f), NftSyntax.TABLE));
      }
    }
    return NftRuleset.parse(tables);
  }

  /** {@code nft -j ARGS}, one JSON object per line as nft prints it, or an error saying what nft said. */
  private String run(Path nft, String... args) {
    List<String> command = new ArrayList<>(List.of("-j"));
    command.addAll(List.of(args));
    TimedProcess.Result r = TimedProcess.run(namespace, nft, command, null, timeLimit);
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
