package io.netform.kernel.firewall;

import io.netform.model.FirewallRule;
import io.netform.model.Owner;
import java.util.Optional;

/**
 * The comment that marks a rule as netform's: {@code netform:<id>:<tier>:<owner>}. netform
 * recognises exactly the rules carrying it and never touches any other (Docker's, ufw's,
 * firewalld's, the user's), as Calico's Felix does with its hashes.
 */
public final class RuleComment {

  public static final String PREFIX = "netform:";

  private RuleComment() {}

  public static String of(FirewallRule rule) {
    return PREFIX + rule.id() + ":" + rule.tier() + ":" + rule.owner();
  }

  /** The fields of a netform comment, or empty for a foreign one. */
  public static Optional<Parsed> parse(String comment) {
    if (!comment.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = comment.substring(PREFIX.length()).split(":", 3);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Parsed(parts[0], Integer.parseInt(parts[1]), Owner.parse(parts[2])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public record Parsed(String id, int tier, Owner owner) {}
}
