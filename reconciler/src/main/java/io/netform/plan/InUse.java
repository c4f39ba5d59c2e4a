package io.netform.plan;

import io.netform.model.AddressObject;
import io.netform.model.FirewallRule;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NameFileObject;
import io.netform.model.Owner;
import io.netform.model.PortForward;
import io.netform.names.NameRecord;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Something a removal takes away while an object it keeps still needs it: a kept container's veth
 * on a destroyed network's bridge, its rules naming that bridge, a kept container's published
 * ports forwarded to a destroyed container's address, its macvlan on a destroyed network's parent
 * (in that network's subnet), its name record on a destroyed network or joined to a destroyed
 * container's namespace (the record is a second source: the kernel shows a join of a container
 * publishing nothing no other way). Such a removal would cut the kept object
 * off (the kernel deletes a veth with its bridge, and the planned re-creation can only fail), so
 * it is refused before anything changes, as Docker refuses to remove a network with endpoints.
 *
 * @param owner whose the needed object is (a network or container being removed)
 * @param needed the needed object, as a plan names it ("bridge nf-…")
 * @param dependent the kept object that needs it
 */
public record InUse(Owner owner, String needed, KernelObject dependent) {

  /**
   * What {@code kept} (the part of {@code owned} a removal keeps) needs of the rest of {@code
   * owned}, or of {@code named}: what the removed owners stand for by name (a network's bridge),
   * which kept objects still name once the host has lost it (deleted by hand, or by an older netform).
   */
  public static List<InUse> of(HostModel owned, HostModel kept, Map<String, Held> named) {
    if (kept.objects().isEmpty()) {
      return List.of();
    }
    Set<String> keptProvides = new HashSet<>();
    kept.objects().values().forEach(o -> keptProvides.addAll(provides(o)));
    Map<String, Held> removed = new HashMap<>(named);
    for (KernelObject o : owned.objects().values()) {
      if (kept.get(o.key()).isEmpty()) {
        provides(o).forEach(p -> removed.put(p, new Held(o.owner(), o.kindLabel() + " " + o.displayName())));
      }
    }
    Map<String, Set<Cidr>> subnets = subnetsByLink(kept);
    List<InUse> out = new ArrayList<>();
    List<InUse> recorded = new ArrayList<>(); // after what the kernel would break: the better example
    for (KernelObject o : kept.objects().values()) {
      Set<String> needs = new LinkedHashSet<>(needs(o));
      if (o instanceof MacvlanObject m) {
        needs.addAll(macvlanNeeds(m, subnets.getOrDefault(m.key(), Set.of())));
      }
      for (String need : needs) {
        Held held = removed.get(need);
        if (held != null && !keptProvides.contains(need)) {
          (o instanceof NameFileObject ? recorded : out).add(new InUse(held.owner(), held.what(), o));
        }
      }
    }
    out.addAll(recorded);
    return out;
  }

  /**
   * Whether the sentence says the need in the user's words, with no kernel object to show for it:
   * a name record's, or a macvlan's need of its network (a network by name, as the record says it).
   */
  public boolean byName() {
    return recorded() || dependent instanceof MacvlanObject;
  }

  /**
   * Whether a container's name record is what needs it (the networks the container is on, the
   * namespace it joined): netform's own note of the container, which says what the user wrote
   * rather than a kernel object a user could look at.
   */
  public boolean recorded() {
    return dependent instanceof NameFileObject;
  }

  /** An object by what it provides (see {@link KernelObject#provides()}): whose it is and how a plan names it. */
  public record Held(Owner owner, String what) {}

  /**
   * What a network stands for by name in the name records of its containers: the one thing a
   * network that makes nothing on the host (macvlan) leaves for a destroy to see.
   */
  public static String network(String name) {
    return "network/" + name;
  }

  /**
   * What a macvlan network on {@code parent} declaring {@code subnets} stands for in its containers'
   * macvlans, whose marks record the parent, not the network (see {@link #macvlanNeeds}).
   */
  public static List<String> macvlanNetwork(String parent, List<Cidr> subnets) {
    List<String> out = new ArrayList<>(List.of(macvlan(parent, ANY_SUBNET)));
    subnets.forEach(s -> out.add(macvlan(parent, s.network().toString())));
    if (subnets.isEmpty()) {
      out.add(macvlan(parent, UNDECLARED_SUBNET));
    }
    return out;
  }

  private static final String ANY_SUBNET = "any";
  private static final String UNDECLARED_SUBNET = "undeclared";

  private static String macvlan(String parent, String subnet) {
    return "macvlan/" + parent + "/" + subnet;
  }

  /**
   * The macvlan networks a kept macvlan may be on, on its parent: one declaring a subnet its
   * addresses ({@code subnets}) are in; any, if it has no address; one declaring no subnet (its
   * subnet allocated), whatever its addresses. So a kept macvlan counts against a network unless
   * its addresses show it is on another one.
   */
  private static Set<String> macvlanNeeds(MacvlanObject m, Set<Cidr> subnets) {
    Set<String> out = new LinkedHashSet<>();
    out.add(macvlan(m.parent(), UNDECLARED_SUBNET));
    if (subnets.isEmpty()) {
      out.add(macvlan(m.parent(), ANY_SUBNET));
    }
    subnets.forEach(s -> out.add(macvlan(m.parent(), s.toString())));
    return out;
  }

  /** The subnets of the addresses on each interface of {@code model}, by the interface's key. */
  private static Map<String, Set<Cidr>> subnetsByLink(HostModel model) {
    Map<String, Set<Cidr>> out = new HashMap<>();
    for (KernelObject o : model.objects().values()) {
      if (o instanceof AddressObject a) {
        out.computeIfAbsent(KernelObject.linkKey(a.namespace(), a.device()), k -> new HashSet<>()).add(a.address().network());
      }
    }
    return out;
  }

  /** The provision an interface in the host's namespace stands for, as rules name it by name. */
  public static String hostLink(String name) {
    return KernelObject.linkKey(KernelObject.HOST_NS, name);
  }

  /**
   * What an object needs to keep working: what the kernel destroys it with ({@link
   * KernelObject#dependsOn()}); for a firewall rule, the interfaces it matches on and the address
   * it forwards to (a rule outlives those, but matches nothing any more); for a container's name
   * record, the networks it is on and the namespace it joined.
   */
  static Set<String> needs(KernelObject o) {
    if (o instanceof NameFileObject f && f.file() == NameFileObject.Kind.RECORD) {
      NameRecord record = NameRecord.parse(f.container(), f.content());
      Set<String> out = new LinkedHashSet<>();
      record.endpoints().forEach(e -> out.add(network(e.network())));
      record.joined().ifPresent(j -> out.add(KernelObject.namespaceKey(j)));
      return out;
    }
    if (!(o instanceof FirewallRule rule)) {
      return o.dependsOn();
    }
    Set<String> out = new LinkedHashSet<>(rule.dependsOn());
    String[] words = rule.spec().split(" ");
    for (int i = 0; i + 1 < words.length; i++) {
      if (words[i].equals("-i") || words[i].equals("-o")) {
        out.add(hostLink(words[i + 1]));
      }
    }
    PortForward.of(rule).ifPresent(f -> out.add(address(f.container())));
    return out;
  }

  /** Besides what an object provides to the kernel, an address stands for the host address a DNAT rule names. */
  private static Set<String> provides(KernelObject o) {
    if (!(o instanceof AddressObject a)) {
      return o.provides();
    }
    Set<String> out = new HashSet<>(a.provides());
    out.add(address(a.address().address()));
    return out;
  }

  /** What a container's address stands for, as the DNAT rules of published ports name it. */
  private static String address(IpAddress ip) {
    return "ip/" + ip;
  }
}
