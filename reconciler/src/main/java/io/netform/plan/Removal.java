package io.netform.plan;

import io.netform.desired.NameSettings.Link;
import io.netform.model.AddressObject;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import io.netform.model.Owner;
import io.netform.names.ContainerFiles;
import io.netform.names.NameRecord;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The target of a destroy: what netform owns, less what the destroyed owners own, and what named them. */
public final class Removal {

  private Removal() {}

  /**
   * What stays: objects of other owners, and host-wide ones while any network or container object
   * stays. The hosts files that stay no longer list the destroyed containers: their links' lines go.
   */
  public static HostModel remaining(HostModel owned, Set<Owner> destroyed) {
    Map<String, Gone> gone = destroyedContainers(owned, destroyed);
    List<KernelObject> kept = owned.objects().values().stream()
        .filter(o -> o.owner().kind() != Owner.Kind.HOST && !destroyed.contains(o.owner()))
        .map(o -> withoutLinksTo(gone, owned, o)).toList();
    if (kept.isEmpty()) {
      return HostModel.empty();
    }
    List<KernelObject> withHost = new ArrayList<>(kept);
    owned.objects().values().stream().filter(o -> o.owner().kind() == Owner.Kind.HOST).forEach(withHost::add);
    return HostModel.of(withHost);
  }

  /** A destroyed container as a link to it wrote it in a hosts file: at one of its addresses, by its host name. */
  private record Gone(Set<IpAddress> addresses, String hostname) {}

  /** Each destroyed container: its addresses in its namespace and as its name record lists them; its record's host name. */
  private static Map<String, Gone> destroyedContainers(HostModel owned, Set<Owner> destroyed) {
    Map<String, Set<IpAddress>> addresses = new HashMap<>();
    Map<String, String> hostnames = new HashMap<>();
    for (KernelObject o : owned.objects().values()) {
      if (o.owner().kind() != Owner.Kind.CONTAINER || !destroyed.contains(o.owner())) {
        continue;
      }
      Set<IpAddress> mine = addresses.computeIfAbsent(o.owner().name(), c -> new HashSet<>());
      if (o instanceof AddressObject a) {
        mine.add(a.address().address());
      } else if (o instanceof NameFileObject f && f.file() == NameFileObject.Kind.RECORD) {
        NameRecord record = NameRecord.parse(f.container(), f.content());
        record.endpoints().forEach(e -> {
          e.ipv4().ifPresent(mine::add);
          e.ipv6().ifPresent(mine::add);
        });
        record.settings().hostname().ifPresent(h -> hostnames.put(o.owner().name(), h));
      }
    }
    Map<String, Gone> out = new HashMap<>();
    addresses.forEach((c, a) -> out.put(c, new Gone(a, hostnames.getOrDefault(c, c))));
    return out;
  }

  /**
   * A kept hosts file without the lines its container's links (as its name record lists them) wrote
   * for the {@code gone} containers; its extra hosts' lines stay, whatever names they give.
   */
  private static KernelObject withoutLinksTo(Map<String, Gone> gone, HostModel owned, KernelObject o) {
    if (!(o instanceof NameFileObject f) || f.file() != NameFileObject.Kind.HOSTS) {
      return o;
    }
    NameFileObject recordFile = new NameFileObject(f.container(), NameFileObject.Kind.RECORD, "", f.owner());
    Optional<NameRecord> record = owned.get(recordFile.key()).filter(NameFileObject.class::isInstance)
        .map(r -> NameRecord.parse(f.container(), ((NameFileObject) r).content()));
    String content = f.content();
    for (Link link : record.map(r -> r.settings().links()).orElse(List.of())) {
      Gone g = gone.get(link.container());
      if (g != null) {
        List<String> names = ContainerFiles.linkNames(link.alias(), g.hostname(), link.container());
        content = ContainerFiles.hostsWithoutLink(content, g.addresses(), names);
      }
    }
    return new NameFileObject(f.container(), f.file(), content, f.owner());
  }

  /**
   * What stays of {@code now} when the objects a failed apply created are taken away again: every
   * object that was there {@code before} (as it is now), and nothing else.
   */
  public static HostModel undoCreations(HostModel before, HostModel now) {
    List<KernelObject> kept = now.objects().values().stream().filter(o -> before.get(o.key()).isPresent()).toList();
    return HostModel.of(kept);
  }
}
