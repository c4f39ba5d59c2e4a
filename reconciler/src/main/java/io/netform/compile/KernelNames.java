package io.netform.compile;

import io.netform.desired.Network;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deterministic kernel interface names (at most 15 bytes). Derived from names in the desired
 * state, so every host and every run computes the same ones and the plan can be diffed by name.
 * The {@code nf} prefix makes netform's interfaces recognisable in {@code ip link}.
 */
public final class KernelNames {

  private KernelNames() {}

  /** The network's bridge: {@code bridge_name}, else {@code nf-} + 12 hex digits (Docker: {@code br-<12 hex>}). */
  public static String bridge(Network network) {
    return network.bridgeName().orElse("nf-" + hex(network.name(), 12));
  }

  /** Host side of a container's veth on a network: {@code nfv} + 12 hex digits (Docker: {@code veth<7 hex>}). */
  public static String hostVeth(String container, String network) {
    return "nfv" + hex(container + "\0" + network, 12);
  }

  /**
   * Names by the text they are derived from: every compile of a desired state derives one per
   * container and network, the same ones each time. Bounded: emptied when it grows past what any
   * host here holds.
   */
  private static final ConcurrentHashMap<String, String> DERIVED = new ConcurrentHashMap<>();
  private static final int DERIVED_LIMIT = 100_000;

  static String hex(String text, int digits) {
    String key = digits + ":" + text;
    String known = DERIVED.get(key);
    if (known != null) {
      return known;
    }
    if (DERIVED.size() >= DERIVED_LIMIT) {
      DERIVED.clear();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      String hex = HexFormat.of().formatHex(digest).substring(0, digits);
      DERIVED.put(key, hex);
      return hex;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
