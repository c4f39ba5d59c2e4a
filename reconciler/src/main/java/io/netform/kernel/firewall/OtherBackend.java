package io.netform.kernel.firewall;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps one set of netform's rules per host: its rules made with the other backend (or with the
 * other iptables, see {@link IptablesVariant}) are looked for before an operation, and the
 * operation is refused where it would leave two sets of rules in force (it keeps or makes rules),
 * or where it has nothing of its own to remove while the other set stays (a destroy or rollback
 * run with the wrong backend would say "complete"). A host that holds both may have each set
 * removed with its own backend. A look that found nothing is trusted for a minute, so that the
 * agent's reconciles do not start a process each time.
 */
final class OtherBackend {

  private static final long TRUSTED_NANOS = 60_000_000_000L;

  /**
   * netform's rules found {@code where}, made with {@code madeWith}, while this operation runs
   * {@code self}; {@code destroy} removes them, {@code use} tells how to run a command with them.
   */
  record Found(String where, String self, String madeWith, String destroy, String use) {

    /** Rules of the other firewall backend ({@code --firewall-backend}). */
    static Found backend(String where, FirewallKind self, FirewallKind other) {
      return new Found(where, self.text(), "--firewall-backend " + other.text(),
          "'netform destroy --firewall-backend " + other.text() + "'", "with --firewall-backend " + other.text());
    }
  }

  private final Supplier<Optional<Found>> find;
  private volatile long clearUntil = System.nanoTime(); // nothing trusted yet (nanoTime is only compared by difference)

  /** {@code find}: netform's rules of the other backend, or empty. */
  OtherBackend(Supplier<Optional<Found>> find) {
    this.find = find;
  }

  void check(boolean keepsRules, boolean holdsRules) {
    if (!keepsRules && holdsRules) {
      return; // removes its own, whatever the other backend holds
    }
    long now = System.nanoTime();
    if (now - clearUntil < 0) {
      return;
    }
    Optional<Found> found = find.get();
    if (found.isEmpty()) {
      clearUntil = now + TRUSTED_NANOS;
      return;
    }
    Found f = found.get();
    String made = f.where() + ": this host's netform rules were made with " + f.madeWith();
    if (keepsRules) {
      throw new FirewallException(made + ". Keep using it, or remove them with it first (" + f.destroy() + "), then use "
          + f.self());
    }
    throw new FirewallException(made + ", and " + f.self() + " holds none of netform's to remove: run the command "
        + f.use());
  }
}
