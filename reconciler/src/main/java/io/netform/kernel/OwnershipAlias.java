package io.netform.kernel;

import io.netform.model.Owner;
import io.netform.util.Memo;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The interface alias (IFLA_IFALIAS, at most 255 bytes) that marks a link as netform's and says
 * what it serves: {@code netform:v1 owner=network:web subnets=10.0.0.0/24}. Recorded on the
 * object itself, so even after a crash between creating a link and writing the inventory the
 * link is recognised; and a link without it is never taken for netform's.
 */
public final class OwnershipAlias {

  public static final String PREFIX = "netform:v1";

  private OwnershipAlias() {}

  public record Parsed(Owner owner, Map<String, String> values) {
    public Parsed {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); // shared once parsed
    }

    public Optional<String> get(String key) {
      return Optional.ofNullable(values.get(key));
    }
  }

  /** The marker; refuses what {@link #parse} could not read back (the link would be taken for another's). */
  public static String format(Owner owner, Map<String, String> values) {
    StringBuilder sb = new StringBuilder(PREFIX).append(" owner=").append(owner);
    values.forEach((k, v) -> {
      if (k.isEmpty() || v.isEmpty() || v.contains(" ") || k.contains("=") || k.contains(" ")) {
        throw new IllegalArgumentException("alias keys and values must be non-empty words: " + k + "=" + v);
      }
      if (k.equals("owner")) {
        throw new IllegalArgumentException("the owner is given apart, not as a value: owner=" + v);
      }
      sb.append(' ').append(k).append('=').append(v);
    });
    if (sb.toString().getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("alias longer than the kernel's 255 bytes: " + sb);
    }
    return sb.toString();
  }

  /** Parsed markers by their text: an observation parses thousands of aliases, the same ones each time. */
  private static final Memo<String, Optional<Parsed>> PARSED = new Memo<>(OwnershipAlias::parseText, 100_000);

  public static Optional<Parsed> parse(String alias) {
    if (alias == null || !alias.startsWith(PREFIX + " ")) {
      return Optional.empty();
    }
    return PARSED.get(alias);
  }

  private static Optional<Parsed> parseText(String alias) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String word : alias.substring(PREFIX.length() + 1).split(" ")) {
      int eq = word.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      values.put(word.substring(0, eq), word.substring(eq + 1));
    }
    String owner = values.remove("owner");
    if (owner == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Parsed(Owner.parse(owner), values));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
