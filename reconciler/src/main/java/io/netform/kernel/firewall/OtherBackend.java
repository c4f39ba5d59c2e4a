package io.netform.kernel.firewall;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps one firewall backend per host: netform's rules made with the other backend are looked for
 * before an operation, and the operation is refused where it would leave two sets of rules in
 * force (it keeps or makes rules), or where it has nothing of its own to remove while the other
 * backend's rules stay (a destroy or rollback run with the wrong backend would say "complete").
 * A host that holds both may have each set removed with its own backend. A look that found nothing
 * is trusted for a minute, so that the agent's reconciles do not start a process each time.
 */
final class OtherBackend {

  private static final long TRUSTED_NANOS = 60_000_000_000L;

  private final FirewallKind self;
  private final FirewallKind other;
  private final Supplier<Optional<String>> find;
  private volatile long clearUntil = System.nanoTime(); // nothing trusted yet (nanoTime is only compared by difference)

  /** {@code find}: where netform's rules of {@code other} were found (for the message), or empty. */
  OtherBackend(FirewallKind self, FirewallKind other, Supplier<Optional<String>> find) {
    this.self = self;
    this.other = other;
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
    Optional<String> found = find.get();
    if (found.isEmpty()) {
      clearUntil = now + TRUSTED_NANOS;
      return;
    }
    String made = found.get() + ": this host's netform rules were made with --firewall-backend " + other.text();
    if (keepsRules) {
      throw new FirewallException(made + ". Keep using that backend, or remove them with it first ('netform destroy "
          + "--firewall-backend " + other.text() + "'), then use " + self.text());
    }
    throw new FirewallException(made + ", and " + self.text() + " holds none of netform's to remove: run the command "
        + "with --firewall-backend " + other.text());
  }
}
