package io.netform.kernel.firewall;

import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.IpAddress.Family;
import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * nft must be there, and no rules of the iptables backend may be: with both, netform would keep
   * two sets of rules, and the one it no longer reads would stay in force.
   */
  @Override
  public void checkAvailable(Family family) {
    tools.require(NFT);
    read();
    for (Family f : Family.values()) {
      Optional<Path> save = tools.find(IptablesBackend.save(f));
      if (save.isPresent()) {
        TimedProcess.Result r = TimedProcess.run(namespace, save.get(), List.of(), null, timeLimit);
        if (r.exitCode() == 0 && r.out().contains("\n:NETFORM-")) {
          throw mixed(IptablesBackend.save(f).replace("-save", "") + " has netform's chains (NETFORM-*)");
        }
      }
    }
  }

  private NftRuleset read() {
    TimedProcess.Result r = TimedProcess.run(namespace, tools.require(NFT), List.of("-j", "list", "ruleset"), null, timeLimit);
    if (r.exitCode() != 0) {
      throw new FirewallException("nft could not read the firewall: " + r.err().strip());
    }
    NftRuleset parsed = NftRuleset.parse(r.out().isBlank() ? "{\"nftables\":[]}" : r.out());
    if (!parsed.iptablesChains().isEmpty()) {
      throw mixed("the firewall has netform's iptables chains (" + String.join(", ", parsed.iptablesChains().subList(0,
          Math.min(3, parsed.iptablesChains().size()))) + ")");
    }
    return parsed;
  }

  private static FirewallException mixed(String what) {
    return new FirewallException(what + ": this host's netform rules were made with --firewall-backend iptables. Remove "
        + "them with that backend first ('netform destroy --firewall-backend iptables'), then apply with nftables");
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
