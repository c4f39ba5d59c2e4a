package io.netform.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One kernel object netform manages. The same types describe the target (compiled from the
 * desired state) and the observed host (read from the kernel or a snapshot), so that planning is
 * a pure diff of two {@link HostModel}s.
 *
 * <p>Identity is {@link #key()}; everything else that can differ is in {@link #attributes()}, and
 * the owner where the object carries its mark (see {@link #marksOwner()}).
 * A change to an attribute named in {@link #replaceAttributes()} cannot be made in place and
 * forces a replacement. {@link #dependsOn()} names the keys (see {@link #provides()}) an object
 * needs to exist; the kernel destroys an object along with what it depends on, so replacing a
 * dependency replaces its dependents too.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NamespaceObject.class, name = "namespace"),
    @JsonSubTypes.Type(value = BridgeObject.class, name = "bridge"),
    @JsonSubTypes.Type(value = VethObject.class, name = "veth"),
    @JsonSubTypes.Type(value = MacvlanObject.class, name = "macvlan"),
    @JsonSubTypes.Type(value = AddressObject.class, name = "address"),
    @JsonSubTypes.Type(value = RouteObject.class, name = "route"),
    @JsonSubTypes.Type(value = SysctlObject.class, name = "sysctl"),
    @JsonSubTypes.Type(value = FirewallChain.class, name = "chain"),
    @JsonSubTypes.Type(value = FirewallRule.class, name = "rule"),
    @JsonSubTypes.Type(value = OverlayBridgeObject.class, name = "overlay-bridge"),
    @JsonSubTypes.Type(value = VxlanObject.class, name = "vxlan"),
    @JsonSubTypes.Type(value = OverlayPortObject.class, name = "overlay-port"),
    @JsonSubTypes.Type(value = FdbEntryObject.class, name = "fdb"),
    @JsonSubTypes.Type(value = NeighbourObject.class, name = "neighbour"),
    @JsonSubTypes.Type(value = NameFileObject.class, name = "name_file"),
})
public sealed interface KernelObject
    permits NamespaceObject, BridgeObject, VethObject, MacvlanObject, AddressObject, RouteObject,
        SysctlObject, FirewallChain, FirewallRule, OverlayBridgeObject, VxlanObject, OverlayPortObject, FdbEntryObject,
        NeighbourObject, NameFileObject {

  /** The namespace name of the host itself, as opposed to a container's. */
  String HOST_NS = "";

  @JsonIgnore
  String key();

  Owner owner();

  /** Human-oriented kind, used in plan output ("bridge", "veth", ...). */
  @JsonIgnore
  String kindLabel();

  /** Short name shown in plans, e.g. {@code linuxbridge1} or {@code 10.15.20.1/24 on linuxbridge1}. */
  @JsonIgnore
  String displayName();

  /** Attributes that can differ between target and observed, in display order. */
  @JsonIgnore
  Map<String, String> attributes();

  /** The name under which {@link #comparedAttributes()} holds the owner. */
  String OWNER = "owner";

  /**
   * Whether the owner is read back from a mark on this object itself (a link's alias, a rule's
   * comment, a file's first line) rather than from what holds it (an address from its interface):
   * then an owner that differs is a mark to rewrite, or a destroy of one owner would take what is
   * now another's. A rule's key is its text, so two owners may swap the same rule.
   */
  @JsonIgnore
  default boolean marksOwner() {
    return false;
  }

  /** What a plan compares: {@link #attributes()}, and {@value #OWNER} where the object marks it. */
  @JsonIgnore
  default Map<String, String> comparedAttributes() {
    if (!marksOwner()) {
      return attributes();
    }
    Map<String, String> a = new LinkedHashMap<>(attributes());
    a.put(OWNER, owner().toString());
    return a;
  }

  @JsonIgnore
  default Set<String> replaceAttributes() {
    return Set.of();
  }

  /** Keys this object stands for: its own key plus, e.g., both ends of a veth pair. */
  @JsonIgnore
  default Set<String> provides() {
    return Set.of(key());
  }

  @JsonIgnore
  default Set<String> dependsOn() {
    return Set.of();
  }

  /** Apply order: lower ranks are created first and deleted last. */
  @JsonIgnore
  int rank();

  static String linkKey(String namespace, String name) {
    return "link/" + nsLabel(namespace) + "/" + name;
  }

  static String namespaceKey(String namespace) {
    return "netns/" + namespace;
  }

  static String nsLabel(String namespace) {
    return namespace.isEmpty() ? "host" : "ns:" + namespace;
  }
}
