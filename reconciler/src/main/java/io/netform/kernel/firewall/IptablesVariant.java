package io.netform.kernel.firewall;

import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nfnetlink;
import io.netform.kernel.netlink.NftTables;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.model.FirewallTable;
import io.netform.net.IpAddress.Family;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The two iptables a host may have, each blind to the other's rules: iptables-nft writes nf_tables
 * tables named as iptables' ({@code ip filter}, {@code ip6 nat}), iptables-legacy writes xtables
 * tables that nft cannot list. Which one {@code iptables} is can change between two runs of
 * netform (update-alternatives), so netform's rules made with the other must be looked for where
 * that one keeps them: iptables-nft's through nf_tables' netlink, iptables-legacy's with its save
 * tool. As elsewhere, they are chains {@code NETFORM-*} holding a rule with netform's comment.
 */
enum IptablesVariant {
  NFT("nft"), LEGACY("legacy");

  private final String suffix;

  IptablesVariant(String suffix) {
    this.suffix = suffix;
  }

  /** The program's name: {@code iptables-nft}, {@code ip6tables-legacy}. */
  String program(Family family) {
    return (family == Family.V6 ? "ip6tables-" : "iptables-") + suffix;
  }

  IptablesVariant other() {
    return this == NFT ? LEGACY : NFT;
  }

  /** netform's rules of this variant, found {@code where} while the other one is the iptables on PATH. */
  OtherBackend.Found found(String where) {
    String as = program(Family.V4) + " as iptables: update-alternatives --set iptables /usr/sbin/" + program(Family.V4)
        + " and --set ip6tables /usr/sbin/" + program(Family.V6);
    return new OtherBackend.Found(where, other().program(Family.V4), program(Family.V4), "'netform destroy' with " + as,
        "with " + as);
  }

  /**
   * The variant a save tool belongs to, by what it says of itself ("iptables-save v1.8.9
   * (nf_tables)"); empty when it says nothing of the kind (then which rules are the other's is not known).
   */
  static Optional<IptablesVariant> of(NetnsHandle namespace, Path saveTool, Duration limit) {
    Optional<IptablesVariant> byProgram = ofProgram(saveTool);
    if (byProgram.isPresent()) {
      return byProgram; // no process: every one-shot command looks
    }
    TimedProcess.Result r = TimedProcess.run(namespace, saveTool, List.of("--version"), null, limit);
    return r.exitCode() == 0 && r.out().contains("tables") ? Optional.of(ofHeader(r.out())) : Optional.empty();
  }

  /**
   * The variant by the program the save tool's links lead to, as iptables 1.8 installs them
   * ({@code iptables-save} → {@code xtables-nft-multi} or {@code xtables-legacy-multi}); empty for
   * any other program (a stand-in, an older iptables), which is then asked.
   */
  static Optional<IptablesVariant> ofProgram(Path saveTool) {
    try {
      String program = saveTool.toRealPath().getFileName().toString();
      return program.equals("xtables-nft-multi") ? Optional.of(NFT)
          : program.equals("xtables-legacy-multi") ? Optional.of(LEGACY) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Before iptables 1.8 there was only the legacy one, whose version says no variant. */
  static IptablesVariant ofHeader(String printed) {
    return printed.lines().findFirst().orElse("").contains("(nf_tables)") ? NFT : LEGACY;
  }

  /** Where netform's rules of {@code family} made with this variant are (for a message), or empty. */
  Optional<String> netformRules(NetnsHandle namespace, Family family, ToolPath tools, Duration limit) {
    return this == NFT ? inNfTables(namespace, family) : inLegacyTables(namespace, family, tools, limit);
  }

  private Optional<String> inNfTables(NetnsHandle namespace, Family family) {
    int nfproto = family == Family.V6 ? NftTables.IP6 : NftTables.IP;
    try (NetlinkSocket socket = namespace.call(Nfnetlink::open)) {
      List<String> tables = NftTables.chains(socket, nfproto).stream()
          .filter(c -> FirewallTable.of(c.table()).isPresent() && c.name().startsWith("NETFORM-"))
          .filter(c -> NftTables.rules(socket, c).stream().anyMatch(r -> r.comment().flatMap(RuleComment::parse).isPresent()))
          .map(c -> (family == Family.V6 ? "ip6 " : "ip ") + c.table()).distinct().toList();
      return tables.isEmpty() ? Optional.empty() : Optional.of(program(family) + " has netform's rules (table "
          + String.join(", ", tables) + ", chains NETFORM-*)");
    } catch (NetlinkException e) {
      return Optional.empty(); // no nf_tables in this kernel: no rules of iptables-nft either
    }
  }

  /**
   * Only where the namespace has legacy tables; read by iptables-legacy-save, or by the save tool
   * on PATH where that one is legacy (iptables before 1.8 has no other). Without either they cannot
   * be read, and nothing is reported: netform could not have made them without one.
   */
  private Optional<String> inLegacyTables(NetnsHandle namespace, Family family, ToolPath tools, Duration limit) {
    if (!legacyTablesInUse(namespace, family)) {
      return Optional.empty();
    }
    String save = IptablesBackend.save(family);
    for (Optional<Path> tool : List.of(tools.find(program(family) + "-save"), tools.find(save))) {
      if (tool.isEmpty()) {
        continue;
      }
      TimedProcess.Result r = TimedProcess.run(namespace, tool.get(), List.of(), null, limit);
      if (r.exitCode() == 0 && ofHeader(r.out()) == LEGACY) {
        return r.out().lines().anyMatch(IptablesVariant::netformLookingRule) ? Optional.of(program(family) + " has netform's rules (chains NETFORM-*)") : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A rule of a chain {@code NETFORM-*} with netform's comment, whether or not its id is the rule's. */
  private static boolean netformLookingRule(String line) {
    return line.startsWith("-A NETFORM-") && (line.contains("--comment " + RuleComment.PREFIX)
        || line.contains("--comment \"" + RuleComment.PREFIX));
  }

  /** Whether the namespace has iptables-legacy tables of the family (ip_tables_names), read by a thread inside it. */
  private static boolean legacyTablesInUse(NetnsHandle namespace, Family family) {
    Path names = Path.of(family == Family.V6 ? "/proc/thread-self/net/ip6_tables_names" : "/proc/thread-self/net/ip_tables_names");
    return namespace.call(() -> {
      try {
        return Files.exists(names) && !Files.readString(names).isBlank();
      } catch (IOException e) {
        return true; // cannot tell: look
      }
    });
  }
}
