package io.netform.names;

import io.netform.desired.DesiredState;
import io.netform.desired.Network;

/**
 * Where the embedded DNS serves names: every network but the default one ({@code default: true},
 * Docker's docker0), where, as in Docker, only links and the hosts file give names, and but the
 * gateway bridge a host adds for its overlay containers' way out ({@code docker_gwbridge}), where
 * Docker's endpoints have no names: containers of overlay networks kept apart would find each other
 * there.
 */
public final class NameScope {

  /** The embedded DNS's address in every container namespace it serves. */
  public static final String SERVER_ADDRESS = "127.0.0.11";

  private NameScope() {}

  /** {@code state}: the desired state {@code n} is in (which tells its gateway bridge). */
  public static boolean servesNames(DesiredState state, Network n) {
    return !n.isDefault() && !state.isGatewayBridge(n);
  }
}
