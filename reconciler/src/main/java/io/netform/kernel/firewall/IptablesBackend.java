package io.netform.kernel.firewall;

import io.netform.kernel.netns.NetnsHandle;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * iptables through {@code iptables-save} and {@code iptables-restore --noflush}, run inside the
 * target namespace. One restore per change set: the kernel applies it as one transaction, so a
 * broken change set leaves the old rules in place. Only netform's chains are declared (declaring
 * an existing chain would flush it) and rules are deleted by their exact text, so foreign rules
 * and counters of untouched rules are never disturbed. A new rule goes before the first rule of a
 * higher tier, so inserting it moves no other netform rule relative to its tier.
 */
public final class IptablesBackend implements FirewallBackend {

  private static final long TIMEOUT_SECONDS = 60;

  private final NetnsHandle namespace;

  public IptablesBackend(NetnsHandle namespace) {
    this.namespace = namespace;
  }

  /** Without iptables installed there can be no netform rules: observing says so instead of failing. */
  @Override
  public Observed observe() {
    if (!installed()) {
      return new Observed(java.util.List.of(), java.util.List.of());
    }
    IptablesSave.Parsed p = IptablesSave.parse(save());
    return new Observed(p.chains(), p.rules());
  }

  static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "iptables-save"))) {
        return true;
      }
    }
    return false;
  }

  String save() {
    return run(List.of("iptables-save"), null);
  }

  @Override
  public void apply(ChangeSet changes) {
    if (changes.isEmpty()) {
      return;
    }
    String script = restoreScript(changes, IptablesSave.parse(save()).chainTiers());
    run(List.of("iptables-restore", "--noflush", "--wait"), script);
  }

  /** The restore input: deletions first, then chain creations, then ordered insertions; one COMMIT per table. */
  static String restoreScript(ChangeSet changes, Map<String, List<Optional<Integer>>> current) {
    StringBuilder sb = new StringBuilder();
    for (FirewallTable table : FirewallTable.values()) {
      StringBuilder body = new StringBuilder();
      for (FirewallChain c : changes.createChains()) {
        if (c.table() == table) {
          body.append(':').append(c.name()).append(" - [0:0]\n");
        }
      }
      for (FirewallRule r : changes.deleteRules()) {
        if (r.table() == table) {
          body.append("-D ").append(r.chain()).append(' ').append(withComment(r)).append('\n');
          removeOne(current.get(table.text() + "/" + r.chain()), r.tier());
        }
      }
      List<FirewallRule> creates = new ArrayList<>(changes.createRules().stream().filter(r -> r.table() == table).toList());
      creates.sort(Comparator.comparing(FirewallRule::chain).thenComparingInt(FirewallRule::tier));
      for (FirewallRule r : creates) {
        List<Optional<Integer>> chain = current.computeIfAbsent(table.text() + "/" + r.chain(), k -> new ArrayList<>());
        int position = insertPosition(chain, r, r.chain().startsWith("NETFORM-"));
        chain.add(position, Optional.of(r.tier()));
        body.append("-I ").append(r.chain()).append(' ').append(position + 1).append(' ').append(withComment(r)).append('\n');
      }
      for (FirewallChain c : changes.deleteChains()) {
        if (c.table() == table) {
          body.append("-F ").append(c.name()).append('\n').append("-X ").append(c.name()).append('\n');
        }
      }
      if (body.length() > 0) {
        sb.append('*').append(table.text()).append('\n').append(body).append("COMMIT\n");
      }
    }
    return sb.toString();
  }

  /**
   * In netform's chains: before the first rule of a higher tier. In built-in chains (jumps):
   * first, ahead of foreign rules, so the host's own policy cannot shadow netform's networks.
   */
  private static int insertPosition(List<Optional<Integer>> chain, FirewallRule rule, boolean ownChain) {
    if (!ownChain) {
      return 0;
    }
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i).orElse(Integer.MAX_VALUE) > rule.tier()) {
        return i;
      }
    }
    return chain.size();
  }

  private static void removeOne(List<Optional<Integer>> chain, int tier) {
    if (chain != null) {
      chain.remove(Optional.of(tier));
    }
  }

  /** iptables-save prints the comment match before the target; write it the same way. */
  static String withComment(FirewallRule r) {
    String comment = "-m comment --comment \"" + RuleComment.of(r) + "\"";
    int target = r.spec().lastIndexOf(" -j ");
    if (r.spec().startsWith("-j ")) {
      return comment + " " + r.spec();
    }
    return target < 0 ? r.spec() + " " + comment : r.spec().substring(0, target) + " " + comment + r.spec().substring(target);
  }

  private String run(List<String> command, String input) {
    Process p;
    try {
      p = namespace.start(new ProcessBuilder(command).redirectErrorStream(false));
    } catch (RuntimeException e) {
      throw new FirewallException("cannot run " + command.get(0) + ": " + rootMessage(e)
          + " (install iptables: apt-get install -y iptables)");
    }
    try {
      if (input != null) {
        try (OutputStream in = p.getOutputStream()) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      } else {
        p.getOutputStream().close();
      }
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new FirewallException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new FirewallException(command.get(0) + " refused the change (nothing was applied): "
            + new String(err, StandardCharsets.UTF_8).strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FirewallException("talking to " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FirewallException("interrupted while running " + command.get(0));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
