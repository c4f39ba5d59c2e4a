package io.netform.kernel.apply;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.desired.SourceMap;
import io.netform.kernel.KernelTest;
import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.ObservedHost;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.plan.Plan;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import io.netform.converge.Outcome;
import io.netform.testing.Hosts;

/** Random sequences of desired-state edits, each applied to a sandbox, always converge to an empty re-plan. */
@KernelTest
class ConvergenceChainProperties {

  /** The desired state being edited, and the sandbox it is applied to. */
  static final class World {
    final Sandbox sandbox;
    final Map<String, Network> networks = new LinkedHashMap<>();
    final Map<String, Container> containers = new LinkedHashMap<>();
    int nextNetwork;
    int nextContainer;

    World(Sandbox sandbox) {
      this.sandbox = sandbox;
    }

    DesiredState desired() {
      return new DesiredState(networks, containers, SourceMap.empty());
    }

    /** Applies the current desired state and checks that the host then re-plans to nothing. */
    void converge(String what) {
      Outcome outcome = Hosts.converge(sandbox.host(), desired());
      assertTrue(outcome.rounds().isEmpty(), () -> "after " + what + " the plan missed: " + outcome.rounds());
      ObservedHost after = new HostObserver(sandbox.host()).observe();
      Plan again = Hosts.plan(desired(), after);
      assertTrue(again.isEmpty(), () -> "after " + what + " the host did not converge: " + again.changes());
    }

    @Override
    public String toString() {
      return "networks " + networks.keySet() + ", containers " + containers.keySet();
    }
  }

  private final List<Sandbox> opened = new ArrayList<>();

  @AfterTry
  void closeSandboxes() {
    opened.forEach(Sandbox::close);
    opened.clear();
  }

  @Provide
  Arbitrary<ActionChain<World>> chains() {
    return ActionChain.<World>startWith(() -> {
      try {
        Sandbox s = Sandbox.create(Files.createTempDirectory("netform-chain"));
        opened.add(s);
        return new World(s);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }).withAction(new AddNetwork()).withAction(new AddContainer()).withAction(new RemoveContainer())
        .withAction(new RemoveNetwork()).withAction(new ToggleIcc()).withAction(new ChangeMtu())
        .withMaxTransformations(7);
  }

  @Property(tries = 12)
  void randomEditsAlwaysConverge(@ForAll("chains") ActionChain<World> chain) {
    chain.run();
  }

  static final class AddNetwork implements Action.Independent<World> {
    @Override
    public Arbitrary<Transformer<World>> transformer() {
      return Arbitraries.of(true, false).flatMap(internal -> Arbitraries.of(true, false).map(icc -> Transformer.mutate(
          "add network (internal " + internal + ", icc " + icc + ")", w -> {
            int n = w.nextNetwork++;
            Cidr subnet = new Cidr(IpAddress.v4(10, 200, n, 0), 24);
            w.networks.put("n" + n, new Network("n" + n, Driver.BRIDGE, Optional.of("nfc" + n), List.of(new IpamPool(subnet,
                Optional.empty(), Optional.empty(), Map.of())), internal, icc, true, 1500, Optional.empty(), false, Map.of(),
                Optional.empty(), false));
            w.converge("adding n" + n);
          })));
    }
  }

  static final class AddContainer implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !w.networks.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      List<String> names = new ArrayList<>(w.networks.keySet());
      return Arbitraries.of(names).set().ofMinSize(1).ofMaxSize(2).flatMap(nets -> Arbitraries.of(true, false).map(port ->
          Transformer.mutate("add container on " + nets + (port ? " with a port" : ""), x -> {
            int c = x.nextContainer++;
            List<Attachment> att = nets.stream().map(Attachment::dynamic).toList();
            List<PortMapping> ports = port ? List.of(new PortMapping(Optional.empty(), 9000 + c, 80, Protocol.TCP)) : List.of();
            x.containers.put("c" + c, new Container("c" + c, NetworkMode.OWN, att, ports, Optional.empty()));
            x.converge("adding c" + c);
          })));
    }
  }

  static final class RemoveContainer implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !w.containers.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(new ArrayList<>(w.containers.keySet())).map(c -> Transformer.mutate("remove " + c, x -> {
        x.containers.remove(c);
        x.converge("removing " + c);
      }));
    }
  }

  static final class RemoveNetwork implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !w.networks.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(new ArrayList<>(w.networks.keySet())).map(n -> Transformer.mutate("remove network " + n, x -> {
        x.networks.remove(n);
        // Containers leave it; one left with no network keeps its namespace in none mode.
        for (Container c : new ArrayList<>(x.containers.values())) {
          List<Attachment> rest = c.attachments().stream().filter(a -> !a.network().equals(n)).toList();
          if (rest.size() != c.attachments().size()) {
            x.containers.put(c.name(), new Container(c.name(), rest.isEmpty() ? NetworkMode.NONE : NetworkMode.OWN, rest,
                rest.isEmpty() ? List.of() : c.ports(), Optional.empty()));
          }
        }
        x.converge("removing " + n);
      }));
    }
  }

  static final class ToggleIcc implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !w.networks.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(new ArrayList<>(w.networks.keySet())).map(n -> Transformer.mutate("toggle icc of " + n, x -> {
        Network o = x.networks.get(n);
        x.networks.put(n, new Network(o.name(), o.driver(), o.bridgeName(), o.pools(), o.internal(), !o.icc(), o.masquerade(),
            o.mtu(), o.hostBindingIpv4(), o.enableIpv6(), o.labels(), o.parent(), o.isDefault()));
        x.converge("toggling icc of " + n);
      }));
    }
  }

  static final class ChangeMtu implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !w.networks.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(new ArrayList<>(w.networks.keySet())).flatMap(n -> Arbitraries.of(1400, 1500, 9000).map(mtu ->
          Transformer.mutate("mtu of " + n + " to " + mtu, x -> {
            Network o = x.networks.get(n);
            x.networks.put(n, new Network(o.name(), o.driver(), o.bridgeName(), o.pools(), o.internal(), o.icc(),
                o.masquerade(), mtu, o.hostBindingIpv4(), o.enableIpv6(), o.labels(), o.parent(), o.isDefault()));
            x.converge("changing the mtu of " + n);
          })));
    }
  }
}
