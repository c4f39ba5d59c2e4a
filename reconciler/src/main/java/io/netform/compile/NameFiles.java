package io.netform.compile;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.NameSettings;
import io.netform.desired.NameSettings.ExtraHost;
import io.netform.desired.NameSettings.Link;
import io.netform.desired.NetworkMode;
import io.netform.fleet.OverlayWiring;
import io.netform.ipam.PoolAllocation;
import io.netform.model.NameFileObject;
import io.netform.model.Owner;
import io.netform.names.ContainerFiles;
import io.netform.names.ContainerFiles.HostsLine;
import io.netform.names.FileMark;
import io.netform.model.HostResolvers;
import io.netform.names.NameRecord;
import io.netform.names.NameScope;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The name files of each container with a namespace of its own (a pure function, a step of the
 * compiler): its name record (with the containers on other hosts of its overlay networks), and for a namespace netform creates its resolv.conf and hosts, as
 * Docker writes them (docs/dns.md). A container joined to another's namespace has its record only.
 */
final class NameFiles {

  private NameFiles() {}

  static List<NameFileObject> compile(DesiredState desired, Map<String, List<Endpoint>> endpointsByContainer,
      Map<String, PrimaryNetwork> primaryByContainer, OverlayWiring overlay, HostResolvers resolvers) {
    List<NameFileObject> out = new ArrayList<>();
    // The remote containers of an overlay network are written into one local record only (the
    // first local container's on it): the name service serves them to every container on the
    // network, and a list per local container would make the records grow as local x remote.
    Map<String, String> carrierOf = new java.util.HashMap<>();
    for (Container c : desired.containers().values()) {
      for (Endpoint e : endpointsByContainer.getOrDefault(c.name(), List.of())) {
        carrierOf.putIfAbsent(e.network().name(), c.name());
      }
    }
    for (Container c : desired.containers().values()) {
      String namespace = desired.namespaceOf(c);
      if (c.mode() instanceof NetworkMode.JoinContainer && !namespace.isEmpty()) {
        // It uses the files of the container whose namespace it shares; its record is what the host holds of it.
        Owner owner = Owner.container(c.name());
        out.add(new NameFileObject(c.name(), NameFileObject.Kind.RECORD,
            FileMark.file(owner, NameRecord.joining(c.name(), namespace, c.names()).body()), owner));
        continue;
      }
      if (!(c.mode() instanceof NetworkMode.Own) && !(c.mode() instanceof NetworkMode.None)) {
        continue; // a container in the host's namespace uses the host's files
      }
      List<Endpoint> endpoints = endpointsByContainer.getOrDefault(c.name(), List.of());
      List<NameRecord.Endpoint> recorded = new ArrayList<>();
      for (Endpoint e : endpoints) {
        recorded.add(new NameRecord.Endpoint(e.network().name(), Optional.of(e.allocation().ipv4()), e.allocation().ipv6(),
            aliases(c, e), NameScope.servesNames(desired, e.network())));
      }
      boolean created = c.namespacePath().isEmpty();
      Owner owner = Owner.container(c.name());
      List<Endpoint> carried = endpoints.stream().filter(e -> c.name().equals(carrierOf.get(e.network().name()))).toList();
      List<NameRecord.Remote> remotes = remotes(desired, carried, overlay);
      boolean served = created && recorded.stream().anyMatch(NameRecord.Endpoint::named);
      NameRecord record = new NameRecord(c.name(), served, recorded, c.names(), remotes);
      out.add(new NameFileObject(c.name(), NameFileObject.Kind.RECORD, FileMark.file(owner, record.body()), owner));
      if (!created) {
        continue; // an adopted namespace's /etc is its owner's
      }
      out.add(new NameFileObject(c.name(), NameFileObject.Kind.RESOLV_CONF,
          FileMark.file(owner, ContainerFiles.resolvConf(served, c.names(), resolvers)), owner));
      String hosts = ContainerFiles.hosts(hostname(c), ownAddresses(desired, endpoints),
          extraHosts(c, primaryByContainer.get(c.name())), links(desired, c, endpointsByContainer));
      out.add(new NameFileObject(c.name(), NameFileObject.Kind.HOSTS, FileMark.file(owner, hosts), owner));
    }
    return out;
  }

  /** The containers on other hosts of the container's overlay networks (the host knows them from the commit). */
  private static List<NameRecord.Remote> remotes(DesiredState desired, List<Endpoint> endpoints, OverlayWiring overlay) {
    List<NameRecord.Remote> out = new ArrayList<>();
    for (Endpoint e : endpoints) {
      for (OverlayWiring.Segment s : overlay.segments()) {
        if (s.network().equals(e.network().name()) && NameScope.servesNames(desired, e.network())) {
          s.remotes().forEach(r -> out.add(new NameRecord.Remote(s.network(), r.container(), r.address(), r.aliases(),
              r.host())));
        }
      }
    }
    return out;
  }

  private static List<String> aliases(Container c, Endpoint e) {
    return c.attachments().stream().filter(a -> a.network().equals(e.network().name())).findFirst()
        .map(Attachment::aliases).orElse(List.of());
  }

  static String hostname(Container c) {
    return c.names().hostname().orElse(c.name());
  }

  /** The container's addresses for its own hosts-file lines: not on the gateway bridge, as Docker's getEtcHostsAddrs. */
  private static List<IpAddress> ownAddresses(DesiredState desired, List<Endpoint> endpoints) {
    List<Endpoint> listed = endpoints.stream().filter(e -> !desired.isGatewayBridge(e.network())).toList();
    List<IpAddress> out = new ArrayList<>();
    listed.forEach(e -> out.add(e.allocation().ipv4()));
    listed.forEach(e -> e.allocation().ipv6().ifPresent(out::add));
    return out;
  }

  /** host-gateway: the gateway of the network that carries the default route, the host's address there. */
  private static List<HostsLine> extraHosts(Container c, PrimaryNetwork primary) {
    Optional<IpAddress> gateway = Optional.ofNullable(primary).flatMap(PrimaryNetwork::ipv4)
        .flatMap(Endpoint::ipv4Pool).map(PoolAllocation::gateway);
    List<HostsLine> out = new ArrayList<>();
    for (ExtraHost e : c.names().extraHosts()) {
      e.address().or(() -> gateway).ifPresent(ip -> out.add(new HostsLine(ip, List.of(e.name()))));
    }
    return out;
  }

  /**
   * Docker's --link on the default network: the linked container's alias, host name and name at its
   * address there. Links between containers on other networks are served by the embedded DNS.
   */
  private static List<HostsLine> links(DesiredState desired, Container c, Map<String, List<Endpoint>> endpoints) {
    List<HostsLine> out = new ArrayList<>();
    for (Link link : c.names().links()) {
      Container target = desired.containers().get(link.container());
      if (target == null) {
        continue;
      }
      for (Endpoint mine : endpoints.getOrDefault(c.name(), List.of())) {
        if (!mine.network().isDefault()) {
          continue; // not on the gateway bridge either, where no one has names
        }
        endpoints.getOrDefault(target.name(), List.of()).stream()
            .filter(theirs -> theirs.network().name().equals(mine.network().name())).findFirst()
            .ifPresent(theirs -> out.add(new HostsLine(theirs.allocation().ipv4(),
                ContainerFiles.linkNames(link.alias(), hostname(target), target.name()))));
      }
    }
    return out;
  }

}
