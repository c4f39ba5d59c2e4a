package io.netform.compile;

import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Fleet;
import io.netform.desired.Network;
import io.netform.diagnostics.Diagnostic;
import io.netform.fleet.LocalState;
import io.netform.fleet.OverlayWiring;
import io.netform.ipam.Allocation;
import io.netform.ipam.AllocationResult;
import io.netform.ipam.Allocator;
import io.netform.ipam.HostAddressSpace;
import io.netform.ipam.ObservedAllocation;
import io.netform.ipam.ObservedPorts;
import io.netform.ipam.PortAllocator;
import io.netform.model.HostModel;
import io.netform.model.HostResolvers;
import io.netform.model.ObservedHost;
import io.netform.validate.ExternalNetworkPorts;
import io.netform.validate.HostRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Desired state to target model against a given host: host ports netform chooses and addresses
 * stay sticky to what the host has, and automatic subnets avoid the host's own routes and addresses (known in a live plan or
 * from a snapshot); {@code problems} also holds what the host says of the desired state (warnings
 * included).
 */
public record TargetState(HostModel model, List<Diagnostic> problems) {

  public static TargetState against(DesiredState written, ObservedHost host) {
    return against(LocalState.of(written), host);
  }

  /** One host's share of a multi-host desired state against that host (see LocalState). */
  public static TargetState against(LocalState local, ObservedHost host) {
    return against(local, host, new LastModel());
  }

  /**
   * The model last compiled for one goal, given again while what it was compiled from is equal:
   * a goal is met again and again (after each round of changes, at every poll of an agent), and
   * between two of those the allocation rarely changes, while compiling a host of a thousand
   * containers (their name files included) is most of a plan's time.
   */
  public static final class LastModel {

    /**
     * What a model is compiled from. The desired state's source map (where each value was written)
     * is left out: the compiler never reads it, and a state with dynamic ports is made anew, with
     * a new source map, each time its ports are chosen.
     */
    private record Inputs(Map<String, Network> networks, Map<String, Container> containers, Fleet fleet,
        Allocation allocation, OverlayWiring overlay, HostResolvers resolvers) {}

    private Inputs inputs;
    private HostModel model;

    synchronized HostModel of(DesiredState desired, Allocation allocation, OverlayWiring overlay, HostResolvers resolvers) {
      Inputs now = new Inputs(desired.networks(), desired.containers(), desired.fleet(), allocation, overlay, resolvers);
      if (model == null || !now.equals(inputs)) { // a record's equality: identity first, then each part's
        model = TargetCompiler.compile(desired, allocation, overlay, resolvers);
        inputs = now;
      }
      return model;
    }
  }

  /** As {@link #against(LocalState, ObservedHost)}, reusing {@code last}'s model where nothing it depends on changed. */
  public static TargetState against(LocalState local, ObservedHost host, LastModel last) {
    DesiredState written = local.state();
    PortAllocator.Result ports = PortAllocator.allocate(written, () -> ObservedPorts.from(host.owned()));
    DesiredState desired = ports.state();
    AllocationResult allocation = Allocator.allocate(desired, ObservedAllocation.from(host.owned(), desired),
        HostAddressSpace.of(host.foreign()));
    HostModel model = last.of(desired, allocation.allocation(), local.overlay(), host.foreign().names().resolvers());
    List<Diagnostic> problems = new ArrayList<>(ports.problems());
    problems.addAll(allocation.problems());
    problems.addAll(HostRules.check(desired, host, model));
    problems.addAll(ExternalNetworkPorts.check(desired, model));
    return new TargetState(model, List.copyOf(problems));
  }
}
