package io.netform.snapshot;

import io.netform.model.ObservedHost;
import io.netform.snapshot.Snapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of an observed host: equal fingerprints mean a saved plan still applies to the host.
 * Computed over the canonical snapshot JSON (objects sorted by key).
 */
public final class Fingerprint {

  private Fingerprint() {}

  public static String of(ObservedHost host) {
    try {
      byte[] canonical = Snapshot.toJson(host).getBytes(StandardCharsets.UTF_8);
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
