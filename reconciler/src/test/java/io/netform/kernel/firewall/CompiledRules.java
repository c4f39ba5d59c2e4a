package io.netform.kernel.firewall;

import io.netform.compile.TargetCompiler;
import io.netform.ipam.Allocation;
import io.netform.ipam.Allocator;
import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.HostModel;
import io.netform.testing.RepoFiles;
import io.netform.validate.DesiredStateCheck;
import java.util.List;

/** The firewall chains and rules netform compiles from an example: what the backends' tests write and read back. */
record CompiledRules(List<FirewallChain> chains, List<FirewallRule> rules) {

  static CompiledRules of(String example) {
    var c = DesiredStateCheck.run(List.of(RepoFiles.examples().resolve(example)));
    HostModel m = TargetCompiler.compile(c.state(), Allocator.allocate(c.state(), Allocation.none()).allocation());
    return new CompiledRules(
        m.objects().values().stream().filter(o -> o instanceof FirewallChain).map(o -> (FirewallChain) o).toList(),
        m.objects().values().stream().filter(o -> o instanceof FirewallRule).map(o -> (FirewallRule) o).toList());
  }

  FirewallBackend.ChangeSet creation() {
    return new FirewallBackend.ChangeSet(chains, rules, List.of(), List.of());
  }

  FirewallBackend.ChangeSet removal() {
    return new FirewallBackend.ChangeSet(List.of(), List.of(), rules, chains);
  }
}
