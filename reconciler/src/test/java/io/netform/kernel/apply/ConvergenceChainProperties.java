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
        .withAction(new ToggleFlag()).withAction(new RenameBridge()).withAction(new SetStaticAddress())
        .withAction(new SetMac()).withAction(new FlipGatewayPriority()).withAction(new TogglePort())
        .withAction(new MoveContainer())
        .withMaxTransformations(8);
  }

  @Property(tries = 16)
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

  /** Replaces network {@code n} with {@code edit} applied, and converges. */
  static void editNetwork(World w, String n, String what, java.util.function.UnaryOperator<Network> edit) {
    w.networks.put(n, edit.apply(w.networks.get(n)));
    w.converge(what);
  }

  /** Replaces container {@code c}'s attachments with {@code edit} applied to each, and converges. */
  static void editAttachments(World w, String c, String what, java.util.function.UnaryOperator<Attachment> edit) {
    Container o = w.containers.get(c);
    w.containers.put(c, new Container(o.name(), o.mode(), o.attachments().stream().map(edit).toList(), o.ports(),
        o.namespacePath()));
    w.converge(what);
  }

  static Network with(Network o, boolean internal, boolean masquerade, Optional<String> bridgeName) {
    return new Network(o.name(), o.driver(), bridgeName, o.pools(), internal, o.icc(), masquerade, o.mtu(),
        o.hostBindingIpv4(), o.enableIpv6(), o.labels(), o.parent(), o.isDefault());
  }

  static Attachment with(Attachment a, Optional<IpAddress> v4, Optional<io.netform.net.MacAddress> mac, int priority) {
    return new Attachment(a.network(), v4, a.ipv6Address(), mac, a.aliases(), priority);
  }

  /** Containers with at least {@code attachments} networks. */
  static List<String> containersWith(World w, int attachments) {
    return w.containers.values().stream().filter(c -> c.attachments().size() >= attachments).map(Container::name).toList();
  }

  static final class ToggleFlag implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !w.networks.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(new ArrayList<>(w.networks.keySet())).flatMap(n -> Arbitraries.of("internal", "masquerade")
          .map(flag -> Transformer.mutate("toggle " + flag + " of " + n, x -> editNetwork(x, n, "toggling " + flag + " of " + n,
              o -> flag.equals("internal") ? with(o, !o.internal(), o.masquerade(), o.bridgeName())
                  : with(o, o.internal(), !o.masquerade(), o.bridgeName())))));
    }
  }

  static final class RenameBridge implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !w.networks.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(new ArrayList<>(w.networks.keySet())).map(n -> Transformer.mutate("rename the bridge of " + n,
          x -> editNetwork(x, n, "renaming the bridge of " + n, o -> with(o, o.internal(), o.masquerade(),
              Optional.of(o.bridgeName().orElse("").startsWith("nfc") ? "nfr" + n : "nfc" + n)))));
    }
  }

  static final class SetStaticAddress implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !containersWith(w, 1).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(containersWith(w, 1)).flatMap(c -> Arbitraries.integers().between(100, 103).map(host ->
          Transformer.mutate("static addresses for " + c + " (." + host + ")", x -> editAttachments(x, c,
              "giving " + c + " static addresses", a -> {
                Cidr subnet = x.networks.get(a.network()).pools().get(0).subnet();
                // unique per container and network: .100-.103 plus 4 x the container's number
                int offset = host + 4 * Integer.parseInt(c.substring(1));
                return with(a, Optional.of(subnet.first().plus(offset)), a.macAddress(), a.gwPriority());
              }))));
    }
  }

  static final class SetMac implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !containersWith(w, 1).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(containersWith(w, 1)).flatMap(c -> Arbitraries.integers().between(1, 200).map(b ->
          Transformer.mutate("a MAC for " + c, x -> editAttachments(x, c, "giving " + c + " a MAC", a -> with(a,
              a.ipv4Address(), Optional.of(io.netform.net.MacAddress.parse(String.format("02:aa:%02x:%02x:00:%02x",
                  Integer.parseInt(c.substring(1)), b, Integer.parseInt(a.network().substring(1))))), a.gwPriority())))));
    }
  }

  static final class FlipGatewayPriority implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !containersWith(w, 2).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(containersWith(w, 2)).map(c -> Transformer.mutate("flip the gateway priority of " + c, x -> {
        Container o = x.containers.get(c);
        String last = o.attachments().get(o.attachments().size() - 1).network();
        editAttachments(x, c, "flipping the gateway priority of " + c, a -> with(a, a.ipv4Address(), a.macAddress(),
            a.network().equals(last) && a.gwPriority() == 0 ? 10 : 0));
      }));
    }
  }

  static final class TogglePort implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !containersWith(w, 1).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(containersWith(w, 1)).map(c -> Transformer.mutate("toggle a port of " + c, x -> {
        Container o = x.containers.get(c);
        List<PortMapping> ports = o.ports().isEmpty()
            ? List.of(new PortMapping(Optional.empty(), 9500 + Integer.parseInt(c.substring(1)), 80, Protocol.UDP)) : List.of();
        x.containers.put(c, new Container(o.name(), o.mode(), o.attachments(), ports, o.namespacePath()));
        x.converge("toggling a port of " + c);
      }));
    }
  }

  static final class MoveContainer implements Action.Dependent<World> {
    @Override
    public boolean precondition(World w) {
      return !containersWith(w, 1).isEmpty() && w.networks.size() >= 2;
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World w) {
      return Arbitraries.of(containersWith(w, 1)).flatMap(c -> Arbitraries.of(new ArrayList<>(w.networks.keySet())).map(n ->
          Transformer.mutate("move " + c + " to " + n, x -> {
            Container o = x.containers.get(c);
            x.containers.put(c, new Container(o.name(), NetworkMode.OWN, List.of(Attachment.dynamic(n)), o.ports(),
                o.namespacePath()));
            x.converge("moving " + c + " to " + n);
          })));
    }
  }
}
