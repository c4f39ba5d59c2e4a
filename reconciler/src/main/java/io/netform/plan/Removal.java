package io.netform.plan;

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
import java.util.Set;

/** The target of a destroy: what netform owns, less what the destroyed owners own, and what named them. */
public final class Removal {

  private Removal() {}

  /**
   * What stays: objects of other owners, and host-wide ones while any network or container object
   * stays. The hosts files that stay no longer list the destroyed containers (their links' lines).
   */
  public static HostModel remaining(HostModel owned, Set<Owner> destroyed) {
    Map<String, Set<IpAddress>> gone = destroyedAddresses(owned, destroyed);
    List<KernelObject> kept = owned.objects().values().stream()
        .filter(o -> o.owner().kind() != Owner.Kind.HOST && !destroyed.contains(o.owner()))
        .map(o -> withoutLinesOf(gone, o)).toList();
    if (kept.isEmpty()) {
      return HostModel.empty();
    }
    List<KernelObject> withHost = new ArrayList<>(kept);
    owned.objects().values().stream().filter(o -> o.owner().kind() == Owner.Kind.HOST).forEach(withHost::add);
    return HostModel.of(withHost);
  }

  /** The addresses of each destroyed container: in its namespace, and as its name record lists them. */
  private static Map<String, Set<IpAddress>> destroyedAddresses(HostModel owned, Set<Owner> destroyed) {
    Map<String, Set<IpAddress>> out = new HashMap<>();
    for (KernelObject o : owned.objects().values()) {
      if (o.owner().kind() != Owner.Kind.CONTAINER || !destroyed.contains(o.owner())) {
        continue;
      }
      Set<IpAddress> addresses = out.computeIfAbsent(o.owner().name(), c -> new HashSet<>());
      if (o instanceof AddressObject a) {
        addresses.add(a.address().address());
      } else if (o instanceof NameFileObject f && f.file() == NameFileObject.Kind.RECORD) {
        NameRecord.parse(f.container(), f.content()).endpoints().forEach(e -> {
          e.ipv4().ifPresent(addresses::add);
          e.ipv6().ifPresent(addresses::add);
        });
      }
    }
    return out;
  }

  /** A kept hosts file without the lines of the {@code gone} containers (see ContainerFiles#hostsWithout). */
  private static KernelObject withoutLinesOf(Map<String, Set<IpAddress>> gone, KernelObject o) {
    if (!(o instanceof NameFileObject f) || f.file() != NameFileObject.Kind.HOSTS) {
      return o;
    }
    String content = f.content();
    for (Map.Entry<String, Set<IpAddress>> g : gone.entrySet()) {
      content = ContainerFiles.hostsWithout(content, g.getKey(), g.getValue());
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
