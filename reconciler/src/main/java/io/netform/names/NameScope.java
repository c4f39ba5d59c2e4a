package io.netform.names;

import io.netform.desired.Network;

/**
 * Where the embedded DNS serves names: every network but the default one ({@code default: true},
 * Docker's docker0), where, as in Docker, only links and the hosts file give names.
 */
public final class NameScope {

  /** The embedded DNS's address in every container namespace it serves. */
  public static final String SERVER_ADDRESS = "127.0.0.11";

  private NameScope() {}

  public static boolean servesNames(Network n) {
    return !n.isDefault();
  }
}
