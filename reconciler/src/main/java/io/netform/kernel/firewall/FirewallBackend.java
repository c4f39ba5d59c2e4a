package io.netform.kernel.firewall;

import io.netform.model.FirewallChain;
import io.netform.model.FirewallRule;
import io.netform.model.ForeignRule;
import io.netform.net.IpAddress.Family;
import java.util.List;

/**
 * Reads and changes netform's own firewall objects. The iptables backend is the first; the seam
 * is here so an nftables one (libnftables over jnr-ffi) can replace it.
 */
public interface FirewallBackend {

  /** netform's chains and rules as the kernel has them, in chain order; fails when they cannot be read. */
  Observed observe();

  /**
   * Whether every change to the rules, by anyone, is announced on the nftables netlink group
   * (iptables-nft, nftables), so that a reader may keep what it read until an announcement
   * comes. False until known, and for iptables-legacy, which announces nothing.
   */
  default boolean changesAreAnnounced() {
    return false;
  }

  /**
   * Fails, with a one-line message naming what is missing and how to install it, when this
   * backend cannot read or change the IPv4 firewall: asked before an operation changes anything.
   */
  default void checkAvailable() {
    checkAvailable(Family.V4);
  }

  /** {@link #checkAvailable()} for the rules of one address family (IPv6: ip6tables). */
  void checkAvailable(Family family);

  /**
   * Fails when netform's rules made with the other backend are on this host and the operation
   * keeps or makes rules ({@code keepsRules}: netform would keep two sets, and the one it no longer
   * reads would stay in force), or holds none of this backend's to remove ({@code holdsRules}
   * false: a destroy with the wrong backend would say complete while the other's rules stay). A
   * host with both may have each set removed by its own backend (see OtherBackend).
   */
  default void checkAlone(boolean keepsRules, boolean holdsRules) {}

  /**
   * Applies all changes of one address family atomically: either every change of it takes effect
   * or none does. (Two families are two transactions.)
   */
  void apply(ChangeSet changes);

  /**
   * netform's chains and rules, and the foreign rules that touch netform's chains (inside one, or
   * jumping to one): netform never changes those, and refuses to delete a chain they need.
   */
  record Observed(List<FirewallChain> chains, List<FirewallRule> rules, List<ForeignRule> foreign) {

    public Observed(List<FirewallChain> chains, List<FirewallRule> rules) {
      this(chains, rules, List.of());
    }
  }

  /** What to change: chains and rules to create and delete. */
  record ChangeSet(List<FirewallChain> createChains, List<FirewallRule> createRules, List<FirewallRule> deleteRules,
      List<FirewallChain> deleteChains) {

    public boolean isEmpty() {
      return createChains.isEmpty() && createRules.isEmpty() && deleteRules.isEmpty() && deleteChains.isEmpty();
    }

    /** The changes of one address family. */
    public ChangeSet of(Family family) {
      return new ChangeSet(createChains.stream().filter(c -> c.family() == family).toList(),
          createRules.stream().filter(r -> r.family() == family).toList(),
          deleteRules.stream().filter(r -> r.family() == family).toList(),
          deleteChains.stream().filter(c -> c.family() == family).toList());
    }
  }
}
