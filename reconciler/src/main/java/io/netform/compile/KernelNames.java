package io.netform.compile;

import io.netform.desired.Network;
import io.netform.util.Memo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
   * The namespace of an overlay network on a host (Docker: {@code 1-<id>}): {@code overlay+} and
   * the network's name; no container can be named so, since a container's name has no {@code +}.
   */
  public static String overlayNamespace(String network) {
    return "overlay+" + network;
  }

  /** An overlay's bridge and VXLAN device inside its namespace: one each there, so Docker's fixed names. */
  public static final String OVERLAY_BRIDGE = "br0";
  public static final String OVERLAY_VXLAN = "vxlan0";

  /**
   * Names by the text they are derived from: every compile of a desired state derives one per
   * container and network, the same ones each time.
   */
  private static final Memo<String, String> SHA256_HEX = new Memo<>(KernelNames::sha256Hex, 100_000);

  static String hex(String text, int digits) {
    return SHA256_HEX.get(text).substring(0, digits);
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
